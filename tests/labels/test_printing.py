"""Printers: a folder of files, and CUPS through `lp` (faked to provoke failures, and the real kiosk-pdf queue)."""

from __future__ import annotations

import re
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from PIL import Image

from labels import STOCKS, LabelData, PrintError, StockError
from labels.printing import CupsPrinter, FolderPrinter, job_state, printer_from_config, queue_status
from labels.render import render

from .conftest import CUPS_PDF_OUT, decode_printed, read_barcodes

BROTHER = {"stock": "brother-62x29", "dpi": 300}


def test_folder_printer_writes_png_and_pdf_named_by_tag_and_time(tmp_path, full_label):
    printer = printer_from_config({"backend": "folder", "path": str(tmp_path / "out"), **BROTHER})
    first = Path(printer.print_label(full_label))
    second = Path(printer.print_label(full_label))
    assert first != second and first.suffix == ".png" and first.name.startswith("W0001234-")
    assert re.fullmatch(r"W0001234-\d{8}-\d{6}-\d{6}\.png", first.name)
    assert first.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
    assert read_barcodes(Image.open(first)) == ["W0001234"]
    only_pdf = printer_from_config({"backend": "folder", "path": str(tmp_path / "pdf"), "formats": ["pdf"], **BROTHER})
    assert only_pdf.print_label(full_label).endswith(".pdf")


def test_folder_printer_that_cannot_write_says_where(tmp_path, full_label):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(PrintError, match="Cannot write the label to .*a-file") as error:
        FolderPrinter(str(blocked)).send(render(full_label, STOCKS["brother-62x29"], 300), "W0001234")
    assert error.value.reason == "io"
    with pytest.raises(PrintError, match="no label stock"):
        FolderPrinter(str(tmp_path)).print_label(full_label)


@pytest.mark.parametrize("config, match", [
    ({"backend": "fax"}, "Unknown printer backend"),
    ({"backend": "folder"}, "needs its folder"),
    ({"backend": "cups"}, "needs its queue"),
    ({"backend": "cups", "queue": "q", "qeue": "typo"}, "Unknown setting.*qeue"),
    ({"backend": "folder", "path": "/tmp/x", "dpi": "lots"}, "whole number"),
    ({"backend": "folder", "path": "/tmp/x", "formats": ["jpg"]}, "png and/or pdf"),
    ({"backend": "cups", "queue": "q", "when_paused": "panic"}, "refuse or hold"),
    ({"backend": "cups", "queue": "q", "format": "ps"}, "pdf or png"),
])
def test_bad_printer_settings_are_clear_print_errors(config, match):
    with pytest.raises(PrintError, match=match) as error:
        printer_from_config(config)
    assert error.value.reason == "config"


def test_printer_settings_pick_the_stock_and_resolution():
    printer = printer_from_config({"backend": "cups", "queue": "labels", "stock": "2x1in", "dpi": 203,
                                   "media": "w144h72", "options": {"Darkness": 20}, "when_paused": "hold"})
    assert isinstance(printer, CupsPrinter) and printer.stock.name == "2x1in" and printer.dpi == 203
    assert printer.options == (("Darkness", "20"),) and printer.when_paused == "hold"
    custom = printer_from_config({"backend": "folder", "path": "/tmp/x", "stock": "zebra-3x1"},
                                 stocks={"zebra-3x1": {"width_mm": 76.2, "height_mm": 25.4, "dpis": [203]}})
    assert custom.stock.name == "zebra-3x1" and custom.dpi == 203  # the stock's only resolution
    assert printer_from_config({"backend": "folder", "path": "/tmp/x", "stock": "2x1in"}).dpi is None
    with pytest.raises(StockError, match="Unknown label stock 'a4'"):
        printer_from_config({"backend": "folder", "path": "/tmp/x", "stock": "a4"})
    with pytest.raises(StockError, match="not 600"):
        printer_from_config({"backend": "folder", "path": "/tmp/x", "stock": "2x1in", "dpi": 600})


