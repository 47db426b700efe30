"""Job cards on the floor: what a technician sees, the three Cs on each line, completing lines and cards."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peewee import JOIN, Tuple, fn

from . import permissions
from .approval import APPROVED_LINE_SQL
from .audit import Actor, change
from .errors import InvalidInput, NotAllowed, NotFound
from .i18n import N_, Msgid
from .jobcard import APPROVED, IN_PROGRESS, STATE_WORDS, WORK_DONE, WORKABLE, allows, job_number, locked_job
from .store import fast, write_transaction
from .store.database import is_sqlite
from .store.models import (ClockEntry, Customer, Employee, EstimateLine, JobCard, JobLine, Part, RemovedPart,
                           StockMovement, Vehicle, WarrantyTag)
from .text import clean

PAYERS = ("customer", "warranty", "internal")
# Cards with no promised time sort last. Times go to the database as text, the form SQLite stores them in
# (Python 3.12 deprecates sqlite3's own datetime adapter); PostgreSQL reads the same text as a timestamp.
FAR_FUTURE = "9999-01-01 00:00:00"
_NUMBER = re.compile(r"^(?:RO)?0*(\d{1,10})$")


def parse_job_number(text: str) -> int:
    """The job card id from a typed or scanned number: "RO000123", "ro123", "123", with stray spaces or
    control characters from a scanner. Anything else raises InvalidInput."""
    code = clean(text, N_("Job card number"), max_len=40).replace(" ", "").upper()
    match = _NUMBER.match(code)
    if not match or int(match.group(1)) == 0:
        raise InvalidInput(N_("{code} is not a job-card number (like RO000123)."), code=code[:20] or N_("Nothing"))
    return int(match.group(1))


@dataclass(frozen=True)
class JobRow:
    """One row of "my jobs"."""

    job_id: int
    status: str
    promised_at: dt.datetime | None
    plate: str
    model: str
    complaint: str
    lines_open: int


@dataclass(frozen=True)
class IssuedPart:
    """A part a line holds: issued minus returned (lines that gave everything back do not list it)."""

    part_number: str
    description: str
    quantity: int


@dataclass(frozen=True)
class RemovedView:
    id: int
    part_number: str
    description: str
    quantity: int
    causal: bool
    disposition: str
    tagged: bool


@dataclass(frozen=True)
class ClockOnLine:
    """A clock running on a line now: whose, and since when."""

    technician_id: int
    technician: str
    started_at: dt.datetime


@dataclass(frozen=True)
class TechnicianLine:
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
    hours: float
    issued: tuple[IssuedPart, ...]
    removed: tuple[RemovedView, ...]
    # Stopped clocks only; a running clock is in `clocks` and counts once it stops.
    seconds_worked: int = 0
    clocks: tuple[ClockOnLine, ...] = ()
    # The line's estimate: parts (number, description, quantity) and labour hours, as the customer was quoted.
    estimated: tuple[IssuedPart, ...] = ()
    estimated_hours: float = 0.0

    def estimated_not_issued(self) -> list[str]:
        """Parts on the estimate that the line never got (or fewer than estimated): "BR1001 (2 of 2)"."""
        held = {p.part_number: p.quantity for p in self.issued}
        return [f"{p.part_number} ({p.quantity - held.get(p.part_number, 0):g} of {p.quantity:g})"
                for p in self.estimated if held.get(p.part_number, 0) < p.quantity]


@dataclass(frozen=True)
class TechnicianView:
    job_id: int
    number: str
    status: str
    customer: str
    model: str
    plate: str
    vin: str
    mileage_in: int
    complaint: str
    promised_at: dt.datetime | None
    lines: tuple[TechnicianLine, ...]


def my_jobs(actor: Actor, after: tuple | None = None, limit: int = 50) -> list[tuple[tuple, JobRow]]:
    """Job cards (approved or in work) with a line assigned to the signed-in person, soonest due first
    (promised time, then number; cards with no promised time last).

    Returns (key, JobRow) pairs; pass the last key as `after` for the next page.
    """
    mine = JobLine.select(JobLine.job).where(JobLine.technician == actor.employee_id)
    open_lines = (JobLine.select(fn.COUNT(JobLine.id)).where((JobLine.job == JobCard.id) & (JobLine.status == "open")
                                                             & (JobLine.technician == actor.employee_id)))
    due = fn.COALESCE(JobCard.promised_at, FAR_FUTURE)
    query = (JobCard.select(JobCard, Vehicle.plate, Vehicle.model, open_lines.alias("open_lines"))
             .join(Vehicle)
             .where(JobCard.id.in_(mine) & JobCard.status.in_(WORKABLE))
             .order_by(due, JobCard.id).limit(limit))
    if after is not None:
        when = after[0].isoformat(sep=" ") if after[0] else FAR_FUTURE
        query = query.where(Tuple(due, JobCard.id) > Tuple(when, after[1]))
    return [((j.promised_at, j.id), JobRow(j.id, j.status, j.promised_at, j.plate, j.model, j.complaint,
                                           j.open_lines)) for j in query.objects()]


def technician_view(job_id: int) -> TechnicianView:
    """Everything the job card screen shows, read in a few queries. Raises NotFound."""
    job = (JobCard.select(JobCard, Vehicle, Customer).join(Vehicle).switch(JobCard).join(Customer)
           .where(JobCard.id == job_id).first())
    if job is None:
        raise NotFound(N_("There is no job card {job}."), job=job_number(job_id))
    lines = list(JobLine.select(JobLine, Employee.name).join(Employee, JOIN.LEFT_OUTER)
                 .where(JobLine.job == job_id).order_by(JobLine.position, JobLine.id).objects())
    line_ids = [ln.id for ln in lines]
    issued: dict[int, list[IssuedPart]] = {}
    for row in (StockMovement.select(StockMovement.job_line, Part.part_number, Part.description,
                                     (fn.SUM(StockMovement.quantity) * -1).alias("net"))
                .join(Part).where(StockMovement.job_line.in_(line_ids))
                .group_by(StockMovement.job_line, Part.part_number, Part.description)
                .order_by(Part.part_number).objects()):
        if row.net:
            issued.setdefault(row.job_line_id, []).append(IssuedPart(row.part_number, row.description, row.net))
    removed: dict[int, list[RemovedView]] = {}
    tagged_ids = {t.removed_part_id for t in WarrantyTag.select(WarrantyTag.removed_part)
                  .where(WarrantyTag.job == job_id, WarrantyTag.status != "void")}
    for r in (RemovedPart.select(RemovedPart, Part.part_number, Part.description).join(Part)
              .where(RemovedPart.job_line.in_(line_ids)).order_by(RemovedPart.id).objects()):
        removed.setdefault(r.job_line_id, []).append(RemovedView(r.id, r.part_number, r.description, r.quantity,
                                                                 r.causal, r.disposition, r.id in tagged_ids))
    clocks: dict[int, list[ClockOnLine]] = {}
    for c in (ClockEntry.select(ClockEntry.job_line, ClockEntry.technician, ClockEntry.started_at, Employee.name)
              .join(Employee, on=(ClockEntry.technician == Employee.id))
              .where(ClockEntry.job_line.in_(line_ids) & ClockEntry.stopped_at.is_null())
              .order_by(ClockEntry.started_at).objects()):
        clocks.setdefault(c.job_line_id, []).append(ClockOnLine(c.technician_id, c.name, c.started_at))
    estimated: dict[int, list[IssuedPart]] = {}
    hours: dict[int, float] = {}
    for e in (EstimateLine.select(EstimateLine.job_line, EstimateLine.kind, Part.part_number,
                                  fn.MAX(EstimateLine.description).alias("words"),
                                  fn.SUM(EstimateLine.quantity).alias("total"))
              .join(Part, JOIN.LEFT_OUTER).where(EstimateLine.job_line.in_(line_ids))
              .group_by(EstimateLine.job_line, EstimateLine.kind, Part.part_number)
              .order_by(Part.part_number).objects()):
        if e.kind == "part" and e.part_number:
            estimated.setdefault(e.job_line_id, []).append(IssuedPart(e.part_number, e.words, float(e.total)))
        elif e.kind == "labour":
            hours[e.job_line_id] = hours.get(e.job_line_id, 0.0) + float(e.total)
    lines_seen = tuple(
        TechnicianLine(ln.id, ln.position, ln.complaint, ln.cause, ln.correction, ln.payer, ln.labour_operation,
                       ln.technician_id, ln.name or "", ln.status, round(ln.seconds_worked / 3600, 2),
                       tuple(issued.get(ln.id, ())), tuple(removed.get(ln.id, ())), ln.seconds_worked,
                       tuple(clocks.get(ln.id, ())), tuple(estimated.get(ln.id, ())), hours.get(ln.id, 0.0))
        for ln in lines)
    return TechnicianView(job.id, job_number(job.id), job.status, job.customer.name, job.vehicle.model,
                          job.vehicle.plate, job.vehicle.vin, job.mileage_in, job.complaint, job.promised_at,
                          lines_seen)


@dataclass(frozen=True)
class LineState:
    """The little a stock move needs to know about a line and its card."""

    line_id: int
    position: int
    technician_id: int | None
    job_id: int
    job_status: str
    line_status: str
    approved: bool = True  # further work waits for the customer's own approval (kiosk.approval)


def _line_state(line_id: int, *, lock: bool = False) -> LineState | None:
    """lock (inside a write transaction) holds the job card until the end of it, so that completing a card
    and issuing to it or clocking on it from two terminals happen one after the other. SQLite's IMMEDIATE
    transactions already serialise every write; PostgreSQL needs the row lock."""
    sql = ("SELECT l.id, l.position, l.technician_id, j.id, j.status, l.status, " + APPROVED_LINE_SQL +
           " FROM job_line l JOIN job_card j ON j.id = l.job_id WHERE l.id = ?")
    if lock and not is_sqlite():
        sql += " FOR UPDATE OF j"
    row = fast.one(sql, (line_id,))
    return LineState(*row[:6], approved=bool(row[6])) if row else None


def _check_workable(actor: Actor, state: LineState | None, *, open_line: bool = False,
                    any_line: bool | None = None) -> LineState:
    if state is None:
        raise NotFound(N_("That job line does not exist."))
    if not allows(state.job_status, "work"):
        raise NotAllowed(N_("Job card {job} is {state}; it cannot be worked on."), job=job_number(state.job_id),
                         state=STATE_WORDS[state.job_status])
    if any_line is None:
        any_line = permissions.allowed(actor.role, "job.work_any")
    if state.technician_id != actor.employee_id and not any_line:
        raise NotAllowed(N_("Line {position} of {job} is assigned to someone else; ask an advisor to reassign it."),
                         position=state.position, job=job_number(state.job_id))
    if not state.approved:
        raise NotAllowed(N_("Line {position} of {job} waits for the customer's approval (or was declined); "
                            "ask the advisor."), position=state.position, job=job_number(state.job_id))
    if open_line and state.line_status == "done":
        raise NotAllowed(N_("Line {position} of {job} is done; ask an advisor to reopen it."),
                         position=state.position, job=job_number(state.job_id))
    return state


def line_for_work(actor: Actor, line_id: int, *, open_line: bool = False,
                  any_line: bool | None = None) -> LineState:
    """The line, if this person may work on it now (read before the write transaction; confirm inside it
    with still_workable). A line assigned to someone else needs any_line true (by default: the job.work_any
    permission); open_line also refuses a line already marked done."""
    return _check_workable(actor, _line_state(line_id), open_line=open_line, any_line=any_line)


def workable_line(actor: Actor, line_id: int, *, open_line: bool = False,
                  any_line: bool | None = None) -> tuple[JobLine, JobCard]:
    """Inside a write transaction: the line and its card as rows, if this person may work on it now
    (same checks as line_for_work), with the card locked until the transaction ends."""
    _check_workable(actor, _line_state(line_id, lock=True), open_line=open_line, any_line=any_line)
    line = JobLine.select(JobLine, JobCard).join(JobCard).where(JobLine.id == line_id).first()
    return line, line.job


def still_workable(actor: Actor, state: LineState) -> None:
    """Inside the write transaction: the card and line read before it have not closed, changed hands or
    (if it was open) been marked done; locks the card like workable_line.

    Reading before the transaction keeps the write lock short on a busy floor.
    """
    now_state = _line_state(state.line_id, lock=True)
    if now_state is None or not allows(now_state.job_status, "work"):
        raise NotAllowed(N_("Job card {job} was closed at another terminal just now."), job=job_number(state.job_id))
    if now_state.technician_id != state.technician_id:
        raise NotAllowed(N_("Line {position} of {job} was reassigned just now."), position=state.position,
                         job=job_number(state.job_id))
    if now_state.line_status != state.line_status:
        raise NotAllowed(N_("Line {position} of {job} was marked {status} at another terminal just now."),
                         position=state.position, job=job_number(state.job_id), status=Msgid(now_state.line_status))


def start_work(job_id: int, status: str) -> None:
    """The first clock-on or part issued moves an approved card into work."""
    if status == APPROVED:
        fast.execute("UPDATE job_card SET status = ? WHERE id = ? AND status = ?", (IN_PROGRESS, job_id, APPROVED))


def record_three_cs(actor: Actor, line_id: int, cause: str, correction: str) -> bool:
    """Write the cause and the correction of a line (the complaint is the customer's, from reception).

    Either may be left blank for now; complete_line insists on both. False (and nothing written) when both
    are as they were: a dialog saved with nothing new in it never says "saved". Raises InvalidInput (too
    long), NotFound, NotAllowed (not this person's line, line done, card not in work).
    """
    cause = clean(cause, N_("Cause"), max_len=2000, multiline=True)
    correction = clean(correction, N_("Correction"), max_len=2000, multiline=True)
    with change(actor, "job.record_three_cs") as record:
        line, job = workable_line(actor, line_id, open_line=True)
        if (cause, correction) == (line.cause, line.correction):
            record.skip()
            return False
        JobLine.update(cause=cause, correction=correction).where(JobLine.id == line.id).execute()
        record.about("job_line", line.id, job=job.id)
    return True


def untagged_warranty_parts(line_ids) -> list[str]:
    """Part numbers of removed warranty parts on these lines that have no (live) warranty tag yet."""
    rows = (RemovedPart.select(RemovedPart.id, Part.part_number).join(Part)
            .where(RemovedPart.job_line.in_(line_ids) & (RemovedPart.disposition == "warranty")
                   & ~fn.EXISTS(WarrantyTag.select().where((WarrantyTag.removed_part == RemovedPart.id)
                                                           & (WarrantyTag.status != "void")))).objects())
    return [r.part_number for r in rows]


def complete_line(actor: Actor, line_id: int) -> None:
    """Mark a line done: cause and correction written, no clock running on it, its removed warranty parts
    tagged. Raises InvalidInput (three Cs missing) or NotAllowed with what is still to do."""
    with change(actor, "job.complete_line") as record:
        line, job = workable_line(actor, line_id, open_line=True)
        if not line.cause.strip() or not line.correction.strip():
            raise InvalidInput(N_("Write the cause and the correction of line {position} first (the three Cs)."),
                               position=line.position)
        if ClockEntry.select().where((ClockEntry.job_line == line.id) & ClockEntry.stopped_at.is_null()).exists():
            raise NotAllowed(N_("A clock is still running on line {position}; clock off first."),
                             position=line.position)
        untagged = untagged_warranty_parts([line.id])
        if untagged:
            raise NotAllowed(N_("Warranty tagging not done yet for part {parts}: tag it first."),
                             parts=", ".join(untagged))
        JobLine.update(status="done").where(JobLine.id == line.id).execute()
        record.about("job_line", line.id, job=job.id)


def reopen_line(actor: Actor, line_id: int, reason: str) -> None:
    """An advisor reopens a line marked done by mistake, while the card is still in work."""
    reason = clean(reason, N_("Reason"), max_len=200, required=True)
    with change(actor, "job.reopen_line") as record:
        line, job = workable_line(actor, line_id)
        if line.status != "done":
            raise InvalidInput(N_("Line {position} is not done; there is nothing to reopen."), position=line.position)
        JobLine.update(status="open").where(JobLine.id == line.id).execute()
        record.about("job_line", line.id, job=job.id, reason=reason)


def complete_job(actor: Actor, job_id: int) -> None:
    """All lines done and no clock running: the card goes to work done, ready for the quality check.

    Raises NotFound, NotAllowed naming what is missing ("Warranty tagging not done yet for part X",
    "Line(s) 2 not done yet", a running clock, not this person's card, card not in work).
    """
    with change(actor, "job.complete") as record:
        job = locked_job(job_id)
        if job is None:
            raise NotFound(N_("There is no job card {job}."), job=job_number(job_id))
        if not allows(job.status, "work"):
            raise NotAllowed(N_("Job card {job} is {state}."), job=job_number(job.id), state=STATE_WORDS[job.status])
        lines = list(JobLine.select().where(JobLine.job == job.id))
        if not any(ln.technician_id == actor.employee_id for ln in lines) and not permissions.allowed(
                actor.role, "job.work_any"):
            raise NotAllowed(N_("Job card {job} is not yours to complete."), job=job_number(job.id))
        untagged = untagged_warranty_parts([ln.id for ln in lines])
        if untagged:
            raise NotAllowed(N_("Warranty tagging not done yet for part {parts}."), parts=", ".join(untagged))
        open_lines = [str(ln.position) for ln in lines if ln.status not in ("done", "declined")]
        if open_lines:
            raise NotAllowed(N_("Line(s) {lines} not done yet."), lines=", ".join(open_lines))
        if ClockEntry.select().where(ClockEntry.job_line.in_([ln.id for ln in lines])
                                     & ClockEntry.stopped_at.is_null()).exists():
            raise NotAllowed(N_("A clock is still running on this job card; clock off first."))
        JobCard.update(status=WORK_DONE).where(JobCard.id == job.id).execute()
        record.about("job_card", job.id, status=WORK_DONE)


@dataclass(frozen=True)
class LineFinished:
    """What marking a line done came to: the card done too (it was the last line), or why not yet."""

    position: int
    job_done: bool
    # Every line is done but the card is not: what is still missing (a clock running, a part not tagged).
    job_waits: str = ""


def finish_line(actor: Actor, line_id: int) -> LineFinished:
    """Mark a line done (complete_line; a line already done stays so) and, when no line of its card is left
    to do, complete the card (complete_job), in one transaction: two terminals finishing the last two lines
    at once complete the card once, since each locks the card before it reads the lines.

    A card that cannot be completed yet keeps the line done and says why in job_waits. Raises what
    complete_line raises (the three Cs missing, a clock running on the line...); nothing is written then.
    """
    permissions.require(actor.role, "job.complete_line")
    with write_transaction():
        state = _check_workable(actor, _line_state(line_id, lock=True))
        if state.line_status != "done":
            complete_line(actor, line_id)  # its own audit event, in this transaction
        to_do = JobLine.select().where((JobLine.job == state.job_id) & JobLine.status.not_in(("done", "declined")))
        if to_do.exists():
            return LineFinished(state.position, False)
        try:
            complete_job(actor, state.job_id)  # a savepoint: refused, it leaves the line done
        except NotAllowed as exc:
            return LineFinished(state.position, False, exc.message)
    return LineFinished(state.position, True)
