"""The service advisor's side of job cards: opening job cards as drafts saved a step at a time, assigning
technicians, the advisor's view of a card, and the job-card board. Customers and vehicles: kiosk.customers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, Tuple, fn

from . import jobcard
from .approval import line_is_approved
from .audit import Actor, change
from .customers import parse_mileage
from .employees import id_by_badge
from .errors import Conflict, InvalidInput, NotAllowed, NotFound
from .i18n import N_, Msgid, Said
from .jobcard import (BEFORE_APPROVAL, CANCELLED, DRAFT, OPEN_STATES, STATE_WORDS, allows, job_for_change, job_number,
                      line_for_change)
from .jobs import PAYERS
from .store.database import is_sqlite
from .store.models import (Approval, ClockEntry, CorrectionNote, Customer, Employee, EstimateLine, JobCard, JobLine,
                           QualityCheck, RemovedPart, StockMovement, Vehicle, now)
from .text import clean, parse_when

FAR_FUTURE = dt.datetime(9999, 1, 1)
COMPLAINT_MAX = 2000
LINE_COMPLAINT_MAX = 500
MAX_LINES = 40
_LABOUR_OPERATION_EXTRA = "-./_"
KEEP = object()  # update_job: leave this field as it is


class MileageBelowLast(InvalidInput):
    """Mileage in is below the vehicle's last recorded reading and no reason was given."""

    def __init__(self, mileage: int, last_mileage: int):
        super().__init__(N_("Mileage {mileage:,} is below the {last_mileage:,} recorded last time for this vehicle. "
                            "Check the odometer, or give the reason (odometer replaced, last reading wrong)."),
                         mileage=mileage, last_mileage=last_mileage)
        self.mileage, self.last_mileage = mileage, last_mileage


class OpenJobExists(Conflict):
    """The vehicle already has an open job card; open_job(..., confirm_duplicate=True) opens another."""

    def __init__(self, cards: tuple[OpenJob, ...]):
        listed = Said(((N_("{job} ({state})"), {"job": c.number, "state": STATE_WORDS.get(c.status, c.status)})
                       for c in cards), sep=", ")
        super().__init__(N_("This vehicle already has an open job card: {listed}. Open another one anyway?"),
                         listed=listed)
        self.cards = cards


# ---- reading --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenJob:
    job_id: int
    number: str
    status: str
    opened_at: dt.datetime
    complaint: str


@dataclass(frozen=True)
class ReceptionCheck:
    """What the screen warns about before opening a card: a mileage below the last one, open cards."""

    last_mileage: int
    mileage_below_last: bool
    open_cards: tuple[OpenJob, ...]


@dataclass(frozen=True)
class BoardRow:
    job_id: int
    status: str
    promised_at: dt.datetime | None
    plate: str
    model: str
    customer: str
    advisor: str
    complaint: str


@dataclass(frozen=True)
class DraftRow:
    job_id: int
    number: str
    opened_at: dt.datetime
    customer: str
    plate: str
    model: str
    complaint: str
    lines: int


@dataclass(frozen=True)
class AdvisorLine:
    id: int
    position: int
    complaint: str
    cause: str
    correction: str
    payer: str
    labour_operation: str
    technician_id: int | None
    technician: str
    status: str
    further_work: bool
    approved: bool
    hours: float


@dataclass(frozen=True)
class ApprovalRow:
    id: int
    customer_name: str
    how: str
    note: str
    recorded_by: str
    at: dt.datetime


@dataclass(frozen=True)
class CheckRow:
    passed: bool
    note: str
    checked_by: str
    at: dt.datetime


@dataclass(frozen=True)
class NoteRow:
    text: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class AdvisorView:
    """The advisor's whole job card (the quote is kiosk.quotes.quote)."""

    job_id: int
    number: str
    status: str
    customer_id: int
    customer: str
    phone: str
    vehicle_id: int
    vin: str
    plate: str
    model: str
    mileage_in: int
    mileage_override_reason: str
    complaint: str
    promised_at: dt.datetime | None
    advisor: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    rework_of: int | None
    lines: tuple[AdvisorLine, ...]
    approvals: tuple[ApprovalRow, ...]
    quality_checks: tuple[CheckRow, ...]
    corrections: tuple[NoteRow, ...]