FAKE_LPSTAT = """#!/bin/sh
case "$1$FAKE_STATE" in
  -p) echo "printer $2 is idle.  enabled since Mon 23 Nov 2026";;
  -pdisabled) printf 'printer %s disabled since Mon 23 Nov 2026 -\\n\\tout of labels\\n' "$2";;
  -a|-adisabled) echo "$2 accepting requests since Mon 23 Nov 2026";;
  -arejecting) printf '%s not accepting requests since Mon 23 Nov 2026 -\\n\\tfull\\n' "$2";;
  -prejecting) echo "printer $2 is idle.  enabled since Mon 23 Nov 2026";;
  -pdown) echo "lpstat: Scheduler is not running." >&2; exit 1;;
esac
"""
FAKE_LP = """#!/bin/sh
echo "$@" > "$FAKE_DIR/args"
cat > "$FAKE_DIR/document"
case "$FAKE_LP" in
  fail) echo "lp: Unsupported document-format \\"application/x-nonsense\\"." >&2; exit 1;;
  slow) sleep 5;;
esac
echo "request id is $2-77 (1 file(s))"
"""


@pytest.fixture
def fake_cups(tmp_path, monkeypatch):
    """lp and lpstat stand-ins first on PATH: they record what the printer code asked for."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, script in (("lp", FAKE_LP), ("lpstat", FAKE_LPSTAT)):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_DIR", str(tmp_path))
    return tmp_path


def test_cups_job_is_sent_at_100_percent_on_the_labels_media(fake_cups, full_label):
    job = printer_from_config({"backend": "cups", "queue": "zebra", **BROTHER}).print_label(full_label)
    assert job == "zebra-77"
    args = (fake_cups / "args").read_text().split()
    assert args[:4] == ["-d", "zebra", "-t", "W0001234"]
    assert "media=Custom.62x29mm" in args and "print-scaling=none" in args
    assert not any("fit-to-page" in a for a in args)
    assert (fake_cups / "document").read_bytes()[:5] == b"%PDF-"
    png = printer_from_config({"backend": "cups", "queue": "zebra", "format": "png", "media": "62x29",
                               **BROTHER}).print_label(full_label)
    args = (fake_cups / "args").read_text().split()
    assert png == "zebra-77" and "ppi=300" in args and "media=62x29" in args
    assert (fake_cups / "document").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("state, message", [
    ("disabled", "Printer zebra is paused (disabled) in CUPS (out of labels); resume it on the printer or run: "
                 "cupsenable zebra."),
    ("rejecting", "Printer zebra is not accepting jobs in CUPS (full); an administrator can run: cupsaccept zebra."),
])
def test_a_paused_or_rejecting_queue_is_refused_before_lp(fake_cups, monkeypatch, full_label, state, message):
    monkeypatch.setenv("FAKE_STATE", state)
    status = queue_status("zebra")
    assert status.state == state and status.message == message
    with pytest.raises(PrintError, match="not accepting" if state == "rejecting" else "paused") as error:
        printer_from_config({"backend": "cups", "queue": "zebra", **BROTHER}).print_label(full_label)
    assert error.value.reason == state and not (fake_cups / "args").exists()


def test_cups_not_running_is_a_print_error_that_says_so(fake_cups, monkeypatch, full_label):
    monkeypatch.setenv("FAKE_STATE", "down")
    assert queue_status("zebra").message == (
        "Cannot reach printer queue 'zebra': CUPS is not running (lpstat: Scheduler is not running.).")
    with pytest.raises(PrintError, match="CUPS is not running") as error:
        printer_from_config({"backend": "cups", "queue": "zebra", **BROTHER}).print_label(full_label)
    assert error.value.reason == "no-cups"


def test_lp_failing_is_a_print_error_with_lps_own_words(fake_cups, monkeypatch, full_label):
    monkeypatch.setenv("FAKE_LP", "fail")
    with pytest.raises(PrintError, match=r"lp could not print on zebra: lp: Unsupported document-format") as error:
        printer_from_config({"backend": "cups", "queue": "zebra", **BROTHER}).print_label(full_label)
    assert error.value.reason == "lp-failed"


def test_lp_that_hangs_times_out_as_a_print_error(fake_cups, monkeypatch, full_label):
    monkeypatch.setenv("FAKE_LP", "slow")
    started = time.monotonic()
    with pytest.raises(PrintError, match="did not answer") as error:
        printer_from_config({"backend": "cups", "queue": "zebra", "timeout": 0.5, **BROTHER}).print_label(full_label)
    assert error.value.reason == "timeout" and time.monotonic() - started < 4


def test_no_cups_on_the_machine_is_a_print_error(tmp_path, monkeypatch, full_label):
    monkeypatch.setenv("PATH", str(tmp_path))
    status = queue_status("labels")
    assert status.state == "no-cups" and not status.exists
    assert status.message == "Cannot reach printer queue 'labels': CUPS is not installed on this terminal (no lpstat)."
    with pytest.raises(PrintError, match="Cannot reach printer queue 'labels'") as error:
        printer_from_config({"backend": "cups", "queue": "labels", **BROTHER}).print_label(full_label)
    assert error.value.reason == "no-cups"


def test_a_missing_queue_is_a_print_error_naming_it(full_label):
    with pytest.raises(PrintError, match="no-such-queue-here") as error:
        printer_from_config({"backend": "cups", "queue": "no-such-queue-here", **BROTHER}).print_label(full_label)
    assert error.value.reason == "missing"


# The real thing: CUPS with the cups-pdf queue made by .ci/setup-cups.sh.

def unique_tag(prefix: str = "99") -> str:
    """A tag number no other run has printed (the cups-pdf folder is shared by every run on this machine)."""
    return f"{prefix}{uuid.uuid4().int % 10**10:010d}"


def wait_for_pdf(tag: str, job: str, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(CUPS_PDF_OUT.glob(f"{tag}*.pdf"))
        if found and found[0].stat().st_size > 0 and job_state(job) == "completed":
            return found[0]
        time.sleep(0.2)
    jobs = subprocess.run(["lpstat", "-W", "all", "-o"], capture_output=True, text=True).stdout
    raise AssertionError(f"no PDF for {tag} (job {job}, {job_state(job)}) in {CUPS_PDF_OUT}; jobs:\n{jobs}")


def test_a_label_printed_through_the_real_cups_queue_decodes_back(cups, tmp_path, full_label):
    tag = unique_tag("99")  # the leading-99 case, through a real printer
    label = LabelData(**{**full_label.__dict__, "tag_number": tag})
    job = printer_from_config({"backend": "cups", "queue": cups, **BROTHER}).print_label(label)
    assert re.fullmatch(rf"{cups}-\d+", job)
    pdf = wait_for_pdf(tag, job)
    assert decode_printed(pdf, tmp_path) == [tag]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width - 62 * 72 / 25.4) < 1.5 and abs(height - 29 * 72 / 25.4) < 1.5  # 62 x 29 mm


def pending_jobs(queue: str) -> list[str]:
    listing = subprocess.run(["lpstat", "-o", queue], capture_output=True, text=True).stdout
    return [line.split()[0] for line in listing.splitlines() if line.strip()]


def test_a_paused_queue_is_reported_and_a_held_job_prints_when_it_is_enabled(cups, tmp_path, full_label):
    refuse = printer_from_config({"backend": "cups", "queue": cups, **BROTHER})
    hold = printer_from_config({"backend": "cups", "queue": cups, "when_paused": "hold", **BROTHER})
    tag = unique_tag("W")
    label = LabelData(**{**full_label.__dict__, "tag_number": tag})
    subprocess.run(["cupsdisable", "-r", "label test: out of labels", cups], check=True)
    try:
        status = queue_status(cups)
        assert (status.exists, status.enabled, status.accepting, status.state) == (True, False, True, "disabled")
        assert "out of labels" in status.reason and refuse.status() == "disabled"
        before = pending_jobs(cups)
        with pytest.raises(PrintError, match="paused") as error:
            refuse.print_label(label)
        assert error.value.reason == "disabled" and "cupsenable" in str(error.value)
        assert pending_jobs(cups) == before  # refused means nothing was sent
        job = hold.print_label(label)  # a paused CUPS queue still takes the job and keeps it
        assert job_state(job) == "pending" and job in pending_jobs(cups)
        time.sleep(1)
        assert job_state(job) == "pending" and not list(CUPS_PDF_OUT.glob(f"{tag}*.pdf"))
    finally:
        subprocess.run(["cupsenable", cups], check=True)
    assert queue_status(cups).state == "enabled"
    assert decode_printed(wait_for_pdf(tag, job), tmp_path) == [tag]
