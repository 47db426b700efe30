"""Sending an A4 document's PDF (labels.document: job card, packing list, report) to a CUPS printer."""

from __future__ import annotations

from .printing import CupsPrinter


def print_pdf(printer: CupsPrinter, data: bytes, title: str, media: str = "A4") -> str:
    """Send a document's PDF to a CUPS queue, on its media at 100 %; returns the CUPS job id.
    A paused queue is refused unless the printer says when_paused = "hold". Raises PrintError."""
    printer.check_ready("document")
    options = ["-o", f"media={printer.media or media}", "-o", "print-scaling=none"]
    for name, value in printer.options:
        options += ["-o", f"{name}={value}"]
    return printer.lp(data, title, options)
