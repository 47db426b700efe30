"""Tagging warranty parts: rules at tagging time, tag numbers from the database, the label print queue."""

import dataclasses
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk import labelqueue, parts, warranty
from kiosk.config import Settings
from kiosk.errors import Conflict, InvalidInput, NotAllowed, SignInRefused
from kiosk.store.models import AuditEvent, JobLine, PrintJob, TagEvent, WarrantyTag

from .conftest import DEMO_PIN
from .factories import make_job_card, make_part
from .labels.conftest import decode_printed
from .ui import badge_of


@pytest.fixture
def bench(store_url, staff, tmp_path):
    tech = staff["technician"]
    job = make_job_card(tech.employee_id, payers=("warranty", "customer"))
    warranty_line, customer_line = list(job.lines.order_by(JobLine.position))
    make_part("VW000123", "Water pump 水泵", manufacturer="VW")
    make_part("VW000777", "Front brake pad set 前刹车片", wear_part=True)
    make_part("VW000999", "Driver airbag module 驾驶员安全气囊", safety_part=True, hazardous=True)
    settings = Settings(terminal="bay-1", default_printer="labels",
                        printers={"labels": {"backend": "folder", "path": str(tmp_path / "labels"),
                                             "stock": "brother-62x29", "dpi": 300}})
    removed = {number: parts.record_removed_part(tech, warranty_line.id, number, 1, number == "VW000123")
               for number in ("VW000123", "VW000777", "VW000999")}
    return {"job": job, "line": warranty_line, "customer_line": customer_line, "removed": removed,
            "settings": settings, "labels": tmp_path / "labels", **staff}


def test_a_tag_gets_a_database_number_its_event_and_a_queued_label(bench):
    tech = bench["technician"]
    tag = warranty.tag_part(tech, bench["removed"]["VW000123"], bench["settings"])
    stored = WarrantyTag.get_by_id(tag.id)
    assert stored.tag_number == f"W{tag.id:07d}" and stored.status == "tagged"
    assert (stored.vin, stored.mileage, stored.causal, stored.labour_operation) == (
        bench["job"].vehicle.vin, 42000, True, "BR1001")
    assert [e.status for e in TagEvent.select().where(TagEvent.tag == tag.id)] == ["tagged"]
    assert PrintJob.get(PrintJob.tag == tag.id).status == "queued"
    results = labelqueue.process(bench["settings"])
    assert results == [(stored.tag_number, True, results[0][2])]
    png = sorted(bench["labels"].glob("*.png"))[0]
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png).convert("L"))] == [stored.tag_number]


def test_tagging_twice_more_than_removed_or_a_customer_line_is_refused(bench):
    tech = bench["technician"]
    warranty.tag_part(tech, bench["removed"]["VW000123"], bench["settings"])
    with pytest.raises(Conflict, match="already tagged"):
        warranty.tag_part(tech, bench["removed"]["VW000123"], bench["settings"])
    with pytest.raises(InvalidInput, match="1 of VW000999 came off; cannot tag 2"):
        warranty.tag_part(tech, bench["removed"]["VW000999"], bench["settings"], quantity=2)
    kept = parts.record_removed_part(tech, bench["customer_line"].id, "VW000123", 1, False, "customer_keeps")
    with pytest.raises(InvalidInput, match="only warranty parts are tagged"):
        warranty.tag_part(tech, kept, bench["settings"])
    assert WarrantyTag.select().count() == 1


def test_a_wear_part_needs_an_advisors_signed_override_with_a_reason(bench):
    tech, settings = bench["technician"], bench["settings"]
    check = warranty.check(bench["removed"]["VW000777"])
    assert check.needs_override and "wear part" in check.warnings[0]
    with pytest.raises(NotAllowed, match="advisor must sign an override"):
        warranty.tag_part(tech, bench["removed"]["VW000777"], settings)
    with pytest.raises(NotAllowed, match="may not approve"):
        warranty.advisor_signature(badge_of(tech), DEMO_PIN, terminal="bay-1")
    with pytest.raises(SignInRefused, match="Badge or PIN not accepted"):
        warranty.advisor_signature(badge_of(bench["advisor"]), "0000", terminal="bay-1")
    advisor = warranty.advisor_signature(badge_of(bench["advisor"]), DEMO_PIN, terminal="bay-1")
    with pytest.raises(InvalidInput, match="Override reason is required"):
        warranty.tag_part(tech, bench["removed"]["VW000777"], settings, override=warranty.Override(advisor, " "))
    tag = warranty.tag_part(tech, bench["removed"]["VW000777"], settings,
                            override=warranty.Override(advisor, "pads cracked at 3,000 km: material defect"))
    stored = WarrantyTag.get_by_id(tag.id)
    assert stored.override_by_id == advisor.employee_id and "material defect" in stored.override_reason
    assert AuditEvent.select().where(AuditEvent.action == "auth.override_signature").count() == 1


def test_exclusions_need_an_override_and_safety_parts_need_approval(bench):
    tech, settings = bench["technician"], bench["settings"]
    with pytest.raises(NotAllowed):
        warranty.tag_part(tech, bench["removed"]["VW000123"], settings, exclusions=("external",))
    tag = warranty.tag_part(tech, bench["removed"]["VW000999"], settings)
    assert WarrantyTag.get_by_id(tag.id).approval == "needed"
    assert [t.tag_number for _, t in warranty.awaiting_approval()] == [tag.tag_number]
    warranty.set_approval(bench["advisor"], tag.tag_number, True, "FCA-APP-123")
    assert warranty.awaiting_approval() == []


