"""Printing the job card: the PDF's text and barcode (read by a real decoder), the label, CUPS, bad input."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from kiosk import jobcard_print, jobs
from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.store.models import AuditEvent, JobCard, JobLine

from .desk import customer_with_vehicle, events, open_card
from .labels.conftest import CUPS_PDF_OUT, CUPS_QUEUE, cups, read_barcodes

pytestmark = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
                                reason="poppler-utils (pdftotext, pdftoppm) is not installed")


@pytest.fixture(autouse=True)
def documents(tmp_path, monkeypatch):
    """The kiosk's own files (data_dir) in the test's folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "kiosk" / "job-cards"


def three_line_card(staff) -> int:
    advisor, technician = staff["advisor"], staff["technician"]
    job_id = open_card(advisor, technician.employee_id, payers=("customer", "warranty", "internal"),
                       customer_vehicle=customer_with_vehicle(advisor, name="张伟", plate="粤B 6C2J8"))
    return job_id


def text_of(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def barcodes_of(pdf, tmp_path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    return read_barcodes(Image.open(tmp_path / "page.png"))


def test_the_pdf_says_everything_and_its_barcode_opens_the_card_on_my_jobs(staff, settings, tmp_path, documents):
    job_id = three_line_card(staff)
    number = jobs.job_number(job_id)
    path = jobcard_print.job_card_pdf(staff["advisor"], job_id, settings)
    assert path == documents / f"{number}.pdf"
    text = text_of(path)
    for expected in ("Test Motors", f"Job card {number}", "张伟", "粤B 6C2J8", "Lavida 朗逸", "42000 km",
                     "刹车时有异响", "Noise when braking", "customer", "warranty", "internal", "BR1001",
                     staff["technician"].name, "Page 1 of 1"):
        assert expected in text, expected
    vin = JobCard.get_by_id(job_id).vehicle.vin
    assert vin in text
    assert text.count("刹车异响 Brake noise") == 3
    scanned = barcodes_of(path, tmp_path)
    assert scanned == [number]
    assert jobs.parse_job_number(scanned[0]) == job_id  # exactly what the My jobs screen accepts
    [event] = events("job.print")
    assert (event.subject, event.subject_id, event.employee_id) == ("job_card", job_id, staff["advisor"].employee_id)


def test_a_technician_prints_by_scanned_number_and_each_print_is_an_event(staff, settings, tmp_path):
    job_id = three_line_card(staff)
    jobcard_print.job_card_pdf(staff["technician"], f"ro{job_id}\x1b", settings)
    printed = jobcard_print.print_job_card(staff["technician"], jobs.job_number(job_id), settings)
    assert printed.printer == "" and "No document printer" in printed.message and str(printed.path) in printed.message
    assert [e.employee_id for e in events("job.print")] == [staff["technician"].employee_id] * 2


def test_unknown_job_garbage_and_a_role_without_the_right_are_clear_and_write_nothing(staff, settings, documents):
    with pytest.raises(NotFound, match="There is no job card RO000999"):
        jobcard_print.job_card_pdf(staff["advisor"], 999, settings)
    with pytest.raises(NotFound, match="There is no job card RO000999"):
        jobcard_print.print_job_card(staff["advisor"], "RO000999", settings)
    with pytest.raises(InvalidInput, match="not a job-card number"):
        jobcard_print.print_job_card(staff["advisor"], "刹车; DROP TABLE", settings)
    job_id = three_line_card(staff)
    with pytest.raises(NotAllowed, match="job.print"):
        jobcard_print.job_card_pdf(staff["parts_clerk"], job_id, settings)
    with pytest.raises(InvalidInput, match="No printer named 'nope'"):
        jobcard_print.print_job_card(staff["advisor"], job_id, settings, printer="nope")
    with pytest.raises(InvalidInput, match="a job card needs a CUPS printer"):
        jobcard_print.print_job_card(staff["advisor"], job_id, settings, printer="labels")
    assert AuditEvent.select().where(AuditEvent.action == "job.print").count() == 0
    assert not documents.exists() or not any(documents.iterdir())


def test_a_long_card_goes_on_several_pages_each_with_the_barcode(staff, settings, tmp_path):
    from labels.jobcard import JobCardLine, to_pdf
    from kiosk.reception import advisor_view

    job_id = three_line_card(staff)
    data = jobcard_print.card_data(advisor_view(job_id), settings)
    long = replace(data, complaint="异响 " * 3000, lines=tuple(
        JobCardLine(i, "前轮异响 front wheel noise " * 20, "warranty", "BR1001", "王芳") for i in range(1, 40)))
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(to_pdf(long))
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                            text=True).stdout)[1])
    assert pages > 2
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "long")], check=True)
    for image in sorted(tmp_path.glob("long*.png")):
        assert read_barcodes(Image.open(image)) == [data.number]
    assert f"Page {pages} of {pages}" in text_of(pdf) and "…" in text_of(pdf)


