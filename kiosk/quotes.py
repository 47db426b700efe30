"""Quotes and the customer's approval: parts and labour estimates on job lines, the approval recorded (who,
how, when) before work starts, and further work found on the floor waiting for its own approval."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from peewee import JOIN

from . import permissions
from .approval import APPROVAL_WAYS
from .audit import Actor, change
from .errors import InvalidInput, NotAllowed, NotFound
from .i18n import N_
from .jobcard import (APPROVED, AWAITING_APPROVAL, BEFORE_APPROVAL, DELIVERED, job_for_change, job_number,
                      line_for_change)
from .reception import MileageBelowLast, NewLine, insert_line, line_values
from .store.models import Approval, Customer, Employee, EstimateLine, JobCard, JobLine, Part, Vehicle, now
from .text import clean, parse_amount, parse_quantity

CENT = Decimal("0.01")
HOURS_MAX = Decimal("99.99")
RATE_MAX = Decimal("99999.99")


@dataclass(frozen=True)
class EstimateRow:
    id: int
    line_id: int
    position: int
    payer: str
    kind: str  # part, labour
    part_number: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    state: str  # approved, pending (waiting for the customer), declined (its line was declined)


@dataclass(frozen=True)
class Quote:
    """A card's estimate lines and totals. customer_total is what the customer pays (warranty and internal
    lines cost them nothing); pending_total is what still waits for their approval."""

    job_id: int
    number: str
    status: str
    rows: tuple[EstimateRow, ...]
    total: Decimal
    customer_total: Decimal
    pending_total: Decimal
    by_payer: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class FurtherWorkRow:
    line_id: int
    job_id: int
    number: str
    position: int
    complaint: str
    payer: str
    technician: str
    customer: str
    phone: str
    plate: str


def _estimate_line(line_id: int) -> tuple[JobLine, JobCard]:
    line, job = line_for_change(line_id, "estimate", N_("estimates are added before the work is done."))
    if line.status == "declined":
        raise NotAllowed(N_("Line {position} was declined by the customer."), position=line.position)
    return line, job


def add_part_estimate(actor: Actor, line_id: int, part_number: str, quantity: str | int) -> int:
    """Price parts on a line from the catalogue (Part.unit_price now, kept with the estimate). Until the
    customer approves it, the estimate line is pending. Returns its id. Raises InvalidInput (quantity),
    NotFound (line; part: search the catalogue), NotAllowed (card done or delivered, line declined)."""
    qty = parse_quantity(quantity, maximum=999)
    number = clean(part_number, N_("Part number"), max_len=40).replace(" ", "").upper()
    if not number:
        raise InvalidInput(N_("Scan a part barcode or type its number."))
    with change(actor, "job.estimate") as record:
        line, job = _estimate_line(line_id)
        part = Part.get_or_none(Part.part_number == number)
        if part is None:
            raise NotFound(N_("Unknown part number {number}: search the catalogue by words instead."), number=number)
        price = Decimal(part.unit_price).quantize(CENT)
        estimate = EstimateLine.create(job=job.id, job_line=line.id, kind="part", part=part.id,
                                       description=part.description, quantity=qty, unit_price=price,
                                       amount=(price * qty).quantize(CENT, ROUND_HALF_UP),
                                       added_by=actor.employee_id, added_at=now())
        record.about("estimate_line", estimate.id, job=job.id, line=line.id, part=part.part_number, quantity=qty,
                     amount=estimate.amount)
    return estimate.id


def add_labour_estimate(actor: Actor, line_id: int, hours: str | int | Decimal, rate: str | int | Decimal,
                        description: str = "") -> int:
    """Price labour on a line: hours (up to two decimals) x the rate (the shop's, or the manufacturer's for
    warranty). Returns the estimate line id. Raises InvalidInput, NotFound, NotAllowed."""
    hours = parse_amount(hours, N_("Hours"), maximum=HOURS_MAX, positive=True, like=N_("a number like 1.5"))
    rate = parse_amount(rate, N_("Labour rate"), maximum=RATE_MAX, like=N_("a number like 380"))
    description = clean(description, N_("Description"), max_len=200)
    with change(actor, "job.estimate") as record:
        line, job = _estimate_line(line_id)
        estimate = EstimateLine.create(job=job.id, job_line=line.id, kind="labour",
                                       description=description or f"Labour {line.labour_operation}".strip(),
                                       quantity=hours, unit_price=rate,
                                       amount=(hours * rate).quantize(CENT, ROUND_HALF_UP),
                                       added_by=actor.employee_id, added_at=now())
        record.about("estimate_line", estimate.id, job=job.id, line=line.id, hours=hours, rate=rate,
                     amount=estimate.amount)
    return estimate.id


def remove_estimate(actor: Actor, estimate_id: int) -> None:
    """Take back an estimate line the customer has not approved yet. Raises NotFound, NotAllowed."""
    with change(actor, "job.estimate") as record:
        estimate = EstimateLine.get_or_none(EstimateLine.id == estimate_id)
        if estimate is None:
            raise NotFound(N_("That estimate line does not exist."))
        job_for_change(estimate.job_id, "remove_estimate")
        if estimate.approval_id is not None:
            raise NotAllowed(N_("The customer approved that estimate line; it stays on the quote."))
        EstimateLine.delete().where(EstimateLine.id == estimate.id).execute()
        record.about("estimate_line", estimate.id, job=estimate.job_id, removed=True, amount=estimate.amount,
                     description=estimate.description[:100])


def _leave_draft(job: JobCard) -> None:
    """The card goes to the customer: it needs its complaint and a line, and its mileage in becomes the
    vehicle's last recorded reading (a draft abandoned or corrected never moved it)."""
    if not job.complaint.strip():
        raise InvalidInput(N_("Write the customer's complaint on {job} first."), job=job_number(job.id))
    if not JobLine.select().where((JobLine.job == job.id) & (JobLine.status != "declined")).exists():
        raise InvalidInput(N_("Add at least one line to {job} first."), job=job_number(job.id))
    vehicle = Vehicle.get_by_id(job.vehicle_id)
    if job.mileage_in < vehicle.last_mileage and not job.mileage_override_reason:
        # Another card recorded a higher reading since this draft was saved.
        raise MileageBelowLast(job.mileage_in, vehicle.last_mileage)
    if job.mileage_in != vehicle.last_mileage:
        Vehicle.update(last_mileage=job.mileage_in).where(Vehicle.id == vehicle.id).execute()


