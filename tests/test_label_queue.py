"""The label print queue: two terminals never print a label twice, a terminal killed mid-print leaves its label
to be retried, and labels that keep failing back off, are parked, and never hold up a working printer."""

import dataclasses
import datetime as dt
import json
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from kiosk import labelqueue, parts, warranty
from kiosk.config import Settings
from kiosk.errors import InvalidInput
from kiosk.store.models import AuditEvent, JobLine, PrintJob, now

from .factories import make_job_card, make_part
from .test_warranty import CUPS_OUT, needs_cups

ROOT = Path(__file__).resolve().parents[1]


def folder_printer(path: Path) -> dict:
    return {"backend": "folder", "path": str(path), "stock": "brother-62x29", "dpi": 300, "formats": ["png"]}


@pytest.fixture
def shop(store_url, staff, tmp_path):
    settings = Settings(terminal="bay-1", default_printer="labels", label_claim_seconds=60,
                        printers={"labels": folder_printer(tmp_path / "labels")})
    return {"url": store_url, "settings": settings, "tmp": tmp_path, **staff}


def tag_parts(shop, count: int, settings: Settings | None = None) -> list[str]:
    """A technician tags `count` removed parts; each tag's label goes into the queue."""
    tech = shop["technician"]
    job = make_job_card(tech.employee_id)
    line = job.lines.order_by(JobLine.position).first()
    numbers = []
    for i in range(count):
        part_number = f"VW{random.randrange(10**8):08d}"
        make_part(part_number, f"Water pump {i} 水泵")
        removed = parts.record_removed_part(tech, line.id, part_number, 1, i == 0)
        numbers.append(warranty.tag_part(tech, removed, settings or shop["settings"]).tag_number)
    return numbers


