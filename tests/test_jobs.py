"""Job cards at the floor: numbers, my jobs, the job card view, the three Cs, completing lines and cards."""

import datetime as dt

import pytest

from kiosk import audit, clocking, jobs, parts
from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.store.models import AuditEvent, ClockEntry, JobCard, JobLine, WarrantyTag, now

from .conftest import add_employee
from .factories import make_job_card, make_part


@pytest.fixture
def bay(store_url, staff):
    """An approved card with a warranty line and a customer line for the technician, and two parts."""
    tech = staff["technician"]
    job = make_job_card(tech.employee_id, payers=("warranty", "customer"))
    make_part("VW000123", on_hand=5)
    make_part("9912345678", "Oil filter 机油滤清器", on_hand=3)
    return {"job": job, "lines": list(job.lines.order_by(JobLine.position)), **staff}


def events(action: str | None = None) -> list[AuditEvent]:
    query = AuditEvent.select().order_by(AuditEvent.id)
    return list(query.where(AuditEvent.action == action) if action else query)


def status(job) -> str:
    return JobCard.get_by_id(job.id).status


def finish_lines(tech, lines) -> None:
    for line in lines:
        jobs.record_three_cs(tech, line.id, "worn", "replaced")
        jobs.complete_line(tech, line.id)


def test_job_numbers_print_and_scan_back():
    assert jobs.job_number(42) == "RO000042"
    assert jobs.job_number(1234567) == "RO1234567"
    for text in ("RO000042", "ro42", " 42\r", "000042", "RO 000 042", "\x02RO000042\x03\n"):
        assert jobs.parse_job_number(text) == 42
    for text in ("", "RO", "ROXX", "RO0", "-5", "W0000001", "刹车", "1" * 30, "RO12A", "12.5"):
        with pytest.raises(InvalidInput, match="not a job-card number"):
            jobs.parse_job_number(text)


def test_my_jobs_lists_my_workable_cards_in_due_order_a_page_at_a_time(bay):
    tech = bay["technician"]
    make_job_card(add_employee("technician").employee_id)  # someone else's
    later = make_job_card(tech.employee_id, status="in_progress")
    JobCard.update(promised_at=now() + dt.timedelta(days=2)).where(JobCard.id == later.id).execute()
    undated = make_job_card(tech.employee_id)
    JobCard.update(promised_at=None).where(JobCard.id == undated.id).execute()
    sooner = make_job_card(tech.employee_id)
    JobCard.update(promised_at=now() + dt.timedelta(hours=1)).where(JobCard.id == sooner.id).execute()
    for state in ("draft", "awaiting_approval", "work_done", "quality_checked", "delivered"):
        make_job_card(tech.employee_id, status=state)
    rows = [r for _, r in jobs.my_jobs(tech)]
    assert [r.job_id for r in rows] == [sooner.id, bay["job"].id, later.id, undated.id]
    assert rows[1].lines_open == 2 and rows[1].plate == "沪A12345" and rows[2].status == "in_progress"
    seen, after = [], None
    while page := jobs.my_jobs(tech, after=after, limit=1):
        seen += [r.job_id for _, r in page]
        after = page[-1][0]
    assert seen == [r.job_id for r in rows]


def test_job_card_view_shows_vehicle_lines_parts_net_of_returns_and_the_running_clock(bay):
    tech, (warranty, customer) = bay["technician"], bay["lines"]
    parts.issue_part(tech, warranty.id, "VW000123", 2)
    parts.issue_part(tech, warranty.id, "9912345678", 1)
    parts.return_part(tech, warranty.id, "9912345678", 1, "not needed")
    parts.return_part(tech, warranty.id, "VW000123", 1, "one set was enough")
    removed = parts.record_removed_part(tech, warranty.id, "VW000123", 1, True)
    jobs.record_three_cs(tech, customer.id, "Pads worn 刹车片磨损", "Replaced")
    clocking.clock_on(tech, customer.id)
    view = jobs.technician_view(bay["job"].id)
    job = bay["job"]
    assert (view.number, view.status, view.model, view.plate, view.vin, view.mileage_in, view.complaint) == (
        jobs.job_number(job.id), "in_progress", "Lavida 朗逸", "沪A12345", job.vehicle.vin, 42000,
        "刹车异响 noise when braking")
    first, second = view.lines
    assert (first.payer, first.labour_operation, first.technician_id, first.status) == (
        "warranty", "BR1001", tech.employee_id, "open")
    assert [(p.part_number, p.quantity) for p in first.issued] == [("VW000123", 1)]  # the filter went back
    assert [(r.id, r.part_number, r.causal, r.disposition, r.tagged) for r in first.removed] == [
        (removed, "VW000123", True, "warranty", False)]
    assert (second.complaint, second.cause, second.correction) == ("Brake noise", "Pads worn 刹车片磨损", "Replaced")
    assert [c.technician_id for c in second.clocks] == [tech.employee_id] and first.clocks == ()
    assert second.hours == 0 and second.seconds_worked == 0
    with pytest.raises(NotFound, match="no job card RO999999"):
        jobs.technician_view(999999)


