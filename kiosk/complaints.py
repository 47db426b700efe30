"""Customer complaints: registered with an owner, worked (open, in_progress), resolved with a resolution;
the open ones on the advisor's home. Each step also goes on the customer's file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from . import permissions
from .audit import Actor, change
from .errors import Conflict, InvalidInput, NotAllowed, NotFound
from .i18n import NC_, N_
from .jobs import job_number
from .store.models import Complaint, Customer, CustomerNote, Employee, JobCard, now
from .text import clean

COMPLAINT_STATES = ("open", "in_progress", "resolved")
STATE_WORDS = {"open": NC_("complaint", "open"), "in_progress": N_("being worked on"), "resolved": N_("resolved")}
TEXT_MAX = 2000


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    customer_id: int
    customer: str
    phone: str
    job_id: int | None
    job_number: str
    text: str
    owner_id: int
    owner: str
    status: str
    resolution: str
    opened_at: dt.datetime
    resolved_at: dt.datetime | None


def _rows(query) -> list[ComplaintRow]:
    return [ComplaintRow(c.id, c.customer_id, c.customer_name, c.phone, c.job_id,
                         job_number(c.job_id) if c.job_id else "", c.text, c.owner_id, c.owner_name, c.status,
                         c.resolution, c.opened_at, c.resolved_at) for c in query.objects()]


def _select():
    return (Complaint.select(Complaint, Customer.name.alias("customer_name"), Customer.phone,
                             Employee.name.alias("owner_name"))
            .join(Customer).switch(Complaint).join(Employee, JOIN.INNER, on=(Complaint.owner == Employee.id)))


def open_complaints(after: int | None = None, limit: int = 50,
                    owner_id: int | None = None) -> list[tuple[int, ComplaintRow]]:
    """Complaints not yet resolved, oldest first (of one owner, if given), a page at a time (keyset on id)."""
    query = _select().where(Complaint.status.in_(("open", "in_progress"))).order_by(Complaint.id).limit(limit)
    if owner_id is not None:
        query = query.where(Complaint.owner == owner_id)
    if after is not None:
        query = query.where(Complaint.id > after)
    return [(row.id, row) for row in _rows(query)]


def open_complaint_count() -> int:
    return Complaint.select().where(Complaint.status.in_(("open", "in_progress"))).count()


def complaint_view(complaint_id: int) -> ComplaintRow:
    rows = _rows(_select().where(Complaint.id == complaint_id))
    if not rows:
        raise NotFound(N_("That complaint does not exist."))
    return rows[0]


def complaints_of_customer(customer_id: int, limit: int = 50) -> list[ComplaintRow]:
    """A customer's complaints, newest first."""
    return _rows(_select().where(Complaint.customer == customer_id).order_by(Complaint.id.desc()).limit(limit))


def _owner(owner_id: int) -> Employee:
    owner = Employee.get_or_none(Employee.id == owner_id)
    if owner is None:
        raise NotFound(N_("There is no such employee."))
    if not owner.active or not permissions.allowed(owner.role, "complaint.manage"):
        raise InvalidInput(N_("{name} cannot own a complaint: an active advisor or manager does."), name=owner.name)
    return owner


def _text(text: str, field: str) -> str:
    return clean(text, field, max_len=TEXT_MAX, required=True, multiline=True)


def note_on_file(actor: Actor, customer_id: int, kind: str, text: str, job_id: int | None = None) -> None:
    """Inside a change(): a line on the customer's file (kiosk.followups.customer_file)."""
    CustomerNote.create(customer=customer_id, kind=kind, text=text, job=job_id, employee=actor.employee_id, at=now())


def new_complaint(actor: Actor, customer_id: int, text: str, *, job_id: int | None = None,
                  owner_id: int | None = None) -> Complaint:
    """Inside a change(): register a complaint (register_complaint; a follow-up call's complaint)."""
    if Customer.get_or_none(Customer.id == customer_id) is None:
        raise NotFound(N_("That customer is not on file."))
    if job_id is not None:
        job = JobCard.get_or_none(JobCard.id == job_id)
        if job is None:
            raise NotFound(N_("There is no job card {job}."), job=job_number(job_id))
        if job.customer_id != customer_id:
            raise InvalidInput(N_("Job card {job} belongs to another customer."), job=job_number(job_id))
    owner = _owner(owner_id if owner_id is not None else actor.employee_id)
    complaint = Complaint.create(customer=customer_id, job=job_id, text=text, owner=owner.id, status="open",
                                 opened_by=actor.employee_id, opened_at=now())
    note_on_file(actor, customer_id, "complaint", f"Complaint #{complaint.id} registered: {text}", job_id)
    return complaint