def test_a_voided_safety_part_waits_for_no_approval(bench):
    tag = warranty.tag_part(bench["technician"], bench["removed"]["VW000999"], bench["settings"])
    warranty.void_tag(bench["advisor"], tag.tag_number, "Tagged the wrong part")
    assert warranty.awaiting_approval() == [] and warranty.waiting_for_approval().count() == 0


def test_void_keeps_the_number_used_and_reprint_keeps_the_same_number(bench):
    tech, settings = bench["technician"], bench["settings"]
    first = warranty.tag_part(tech, bench["removed"]["VW000123"], settings)
    with pytest.raises(NotAllowed):
        warranty.void_tag(tech, first.tag_number, "made by mistake")
    warranty.void_tag(bench["advisor"], first.tag_number, "made by mistake")
    second = warranty.tag_part(tech, bench["removed"]["VW000123"], settings)
    assert second.tag_number != first.tag_number and WarrantyTag.get_by_id(first.id).status == "void"
    labelqueue.reprint(tech, second.tag_number, settings)
    assert PrintJob.select().where(PrintJob.tag == second.id).count() == 2
    assert "label reprinted" in TagEvent.select().where(TagEvent.tag == second.id).order_by(
        TagEvent.id.desc()).first().note
    with pytest.raises(InvalidInput, match="void"):
        labelqueue.reprint(tech, first.tag_number, settings)


def test_a_major_fault_is_raised_from_the_job(bench):
    fault = warranty.raise_major_fault(bench["technician"], bench["job"].id, "Engine seized at 80 km/h 发动机抱死")
    assert fault and AuditEvent.get(AuditEvent.action == "major_fault.raise").subject_id == fault
    with pytest.raises(InvalidInput, match="Description is required"):
        warranty.raise_major_fault(bench["technician"], bench["job"].id, "")


def test_a_missing_printer_keeps_the_label_queued_with_its_error(bench):
    settings = dataclasses.replace(bench["settings"], printers={
        "labels": {"backend": "cups", "queue": "no-such-queue-here", "stock": "brother-62x29", "dpi": 300}})
    tag = warranty.tag_part(bench["technician"], bench["removed"]["VW000123"], settings)
    (number, printed, message), = labelqueue.process(settings)
    assert not printed and "no-such-queue-here" in message
    job = PrintJob.get(PrintJob.tag == tag.id)
    assert job.status == "failed" and job.attempts == 1 and "no-such-queue-here" in job.last_error
    assert [r.tag_number for _, r in labelqueue.waiting_jobs()] == [tag.tag_number]


CUPS_OUT = Path("/var/spool/cups-pdf/kiosk")


def cups_ready() -> bool:
    if not shutil.which("lpstat"):
        return False
    out = subprocess.run(["lpstat", "-p", "kiosk-pdf"], capture_output=True, text=True)
    return out.returncode == 0


def needs_cups(test):
    """The real kiosk-pdf queue (marked `cups`: one xdist worker runs them all, as one of them pauses the queue)."""
    skip = pytest.mark.skipif(not cups_ready(), reason="needs CUPS with the kiosk-pdf queue (.ci/setup-cups.sh)")
    return pytest.mark.cups(skip(test))


def unique_prefix(start: str) -> str:
    """A tag prefix no other run has printed with, so the PDF found in the shared cups-pdf folder is this test's."""
    return f"{start}{uuid.uuid4().int % 10**6:06d}"


def wait_for_pdf(tag_number: str, timeout: float = 30) -> Path:
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = sorted(CUPS_OUT.glob(f"{tag_number}*.pdf"))
        if found and found[0].stat().st_size > 0:
            time.sleep(0.3)
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no PDF for {tag_number} in {CUPS_OUT}")


@needs_cups
def test_a_label_printed_through_a_real_cups_queue_decodes_back(bench, tmp_path):
    settings = dataclasses.replace(bench["settings"], tag_prefix=unique_prefix("99"), printers={
        "labels": {"backend": "cups", "queue": "kiosk-pdf", "stock": "brother-62x29", "dpi": 300}})
    tag = warranty.tag_part(bench["technician"], bench["removed"]["VW000123"], settings)
    assert tag.tag_number.startswith("99")  # the leading-99 case, through a real printer
    (_, printed, message), = labelqueue.process(settings)
    assert printed, message
    assert decode_printed(wait_for_pdf(tag.tag_number), tmp_path) == [tag.tag_number]


@needs_cups
def test_a_paused_printer_keeps_the_label_queued_until_it_is_enabled(bench, tmp_path):
    settings = dataclasses.replace(bench["settings"], tag_prefix=unique_prefix("W"), printers={
        "labels": {"backend": "cups", "queue": "kiosk-pdf", "stock": "brother-62x29", "dpi": 300}})
    subprocess.run(["cupsdisable", "kiosk-pdf"], check=True)
    try:
        tag = warranty.tag_part(bench["technician"], bench["removed"]["VW000123"], settings)
        (_, printed, message), = labelqueue.process(settings)
        assert not printed and "paused" in message
        waiting = [r for _, r in labelqueue.waiting_jobs()]
        assert [(r.tag_number, r.status) for r in waiting] == [(tag.tag_number, "failed")]
        assert "paused" in waiting[0].last_error
    finally:
        subprocess.run(["cupsenable", "kiosk-pdf"], check=True)
    assert labelqueue.process(settings) == []  # a failed label waits before its next try...
    (_, printed, message), = labelqueue.process(settings, failed_now=True)  # ...unless a person retries it
    assert printed, message
    assert labelqueue.waiting_jobs() == []
    assert decode_printed(wait_for_pdf(tag.tag_number), tmp_path) == [tag.tag_number]
