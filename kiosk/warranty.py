"""Warranty tagging: a removed part on a warranty line gets a tag number from the database and a label.

Wear parts and the other exclusions need an advisor's recorded override; safety parts are flagged as
needing the manufacturer's approval. Tags are never deleted: a mistake is voided, its number never reused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import auth, labelqueue, permissions, tags
from .audit import Actor, change
from .config import Settings
from .errors import Conflict, InvalidInput, NotAllowed, NotFound
from .holding import clean_code, find_tag
from .i18n import N_, Msgid, render, stored
from .jobs import job_number, workable_line
from .store.models import JobCard, JobLine, MajorFault, Part, RemovedPart, TagEvent, Vehicle, WarrantyTag, now
from .text import clean, parse_quantity

# Not covered by warranty (domain.md): each needs an advisor's override with a reason.
EXCLUSIONS = {
    "modification": N_("an unapproved modification affects the failure"),
    "external": N_("external cause: stone chip, collision, chemical or atmospheric damage"),
    "outside_network": N_("repaired outside the authorised network, or driven on after the fault was known"),
}


@dataclass(frozen=True)
class TagCheck:
    """What the technician must see before tagging: warnings, and whether an advisor must override."""

    removed_part_id: int
    part_number: str
    description: str
    quantity: int
    causal: bool
    warnings: tuple[str, ...]
    needs_override: bool
    safety_part: bool


@dataclass(frozen=True)
class Override:
    """An advisor's signature (badge and PIN at the same terminal) and the written reason."""

    advisor: Actor
    reason: str


def _removed(removed_part_id: int) -> tuple[RemovedPart, JobLine, Part]:
    removed = RemovedPart.get_or_none(RemovedPart.id == removed_part_id)
    if removed is None:
        raise NotFound(N_("That removed part is not recorded on this job."))
    return removed, JobLine.get_by_id(removed.job_line_id), Part.get_by_id(removed.part_id)


def check(removed_part_id: int, exclusions: tuple[str, ...] = ()) -> TagCheck:
    removed, line, part = _removed(removed_part_id)
    warnings = []
    if part.wear_part:
        warnings.append(render(N_("{part} is a wear part: normal wear (pads, belts, plugs, bulbs, tyres) "
                                  "is not covered."), {"part": part.part_number}))
    for key in exclusions:
        if key not in EXCLUSIONS:
            raise InvalidInput(N_("Unknown exclusion {key!r:.40}."), key=key)
        warnings.append(render(N_("Not covered: {words}."), {"words": EXCLUSIONS[key]}))
    if part.safety_part:
        warnings.append(render(N_("{part} is a safety part: the claim needs the manufacturer's approval."),
                               {"part": part.part_number}))
    return TagCheck(removed.id, part.part_number, part.description, removed.quantity, removed.causal,
                    tuple(warnings), part.wear_part or bool(exclusions), part.safety_part)


def advisor_signature(raw_badge: str, pin: str, *, terminal: str, client: str = "",
                      attempts: int = 5, lock_minutes: int = 15) -> Actor:
    """An advisor signs for an override at the technician's terminal, without signing the technician out."""
    def may_sign(employee) -> None:  # asked once the PIN is right, so a wrong one says nothing about the badge
        if not permissions.allowed(employee.role, "tag.override"):
            raise NotAllowed(N_("{name} may not approve warranty exceptions; an advisor or manager must sign."),
                             name=employee.name)

    return auth.sign_in(raw_badge, pin, terminal=terminal, client=client, attempts=attempts,
                        lock_minutes=lock_minutes, purpose="auth.override_signature", may_sign=may_sign)


def tag_part(actor: Actor, removed_part_id: int, settings: Settings, *, quantity: int | None = None,
             exclusions: tuple[str, ...] = (), override: Override | None = None) -> WarrantyTag:
    """Create the warranty tag of a removed part and queue its label. One transaction."""
    asked = None if quantity is None else parse_quantity(quantity)
    found = check(removed_part_id, exclusions)
    reason = ""
    if found.needs_override:
        if override is None:
            raise NotAllowed(N_("Not covered by warranty as it stands: an advisor must sign an override "
                                "with a reason."))
        permissions.require(override.advisor.role, "tag.override")
        reason = clean(override.reason, N_("Override reason"), max_len=200, required=True)
    with change(actor, "tag.create") as record:
        removed, line, part = _removed(removed_part_id)
        workable_line(actor, line.id)
        if line.payer != "warranty" or removed.disposition != "warranty":
            raise InvalidInput(N_("Line {position} is paid by the {payer}: only warranty parts are tagged."),
                               position=line.position, payer=Msgid(line.payer))
        qty = removed.quantity if asked is None else asked
        if not 1 <= qty <= removed.quantity:
            raise InvalidInput(N_("{removed} of {part} came off; cannot tag {quantity}."), removed=removed.quantity,
                               part=part.part_number, quantity=qty)
        if WarrantyTag.select().where((WarrantyTag.removed_part == removed.id)
                                      & (WarrantyTag.status != "void")).exists():
            raise Conflict(N_("{part} on line {position} is already tagged."), part=part.part_number,
                           position=line.position)
        job = JobCard.get_by_id(line.job_id)
        vehicle = Vehicle.get_by_id(job.vehicle_id)
        at = now()
        tag = WarrantyTag.create(
            removed_part=removed.id, job=job.id, job_line=line.id, status="tagged", manufacturer=part.manufacturer,
            part_number=part.part_number, description=part.description, quantity=qty, causal=removed.causal,
            hazardous=part.hazardous, vin=vehicle.vin, mileage=job.mileage_in, technician=line.technician_id
            or actor.employee_id, labour_operation=line.labour_operation, complaint=line.complaint or job.complaint,
            cause=line.cause, tagged_at=at, keep_until=at.date() + dt.timedelta(days=settings.unpaid_retention_days),
            approval="needed" if part.safety_part else "", override_reason=reason,
            override_by=override.advisor.employee_id if override else None)
        # The number comes from the database id, so every terminal gets a different one, never reused.
        tag.tag_number = tags.tag_number_for(tag.id, settings.tag_prefix)
        WarrantyTag.update(tag_number=tag.tag_number).where(WarrantyTag.id == tag.id).execute()
        TagEvent.create(tag=tag.id, status="tagged", employee=actor.employee_id, terminal=actor.terminal[:60],
                        client=actor.client[:80], at=at,
                        note=stored(N_("override by {advisor}: {reason}"), advisor=override.advisor.name,
                                    reason=reason) if override else "")
        labelqueue.queue(tag.id, settings.default_printer, actor)
        record.about("warranty_tag", tag.id, tag=tag.tag_number, job=job.id, part=part.part_number,
                     override=reason or None, override_by=override.advisor.employee_id if override else None)
    return tag