def submit_for_approval(actor: Actor, job_id: int) -> None:
    """The quote has gone to the customer: draft -> awaiting_approval (the card can still be edited).
    Raises InvalidInput (no complaint, no line), MileageBelowLast, NotFound, NotAllowed."""
    with change(actor, "job.approve") as record:
        job = job_for_change(job_id, "submit", N_("only a draft goes to the customer for approval."))
        _leave_draft(job)
        JobCard.update(status=AWAITING_APPROVAL).where(JobCard.id == job.id).execute()
        record.about("job_card", job.id, status=AWAITING_APPROVAL)


def record_approval(actor: Actor, job_id: int, how: str, approved_by_customer_name: str, note: str = "") -> int:
    """Record the customer's consent: who (as they gave their name), how (in_person, phone, message), when
    (now), by which advisor. A draft or a card awaiting approval becomes approved, with all its lines and
    estimates; on an approved or in-progress card it approves the further work and estimates waiting.
    Returns the Approval id.

    Raises InvalidInput (how, name, nothing waiting, no complaint or line), MileageBelowLast, NotFound,
    NotAllowed (work done, delivered).
    """
    how = clean(how, N_("How the customer approved"), max_len=12).lower().replace(" ", "_")
    if how not in APPROVAL_WAYS:
        raise InvalidInput(N_("How did the customer approve? One of: {ways}."), ways=", ".join(APPROVAL_WAYS))
    name = clean(approved_by_customer_name, N_("Who approved"), max_len=80, required=True)
    note = clean(note, N_("Note"), max_len=200)
    with change(actor, "job.approve") as record:
        job = job_for_change(job_id, "approve", N_("there is nothing left to approve."))
        first = job.status in BEFORE_APPROVAL
        lines = JobLine.select(JobLine.id).where((JobLine.job == job.id) & JobLine.approval.is_null()
                                                 & (JobLine.status != "declined"))
        if first:
            _leave_draft(job)
        else:
            lines = lines.where(JobLine.further_work == True)  # noqa: E712 - peewee builds SQL from ==
        line_ids = [line.id for line in lines]
        declined = JobLine.select(JobLine.id).where((JobLine.job == job.id) & (JobLine.status == "declined"))
        estimates = EstimateLine.select(EstimateLine.id).where(
            (EstimateLine.job == job.id) & EstimateLine.approval.is_null() & EstimateLine.job_line.not_in(declined))
        estimate_ids = [e.id for e in estimates]
        if not first and not line_ids and not estimate_ids:
            raise InvalidInput(N_("Nothing on {job} is waiting for the customer's approval."), job=job_number(job.id))
        approval = Approval.create(job=job.id, customer_name=name, how=how, note=note, recorded_by=actor.employee_id,
                                   terminal=actor.terminal[:60], at=now())
        if line_ids:
            JobLine.update(approval=approval.id).where(JobLine.id.in_(line_ids)).execute()
        if estimate_ids:
            EstimateLine.update(approval=approval.id).where(EstimateLine.id.in_(estimate_ids)).execute()
        if first:
            JobCard.update(status=APPROVED).where(JobCard.id == job.id).execute()
        record.about("job_card", job.id, approval=approval.id, how=how, customer_name=name, lines=line_ids,
                     estimates=len(estimate_ids), **({"status": APPROVED} if first else {}))
    return approval.id


