"""Sending labels to printers: CUPS (`lp`), the standard Linux path for Zebra, Brother and DYMO, or a folder."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .render import to_pdf, to_png

LP_TIMEOUT = 20


class PrintError(Exception):
    """The label did not reach the printer; the message says why in plain words."""


@dataclass(frozen=True)
class FolderPrinter:
    """Writes each label as PNG and PDF into a folder: the default for a new install and the demo."""

    directory: str

    def send(self, image: Image.Image, name: str) -> str:
        folder = Path(self.directory).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            png = folder / f"{name}-{stamp}.png"
            png.write_bytes(to_png(image))
            png.with_suffix(".pdf").write_bytes(to_pdf(image))
        except OSError as exc:
            raise PrintError(f"Cannot write labels to {folder}: {exc.strerror or exc}.") from None
        return str(png)


@dataclass(frozen=True)
class CupsPrinter:
    """A CUPS queue: the label goes as a PDF page of its exact size, printed at 100% (never fit-to-page)."""

    queue: str
    media: str = ""  # e.g. "Custom.62x29mm" or "w144h72", as the printer's driver names it

    def status(self) -> str:
        """'enabled', 'disabled' or 'missing' (also when CUPS itself is not there)."""
        if not shutil.which("lpstat"):
            return "missing"
        try:
            out = subprocess.run(["lpstat", "-p", self.queue], capture_output=True, text=True, timeout=LP_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            return "missing"
        if out.returncode != 0 or not out.stdout.strip():
            return "missing"
        return "disabled" if "disabled" in out.stdout else "enabled"

    def send(self, image: Image.Image, name: str) -> str:
        state = self.status()
        if state == "missing":
            raise PrintError(f"Printer queue {self.queue} does not exist (or CUPS is not running).")
        if state == "disabled":
            # lp would accept the job and let it wait unseen; the kiosk keeps it queued instead.
            raise PrintError(f"Printer {self.queue} is paused (disabled) in CUPS; the label waits in the kiosk queue.")
        with tempfile.NamedTemporaryFile(suffix=".pdf", prefix=f"{name}-") as file:
            file.write(to_pdf(image))
            file.flush()
            try:
                options = ["-o", "scaling=100"] + (["-o", f"media={self.media}"] if self.media else [])
                out = subprocess.run(["lp", "-d", self.queue, "-t", name, *options, file.name],
                                     capture_output=True, text=True, timeout=LP_TIMEOUT)
            except FileNotFoundError:
                raise PrintError("The `lp` command is missing: install CUPS (apt-get install cups-client).") from None
            except subprocess.TimeoutExpired:
                raise PrintError(f"Printer {self.queue} did not answer within {LP_TIMEOUT} s.") from None
        if out.returncode != 0:
            raise PrintError(f"lp could not print on {self.queue}: {(out.stderr or out.stdout).strip()[:200]}")
        # "request id is kiosk-pdf-12 (1 file(s))"
        return out.stdout.split("request id is ", 1)[-1].split(" ", 1)[0].strip()


def printer_from_config(config: dict) -> FolderPrinter | CupsPrinter:
    backend = config.get("backend", "folder")
    if backend == "folder":
        return FolderPrinter(str(config.get("path") or "labels-out"))
    if backend == "cups":
        if not config.get("queue"):
            raise PrintError("A CUPS printer needs its queue name (queue = ...).")
        return CupsPrinter(str(config["queue"]), str(config.get("media", "")))
    raise PrintError(f"Unknown printer backend {backend!r}: use folder or cups.")
