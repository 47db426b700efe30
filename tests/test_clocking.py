"""Clocking on and off: one running clock per technician (even from two terminals at once), hours kept."""

import datetime as dt
import multiprocessing

import peewee
import pytest

from kiosk import clocking
from kiosk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kiosk.store import db
from kiosk.store.models import AuditEvent, ClockEntry, JobCard, JobLine, now

from .conftest import add_employee
from .factories import make_job_card


@pytest.fixture
def bay(store_url, staff):
    tech = staff["technician"]
    job = make_job_card(tech.employee_id, payers=("warranty", "customer"))
    return {"job": job, "lines": list(job.lines.order_by(JobLine.position)), **staff}


def backdate(minutes: int) -> None:
    """Pretend the running clocks started some minutes ago."""
    ClockEntry.update(started_at=now() - dt.timedelta(minutes=minutes)).where(
        ClockEntry.stopped_at.is_null()).execute()


def test_clocking_on_another_line_stops_the_first_and_keeps_the_seconds(bay):
    tech, first, second = bay["technician"], bay["lines"][0], bay["lines"][1]
    clock = clocking.clock_on(tech, first.id)
    assert (clock.line_id, clock.job_id, clock.position) == (first.id, bay["job"].id, 1)
    assert JobCard.get_by_id(bay["job"].id).status == "in_progress"
    with pytest.raises(Conflict, match="already running on RO"):
        clocking.clock_on(tech, first.id)
    backdate(30)
    clocking.clock_on(tech, second.id)
    running = clocking.running_clock(tech.employee_id)
    assert running.line_id == second.id and running.label().startswith(f"on RO{bay['job'].id:06d} line 2 for 0:0")
    assert ClockEntry.select().where(ClockEntry.stopped_at.is_null()).count() == 1
    assert 1790 <= JobLine.get_by_id(first.id).seconds_worked <= 1810
    backdate(5)
    assert 290 <= clocking.clock_off(tech) <= 310
    assert clocking.running_clock(tech.employee_id) is None
    assert [e.action for e in AuditEvent.select().order_by(AuditEvent.id)] == ["clock.on_off"] * 3
    assert clocking.check_clocks() == []
    assert clocking.worked_seconds(second.id) == JobLine.get_by_id(second.id).seconds_worked


def test_clocking_off_with_no_clock_running_is_refused(bay):
    with pytest.raises(InvalidInput, match="not running"):
        clocking.clock_off(bay["technician"])
    assert AuditEvent.select().count() == 0


def test_only_technicians_clock_and_only_on_their_own_open_lines(bay):
    tech, line = bay["technician"], bay["lines"][0]
    with pytest.raises(NotAllowed, match="may not do this \\(clock.on_off\\)"):
        clocking.clock_on(bay["advisor"], line.id)
    with pytest.raises(NotAllowed, match="assigned to someone else"):
        clocking.clock_on(add_employee("technician"), line.id)
    with pytest.raises(NotFound):
        clocking.clock_on(tech, 999999)
    JobLine.update(status="done").where(JobLine.id == line.id).execute()
    with pytest.raises(NotAllowed, match="is done"):
        clocking.clock_on(tech, line.id)
    assert ClockEntry.select().count() == 0 and AuditEvent.select().count() == 0


def test_the_database_refuses_a_second_open_clock(bay):
    tech = bay["technician"]
    clocking.clock_on(tech, bay["lines"][0].id)
    with pytest.raises(peewee.IntegrityError):
        with db.atomic():
            ClockEntry.create(technician=tech.employee_id, job_line=bay["lines"][1].id)
    # Stopped entries do not count: a technician has many of those.
    clocking.clock_off(tech)
    clocking.clock_on(tech, bay["lines"][1].id)
    clocking.clock_off(tech)
    assert ClockEntry.select().count() == 2


