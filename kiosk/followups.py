"""Follow-up calls after delivery, and the customer's file they write to: every delivered job is called
within two days; a problem books a rework, a complaint opens a complaint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Tuple

from .audit import Actor, change
from .complaints import ComplaintRow, complaints_of_customer, new_complaint, note_on_file
from .errors import Conflict, InvalidInput, NotFound
from .i18n import N_
from .jobs import job_number
from .customers import VehicleRow
from .reception import new_draft
from .store.models import Customer, CustomerNote, Employee, FollowUp, JobCard, Vehicle, now
from .text import clean

FOLLOWUP_WITHIN = dt.timedelta(days=2)
OUTCOMES = {"satisfied": N_("satisfied"), "problem": N_("a problem, rework booked"), "complaint": N_("a complaint"),
            "no_answer": N_("no answer")}
NOTE_MAX = 2000


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    job_id: int
    number: str
    customer_id: int
    customer: str
    phone: str
    plate: str
    model: str
    delivered_at: dt.datetime | None
    due_at: dt.datetime
    attempts: int
    overdue: bool


@dataclass(frozen=True)
class FollowUpResult:
    followup_id: int
    outcome: str
    rework_job_id: int | None = None
    complaint_id: int | None = None


@dataclass(frozen=True)
class JobHistoryRow:
    job_id: int
    number: str
    status: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    plate: str
    mileage_in: int
    complaint: str
    rework_of: int | None


@dataclass(frozen=True)
class FileNote:
    id: int
    kind: str  # followup, complaint, resolution, note
    text: str
    job_id: int | None
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class CustomerFile:
    """The customer's file (客户档案): who they are, their vehicles, jobs, notes and complaints, newest first."""

    customer_id: int
    name: str
    phone: str
    since: dt.datetime
    vehicles: tuple[VehicleRow, ...]
    jobs: tuple[JobHistoryRow, ...]
    notes: tuple[FileNote, ...]
    complaints: tuple[ComplaintRow, ...]


def schedule_followup(job: JobCard, delivered_at: dt.datetime) -> int:
    """Inside the delivery's transaction: the follow-up call, due two days after delivery. Returns its id."""
    return FollowUp.create(job=job.id, customer=job.customer_id, due_at=delivered_at + FOLLOWUP_WITHIN,
                           status="open").id


def followup_queue(after: tuple | None = None, limit: int = 50,
                   at: dt.datetime | None = None) -> list[tuple[tuple, FollowUpRow]]:
    """Calls still to make, the most overdue first, then those due, then those not due yet; a page at a
    time (keyset on due time and id). overdue is judged at `at` (now)."""
    at = at or now()
    query = (FollowUp.select(FollowUp, JobCard.closed_at, Customer.name, Customer.phone, Vehicle.plate,
                             Vehicle.model)
             .join(JobCard, on=(FollowUp.job == JobCard.id)).join(Vehicle)
             .switch(FollowUp).join(Customer, on=(FollowUp.customer == Customer.id))
             .where(FollowUp.status == "open").order_by(FollowUp.due_at, FollowUp.id).limit(limit))
    if after is not None:
        # Times as the columns hold them (text on SQLite), as kiosk.jobs pages do.
        query = query.where(Tuple(FollowUp.due_at, FollowUp.id) > Tuple(after[0].isoformat(sep=" "), after[1]))
    return [((f.due_at, f.id), FollowUpRow(f.id, f.job_id, job_number(f.job_id), f.customer_id, f.name, f.phone,
                                            f.plate, f.model, f.closed_at, f.due_at, f.attempts, f.due_at < at))
            for f in query.objects()]


def calls_due(at: dt.datetime | None = None) -> tuple[int, int]:
    """How many follow-up calls are due by the end of today, and how many of them are overdue (for the
    advisor's home screen)."""
    at = at or now()
    end_of_day = dt.datetime.combine(at.date(), dt.time.max)
    open_calls = FollowUp.select().where((FollowUp.status == "open") & (FollowUp.due_at <= end_of_day))
    return open_calls.count(), open_calls.where(FollowUp.due_at < at).count()