def register_complaint(actor: Actor, customer_id: int, text: str, *, job_id: int | None = None,
                       owner_id: int | None = None) -> int:
    """Register a customer's complaint, in their words, about a job card or not, owned by owner_id (by default
    whoever registers it). Returns its id. Raises InvalidInput (empty or too long text, owner not an advisor
    or manager, job of another customer), NotFound."""
    text = _text(text, NC_("complaint", "Complaint"))
    with change(actor, "complaint.register") as record:
        complaint = new_complaint(actor, customer_id, text, job_id=job_id, owner_id=owner_id)
        record.about("complaint", complaint.id, customer=customer_id, job=job_id, owner=complaint.owner_id)
    return complaint.id


def _complaint(complaint_id: int) -> Complaint:
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None:
        raise NotFound(N_("That complaint does not exist."))
    return complaint


def _move(complaint: Complaint, from_states: tuple[str, ...], **changes) -> None:
    # Conditional on the state read: of two desks moving the same complaint at once, the second is told.
    if Complaint.update(**changes).where((Complaint.id == complaint.id)
                                         & Complaint.status.in_(from_states)).execute() != 1:
        raise Conflict(N_("That complaint was changed at another desk just now; look again."))


def assign_complaint(actor: Actor, complaint_id: int, owner_id: int) -> None:
    """Give a complaint to another owner (an active advisor or manager). Raises InvalidInput, NotFound,
    NotAllowed (resolved)."""
    with change(actor, "complaint.manage") as record:
        complaint = _complaint(complaint_id)
        if complaint.status == "resolved":
            raise NotAllowed(N_("That complaint is resolved; reopen it first."))
        owner = _owner(owner_id)
        _move(complaint, ("open", "in_progress"), owner=owner.id)
        record.about("complaint", complaint.id, owner=owner.id, previous=complaint.owner_id)


def start_complaint(actor: Actor, complaint_id: int, note: str = "") -> None:
    """open -> in_progress: someone is working on it. Raises NotFound, NotAllowed (not open)."""
    note = clean(note, N_("Note"), max_len=TEXT_MAX, multiline=True)
    with change(actor, "complaint.manage") as record:
        complaint = _complaint(complaint_id)
        if complaint.status != "open":
            raise NotAllowed(N_("That complaint is {state}, not open."), state=STATE_WORDS[complaint.status])
        _move(complaint, ("open",), status="in_progress")
        if note:
            note_on_file(actor, complaint.customer_id, "complaint", f"Complaint #{complaint.id}: {note}",
                         complaint.job_id)
        record.about("complaint", complaint.id, status="in_progress")


def resolve_complaint(actor: Actor, complaint_id: int, resolution: str) -> None:
    """Resolve a complaint with what was done; the resolution goes on the customer's file.
    Raises InvalidInput (no resolution), NotFound, NotAllowed (already resolved)."""
    resolution = _text(resolution, N_("Resolution"))
    with change(actor, "complaint.manage") as record:
        complaint = _complaint(complaint_id)
        if complaint.status == "resolved":
            raise NotAllowed(N_("That complaint is already resolved."))
        _move(complaint, ("open", "in_progress"), status="resolved", resolution=resolution,
              resolved_by=actor.employee_id, resolved_at=now())
        note_on_file(actor, complaint.customer_id, "resolution", f"Complaint #{complaint.id} resolved: {resolution}",
                     complaint.job_id)
        record.about("complaint", complaint.id, status="resolved")


def reopen_complaint(actor: Actor, complaint_id: int, reason: str) -> None:
    """A resolved complaint comes back (the customer is not satisfied after all); the earlier resolution
    stays on the customer's file. Raises InvalidInput, NotFound, NotAllowed (not resolved)."""
    reason = _text(reason, N_("Reason"))
    with change(actor, "complaint.manage") as record:
        complaint = _complaint(complaint_id)
        if complaint.status != "resolved":
            raise NotAllowed(N_("That complaint is {state}; only a resolved one is reopened."),
                             state=STATE_WORDS[complaint.status])
        _move(complaint, ("resolved",), status="open", resolution="", resolved_by=None, resolved_at=None)
        note_on_file(actor, complaint.customer_id, "complaint", f"Complaint #{complaint.id} reopened: {reason}",
                     complaint.job_id)
        record.about("complaint", complaint.id, status="open", reason=reason)