def run_terminals(shop, settings: Settings, count: int = 2) -> list[list[str]]:
    """`count` terminals (real processes) run the same queue, starting at the same moment."""
    start_at = time.time() + 1.5
    fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
    workers = [subprocess.Popen([sys.executable, "-m", "tests.queue_worker", shop["url"], json.dumps(fields),
                                 str(start_at)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(count)]
    outputs = []
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    return outputs


def test_two_terminals_running_the_queue_at_once_print_each_label_exactly_once(shop):
    numbers = tag_parts(shop, 12)
    first, second = run_terminals(shop, shop["settings"])
    assert sorted(first + second) == sorted(numbers)  # each label sent by one terminal only
    written = Counter(png.name.split("-")[0] for png in (shop["tmp"] / "labels").glob("*.png"))
    assert written == Counter({number: 1 for number in numbers})
    assert {job.status for job in PrintJob.select()} == {"printed"}


def wait_for_cups_jobs(numbers: list[str], timeout: float = 60) -> Counter:
    """The PDFs cups-pdf wrote for these tags, once CUPS has no job left for the queue."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        pending = subprocess.run(["lpstat", "-o", "kiosk-pdf"], capture_output=True, text=True).stdout.strip()
        found = Counter(pdf.name.split("-job_")[0] for pdf in CUPS_OUT.glob("*.pdf"))
        if not pending and all(found[n] for n in numbers):
            time.sleep(1.0)  # a duplicate would still be on its way
            return Counter(pdf.name.split("-job_")[0] for pdf in CUPS_OUT.glob("*.pdf"))
        time.sleep(0.3)
    raise AssertionError(f"CUPS did not print {numbers} within {timeout} s")


@needs_cups
def test_two_terminals_printing_to_a_real_cups_queue_print_each_label_once(shop):
    # Tag numbers of their own, so PDFs from earlier runs in the cups-pdf folder are not counted.
    settings = dataclasses.replace(shop["settings"], tag_prefix=f"Q{random.randrange(10**6):06d}", printers={
        "labels": {"backend": "cups", "queue": "kiosk-pdf", "stock": "brother-62x29", "dpi": 300}})
    numbers = tag_parts(shop, 6, settings)
    first, second = run_terminals(shop, settings)
    assert sorted(first + second) == sorted(numbers)
    found = wait_for_cups_jobs(numbers)
    assert {n: found[n] for n in numbers} == {n: 1 for n in numbers}


def test_a_terminal_killed_after_claiming_a_label_leaves_it_to_be_retried(shop):
    number, = tag_parts(shop, 1)
    settings = shop["settings"]
    fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
    killed = subprocess.run([sys.executable, "-m", "tests.queue_worker", shop["url"], json.dumps(fields), "0",
                             "--claim-and-die"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert killed.returncode == -9 and killed.stdout.strip() == number
    job = PrintJob.get()
    assert job.status == "printing" and "bay-1" in job.claimed_by
    assert labelqueue.process(settings) == []  # its claim is fresh: nobody else sends it yet
    later = now() + dt.timedelta(seconds=settings.label_claim_seconds)
    (tag, printed, _), = labelqueue.process(settings, at=later)  # the claim ran out: another terminal prints it
    assert (tag, printed) == (number, True)
    assert len(list((shop["tmp"] / "labels").glob("*.png"))) == 1
    assert PrintJob.get().status == "printed"


def broken_printer(shop) -> dict:
    """A folder printer whose folder is a file: every label fails, quickly, with a clear error."""
    blocker = shop["tmp"] / "not-a-folder"
    blocker.write_text("")
    return folder_printer(blocker)


def test_a_failing_label_waits_longer_each_time_then_is_parked_with_its_error(shop):
    settings = dataclasses.replace(shop["settings"], printers={"labels": broken_printer(shop)},
                                   label_tries=4, label_retry_seconds=30)
    number, = tag_parts(shop, 1, settings)
    at, waits = now(), []
    for attempt in range(1, 4):
        (tag, printed, message), = labelqueue.process(settings, at=at)
        assert (tag, printed) == (number, False) and "Cannot write the label" in message
        job = PrintJob.get()
        assert (job.status, job.attempts) == ("failed", attempt)
        waits.append((job.next_try_at - at).total_seconds())
        assert labelqueue.process(settings, at=job.next_try_at - dt.timedelta(seconds=1)) == []  # not due yet
        at = job.next_try_at
    assert waits == [30, 60, 120]
    (_, printed, message), = labelqueue.process(settings, at=at)
    assert not printed and "parked" in message and "Cannot write the label" in message
    job = PrintJob.get()
    assert (job.status, job.attempts, job.next_try_at) == ("parked", 4, None)
    assert "Cannot write the label" in job.last_error
    assert labelqueue.process(settings, at=at + dt.timedelta(days=1)) == []  # parked: only a person retries it
    assert [(r.tag_number, r.status) for _, r in labelqueue.waiting_jobs()] == [(number, "parked")]


def test_a_parked_label_is_retried_by_a_person_with_an_audit_event(shop):
    broken = dataclasses.replace(shop["settings"], printers={"labels": broken_printer(shop)}, label_tries=1)
    number, = tag_parts(shop, 1, broken)
    labelqueue.process(broken)
    job = PrintJob.get()
    assert job.status == "parked"
    assert labelqueue.retry_parked(shop["parts_clerk"], job.id) == number
    event = AuditEvent.get(AuditEvent.action == "label.retry")
    assert event.subject_id == job.id and "parked" in event.detail and "Cannot write" in event.detail
    (tag, printed, _), = labelqueue.process(shop["settings"])  # the printer works again
    assert (tag, printed) == (number, True)
    with pytest.raises(InvalidInput, match="not parked"):
        labelqueue.retry_parked(shop["parts_clerk"], job.id)


def test_a_label_for_a_working_printer_is_never_starved_behind_twenty_failing_ones(shop):
    settings = dataclasses.replace(shop["settings"], default_printer="broken", printers={
        "broken": broken_printer(shop), "labels": folder_printer(shop["tmp"] / "labels")})
    failing = tag_parts(shop, 20, settings)  # queued first, for a printer that is off
    good, = tag_parts(shop, 1, dataclasses.replace(settings, default_printer="labels"))
    at = now()
    for run in range(3):
        if run:
            labelqueue.reprint(shop["technician"], good, settings, "labels")  # one more for the working printer
        results = labelqueue.process(settings, at=at + dt.timedelta(seconds=run))
        assert [tag for tag, ok, _ in results if ok] == [good]
        # A printer that failed is not tried again in the same run: one try, not twenty, each time.
        assert len([tag for tag, ok, _ in results if not ok]) == 1
    assert {r.tag_number for _, r in labelqueue.waiting_jobs()} == set(failing)
    assert len(list((shop["tmp"] / "labels").glob("*.png"))) == 3


async def test_a_parked_label_shows_on_the_labels_screen_and_f4_prints_it(floor_staff, settings, tmp_path):
    from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in

    shop = {"technician": floor_staff["technician"], "settings": settings}
    blocker = tmp_path / "printer-off"
    blocker.write_text("")
    broken = dataclasses.replace(settings, label_tries=1, printers={"labels": folder_printer(blocker)})
    number, = tag_parts(shop, 1, broken)
    labelqueue.process(broken)
    app = kiosk_app(settings)  # the printer works again
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["technician"]))
        await pilot.press("f7")
        await settle(pilot)
        text = screen_text(app)
        assert number in text and "parked" in text and "Retry parked" in text
        await pilot.press("f4")
        await settle(pilot)
        assert f"Label {number} queued again" in screen_text(app)
        for _ in range(100):
            if PrintJob.get().status == "printed":
                break
            await pilot.pause(0.05)
    assert PrintJob.get().status == "printed"
    assert len(list((tmp_path / "labels").glob("*.png"))) == 1
    assert AuditEvent.get(AuditEvent.action == "label.retry").employee_id == floor_staff["technician"].employee_id
