"""Typed errors of the labels package; str(error) is a message a technician or clerk can read."""

from __future__ import annotations


class LabelError(Exception):
    """Anything the labels package refuses or cannot do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StockError(LabelError, ValueError):
    """A label stock that is unknown, badly configured or used at a resolution it does not have."""


class FormatError(LabelError, ValueError):
    """A file type or image the labels package cannot write (only .png and .pdf, from render())."""


class BarcodeError(LabelError, ValueError):
    """Data that a Code 128 barcode cannot carry."""


class BarcodeTooWide(BarcodeError):
    """The barcode does not fit the label at the narrowest module width that still scans."""


class PrintError(LabelError):
    """The label did not reach the printer (or folder). `reason` is a short code for callers:
    missing, disabled, rejecting, no-cups, lp-failed, timeout, io, config."""

    def __init__(self, message: str, reason: str = "failed") -> None:
        super().__init__(message)
        self.reason = reason
