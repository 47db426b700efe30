"""Sending labels to a printer: a CUPS queue through `lp` (Zebra, Brother and DYMO all have CUPS drivers), or
a folder of PNG/PDF files. Every failure is a PrintError whose message says what to do, never a traceback."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .data import LabelData
from .errors import PrintError
from .stocks import MM_PER_INCH, Stock, find_stock

__all__ = ["CupsPrinter", "FolderPrinter", "PrintError", "QueueStatus", "job_state", "printer_from_config",
           "queue_status"]

LP_TIMEOUT = 20.0
DEFAULT_STOCK = "brother-62x29"


def _render(label: LabelData, stock: Stock | None, dpi: int | None) -> Image.Image:
    from .render import render  # Pillow drawing only when a label is really drawn

    if stock is None or dpi is None:
        raise PrintError("This printer has no label stock and resolution set (stock = ..., dpi = ...).", "config")
    return render(label, stock, dpi)


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:60] or "label"


@dataclass(frozen=True)
class FolderPrinter:
    """Writes each label into a folder, named by tag number and time: for a new install, the demo, or a
    print server that watches the folder."""

    directory: str
    stock: Stock | None = None
    dpi: int | None = None
    formats: tuple[str, ...] = ("png", "pdf")

    def print_label(self, label: LabelData) -> str:
        """Draw and write the label; returns the path of the first file written."""
        return self.send(_render(label, self.stock, self.dpi), label.tag_number)

    def send(self, image: Image.Image, name: str) -> str:
        from .render import to_pdf, to_png  # Pillow drawing only when a label is really drawn

        folder = Path(self.directory).expanduser()
        stem = f"{_safe_name(name)}-{dt.datetime.now():%Y%m%d-%H%M%S-%f}"
        written = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for kind in self.formats:
                data = to_png(image) if kind == "png" else to_pdf(image, title=name)
                path = folder / f"{stem}.{kind}"
                with open(path, "xb") as file:  # never overwrite an earlier label
                    file.write(data)
                written.append(path)
        except OSError as exc:
            raise PrintError(f"Cannot write the label to {folder}: {exc.strerror or exc}.", "io") from None
        return str(written[0])


@dataclass(frozen=True)
class QueueStatus:
    """What CUPS says about a queue. A disabled (paused) queue still accepts jobs: they wait."""

    queue: str
    exists: bool
    enabled: bool = False
    accepting: bool = False
    reason: str = ""  # CUPS's words ("Paused", a driver error) or why CUPS could not be asked
    cups: bool = True  # False: CUPS itself is not installed or not running here

    @property
    def state(self) -> str:
        """no-cups, missing, rejecting, disabled or enabled."""
        if not self.cups:
            return "no-cups"
        if not self.exists:
            return "missing"
        if not self.accepting:
            return "rejecting"
        return "enabled" if self.enabled else "disabled"

    @property
    def message(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return {
            "no-cups": f"Cannot reach printer queue {self.queue!r}: {self.reason}.",
            "missing": f"There is no printer queue {self.queue!r} in CUPS{why}.",
            "rejecting": f"Printer {self.queue} is not accepting jobs in CUPS{why}; "
                         f"an administrator can run: cupsaccept {self.queue}.",
            "disabled": f"Printer {self.queue} is paused (disabled) in CUPS{why}; "
                        f"resume it on the printer or run: cupsenable {self.queue}.",
            "enabled": f"Printer {self.queue} is ready.",
        }[self.state]


def _run(command: list[str], timeout: float, data: bytes | None = None) -> subprocess.CompletedProcess:
    # lpstat's words are parsed below, and CUPS translates them: ask in the C locale.
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        return subprocess.run(command, input=data, capture_output=True, timeout=timeout, env=env)
    except FileNotFoundError:
        raise PrintError(f"CUPS is not installed on this terminal (no `{command[0]}` command): "
                         f"apt-get install cups-client.", "no-cups") from None
    except subprocess.TimeoutExpired:
        raise PrintError(f"CUPS did not answer `{' '.join(command[:3])}` within {timeout:g} s; "
                         f"is the CUPS server running?", "timeout") from None


def _text(output: bytes) -> str:
    return " ".join(output.decode("utf-8", "replace").split())


def queue_status(queue: str, timeout: float = LP_TIMEOUT) -> QueueStatus:
    """Ask CUPS (`lpstat -p` and `lpstat -a`) whether the queue exists, is enabled and accepts jobs."""
    if not shutil.which("lpstat"):
        return QueueStatus(queue, False, reason="CUPS is not installed on this terminal (no lpstat)", cups=False)
    try:
        printer = _run(["lpstat", "-p", queue], timeout)
        accepting = _run(["lpstat", "-a", queue], timeout) if printer.returncode == 0 else None
    except PrintError as exc:
        return QueueStatus(queue, False, reason=exc.message.rstrip("."), cups=False)
    if printer.returncode != 0 or not printer.stdout.strip():
        said = _text(printer.stderr) or "lpstat knows no such queue"
        down = any(words in said.lower() for words in ("scheduler is not running", "unable to connect"))
        return QueueStatus(queue, False, reason=f"CUPS is not running ({said})" if down else said, cups=not down)
    first, *details = printer.stdout.decode("utf-8", "replace").splitlines()
    enabled = f"printer {queue} disabled" not in first
    accepts = accepting is not None and accepting.returncode == 0 and " not accepting" not in _text(accepting.stdout)
    reason = " ".join(line.strip() for line in details if line.strip())
    if not accepts and accepting is not None:
        reason = reason or " ".join(line.strip() for line in accepting.stdout.decode().splitlines()[1:])
    return QueueStatus(queue, True, enabled, accepts, reason)


def job_state(job_id: str, timeout: float = LP_TIMEOUT) -> str:
    """pending (waiting or printing), completed, or unknown: from `lpstat -W ... -o QUEUE`."""
    queue = job_id.rsplit("-", 1)[0]
    for which, state in (("not-completed", "pending"), ("completed", "completed")):
        listing = _run(["lpstat", "-W", which, "-o", queue], timeout)
        if any(line.split()[:1] == [job_id] for line in listing.stdout.decode("utf-8", "replace").splitlines()):
            return state
    return "unknown"


def _mm(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class CupsPrinter:
    """A CUPS queue. The label goes as a PDF page of the label's size (or a PNG with its resolution), at
    100 %: never fit-to-page, which rescales the bars to fractions of a dot."""

    queue: str
    stock: Stock | None = None
    dpi: int | None = None
    media: str = ""  # the driver's name for the stock (e.g. "62x29"); default Custom.WxHmm
    format: str = "pdf"  # or "png"
    options: tuple[tuple[str, str], ...] = ()  # more `-o name=value` for the driver
    # A paused queue takes jobs and holds them. "refuse": send nothing and raise PrintError (for callers
    # that keep their own queue and retry, like the kiosk). "hold": send anyway; CUPS prints it on resume.
    when_paused: str = "refuse"
    timeout: float = LP_TIMEOUT

    def status(self) -> str:
        """no-cups, missing, rejecting, disabled or enabled."""
        return queue_status(self.queue, self.timeout).state

    def print_label(self, label: LabelData) -> str:
        """Draw and send the label; returns the CUPS job id (e.g. "kiosk-pdf-12")."""
        return self.send(_render(label, self.stock, self.dpi), label.tag_number)

    def lp_options(self, image: Image.Image) -> list[str]:
        dpi = round(image.info.get("dpi", (self.dpi or 300, 0))[0])
        width, height = image.info.get("label_mm") or (image.width / dpi * MM_PER_INCH,
                                                       image.height / dpi * MM_PER_INCH)
        options = ["-o", f"media={self.media or f'Custom.{_mm(width)}x{_mm(height)}mm'}",
                   "-o", "print-scaling=none"]
        if self.format == "png":
            options += ["-o", f"ppi={dpi}"]  # the image's own resolution: 100 %
        for name, value in self.options:
            options += ["-o", f"{name}={value}"]
        return options

    def send(self, image: Image.Image, name: str) -> str:
        """Send an image drawn by render(); returns the CUPS job id."""
        from .render import to_pdf, to_png  # Pillow drawing only when a label is really drawn

        title = _safe_name(name)
        self.check_ready("label")
        data = to_png(image) if self.format == "png" else to_pdf(image, title=title)
        return self.lp(data, title, self.lp_options(image))

    def check_ready(self, what: str) -> None:
        """Raise PrintError when the queue cannot take a job now (a paused one only when_paused="refuse")."""
        status = queue_status(self.queue, self.timeout)
        if status.state == "disabled" and self.when_paused != "hold":
            raise PrintError(f"{status.message} The {what} was not sent; print it again once the printer is back.",
                             "disabled")
        if status.state in ("no-cups", "missing", "rejecting"):
            raise PrintError(status.message, status.state)

    def lp(self, data: bytes, title: str, options: list[str]) -> str:
        """Hand a document to `lp` for this queue, once; returns the CUPS job id. Raises PrintError."""
        # The document goes on stdin: no temporary file to leak, lp copies it to the spool at once.
        done = _run(["lp", "-d", self.queue, "-t", _safe_name(title), "-n", "1", *options], self.timeout, data)
        if done.returncode != 0:
            raise PrintError(f"lp could not print on {self.queue}: {_text(done.stderr) or _text(done.stdout)}",
                             "lp-failed")
        found = re.search(r"request id is (\S+)", done.stdout.decode("utf-8", "replace"))
        if not found:
            raise PrintError(f"lp printed on {self.queue} but gave no job id: {_text(done.stdout)}", "lp-failed")
        return found.group(1)


_KEYS = {
    "folder": {"backend", "path", "stock", "dpi", "formats"},
    "cups": {"backend", "queue", "stock", "dpi", "media", "format", "options", "when_paused", "timeout"},
}


def printer_from_config(config: Mapping, stocks: Mapping | None = None) -> FolderPrinter | CupsPrinter:
    """A printer from its settings table, e.g. {"backend": "folder", "path": ..., "stock": ..., "dpi": ...}
    or {"backend": "cups", "queue": ..., "stock": ..., "dpi": ..., "media": ...}; stocks: the settings'
    own label stocks by name."""
    backend = str(config.get("backend", "folder")).lower()
    if backend not in _KEYS:
        raise PrintError(f"Unknown printer backend {backend!r}: use folder or cups.", "config")
    unknown = set(config) - _KEYS[backend]
    if unknown:
        raise PrintError(f"Unknown setting(s) for a {backend} printer: {', '.join(sorted(unknown))} "
                         f"(known: {', '.join(sorted(_KEYS[backend]))}).", "config")
    stock = find_stock(config.get("stock", DEFAULT_STOCK), stocks)
    dpi = config.get("dpi") or (stock.dpis[0] if len(stock.dpis) == 1 else None)
    if dpi is not None:
        try:
            dpi = int(dpi)
        except (TypeError, ValueError):
            raise PrintError(f"Printer dpi must be a whole number, not {dpi!r}.", "config") from None
        stock.check_dpi(dpi)
    if backend == "folder":
        if not config.get("path"):
            raise PrintError("A folder printer needs its folder (path = ...).", "config")
        formats = config.get("formats", ("png", "pdf"))
        formats = (formats,) if isinstance(formats, str) else tuple(formats)
        if not formats or set(formats) - {"png", "pdf"}:
            raise PrintError(f"A folder printer writes png and/or pdf, not {formats!r}.", "config")
        return FolderPrinter(str(config["path"]), stock, dpi, formats)
    if not config.get("queue"):
        raise PrintError("A CUPS printer needs its queue name (queue = ...).", "config")
    if config.get("format", "pdf") not in ("pdf", "png"):
        raise PrintError(f"A CUPS printer is sent pdf or png, not {config['format']!r}.", "config")
    if config.get("when_paused", "refuse") not in ("refuse", "hold"):
        raise PrintError(f"when_paused is refuse or hold, not {config['when_paused']!r}.", "config")
    options = config.get("options", {})
    if not isinstance(options, Mapping):
        raise PrintError("Printer options are a table of name = value for lp -o.", "config")
    return CupsPrinter(str(config["queue"]), stock, dpi, str(config.get("media", "")), config.get("format", "pdf"),
                       tuple((str(k), str(v)) for k, v in options.items()), config.get("when_paused", "refuse"),
                       float(config.get("timeout", LP_TIMEOUT)))
