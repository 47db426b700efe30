"""A job card's life: its states, the words a screen shows for each, and which actions each state allows.

draft -> awaiting_approval -> approved -> in_progress -> work_done -> quality_checked -> delivered; a failed
quality check sends work_done back to in_progress; a card the customer never approved is cancelled.

The rules' guard (job_for_change) and the advisor card's keys (kiosk.screens.advisor_card) both read ACTIONS,
so a footer never offers a key that the rule refuses. A leaf module: it imports no other rules, so every
rules module (kiosk.jobs, reception, quotes, delivery) can ask it.
"""

from __future__ import annotations

from .i18n import N_
from .errors import NotAllowed, NotFound
from .store.database import is_sqlite
from .store.models import JobCard, JobLine

DRAFT = "draft"
AWAITING_APPROVAL = "awaiting_approval"
APPROVED = "approved"
IN_PROGRESS = "in_progress"
WORK_DONE = "work_done"
QUALITY_CHECKED = "quality_checked"
DELIVERED = "delivered"
CANCELLED = "cancelled"

JOB_STATES = (DRAFT, AWAITING_APPROVAL, APPROVED, IN_PROGRESS, WORK_DONE, QUALITY_CHECKED, DELIVERED, CANCELLED)
OPEN_STATES = (DRAFT, AWAITING_APPROVAL, APPROVED, IN_PROGRESS, WORK_DONE, QUALITY_CHECKED)
# The customer's complaint and the card's edits may change only until the customer agrees to the quote.
BEFORE_APPROVAL = (DRAFT, AWAITING_APPROVAL)
# The floor works on these: clocks, parts, the three Cs, completing.
WORKABLE = (APPROVED, IN_PROGRESS)
# Approved and not yet closed: what stands between the card and delivery is worth showing.
AFTER_APPROVAL = (APPROVED, IN_PROGRESS, WORK_DONE, QUALITY_CHECKED)

STATE_WORDS = {DRAFT: N_("a draft"), AWAITING_APPROVAL: N_("waiting for the customer's approval"),
               APPROVED: N_("approved"), IN_PROGRESS: N_("in work"), WORK_DONE: N_("work done"),
               QUALITY_CHECKED: N_("quality-checked"), DELIVERED: N_("delivered and closed"),
               CANCELLED: N_("cancelled")}
# The same, short enough for a column of the advisor's board (which lists open cards only).
BOARD_WORDS = {DRAFT: N_("draft"), AWAITING_APPROVAL: N_("to approve"), APPROVED: N_("approved"),
               IN_PROGRESS: N_("in work"), WORK_DONE: N_("work done"), QUALITY_CHECKED: N_("checked")}

# A card in one of these states never changes again; what the advisor is told when a change is tried.
CLOSED = {DELIVERED: N_("Job card {number} was delivered and is closed; it cannot change. Add a correction note "
                        "instead."),
          CANCELLED: N_("Job card {number} was cancelled; it cannot change. Add a note, or open a new card.")}

# Allowed on every open card: the promised time, a line not yet approved (its complaint, payer, labour op), a
# technician, an estimate not yet approved taken back, a printed copy for the floor.
_OPEN = frozenset({"edit", "edit_line", "assign", "remove_estimate", "print_card"})
# Before the customer's approval: the complaint and mileage as received, the quote's lines and estimates.
_QUOTE = frozenset({"edit_received", "add_line", "remove_line", "estimate", "approve", "decline", "cancel"})
# Approved, and in work: further work (waiting for its own approval), its estimates, the floor's work.
_WORK = frozenset({"add_line", "add_further_work", "estimate", "approve", "decline", "work"})

# state -> the actions it allows. Actions of the advisor's card keep their key's action name (add_line,
# estimate, approve, assign, edit, quality_check, deliver, correct, print_card); the others name their rule:
# edit_received (the complaint and mileage: reception.update_job), edit_line / remove_line (reception),
# remove_estimate, submit, decline, add_further_work (quotes), cancel (delivery), work (kiosk.jobs, clocking,
# parts: the floor's work on a line and completing the card).
ACTIONS: dict[str, frozenset[str]] = {
    DRAFT:             _OPEN | _QUOTE | {"submit"},
    AWAITING_APPROVAL: _OPEN | _QUOTE,
    APPROVED:          _OPEN | _WORK,
    IN_PROGRESS:       _OPEN | _WORK,
    WORK_DONE:         _OPEN | {"quality_check"},
    QUALITY_CHECKED:   _OPEN | {"deliver"},
    DELIVERED:         frozenset({"correct", "print_card"}),
    CANCELLED:         frozenset({"correct"}),
}
KNOWN_ACTIONS = frozenset().union(*ACTIONS.values())


def allows(status: str, action: str) -> bool:
    """Does a card in this state allow the action? An action nobody knows is a programming error (KeyError)."""
    if action not in KNOWN_ACTIONS:
        raise KeyError(f"unknown job card action {action!r}: add it to kiosk.jobcard.ACTIONS")
    return action in ACTIONS.get(status, frozenset())


def further_work(status: str) -> bool:
    """Is a line added to a card in this state further work? Once the customer approved the card, a new line
    waits for its own approval (kiosk.approval.line_is_approved); before, it joins the quote."""
    return allows(status, "add_further_work")


def job_number(job_id: int) -> str:
    """The repair-order number printed on the card and in its barcode."""
    return f"RO{job_id:06d}"


def locked_job(job_id: int) -> JobCard | None:
    """The job card row, locked until the transaction ends (see kiosk.jobs._line_state)."""
    query = JobCard.select().where(JobCard.id == job_id)
    if not is_sqlite():
        query = query.for_update()
    return query.first()


def _refuse_unless(job: JobCard, action: str | None, doing: str = "") -> None:
    """Raise NotAllowed unless the card's state allows the action; action None: any change of an open card.
    A delivered or cancelled card says so (add a note instead); doing ends the message for an open one."""
    if action is None:
        if job.status not in CLOSED:
            return
    elif allows(job.status, action):
        return
    if job.status in CLOSED:
        raise NotAllowed(CLOSED[job.status], number=job_number(job.id))
    state = STATE_WORDS.get(job.status, job.status)
    if doing:
        raise NotAllowed(N_("Job card {job} is {state}; {doing}"), job=job_number(job.id), state=state, doing=doing)
    raise NotAllowed(N_("Job card {job} is {state}."), job=job_number(job.id), state=state)


def job_for_change(job_id: int, action: str | None = None, doing: str = "") -> JobCard:
    """Inside a change(): the job card, locked until the transaction ends (locked_job), if its state allows
    the action (ACTIONS); without one, any change of a card not yet delivered or cancelled."""
    job = locked_job(job_id)
    if job is None:
        raise NotFound(N_("There is no job card {job}."), job=job_number(job_id))
    _refuse_unless(job, action, doing)
    return job


def line_for_change(line_id: int, action: str | None = None, doing: str = "") -> tuple[JobLine, JobCard]:
    """Inside a change(): the line and its card (locked, see job_for_change)."""
    job_id = JobLine.select(JobLine.job).where(JobLine.id == line_id).scalar()
    if job_id is None:
        raise NotFound(N_("That job line does not exist."))
    job = job_for_change(job_id, action, doing)
    return JobLine.get_by_id(line_id), job