def untagged_on_job(job_id: int) -> list[TagCheck]:
    """Removed warranty parts of a job card still waiting for their tag."""
    removed = (RemovedPart.select(RemovedPart.id).join(JobLine)
               .where((JobLine.job == job_id) & (RemovedPart.disposition == "warranty"))
               .order_by(RemovedPart.id))
    tagged = {t.removed_part_id for t in WarrantyTag.select(WarrantyTag.removed_part)
              .where((WarrantyTag.job == job_id) & (WarrantyTag.status != "void"))}
    return [check(r.id) for r in removed if r.id not in tagged]


def void_tag(actor: Actor, tag_number: str, reason: str) -> None:
    """A tag made by mistake: void it (advisor, with a reason). Its number is never used again."""
    reason = clean(reason, N_("Reason"), max_len=200, required=True)
    with change(actor, "tag.void") as record:
        tag = find_tag(tag_number)
        tags.move(tag, "void", actor, note=reason)
        record.about("warranty_tag", tag.id, tag=tag.tag_number, reason=reason)


def set_approval(actor: Actor, tag_number: str, approved: bool, reference: str) -> None:
    """The manufacturer's answer on a safety part, recorded by an advisor."""
    reference = clean(reference, N_("Approval reference"), max_len=60, required=True)
    with change(actor, "tag.approve") as record:
        code = clean_code(tag_number)
        tag = WarrantyTag.get_or_none(WarrantyTag.tag_number == code) if code else None
        if tag is None or tag.approval != "needed":
            raise Conflict(N_("Tag {tag} is not waiting for the manufacturer's approval."), tag=code[:20])
        WarrantyTag.update(approval="approved" if approved else "refused").where(WarrantyTag.id == tag.id).execute()
        TagEvent.create(tag=tag.id, status=tag.status, location=tag.location, employee=actor.employee_id,
                        terminal=actor.terminal[:60], client=actor.client[:80], at=now(),
                        note=stored(N_("manufacturer approved: {reference}") if approved
                                    else N_("manufacturer refused: {reference}"), reference=reference))
        record.about("warranty_tag", tag.id, approved=approved, reference=reference)


def waiting_for_approval():
    """The query of safety parts still waiting for the manufacturer's answer; a voided tag waits for nothing."""
    return WarrantyTag.select().where((WarrantyTag.approval == "needed") & (WarrantyTag.status != "void"))


def awaiting_approval(after: int | None = None, limit: int = 50) -> list[tuple[int, WarrantyTag]]:
    """Safety parts waiting for approval, oldest tag first, a page at a time (keyset on the id)."""
    query = waiting_for_approval()
    if after is not None:
        query = query.where(WarrantyTag.id > after)
    return [(t.id, t) for t in query.order_by(WarrantyTag.id).limit(limit)]


def raise_major_fault(actor: Actor, job_id: int, description: str, tag_number: str = "") -> int:
    """A major failure, reported at once: recorded now, on the advisor's major-fault report."""
    description = clean(description, N_("Description"), max_len=2000, required=True, multiline=True)
    with change(actor, "major_fault.raise") as record:
        job = JobCard.get_or_none(JobCard.id == job_id)
        if job is None:
            raise NotFound(N_("There is no job card {job}."), job=job_number(job_id))
        code = clean_code(tag_number)
        tag = WarrantyTag.get_or_none(WarrantyTag.tag_number == code) if code else None
        fault = MajorFault.create(job=job.id, tag=tag.id if tag else None, description=description,
                                  raised_by=actor.employee_id, terminal=actor.terminal[:60])
        record.about("major_fault", fault.id, job=job.id)
    return fault.id