def test_three_cs_are_cleaned_recorded_and_audited(bay):
    tech, line = bay["technician"], bay["lines"][0]
    jobs.record_three_cs(tech, line.id, " Pads worn to backing plate 刹车片磨损\x07", "Replaced\x1b[A front pads\n")
    stored = JobLine.get_by_id(line.id)
    assert stored.cause == "Pads worn to backing plate 刹车片磨损" and stored.correction == "Replaced[A front pads"
    [event] = events("job.record_three_cs")
    assert (event.employee_id, event.terminal, event.subject, event.subject_id) == (
        tech.employee_id, "test-terminal", "job_line", line.id)
    assert status(bay["job"]) == "approved"  # writing is not starting work


def test_three_cs_refusals_write_nothing(bay):
    tech, line = bay["technician"], bay["lines"][0]
    before = len(events())
    with pytest.raises(InvalidInput, match="Cause is too long"):
        jobs.record_three_cs(tech, line.id, "x" * 2001, "y")
    with pytest.raises(NotAllowed, match="assigned to someone else"):
        jobs.record_three_cs(add_employee("technician"), line.id, "a", "b")
    with pytest.raises(NotAllowed, match="parts clerk may not"):
        jobs.record_three_cs(bay["parts_clerk"], line.id, "a", "b")
    with pytest.raises(NotFound):
        jobs.record_three_cs(tech, 999999, "a", "b")
    assert len(events()) == before and JobLine.get_by_id(line.id).cause == ""
    jobs.record_three_cs(bay["advisor"], line.id, "Pads worn", "Replaced")  # advisors may work any line


def test_the_audit_event_is_in_the_same_transaction_as_the_change(bay, monkeypatch):
    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "write_event", broken)
    with pytest.raises(RuntimeError):
        jobs.record_three_cs(bay["technician"], bay["lines"][0].id, "worn", "replaced")
    assert JobLine.get_by_id(bay["lines"][0].id).cause == ""


def test_completing_a_line_needs_the_three_cs_and_no_running_clock(bay):
    tech, line = bay["technician"], bay["lines"][1]
    with pytest.raises(InvalidInput, match="three Cs"):
        jobs.complete_line(tech, line.id)
    jobs.record_three_cs(tech, line.id, "worn", "")
    with pytest.raises(InvalidInput, match="three Cs"):
        jobs.complete_line(tech, line.id)
    jobs.record_three_cs(tech, line.id, "worn", "replaced")
    clocking.clock_on(tech, line.id)
    with pytest.raises(NotAllowed, match="clock is still running on line 2"):
        jobs.complete_line(tech, line.id)
    clocking.clock_off(tech)
    jobs.complete_line(tech, line.id)
    assert JobLine.get_by_id(line.id).status == "done" and len(events("job.complete_line")) == 1
    for attempt in (lambda: jobs.complete_line(tech, line.id),
                    lambda: jobs.record_three_cs(tech, line.id, "a", "b"),
                    lambda: clocking.clock_on(tech, line.id),
                    lambda: parts.issue_part(tech, line.id, "VW000123", 1)):
        with pytest.raises(NotAllowed, match="is done; ask an advisor to reopen it"):
            attempt()
    # An old part found afterwards is still recorded; an untagged warranty part would block the card.
    parts.record_removed_part(tech, line.id, "VW000123", 1, False, "scrap")


def test_an_advisor_reopens_a_line_done_by_mistake(bay):
    tech, line = bay["technician"], bay["lines"][1]
    finish_lines(tech, [line])
    with pytest.raises(NotAllowed):
        jobs.reopen_line(tech, line.id, "oops")
    with pytest.raises(InvalidInput, match="Reason is required"):
        jobs.reopen_line(bay["advisor"], line.id, " ")
    jobs.reopen_line(bay["advisor"], line.id, "pads rattle still")
    assert JobLine.get_by_id(line.id).status == "open"
    with pytest.raises(InvalidInput, match="not done"):
        jobs.reopen_line(bay["advisor"], line.id, "again")
    parts.issue_part(tech, line.id, "VW000123", 1)