def job_board(after: tuple | None = None, limit: int = 50) -> list[tuple[tuple, BoardRow]]:
    """Open job cards, those promised soonest first, a page at a time (keyset on promised time, id)."""
    due = fn.COALESCE(JobCard.promised_at, FAR_FUTURE)
    # The page's ids from job_card alone, by its status index: joined in one statement, SQLite's planner
    # walks every customer instead (1.4 s at 500,000 cards; bench/desk_bench.py).
    page = JobCard.select(JobCard.id).where(JobCard.status.in_(OPEN_STATES)).order_by(due, JobCard.id).limit(limit)
    if after is not None:
        page = page.where(Tuple(due, JobCard.id) > Tuple(after[0] or FAR_FUTURE, after[1]))
    ids = [job.id for job in page]
    if not ids:
        return []
    query = (JobCard.select(JobCard, Vehicle.plate, Vehicle.model, Customer.name, Employee.name.alias("adv"))
             .join(Vehicle).switch(JobCard).join(Customer).switch(JobCard)
             .join(Employee, on=(JobCard.advisor == Employee.id), join_type=JOIN.LEFT_OUTER)
             .where(JobCard.id.in_(ids)).order_by(due, JobCard.id))
    return [((job.promised_at, job.id),
             BoardRow(job.id, job.status, job.promised_at, job.plate, job.model, job.name, job.adv or "",
                      job.complaint))
            for job in query.objects()]


def open_jobs_for_vehicle(vehicle_id: int) -> list[OpenJob]:
    """The vehicle's job cards not yet delivered (drafts included), oldest first."""
    query = (JobCard.select(JobCard.id, JobCard.status, JobCard.opened_at, JobCard.complaint)
             .where((JobCard.vehicle == vehicle_id) & JobCard.status.in_(OPEN_STATES)).order_by(JobCard.id))
    return [OpenJob(j.id, job_number(j.id), j.status, j.opened_at, j.complaint) for j in query]


def check_reception(vehicle_id: int, mileage_in: str | int | None = None) -> ReceptionCheck:
    """What open_job would warn about, for the screen to show first: the mileage below the last one
    recorded (when a mileage is given) and the vehicle's open job cards. Raises NotFound, InvalidInput."""
    vehicle = Vehicle.get_or_none(Vehicle.id == vehicle_id)
    if vehicle is None:
        raise NotFound(N_("That vehicle is not on file."))
    below = mileage_in is not None and parse_mileage(mileage_in) < vehicle.last_mileage
    return ReceptionCheck(vehicle.last_mileage, below, tuple(open_jobs_for_vehicle(vehicle.id)))


def list_drafts(actor: Actor, after: int | None = None, limit: int = 20,
                everyone: bool = False) -> list[tuple[int, DraftRow]]:
    """Draft job cards to reopen: the advisor's own (everyone: all advisors'), newest first, a page at a
    time. A session that dropped mid-edit left its card here, as last saved."""
    lines = JobLine.select(fn.COUNT(JobLine.id)).where(JobLine.job == JobCard.id)
    query = (JobCard.select(JobCard.id, JobCard.opened_at, JobCard.complaint, Customer.name, Vehicle.plate,
                            Vehicle.model, lines.alias("line_count"))
             .join(Customer).switch(JobCard).join(Vehicle)
             .where(JobCard.status == DRAFT).order_by(JobCard.id.desc()).limit(limit))
    if not everyone:
        query = query.where(JobCard.advisor == actor.employee_id)
    if after is not None:
        query = query.where(JobCard.id < after)
    return [(j.id, DraftRow(j.id, job_number(j.id), j.opened_at, j.name, j.plate, j.model, j.complaint,
                            j.line_count)) for j in query.objects()]


def _customer_agreed(job: JobCard, line: JobLine) -> bool:
    """Whether the customer has agreed to this line yet: before the card's approval no quote line is agreed
    (the customer may still decline it), nor on a card cancelled before it; after it, as
    kiosk.approval.line_is_approved says."""
    if job.status in BEFORE_APPROVAL + (CANCELLED,) and line.approval_id is None:
        return False
    return line_is_approved(line)


