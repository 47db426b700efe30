"""The job card's life in one table: the advisor's card offers a key exactly where its rule accepts it, and the
floor's last line done completes the card once, in the same transaction, whoever finishes first."""

import multiprocessing

import pytest

from kiosk import audit, delivery, jobcard, jobcard_print, jobs, parts, quotes, reception
from kiosk.errors import KioskError, NotAllowed
from kiosk.reception import NewLine
from kiosk.screens.advisor_card import AdvisorCardScreen
from kiosk.screens.advisor_dialogs import ApprovalDialog, CardEditDialog
from kiosk.store.models import AuditEvent, JobCard, JobLine, WarrantyTag

from .conftest import add_employee
from .desk import approved_card, customer_with_vehicle, events, finish_work, line_ids, open_card
from .factories import make_part

# A key of the advisor's card (or of its dialogs) -> the rule it calls, as (card, line) -> the call.
KEYS = {
    "add_line": lambda s, job, line: reception.add_line(s["advisor"], job, NewLine("Wipers 雨刮")),
    "estimate": lambda s, job, line: quotes.add_labour_estimate(s["advisor"], line, 1, 100),
    "approve": lambda s, job, line: quotes.record_approval(s["advisor"], job, "phone", "王小明"),
    "assign": lambda s, job, line: reception.assign_technician(s["advisor"], line, s["technician"].employee_id),
    "edit": lambda s, job, line: reception.update_job(s["advisor"], job, promised_at=None),
    "quality_check": lambda s, job, line: delivery.quality_check(s["manager"], job, True),
    "deliver": lambda s, job, line: delivery.deliver(s["advisor"], job),
    "correct": lambda s, job, line: delivery.add_correction_note(s["advisor"], job, "note 备注"),
    "print_card": lambda s, job, line: jobcard_print.print_job_card(s["advisor"], job, s["settings"]),
    "sent": lambda s, job, line: quotes.submit_for_approval(s["advisor"], job),
    "cancel_card": lambda s, job, line: delivery.cancel(s["advisor"], job, "opened by mistake"),
}
# Keys whose rule needs the work done first (the card otherwise ready for it).
AFTER_WORK = {"quality_check", "deliver"}


def offered(job_id: int, key: str) -> bool:
    """Does the advisor's card (or the dialog the key lives in) offer the key for this card, as it shows it?"""
    view = reception.advisor_view(job_id)
    if key == "sent":
        return bool(ApprovalDialog(view, view.lines[0]).check_action(key, ()))
    if key == "cancel_card":
        return bool(CardEditDialog(view).check_action(key, ()))
    screen = AdvisorCardScreen(job_id)
    screen.view = view
    return bool(screen.check_action(key, ()))


def accepted(call) -> bool:
    """Does the rule accept the call? Refused means NotAllowed; done, or another typed error (such as nothing
    waiting for the customer's approval), means the card's state let it through."""
    try:
        call()
    except NotAllowed:
        return False
    except KioskError:
        return True
    return True


@pytest.mark.parametrize("state", jobcard.JOB_STATES)
def test_the_advisor_card_offers_a_key_exactly_where_its_rule_accepts_it(staff, settings, state):
    s = {**staff, "settings": settings}
    advisor, tech = s["advisor"], s["technician"]
    desk = customer_with_vehicle(advisor)
    for key, call in KEYS.items():
        if key in AFTER_WORK:
            job_id, (line_id,) = approved_card(advisor, tech, customer_vehicle=desk, confirm_duplicate=True)
            finish_work(tech, job_id)
        else:
            job_id = open_card(advisor, tech.employee_id, customer_vehicle=desk, confirm_duplicate=True)
            (line_id,) = line_ids(job_id)
        JobCard.update(status=state).where(JobCard.id == job_id).execute()
        shown = offered(job_id, key)
        before = set(line_ids(job_id))
        attempt = lambda call=call, job_id=job_id, line_id=line_id: call(s, job_id, line_id)  # noqa: E731
        assert accepted(attempt) == shown, (state, key, shown)
        if key == "add_line" and shown:
            # The dialog says "further work" where the rule makes it so.
            (added,) = set(line_ids(job_id)) - before
            assert JobLine.get_by_id(added).further_work == jobcard.further_work(state)


def test_every_action_of_the_table_is_known_and_every_state_has_its_words():
    assert set(jobcard.ACTIONS) == set(jobcard.JOB_STATES) == set(jobcard.STATE_WORDS)
    assert set(jobcard.BOARD_WORDS) == set(jobcard.OPEN_STATES)
    assert not any(jobcard.allows(closed, "edit") for closed in jobcard.CLOSED)
    with pytest.raises(KeyError, match="unknown job card action"):
        jobcard.allows("draft", "paint")