def test_warranty_tagging_not_done_blocks_the_line_and_the_card(bay):
    tech, warranty, customer = bay["technician"], bay["lines"][0], bay["lines"][1]
    removed = parts.record_removed_part(tech, warranty.id, "VW000123", 1, True)
    finish_lines(tech, [customer])
    jobs.record_three_cs(tech, warranty.id, "worn", "replaced")
    with pytest.raises(NotAllowed, match="Warranty tagging not done yet for part VW000123"):
        jobs.complete_line(tech, warranty.id)
    with pytest.raises(NotAllowed, match="Warranty tagging not done yet for part VW000123"):
        jobs.complete_job(tech, bay["job"].id)
    tag = WarrantyTag.create(tag_number="W7777777", removed_part=removed, job=bay["job"], job_line=warranty,
                             status="void", part_number="VW000123", vin=bay["job"].vehicle.vin,
                             technician=tech.employee_id)
    with pytest.raises(NotAllowed, match="Warranty tagging not done yet"):  # a void tag does not count
        jobs.complete_line(tech, warranty.id)
    WarrantyTag.update(status="tagged").where(WarrantyTag.id == tag.id).execute()
    jobs.complete_line(tech, warranty.id)
    jobs.complete_job(tech, bay["job"].id)
    assert status(bay["job"]) == "work_done"


def test_completing_the_card_needs_every_line_done_and_every_clock_stopped(bay):
    tech, (first, second) = bay["technician"], bay["lines"]
    finish_lines(tech, [second])
    with pytest.raises(NotAllowed, match=r"Line\(s\) 1 not done yet"):
        jobs.complete_job(tech, bay["job"].id)
    finish_lines(tech, [first])
    other = add_employee("technician")
    ClockEntry.create(technician=other.employee_id, job_line=first.id, started_at=now())  # a clock left running
    with pytest.raises(NotAllowed, match="clock is still running"):
        jobs.complete_job(tech, bay["job"].id)
    ClockEntry.update(stopped_at=now()).execute()
    with pytest.raises(NotAllowed, match="not yours to complete"):
        jobs.complete_job(other, bay["job"].id)
    before = len(events())
    jobs.complete_job(tech, bay["job"].id)
    assert status(bay["job"]) == "work_done" and len(events()) == before + 1
    [event] = events("job.complete")
    assert (event.subject, event.subject_id, event.employee_id) == ("job_card", bay["job"].id, tech.employee_id)
    with pytest.raises(NotAllowed, match="work done"):
        jobs.complete_job(tech, bay["job"].id)
    with pytest.raises(NotFound):
        jobs.complete_job(tech, 999999)


@pytest.mark.parametrize("state", ["draft", "awaiting_approval", "work_done", "quality_checked", "delivered"])
def test_nothing_changes_on_a_card_that_is_not_in_work(store_url, staff, state):
    tech, advisor = staff["technician"], staff["advisor"]
    job = make_job_card(tech.employee_id, status="approved", payers=("customer",))
    line = job.lines.get()
    make_part("VW000123", on_hand=5)
    parts.issue_part(tech, line.id, "VW000123", 2)
    JobCard.update(status=state).where(JobCard.id == job.id).execute()
    before = len(events())
    for who in (tech, advisor):
        for attempt in (lambda who=who: jobs.record_three_cs(who, line.id, "a", "b"),
                        lambda who=who: jobs.complete_line(who, line.id),
                        lambda who=who: jobs.complete_job(who, job.id),
                        lambda who=who: parts.issue_part(who, line.id, "VW000123", 1),
                        lambda who=who: parts.return_part(who, line.id, "VW000123", 1, "unused"),
                        lambda who=who: parts.record_removed_part(who, line.id, "VW000123", 1, False, "scrap")):
            with pytest.raises(NotAllowed, match=jobs.STATE_WORDS[state]):
                attempt()
    with pytest.raises(NotAllowed, match=jobs.STATE_WORDS[state]):
        clocking.clock_on(tech, line.id)
    assert len(events()) == before and status(job) == state


def test_the_first_clock_on_or_issue_starts_the_work(bay):
    tech = bay["technician"]
    parts.issue_part(tech, bay["lines"][0].id, "VW000123", 1)
    assert status(bay["job"]) == "in_progress"
    other = make_job_card(tech.employee_id)
    clocking.clock_on(tech, other.lines.get().id)
    assert status(other) == "in_progress"


def test_a_warranty_part_recorded_after_its_line_was_done_still_blocks_the_card(bay):
    tech, (warranty, customer) = bay["technician"], bay["lines"]
    finish_lines(tech, [warranty, customer])
    parts.record_removed_part(tech, warranty.id, "9912345678", 1, False)
    with pytest.raises(NotAllowed, match="Warranty tagging not done yet for part 9912345678"):
        jobs.complete_job(tech, bay["job"].id)
    assert status(bay["job"]) == "approved"