def advisor_view(job_id: int) -> AdvisorView:
    """Everything the advisor's job-card screen shows, in a few queries. Raises NotFound."""
    job = (JobCard.select(JobCard, Vehicle, Customer).join(Vehicle).switch(JobCard).join(Customer)
           .where(JobCard.id == job_id).first())
    if job is None:
        raise NotFound(N_("There is no job card {job}."), job=job_number(job_id))
    advisor = Employee.get_or_none(Employee.id == job.advisor_id) if job.advisor_id else None
    lines = tuple(
        AdvisorLine(ln.id, ln.position, ln.complaint, ln.cause, ln.correction, ln.payer, ln.labour_operation,
                 ln.technician_id, ln.name or "", ln.status, ln.further_work, _customer_agreed(job, ln),
                 round(ln.seconds_worked / 3600, 2))
        for ln in JobLine.select(JobLine, Employee.name).join(Employee, JOIN.LEFT_OUTER)
        .where(JobLine.job == job.id).order_by(JobLine.position, JobLine.id).objects())
    approvals = tuple(ApprovalRow(a.id, a.customer_name, a.how, a.note, a.name, a.at)
                      for a in Approval.select(Approval, Employee.name).join(Employee)
                      .where(Approval.job == job.id).order_by(Approval.id).objects())
    checks = tuple(CheckRow(q.passed, q.note, q.name, q.at)
                   for q in QualityCheck.select(QualityCheck, Employee.name).join(Employee)
                   .where(QualityCheck.job == job.id).order_by(QualityCheck.id).objects())
    corrections = tuple(NoteRow(n.text, n.name, n.at)
                        for n in CorrectionNote.select(CorrectionNote, Employee.name).join(Employee)
                        .where(CorrectionNote.job == job.id).order_by(CorrectionNote.id).objects())
    return AdvisorView(job.id, job_number(job.id), job.status, job.customer.id, job.customer.name, job.customer.phone,
                    job.vehicle.id, job.vehicle.vin, job.vehicle.plate, job.vehicle.model, job.mileage_in,
                    job.mileage_override_reason, job.complaint, job.promised_at, advisor.name if advisor else "",
                    job.opened_at, job.closed_at, job.rework_of_id, lines, approvals, checks, corrections)


# ---- checking what was typed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewLine:
    """A job line as the advisor writes it: the complaint it answers, who pays, the labour operation."""

    complaint: str
    payer: str = "customer"
    labour_operation: str = ""
    technician_id: int | None = None


def _promised(value) -> dt.datetime | None:
    """A promised time: None, a datetime, "HH:MM" (today) or "YYYY-MM-DD HH:MM"; not in the past, not over a
    year ahead."""
    if isinstance(value, str):
        value = parse_when(value, N_("Promised time"), now().date())
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise InvalidInput(N_("Promised time must be a date and time."))
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    value = value.replace(second=0, microsecond=0)
    at = now()
    if value < at - dt.timedelta(minutes=5):
        raise InvalidInput(N_("The promised time {value:%Y-%m-%d %H:%M} is in the past."), value=value)
    if value > at + dt.timedelta(days=366):
        raise InvalidInput(N_("The promised time {value:%Y-%m-%d} is more than a year ahead."), value=value)
    return value


def _complaint(text: str | None) -> str:
    return clean(text, N_("Complaint"), max_len=COMPLAINT_MAX, multiline=True)


def _labour_operation(text: str | None) -> str:
    code = clean(text, N_("Labour operation"), max_len=20).replace(" ", "").upper()
    if not all((ch.isascii() and ch.isalnum()) or ch in _LABOUR_OPERATION_EXTRA for ch in code):
        raise InvalidInput(N_("Labour operation {code!r}: letters, digits and - . / _ only."), code=code)
    return code


def _payer(text: str | None) -> str:
    payer = clean(text, N_("Payer"), max_len=10).lower()
    if payer not in PAYERS:
        raise InvalidInput(N_("Payer must be one of: {payers}."), payers=", ".join(PAYERS))
    return payer


def line_values(line: NewLine) -> dict:
    """A NewLine checked and cleaned, as JobLine fields."""
    if not isinstance(line, NewLine):
        raise InvalidInput(N_("A job line needs its complaint, payer and labour operation."))
    return dict(complaint=clean(line.complaint, N_("Line complaint"), max_len=LINE_COMPLAINT_MAX, required=True,
                                multiline=True),
                payer=_payer(line.payer), labour_operation=_labour_operation(line.labour_operation),
                technician=line.technician_id)