def record_followup(actor: Actor, followup_id: int, outcome: str, note: str = "") -> FollowUpResult:
    """Record the follow-up call: satisfied; problem (a rework draft job card for the same vehicle, linked to
    the original, with the note as its complaint); complaint (a complaint owned by the caller); or no_answer
    (the call stays in the queue, attempts counted). The outcome goes on the customer's file.

    Raises InvalidInput (outcome; a problem or complaint needs the note), NotFound, Conflict (already
    recorded, perhaps at another desk just now).
    """
    outcome = clean(outcome, N_("Outcome"), max_len=12).lower().replace(" ", "_")
    if outcome not in OUTCOMES:
        raise InvalidInput(N_("Outcome must be one of: {outcomes}."), outcomes=", ".join(OUTCOMES))
    note = clean(note, N_("Note"), max_len=NOTE_MAX, multiline=True, required=outcome in ("problem", "complaint"))
    with change(actor, "followup.record") as record:
        followup = FollowUp.get_or_none(FollowUp.id == followup_id)
        if followup is None:
            raise NotFound(N_("That follow-up call does not exist."))
        if followup.status != "open":
            raise Conflict(N_("The follow-up call on {job} was already recorded: {outcome}."),
                           job=job_number(followup.job_id), outcome=OUTCOMES.get(followup.outcome, followup.outcome))
        at = now()
        # Conditional on still being open: of two desks recording the same call, the second is told.
        if outcome == "no_answer":
            claimed = FollowUp.update(attempts=FollowUp.attempts + 1).where(
                (FollowUp.id == followup.id) & (FollowUp.status == "open")).execute()
        else:
            claimed = FollowUp.update(status="done", outcome=outcome, note=note, done_by=actor.employee_id,
                                      done_at=at).where((FollowUp.id == followup.id)
                                                        & (FollowUp.status == "open")).execute()
        if claimed != 1:
            raise Conflict(N_("That follow-up call was recorded at another desk just now."))
        job = JobCard.get_by_id(followup.job_id)
        result = FollowUpResult(followup.id, outcome)
        if outcome == "problem":
            vehicle = Vehicle.get_by_id(job.vehicle_id)
            rework = new_draft(actor, Customer.get_by_id(job.customer_id), vehicle, mileage_in=vehicle.last_mileage,
                               complaint=note, rework_of=job.id)
            FollowUp.update(rework_job=rework.id).where(FollowUp.id == followup.id).execute()
            result = FollowUpResult(followup.id, outcome, rework_job_id=rework.id)
        elif outcome == "complaint":
            complaint = new_complaint(actor, job.customer_id, note, job_id=job.id)
            FollowUp.update(complaint=complaint.id).where(FollowUp.id == followup.id).execute()
            result = FollowUpResult(followup.id, outcome, complaint_id=complaint.id)
        text = f"Follow-up call on {job_number(job.id)}: {OUTCOMES[outcome]}"
        if result.rework_job_id:
            text += f" ({job_number(result.rework_job_id)})"
        note_on_file(actor, job.customer_id, "followup", text + (f". {note}" if note else "."), job.id)
        record.about("followup", followup.id, job=job.id, outcome=outcome, rework_job=result.rework_job_id,
                     complaint=result.complaint_id)
    return result


def add_customer_note(actor: Actor, customer_id: int, text: str, job_id: int | None = None) -> int:
    """A note on the customer's file (what was agreed on the phone, a preference). Returns its id.
    Raises InvalidInput (empty, too long), NotFound."""
    text = clean(text, N_("Note"), max_len=NOTE_MAX, required=True, multiline=True)
    with change(actor, "customer.note") as record:
        if Customer.get_or_none(Customer.id == customer_id) is None:
            raise NotFound(N_("That customer is not on file."))
        if job_id is not None and not JobCard.select().where((JobCard.id == job_id)
                                                             & (JobCard.customer == customer_id)).exists():
            raise NotFound(N_("Job card {job} is not this customer's."), job=job_number(job_id))
        note = CustomerNote.create(customer=customer_id, kind="note", text=text, job=job_id,
                                   employee=actor.employee_id, at=now())
        record.about("customer", customer_id, note=note.id)
    return note.id


def customer_file(customer_id: int, limit: int = 50) -> CustomerFile:
    """The customer's file: vehicles, the latest `limit` job cards, notes and complaints, newest first.
    Raises NotFound."""
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFound(N_("That customer is not on file."))
    vehicles = tuple(VehicleRow(v.id, v.vin, v.plate, v.model, v.model_year, v.last_mileage)
                     for v in Vehicle.select().where(Vehicle.customer == customer.id).order_by(Vehicle.id))
    jobs = tuple(JobHistoryRow(j.id, job_number(j.id), j.status, j.opened_at, j.closed_at, j.plate, j.mileage_in,
                               j.complaint, j.rework_of_id)
                 for j in JobCard.select(JobCard, Vehicle.plate).join(Vehicle)
                 .where(JobCard.customer == customer.id).order_by(JobCard.id.desc()).limit(limit).objects())
    notes = tuple(FileNote(n.id, n.kind, n.text, n.job_id, n.name, n.at)
                  for n in CustomerNote.select(CustomerNote, Employee.name).join(Employee)
                  .where(CustomerNote.customer == customer.id).order_by(CustomerNote.id.desc()).limit(limit)
                  .objects())
    return CustomerFile(customer.id, customer.name, customer.phone, customer.created_at, vehicles, jobs, notes,
                        tuple(complaints_of_customer(customer.id, limit)))
