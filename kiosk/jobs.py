"""Job cards on the floor: what a technician sees, the three Cs on each line, completing lines and cards."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peewee import JOIN, Tuple, fn

from . import permissions
from .audit import Actor, change
from .errors import InvalidInput, NotAllowed, NotFound
from .store.models import (ClockEntry, Customer, Employee, JobCard, JobLine, Part, RemovedPart, StockMovement,
                           Vehicle, WarrantyTag)
from .text import clean

JOB_STATES = ("draft", "awaiting_approval", "approved", "in_progress", "work_done", "quality_checked", "delivered")
WORKABLE = ("approved", "in_progress")
STATE_WORDS = {"draft": "a draft", "awaiting_approval": "waiting for the customer's approval",
               "approved": "approved", "in_progress": "in work", "work_done": "work done",
               "quality_checked": "quality-checked", "delivered": "delivered and closed"}
PAYERS = ("customer", "warranty", "internal")
FAR_FUTURE = dt.datetime(9999, 1, 1)
_NUMBER = re.compile(r"^(?:RO)?0*(\d{1,10})$")


def job_number(job_id: int) -> str:
    """The repair-order number printed on the card and in its barcode."""
    return f"RO{job_id:06d}"


def parse_job_number(text: str) -> int:
    code = clean(text, "Job card number", max_len=40).replace(" ", "").upper()
    match = _NUMBER.match(code)
    if not match or int(match.group(1)) == 0:
        raise InvalidInput(f"{code[:20] or 'Nothing'} is not a job-card number (like RO000123).")
    return int(match.group(1))


@dataclass(frozen=True)
class JobRow:
    job_id: int
    status: str
    promised_at: dt.datetime | None
    plate: str
    model: str
    complaint: str
    lines_open: int


@dataclass(frozen=True)
class IssuedPart:
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
class LineView:
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


@dataclass(frozen=True)
class JobView:
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
    lines: tuple[LineView, ...]


def my_jobs(actor: Actor, after: tuple | None = None, limit: int = 50) -> list[tuple[tuple, JobRow]]:
    """Job cards with a line assigned to the technician, to be worked on, soonest due first."""
    mine = JobLine.select(JobLine.job).where(JobLine.technician == actor.employee_id)
    open_lines = (JobLine.select(fn.COUNT(JobLine.id)).where((JobLine.job == JobCard.id) & (JobLine.status == "open")
                                                             & (JobLine.technician == actor.employee_id)))
    due = fn.COALESCE(JobCard.promised_at, FAR_FUTURE)
    query = (JobCard.select(JobCard, Vehicle.plate, Vehicle.model, open_lines.alias("open_lines"))
             .join(Vehicle)
             .where(JobCard.id.in_(mine) & JobCard.status.in_(WORKABLE))
             .order_by(due, JobCard.id).limit(limit))
    if after is not None:
        query = query.where(Tuple(due, JobCard.id) > Tuple(after[0] or FAR_FUTURE, after[1]))
    return [((j.promised_at, j.id), JobRow(j.id, j.status, j.promised_at, j.plate, j.model, j.complaint,
                                           j.open_lines)) for j in query.objects()]


def job_card_view(job_id: int) -> JobView:
    job = (JobCard.select(JobCard, Vehicle, Customer).join(Vehicle).switch(JobCard).join(Customer)
           .where(JobCard.id == job_id).first())
    if job is None:
        raise NotFound(f"There is no job card {job_number(job_id)}.")
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
    return JobView(job.id, job_number(job.id), job.status, job.customer.name, job.vehicle.model, job.vehicle.plate,
                   job.vehicle.vin, job.mileage_in, job.complaint, job.promised_at, tuple(
                       LineView(ln.id, ln.position, ln.complaint, ln.cause, ln.correction, ln.payer,
                                ln.labour_operation, ln.technician_id, ln.name or "", ln.status,
                                round(ln.seconds_worked / 3600, 2), tuple(issued.get(ln.id, ())),
                                tuple(removed.get(ln.id, ())))
                       for ln in lines))


def workable_line(actor: Actor, line_id: int) -> tuple[JobLine, JobCard]:
    """The line and its card, if this person may work on it now; call inside a transaction."""
    line = JobLine.get_or_none(JobLine.id == line_id)
    if line is None:
        raise NotFound("That job line does not exist.")
    job = JobCard.get_by_id(line.job_id)
    if job.status not in WORKABLE:
        raise NotAllowed(f"Job card {job_number(job.id)} is {STATE_WORDS[job.status]}; it cannot be worked on.")
    if line.technician_id != actor.employee_id and not permissions.allowed(actor.role, "job.work_any"):
        raise NotAllowed(f"Line {line.position} of {job_number(job.id)} is assigned to someone else; "
                         "ask an advisor to reassign it.")
    return line, job


def start_work(job: JobCard) -> None:
    """The first clock-on or part issued moves an approved card into work."""
    if job.status == "approved":
        JobCard.update(status="in_progress").where((JobCard.id == job.id) & (JobCard.status == "approved")).execute()


def record_three_cs(actor: Actor, line_id: int, cause: str, correction: str) -> None:
    cause = clean(cause, "Cause", max_len=2000, multiline=True)
    correction = clean(correction, "Correction", max_len=2000, multiline=True)
    with change(actor, "job.record_three_cs") as record:
        line, job = workable_line(actor, line_id)
        if line.status == "done":
            raise NotAllowed(f"Line {line.position} is already done.")
        JobLine.update(cause=cause, correction=correction).where(JobLine.id == line.id).execute()
        record.about("job_line", line.id, job=job.id)


def untagged_warranty_parts(line_ids) -> list[str]:
    rows = (RemovedPart.select(RemovedPart.id, Part.part_number).join(Part)
            .where(RemovedPart.job_line.in_(line_ids) & (RemovedPart.disposition == "warranty")
                   & ~fn.EXISTS(WarrantyTag.select().where((WarrantyTag.removed_part == RemovedPart.id)
                                                           & (WarrantyTag.status != "void")))).objects())
    return [r.part_number for r in rows]


def complete_line(actor: Actor, line_id: int) -> None:
    """A line is done when cause and correction are written, its clocks stopped and warranty parts tagged."""
    with change(actor, "job.complete_line") as record:
        line, job = workable_line(actor, line_id)
        if line.status == "done":
            raise NotAllowed(f"Line {line.position} is already done.")
        if not line.cause.strip() or not line.correction.strip():
            raise InvalidInput(f"Write the cause and the correction of line {line.position} first (the three Cs).")
        if ClockEntry.select().where((ClockEntry.job_line == line.id) & ClockEntry.stopped_at.is_null()).exists():
            raise NotAllowed(f"A clock is still running on line {line.position}; clock off first.")
        untagged = untagged_warranty_parts([line.id])
        if untagged:
            raise NotAllowed(f"Warranty tagging not done yet for part {', '.join(untagged)}: tag it first.")
        JobLine.update(status="done").where(JobLine.id == line.id).execute()
        record.about("job_line", line.id, job=job.id)


def complete_job(actor: Actor, job_id: int) -> None:
    """All lines done and no clock running: the card goes to work done, ready for the quality check."""
    with change(actor, "job.complete") as record:
        job = JobCard.get_or_none(JobCard.id == job_id)
        if job is None:
            raise NotFound(f"There is no job card {job_number(job_id)}.")
        if job.status not in WORKABLE:
            raise NotAllowed(f"Job card {job_number(job.id)} is {STATE_WORDS[job.status]}.")
        lines = list(JobLine.select().where(JobLine.job == job.id))
        if not any(ln.technician_id == actor.employee_id for ln in lines) and not permissions.allowed(
                actor.role, "job.work_any"):
            raise NotAllowed(f"Job card {job_number(job.id)} is not yours to complete.")
        untagged = untagged_warranty_parts([ln.id for ln in lines])
        if untagged:
            raise NotAllowed(f"Warranty tagging not done yet for part {', '.join(untagged)}.")
        open_lines = [str(ln.position) for ln in lines if ln.status != "done"]
        if open_lines:
            raise NotAllowed(f"Line(s) {', '.join(open_lines)} not done yet.")
        if ClockEntry.select().where(ClockEntry.job_line.in_([ln.id for ln in lines])
                                     & ClockEntry.stopped_at.is_null()).exists():
            raise NotAllowed("A clock is still running on this job card; clock off first.")
        JobCard.update(status="work_done").where(JobCard.id == job.id).execute()
        record.about("job_card", job.id, status="work_done")