# ---- inside a write transaction -----------------------------------------------------------------------------


def technician(employee_id: int) -> Employee:
    """An active technician, or InvalidInput / NotFound saying why not."""
    employee = Employee.get_or_none(Employee.id == employee_id)
    if employee is None:
        raise NotFound(N_("There is no such employee."))
    if not employee.active:
        raise InvalidInput(N_("{name} is no longer active."), name=employee.name)
    if employee.role != "technician":
        raise InvalidInput(N_("{name} is not a technician."), name=employee.name)
    return employee


def technician_by_badge(raw_badge: str) -> int | None:
    """The active technician behind a typed or scanned badge, as an id; blank means nobody (None).
    Raises InvalidInput (not a badge, not an active technician), NotFound."""
    employee_id = id_by_badge(raw_badge)
    return technician(employee_id).id if employee_id is not None else None


def _locked_vehicle(vehicle_id: int) -> Vehicle:
    # PostgreSQL: two advisors receiving the same vehicle at once see each other's card.
    query = Vehicle.select().where(Vehicle.id == vehicle_id)
    if not is_sqlite():
        query = query.for_update()
    vehicle = query.first()
    if vehicle is None:
        raise NotFound(N_("That vehicle is not on file."))
    return vehicle


def new_draft(actor: Actor, customer: Customer, vehicle: Vehicle, *, mileage_in: int, complaint: str,
              promised_at: dt.datetime | None = None, mileage_override_reason: str = "",
              rework_of: int | None = None, lines: list[dict] = ()) -> JobCard:
    """Inside a change(): insert a draft job card and its lines (open_job; a rework booking)."""
    job = JobCard.create(customer=customer.id, vehicle=vehicle.id, status=DRAFT, complaint=complaint,
                         mileage_in=mileage_in, promised_at=promised_at, advisor=actor.employee_id, opened_at=now(),
                         mileage_override_reason=mileage_override_reason, rework_of=rework_of)
    for position, values in enumerate(lines, start=1):
        JobLine.create(job=job.id, position=position, **values)
    return job


def _next_position(job_id: int) -> int:
    return (JobLine.select(fn.MAX(JobLine.position)).where(JobLine.job == job_id).scalar() or 0) + 1


def insert_line(job: JobCard, values: dict, *, further_work: bool) -> JobLine:
    """Inside a change(): a line at the end of the card. Lines added once the customer approved the card
    are further work, which waits for its own approval (kiosk.approval.line_is_approved)."""
    if JobLine.select().where(JobLine.job == job.id).count() >= MAX_LINES:
        raise InvalidInput(N_("A job card holds at most {lines} lines."), lines=MAX_LINES)
    if values.get("technician") is not None:
        technician(values["technician"])
    return JobLine.create(job=job.id, position=_next_position(job.id), further_work=further_work, **values)


# ---- writing ------------------------------------------------------------------------------------------------


def _check_mileage(vehicle: Vehicle, mileage: int, reason: str) -> str:
    """The override reason to keep with the card ("" when the mileage is not below the last one)."""
    if mileage >= vehicle.last_mileage:
        return ""
    if not reason:
        raise MileageBelowLast(mileage, vehicle.last_mileage)
    return reason


def _reason(text: str | None) -> str:
    return clean(text, N_("Reason for the lower mileage"), max_len=200)