def test_the_last_line_done_completes_the_card_in_the_same_step(staff):
    advisor, tech = staff["advisor"], staff["technician"]
    job_id, (first, second) = approved_card(advisor, tech, payers=("warranty", "customer"))
    make_part("9912345678", "Oil filter 机油滤清器", on_hand=3)
    for line_id in (first, second):
        jobs.record_three_cs(tech, line_id, "worn", "replaced")
    assert jobs.finish_line(tech, first) == jobs.LineFinished(1, False)
    assert JobCard.get_by_id(job_id).status == "approved" and not events("job.complete")
    # A warranty part recorded on the first line after it was done holds the card, not the second line.
    removed = parts.record_removed_part(tech, first, "9912345678", 1, False)
    finished = jobs.finish_line(tech, second)
    assert not finished.job_done and "Warranty tagging not done yet for part 9912345678" in finished.job_waits
    assert JobLine.get_by_id(second).status == "done" and JobCard.get_by_id(job_id).status == "approved"
    assert not events("job.complete") and len(events("job.complete_line")) == 2
    WarrantyTag.create(tag_number="W7777777", removed_part=removed, job=job_id, job_line=first, status="tagged",
                       part_number="9912345678", vin="LSVAU2180N2000001", technician=tech.employee_id)
    assert jobs.finish_line(tech, second) == jobs.LineFinished(2, True)  # F7 again, once it is tagged
    assert JobCard.get_by_id(job_id).status == "work_done"
    assert len(events("job.complete")) == 1 and len(events("job.complete_line")) == 2
    with pytest.raises(NotAllowed, match="work done"):
        jobs.finish_line(tech, second)


def test_the_line_and_the_card_are_done_in_one_transaction(staff, monkeypatch):
    tech = staff["technician"]
    job_id, (line_id,) = approved_card(staff["advisor"], tech)
    jobs.record_three_cs(tech, line_id, "worn", "replaced")
    write_event = audit.write_event

    def disk_full_at_the_card(employee_id, terminal, client, record):
        if record.action == "job.complete":
            raise RuntimeError("disk full")
        write_event(employee_id, terminal, client, record)

    monkeypatch.setattr(audit, "write_event", disk_full_at_the_card)
    with pytest.raises(RuntimeError):
        jobs.finish_line(tech, line_id)
    # Nothing half-done: the line is not left done with its card still in work.
    assert JobLine.get_by_id(line_id).status == "open" and JobCard.get_by_id(job_id).status == "approved"
    assert not events("job.complete_line")


def test_further_work_the_customer_declined_does_not_hold_the_card(staff):
    advisor, tech = staff["advisor"], staff["technician"]
    job_id, (line_id,) = approved_card(advisor, tech)
    quotes.decline_line(advisor, quotes.add_further_work(tech, job_id, "Found a leak 漏油"), "not now")
    jobs.record_three_cs(tech, line_id, "worn", "replaced")
    assert jobs.finish_line(tech, line_id).job_done
    assert JobCard.get_by_id(job_id).status == "work_done"


ROUNDS = 8


def terminal(url: str, employee_id: int, name: str, lines: list[int], start, results) -> None:
    """One technician at their own floor terminal: marks their line of each card done, at the same moment as
    the other technician marks theirs."""
    from kiosk import jobs
    from kiosk.audit import Actor
    from kiosk.store import open_database

    open_database(url)
    actor = Actor(employee_id, name, "technician", f"bay-{employee_id}")
    outcomes, errors = [], []
    for line_id in lines:
        start.wait()
        try:
            outcomes.append(jobs.finish_line(actor, line_id).job_done)
        except Exception as exc:  # noqa: BLE001 - every error is the test's finding
            errors.append(f"{type(exc).__name__}: {exc}")
    results.put((employee_id, outcomes, errors))


def test_two_terminals_finishing_the_last_two_lines_at_once_complete_the_card_once(store_url, staff):
    advisor, first_tech = staff["advisor"], staff["technician"]
    second_tech = add_employee("technician", "李师傅")
    desk = customer_with_vehicle(advisor)
    cards, mine = [], {first_tech.employee_id: [], second_tech.employee_id: []}
    for _ in range(ROUNDS):
        job_id, (a, b) = approved_card(advisor, first_tech, payers=("customer", "customer"), customer_vehicle=desk,
                                       confirm_duplicate=True)
        reception.assign_technician(advisor, b, second_tech.employee_id)
        jobs.record_three_cs(first_tech, a, "worn", "replaced")
        jobs.record_three_cs(second_tech, b, "loose", "tightened")
        cards.append(job_id)
        mine[first_tech.employee_id].append(a)
        mine[second_tech.employee_id].append(b)
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    sessions = [context.Process(target=terminal, args=(store_url, who.employee_id, who.name, mine[who.employee_id],
                                                        start, results))
                for who in (first_tech, second_tech)]
    for session in sessions:
        session.start()
    outcomes = [results.get(timeout=180) for _ in sessions]
    for session in sessions:
        session.join(timeout=30)
        assert session.exitcode == 0
    assert [errors for _, _, errors in outcomes] == [[], []]
    # Each card: exactly one terminal saw it complete, one completion event, and the card is done.
    done = [sum(flags) for flags in zip(*(flags for _, flags, _ in outcomes))]
    assert done == [1] * ROUNDS
    for job_id in cards:
        assert JobCard.get_by_id(job_id).status == "work_done"
        completed = AuditEvent.select().where((AuditEvent.action == "job.complete") & (AuditEvent.subject_id == job_id))
        assert completed.count() == 1
    assert len(events("job.complete_line")) == 2 * ROUNDS