def decline_line(actor: Actor, line_id: int, reason: str) -> None:
    """The customer turned down a line not yet approved (further work, or part of the quote): it stays on
    the card as declined, is never worked, and its estimates leave the totals. Raises InvalidInput (reason),
    NotFound, NotAllowed (already approved, done, delivered)."""
    reason = clean(reason, N_("Reason"), max_len=200, required=True)
    with change(actor, "job.approve") as record:
        line, job = line_for_change(line_id, "decline", N_("nothing can be declined now."))
        if line.status == "declined":
            raise NotAllowed(N_("Line {position} was already declined."), position=line.position)
        if line.approval_id is not None or (job.status not in BEFORE_APPROVAL and not line.further_work):
            raise NotAllowed(N_("The customer approved line {position} of {job}."), position=line.position,
                             job=job_number(job.id))
        if line.status == "done":
            raise NotAllowed(N_("Line {position} of {job} is done."), position=line.position, job=job_number(job.id))
        JobLine.update(status="declined").where(JobLine.id == line.id).execute()
        record.about("job_line", line.id, job=job.id, declined=True, reason=reason)


def add_further_work(actor: Actor, job_id: int, complaint: str, payer: str = "customer",
                     labour_operation: str = "") -> int:
    """Work found on the floor after the customer approved the card: a new line, given to the technician who
    found it, that nobody may work on until the customer approves it (kiosk.approval.line_is_approved).
    A technician adds it only to a card with one of their lines. Returns the line id.
    Raises InvalidInput, NotFound, NotAllowed (not their card, card not in work)."""
    values = line_values(NewLine(complaint, payer, labour_operation))
    with change(actor, "job.add_further_work") as record:
        job = job_for_change(job_id, "add_further_work", N_("further work is added to a card in work."))
        if not permissions.allowed(actor.role, "job.work_any"):
            if not JobLine.select().where((JobLine.job == job.id)
                                          & (JobLine.technician == actor.employee_id)).exists():
                raise NotAllowed(N_("Job card {job} has no line of yours; ask the advisor."), job=job_number(job.id))
            values["technician"] = actor.employee_id
        line = insert_line(job, values, further_work=True)
        record.about("job_line", line.id, job=job.id, position=line.position, further_work=True, payer=line.payer)
    return line.id