def open_job(actor: Actor, customer_id: int, vehicle_id: int, mileage_in: str | int, complaint: str = "", *,
             lines: list[NewLine] | tuple = (), promised_at: dt.datetime | str | None = None,
             mileage_override_reason: str = "", confirm_duplicate: bool = False) -> int:
    """Open a job card as a draft, in one transaction: the customer, the vehicle, mileage in, the complaint in
    the customer's words (multi-line; may be written later, before approval), lines, the promised time.
    Returns the job card id. The draft is saved; reopen it from list_drafts and go on with update_job,
    add_line, update_line, remove_line; kiosk.quotes takes it to approval.

    Raises MileageBelowLast (an InvalidInput: below the vehicle's last reading and no override reason),
    OpenJobExists (a Conflict listing the vehicle's open cards, unless confirm_duplicate), InvalidInput,
    NotFound (customer, vehicle, technician). Nothing is written when it raises.
    """
    mileage = parse_mileage(mileage_in, "Mileage in")
    complaint = _complaint(complaint)
    reason = _reason(mileage_override_reason)
    promised = _promised(promised_at)
    lines = list(lines)
    if len(lines) > MAX_LINES:
        raise InvalidInput(N_("A job card holds at most {lines} lines."), lines=MAX_LINES)
    values = [line_values(line) for line in lines]
    with change(actor, "job.open") as record:
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise NotFound(N_("That customer is not on file."))
        vehicle = _locked_vehicle(vehicle_id)
        kept_reason = _check_mileage(vehicle, mileage, reason)
        duplicates = tuple(open_jobs_for_vehicle(vehicle.id))
        if duplicates and not confirm_duplicate:
            raise OpenJobExists(duplicates)
        for line in values:
            if line["technician"] is not None:
                technician(line["technician"])
        if vehicle.customer_id is None:
            Vehicle.update(customer=customer.id).where(Vehicle.id == vehicle.id).execute()
        job = new_draft(actor, customer, vehicle, mileage_in=mileage, complaint=complaint, promised_at=promised,
                        mileage_override_reason=kept_reason, lines=values)
        record.about("job_card", job.id, vin=vehicle.vin, mileage_in=mileage, lines=len(values),
                     **({"mileage_override": kept_reason, "last_mileage": vehicle.last_mileage} if kept_reason
                        else {}),
                     **({"open_cards": [c.job_id for c in duplicates]} if duplicates else {}))
    return job.id


def update_job(actor: Actor, job_id: int, *, complaint: str | None = None, mileage_in: str | int | None = None,
                mileage_override_reason: str = "", promised_at=KEEP) -> bool:
    """Save the card's own fields of a draft: the complaint and mileage in (until the customer approves),
    the promised time (until delivery; None clears it). Fields left out stay as they are. Returns False, with
    nothing written and no audit event, when every field given already holds that value.

    Raises InvalidInput, MileageBelowLast, NotFound, NotAllowed (card approved, or delivered).
    """
    changes: dict = {}
    if complaint is not None:
        changes["complaint"] = _complaint(complaint)
    mileage = parse_mileage(mileage_in, "Mileage in") if mileage_in is not None else None
    reason = _reason(mileage_override_reason)
    if promised_at is not KEEP:
        changes["promised_at"] = _promised(promised_at)
    if mileage is None and not changes:
        raise InvalidInput(N_("Nothing to save."))
    with change(actor, "job.edit") as record:
        job = job_for_change(job_id, "edit")
        if (complaint is not None or mileage is not None) and not allows(job.status, "edit_received"):
            raise NotAllowed(N_("Job card {job} is {state}: the complaint and mileage as received no longer change."),
                             job=job_number(job.id), state=STATE_WORDS[job.status])
        if mileage is not None and (mileage != job.mileage_in or reason):
            vehicle = Vehicle.get_by_id(job.vehicle_id)
            changes["mileage_in"] = mileage
            changes["mileage_override_reason"] = _check_mileage(vehicle, mileage, reason)
        changes = {k: v for k, v in changes.items() if getattr(job, k) != v}
        if not changes:
            record.skip()
            return False
        JobCard.update(**changes).where(JobCard.id == job.id).execute()
        record.about("job_card", job.id, **{k: v for k, v in changes.items() if k != "complaint"},
                     **({"complaint": "changed"} if "complaint" in changes else {}))
    return True


def add_line(actor: Actor, job_id: int, line: NewLine) -> int:
    """Add a line to a card. Before approval it joins the quote; on an approved or in-progress card it is
    further work and waits for the customer's approval (kiosk.quotes.record_approval). Returns the line id.
    Raises InvalidInput, NotFound, NotAllowed (work done, delivered)."""
    values = line_values(line)
    with change(actor, "job.edit") as record:
        job = job_for_change(job_id, "add_line", N_("lines can be added until the work is done."))
        new = insert_line(job, values, further_work=jobcard.further_work(job.status))
        record.about("job_line", new.id, job=job.id, position=new.position, payer=new.payer,
                     further_work=new.further_work)
    return new.id