def test_an_advisor_closes_a_forgotten_clock_at_the_real_stop_time(bay):
    tech, advisor = bay["technician"], bay["advisor"]
    clocking.clock_on(tech, bay["lines"][0].id)
    backdate(9 * 60)
    with pytest.raises(NotAllowed):
        clocking.close_forgotten_clock(tech, tech.employee_id, now())
    with pytest.raises(InvalidInput, match="stop time"):
        clocking.close_forgotten_clock(advisor, tech.employee_id, now() + dt.timedelta(hours=1))
    with pytest.raises(InvalidInput, match="stop time"):
        clocking.close_forgotten_clock(advisor, tech.employee_id, now() - dt.timedelta(hours=10))
    with pytest.raises(NotFound):
        clocking.close_forgotten_clock(advisor, 999999, now())
    seconds = clocking.close_forgotten_clock(advisor, tech.employee_id, now() - dt.timedelta(hours=8))
    assert 3590 <= seconds <= 3610 and clocking.running_clock(tech.employee_id) is None
    entry = ClockEntry.get()
    assert entry.stopped_by_id == advisor.employee_id
    event = AuditEvent.select().where(AuditEvent.action == "clock.close_forgotten").get()
    assert event.employee_id == advisor.employee_id and f'"technician": {tech.employee_id}' in event.detail
    with pytest.raises(InvalidInput, match="not running"):
        clocking.close_forgotten_clock(advisor, tech.employee_id, now())
    assert clocking.check_clocks(bay["job"].id) == []


def test_check_clocks_finds_kept_seconds_that_disagree_with_the_entries(bay):
    tech = bay["technician"]
    clocking.clock_on(tech, bay["lines"][0].id)
    backdate(10)
    clocking.clock_off(tech)
    JobLine.update(seconds_worked=JobLine.seconds_worked + 60).where(JobLine.id == bay["lines"][0].id).execute()
    [wrong] = clocking.check_clocks()
    assert f"RO{bay['job'].id:06d} line 1" in wrong


ROUNDS = 15


def terminal(url: str, employee_id: int, line_ids: list[int], start, results) -> None:
    """One terminal clocking the same technician on and off, alternating lines, as fast as it can."""
    from kiosk import clocking
    from kiosk.audit import Actor
    from kiosk.errors import Conflict, InvalidInput
    from kiosk.store import open_database

    open_database(url)
    actor = Actor(employee_id, "tech", "technician", f"bay-{line_ids[0]}")
    start.wait()  # all terminals go at once
    outcomes = {"on": 0, "off": 0, "conflict": 0, "not running": 0}
    for i in range(ROUNDS):
        try:
            clocking.clock_on(actor, line_ids[i % 2])
            outcomes["on"] += 1
        except Conflict:
            outcomes["conflict"] += 1
        try:
            clocking.clock_off(actor)
            outcomes["off"] += 1
        except (Conflict, InvalidInput):
            outcomes["not running"] += 1
    results.put(outcomes)


def test_two_terminals_clocking_the_same_technician_at_once_never_leave_two_clocks(bay, store_url):
    """Clock on and off from several processes at once: every clock-on either succeeds or is refused with
    a clear Conflict (never a database error), and at no point are two clocks open for one technician."""
    tech = bay["technician"]
    other = make_job_card(tech.employee_id, payers=("customer", "customer"))
    line_sets = [[ln.id for ln in bay["lines"]], [ln.id for ln in other.lines.order_by(JobLine.position)]]
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(len(line_sets) * 2), context.Queue()
    workers = [context.Process(target=terminal, args=(store_url, tech.employee_id, line_ids, start, results))
               for line_ids in line_sets * 2]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
        assert w.exitcode == 0
    assert sum(o["on"] for o in outcomes) >= 1
    assert ClockEntry.select().where(ClockEntry.stopped_at.is_null()).count() <= 1
    stopped = ClockEntry.select().where(ClockEntry.stopped_at.is_null(False)).count()
    assert stopped + ClockEntry.select().where(ClockEntry.stopped_at.is_null()).count() == sum(
        o["on"] for o in outcomes)
    assert clocking.check_clocks() == []

