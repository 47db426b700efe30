"""Printers for a new shop: the CUPS queues this machine knows, and a test label a person can scan (kiosk setup,
and the manager's screen later)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass

from labels import LabelData
from labels.printing import PrintError, printer_from_config

from .audit import Actor, change
from .config import Settings
from .errors import InvalidInput
from .i18n import N_, render
from .labelqueue import printer_config
from .permissions import require


@dataclass(frozen=True)
class CupsQueue:
    name: str
    device: str  # e.g. usb://Brother/QL-820NWB, cups-pdf:/kiosk ("" when lpstat -v did not say)


def cups_queues(timeout: float = 10.0) -> list[CupsQueue]:
    """The queues CUPS has (`lpstat -e`), with their devices (`lpstat -v`); empty when CUPS is not here."""
    if not shutil.which("lpstat"):
        return []
    env = {"LC_ALL": "C", "LANG": "C", "PATH": "/usr/bin:/bin:/usr/sbin:/sbin"}
    try:
        names = subprocess.run(["lpstat", "-e"], capture_output=True, text=True, timeout=timeout, env=env)
        devices = subprocess.run(["lpstat", "-v"], capture_output=True, text=True, timeout=timeout, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return []
    device_of = {}
    for line in devices.stdout.splitlines():
        # "device for kiosk-pdf: cups-pdf:/kiosk"
        if line.startswith("device for ") and ": " in line:
            name, device = line[len("device for "):].split(": ", 1)
            device_of[name.strip()] = device.strip()
    return [CupsQueue(name, device_of.get(name, "")) for name in names.stdout.split() if name]


@dataclass(frozen=True)
class PrintedTestLabel:
    code: str  # what a scanner must read off the label
    printer: str
    reference: str  # the CUPS job id, or the file written

    @property
    def message(self) -> str:
        return render(N_("Test label sent to {printer} ({reference}). Scan it: the scanner should read {code}."),
                      {"printer": self.printer, "reference": self.reference, "code": self.code})


def label_check_code(at: dt.datetime | None = None) -> str:
    """A code no tag ever has, different each second, so the printed page can be found and checked (short enough
    for the smallest stock; the dealer code is printed beside it)."""
    return f"TEST-{(at or dt.datetime.now()):%m%d%H%M%S}"


def print_test_label(actor: Actor, settings: Settings, printer: str = "") -> PrintedTestLabel:
    """Draw a label on the printer's stock at its resolution, send it, and record it. The printer may take
    seconds: call from a worker. Raises InvalidInput (unknown printer, or the printer's own message)."""
    require(actor.role, "printer.test")
    name, config = printer_config(settings, printer)
    code = label_check_code()
    label = LabelData(tag_number=code, dealer_code=settings.dealer_code, repair_order="TEST",
                      repair_date=dt.date.today().isoformat(), technician=actor.name,
                      part_number="TEST",
                      description=render(N_("Test label {shop}"), {"shop": settings.shop_name})[:60])
    try:
        reference = printer_from_config(config, settings.label_stocks).print_label(label)
    except (PrintError, ValueError) as exc:
        raise InvalidInput(N_("The test label did not print on {printer}: {error}"), printer=name,
                           error=str(exc)) from None
    with change(actor, "printer.test") as record:
        record.about("printer", None, printer=name, code=code, reference=str(reference))
    return PrintedTestLabel(code, name, str(reference))