def _unapproved_line(line_id: int, doing: str) -> tuple[JobLine, JobCard]:
    line, job = line_for_change(line_id, "edit_line")
    if line.status == "declined":
        raise NotAllowed(N_("Line {position} was declined by the customer; it cannot change."), position=line.position)
    if job.status not in BEFORE_APPROVAL and not (line.further_work and line.approval_id is None):
        raise NotAllowed(N_("Line {position} of {job} was approved by the customer; {doing}"), position=line.position,
                         job=job_number(job.id), doing=doing)
    return line, job


def update_line(actor: Actor, line_id: int, *, complaint: str | None = None, payer: str | None = None,
                labour_operation: str | None = None) -> None:
    """Change a line the customer has not approved yet (a draft's, or further work waiting). Fields left
    out stay. Raises InvalidInput, NotFound, NotAllowed (approved, declined, delivered)."""
    changes = {}
    if complaint is not None:
        changes["complaint"] = clean(complaint, N_("Line complaint"), max_len=LINE_COMPLAINT_MAX, required=True,
                                     multiline=True)
    if payer is not None:
        changes["payer"] = _payer(payer)
    if labour_operation is not None:
        changes["labour_operation"] = _labour_operation(labour_operation)
    if not changes:
        raise InvalidInput(N_("Nothing to save."))
    with change(actor, "job.edit") as record:
        line, job = _unapproved_line(line_id, N_("it no longer changes."))
        JobLine.update(**changes).where(JobLine.id == line.id).execute()
        record.about("job_line", line.id, job=job.id, **{k: v for k, v in changes.items() if k != "complaint"})


def remove_line(actor: Actor, line_id: int) -> None:
    """Take a line off a card before the customer approves it (with its estimate lines); later lines move
    up. Further work the customer turns down is declined instead (kiosk.quotes.decline_line), so it stays
    on record. Raises NotFound, NotAllowed."""
    with change(actor, "job.edit") as record:
        line, job = line_for_change(line_id, "remove_line", N_("a line the customer approved stays; "
                                                                "turned-down further work is declined."))
        worked = (ClockEntry.select().where(ClockEntry.job_line == line.id).exists()
                  or StockMovement.select().where(StockMovement.job_line == line.id).exists()
                  or RemovedPart.select().where(RemovedPart.job_line == line.id).exists())
        if worked:
            raise NotAllowed(N_("Line {position} has clock time or parts on it; it cannot be removed."),
                             position=line.position)
        EstimateLine.delete().where(EstimateLine.job_line == line.id).execute()
        JobLine.delete().where(JobLine.id == line.id).execute()
        JobLine.update(position=JobLine.position - 1).where(
            (JobLine.job == job.id) & (JobLine.position > line.position)).execute()
        record.about("job_line", line.id, job=job.id, removed=True, position=line.position,
                     complaint=line.complaint[:100])


def assign_technician(actor: Actor, line_id: int, technician_id: int | None) -> None:
    """Give a line to a technician, or take it back (None), on any card not yet delivered. Refused while
    someone else's clock runs on the line (they clock off, or an advisor closes the forgotten clock:
    kiosk.clocking.close_forgotten_clock), and for a line done or declined.
    Raises InvalidInput (not an active technician), NotFound, NotAllowed."""
    with change(actor, "job.assign") as record:
        line, job = line_for_change(line_id, "assign")
        if line.status in ("done", "declined"):
            raise NotAllowed(N_("Line {position} of {job} is {status}; there is nothing left to assign."),
                             position=line.position, job=job_number(job.id), status=Msgid(line.status))
        if technician_id is not None:
            technician(technician_id)
        running = (ClockEntry.select(ClockEntry, Employee.name).join(Employee, on=ClockEntry.technician == Employee.id)
                   .where((ClockEntry.job_line == line.id) & ClockEntry.stopped_at.is_null()
                          & (ClockEntry.technician != (technician_id or 0))).objects().first())
        if running is not None:
            raise NotAllowed(N_("{name}'s clock is running on line {position}; it must stop first "
                                "(clock off, or close the forgotten clock)."), name=running.name,
                             position=line.position)
        JobLine.update(technician=technician_id).where(JobLine.id == line.id).execute()
        record.about("job_line", line.id, job=job.id, technician=technician_id, previous=line.technician_id)