def quote(job_id: int) -> Quote:
    """A card's estimate lines, in line order, with totals. Raises NotFound."""
    job = JobCard.get_or_none(JobCard.id == job_id)
    if job is None:
        raise NotFound(N_("There is no job card {job}."), job=job_number(job_id))
    rows = []
    for e in (EstimateLine.select(EstimateLine, JobLine.position, JobLine.payer, JobLine.status.alias("line_status"),
                                  Part.part_number)
              .join(JobLine).switch(EstimateLine).join(Part, JOIN.LEFT_OUTER)
              .where(EstimateLine.job == job.id).order_by(JobLine.position, EstimateLine.id).objects()):
        state = "declined" if e.line_status == "declined" else "approved" if e.approval_id else "pending"
        rows.append(EstimateRow(e.id, e.job_line_id, e.position, e.payer, e.kind, e.part_number or "", e.description,
                                Decimal(e.quantity), Decimal(e.unit_price), Decimal(e.amount), state))
    live = [r for r in rows if r.state != "declined"]
    by_payer: dict[str, Decimal] = {}
    for r in live:
        by_payer[r.payer] = by_payer.get(r.payer, Decimal("0.00")) + r.amount
    zero = Decimal("0.00")
    return Quote(job.id, job_number(job.id), job.status, tuple(rows), sum((r.amount for r in live), zero),
                 by_payer.get("customer", zero), sum((r.amount for r in live if r.state == "pending"), zero),
                 tuple(sorted(by_payer.items())))


def lines_without_estimate(job_id: int) -> list[int]:
    """Positions of the lines waiting for the customer's approval that have no estimate: approving them
    approves work without a price, so the advisor is warned first."""
    job = JobCard.get_or_none(JobCard.id == job_id)
    if job is None:
        raise NotFound(N_("There is no job card {job}."), job=job_number(job_id))
    priced = EstimateLine.select(EstimateLine.job_line).where(EstimateLine.job == job_id)
    waiting = (JobLine.select(JobLine.position)
               .where((JobLine.job == job_id) & JobLine.approval.is_null() & (JobLine.status != "declined")
                      & JobLine.id.not_in(priced)))
    if job.status not in BEFORE_APPROVAL:
        waiting = waiting.where(JobLine.further_work == True)  # noqa: E712 - peewee builds SQL from ==
    return [ln.position for ln in waiting.order_by(JobLine.position)]


def further_work_waiting(after: int | None = None, limit: int = 50) -> list[tuple[int, FurtherWorkRow]]:
    """Further work waiting for the customer's approval on cards not yet delivered, oldest first, a page at
    a time: the calls the advisor has to make."""
    query = (JobLine.select(JobLine, JobCard.status.alias("job_status"), Employee.name.alias("tech"),
                            Customer.name.alias("customer_name"), Customer.phone, Vehicle.plate)
             .join(JobCard).join(Customer).switch(JobCard).join(Vehicle)
             .switch(JobLine).join(Employee, JOIN.LEFT_OUTER, on=(JobLine.technician == Employee.id))
             .where((JobLine.further_work == True) & JobLine.approval.is_null()  # noqa: E712
                    & (JobLine.status != "declined") & (JobCard.status != DELIVERED))
             .order_by(JobLine.id).limit(limit))
    if after is not None:
        query = query.where(JobLine.id > after)
    return [(ln.id, FurtherWorkRow(ln.id, ln.job_id, job_number(ln.job_id), ln.position, ln.complaint, ln.payer,
                                   ln.tech or "", ln.customer_name, ln.phone, ln.plate))
            for ln in query.objects()]