def test_the_card_the_customer_signs_holds_the_three_cs_prices_approval_check_delivery_and_old_parts(
        staff, settings, tmp_path):
    from kiosk import delivery, parts, quotes, warranty

    from .conftest import add_employee
    from .factories import make_part

    advisor, tech = staff["advisor"], staff["technician"]
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=5)
    job_id = open_card(advisor, tech.employee_id, payers=("customer", "warranty"))
    first, second = [ln.id for ln in JobCard.get_by_id(job_id).lines.order_by(JobLine.position)]
    quotes.add_part_estimate(advisor, first, "VW000123", 2)
    quotes.add_labour_estimate(advisor, first, "1.5", "380")
    quotes.add_labour_estimate(advisor, second, "1", "380")
    in_draft = text_of(jobcard_print.job_card_pdf(advisor, job_id, settings))
    assert "State when printed: a draft: a work card, not the final document" in in_draft
    assert "The customer's approval is not recorded yet." in in_draft
    quotes.record_approval(advisor, job_id, "phone", "王小明", "called at 9")
    removed = parts.record_removed_part(tech, second, "VW000123", 1, True)
    tag = warranty.tag_part(tech, removed, settings)
    for line_id in (first, second):
        jobs.record_three_cs(tech, line_id, "Pads worn to the backing plate 刹车片磨损", "Replaced pads VW000123")
        jobs.complete_line(tech, line_id)
    jobs.complete_job(tech, job_id)
    delivery.quality_check(add_employee("technician", "Quality 质检"), job_id, True, "Road test fine 路试正常")
    delivery.deliver(advisor, job_id)
    text = text_of(jobcard_print.job_card_pdf(advisor, job_id, settings))
    for expected in ("State when printed: delivered and closed", "Cause", "Pads worn to the backing plate 刹车片磨损",
                     "Correction", "Replaced pads VW000123", "VW000123 Front brake pad set", "240.00", "570.00",
                     "380.00", "Quote approved by 王小明 by phone on", f"recorded by {advisor.name} (called at 9)",
                     "Quality check passed on", "by Quality 质检: Road test fine 路试正常", "Delivered: 20",
                     "kept for warranty", tag.tag_number, "Customer: signature",
                     "Service advisor: signature", "Warranty and internal work costs the customer nothing."):
        assert expected in text, expected
    total = next(line for line in text.splitlines() if line.strip().startswith("Total"))
    assert total.split()[-2:] == ["1190.00", "810.00"]  # the warranty line's 380.00 costs the customer nothing


def test_the_job_label_on_the_label_printer_scans_as_the_card(staff, settings, tmp_path):
    job_id = three_line_card(staff)
    written = jobcard_print.print_job_label(staff["advisor"], job_id, settings)
    assert written.endswith(".png") and written.startswith(str(tmp_path / "labels"))
    assert read_barcodes(Image.open(written)) == [jobs.job_number(job_id)]
    [event] = events("job.print")
    assert '"label": true' in event.detail and written in event.detail


def wait_for_cups_pdf(prefix: str, job: str, since: float, timeout: float = 60) -> Path:
    from labels.printing import job_state

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in CUPS_PDF_OUT.glob(f"{prefix}*.pdf") if p.stat().st_mtime >= since - 1]
        if found and found[0].stat().st_size > 0 and job_state(job) == "completed":
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no PDF for {prefix} (job {job}, {job_state(job)}) in {CUPS_PDF_OUT}")


@pytest.mark.usefixtures(cups.__name__)  # the real kiosk-pdf queue; skipped where CUPS is not running
def test_a_job_card_printed_through_the_real_cups_queue_scans_back(floor_staff, settings, tmp_path):
    settings = replace(settings, printers={**settings.printers,
                                           "office": {"backend": "cups", "queue": CUPS_QUEUE, "media": "A4"}})
    job_id = three_line_card(floor_staff)
    number = jobs.job_number(job_id)
    since = time.time()
    printed = jobcard_print.print_job_card(floor_staff["advisor"], job_id, settings)
    assert printed.printer == "office" and printed.reference.startswith(f"{CUPS_QUEUE}-")
    assert printed.message == f"Job card {number} sent to office ({printed.reference})."
    pdf = wait_for_cups_pdf(f"{number}-", printed.reference, since)
    assert barcodes_of(pdf, tmp_path) == [number]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595 x 842 pts (A4)" in info
    [event] = events("job.print")
    assert printed.reference in event.detail and "office" in event.detail
