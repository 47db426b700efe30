"""Warranty claims on tagged parts, retention after payment, and scrapping when retention is over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from . import tags
from .audit import Actor, change
from .config import Settings
from .csvimport import ImportHasErrors, read_rows
from .errors import Conflict, InvalidInput
from .holding import tag_rows, with_technician, find_tag
from .store.models import TagEvent, WarrantyTag, now
from .text import clean, parse_amount, parse_date

CLAIM_STATUSES = ("submitted", "accepted", "paid", "rejected", "debited")
AMOUNT_MAX = Decimal("99999999.99")


@dataclass(frozen=True)
class Claim:
    tag_number: str
    claim_number: str
    claim_status: str
    paid_on: dt.date | None = None
    amount: Decimal | None = None
    debited: Decimal | None = None


def retention_days(manufacturer: str, settings: Settings) -> int:
    """Days a part is kept after its claim is paid: the manufacturer's rule, else 60."""
    rule = settings.manufacturers.get(manufacturer, {}) if isinstance(settings.manufacturers, dict) else {}
    return int(rule.get("retention_days", 60))


def keep_until(tagged_at: dt.datetime, paid_on: dt.date | None, manufacturer: str, settings: Settings) -> dt.date:
    if paid_on is not None:
        return paid_on + dt.timedelta(days=retention_days(manufacturer, settings))
    return tagged_at.date() + dt.timedelta(days=settings.unpaid_retention_days)


def _money(value: str | Decimal | None, field: str) -> Decimal | None:
    return None if value is None or value == "" else parse_amount(value, field, maximum=AMOUNT_MAX)


def parse_claim(values: dict) -> Claim:
    tag_number = clean(values.get("tag_number", ""), "Tag number", max_len=20, required=True).upper()
    number = clean(values.get("claim_number", ""), "Claim number", max_len=30, required=True)
    status = clean(values.get("claim_status", ""), "Claim status", max_len=12, required=True).lower()
    if status not in CLAIM_STATUSES:
        raise InvalidInput(f"Claim status must be one of {', '.join(CLAIM_STATUSES)}, not {status!r}.")
    paid_on = parse_date(values.get("paid_on", ""), "Paid on")
    if status == "paid" and paid_on is None:
        raise InvalidInput("A paid claim needs its payment date (paid_on).")
    return Claim(tag_number, number, status, paid_on, _money(values.get("amount", ""), "Amount"),
                 _money(values.get("debited", ""), "Debited"))


def _apply(actor: Actor, claim: Claim, settings: Settings) -> WarrantyTag:
    tag = find_tag(claim.tag_number)
    if tag.status == "void":
        raise Conflict(f"Tag {tag.tag_number} is void; it has no claim.")
    until = keep_until(tag.tagged_at, claim.paid_on, tag.manufacturer, settings)
    WarrantyTag.update(claim_number=claim.claim_number, claim_status=claim.claim_status,
                       claim_paid_on=claim.paid_on, claim_amount=claim.amount,
                       debited_amount=claim.debited, keep_until=until).where(WarrantyTag.id == tag.id).execute()
    TagEvent.create(tag=tag.id, status=tag.status, location=tag.location, employee=actor.employee_id,
                    terminal=actor.terminal[:60], client=actor.client[:80], at=now(),
                    note=f"claim {claim.claim_number} {claim.claim_status}"
                         + (f" paid {claim.paid_on}" if claim.paid_on else "") + f"; keep until {until}")
    return tag


def record_claim(actor: Actor, claim: Claim, settings: Settings) -> dt.date:
    """Enter a claim's number, status and payment date; returns the day retention ends."""
    claim = parse_claim({"tag_number": claim.tag_number, "claim_number": claim.claim_number,
                         "claim_status": claim.claim_status,
                         "paid_on": claim.paid_on.isoformat() if claim.paid_on else "",
                         "amount": claim.amount, "debited": claim.debited})
    with change(actor, "tag.claim") as record:
        tag = _apply(actor, claim, settings)
        record.about("warranty_tag", tag.id, **{"claim": claim.claim_number, "status": claim.claim_status})
    return keep_until(tag.tagged_at, claim.paid_on, tag.manufacturer, settings)


def import_claims(actor: Actor, text: str, settings: Settings, *, accept_good: bool = False) -> int:
    """Import claims from CSV (tag_number, claim_number, claim_status, paid_on, amount, debited).

    With bad lines nothing is imported unless accept_good is set; unknown tags are bad lines too.
    Returns the number of claims imported.
    """
    report = read_rows(text, ("tag_number", "claim_number", "claim_status"), parse_claim)
    known = {t.tag_number for t in WarrantyTag.select(WarrantyTag.tag_number).where(
        WarrantyTag.tag_number.in_([c.tag_number for _, c in report.good]))} if report.good else set()
    for number, claim in list(report.good):
        if claim.tag_number not in known:
            report.good.remove((number, claim))
            report.bad.append((number, f"unknown tag {claim.tag_number}"))
    report.bad.sort()
    if report.bad and not accept_good:
        raise ImportHasErrors(report)
    with change(actor, "tag.claim") as record:
        for _, claim in report.good:
            _apply(actor, claim, settings)
        record.about("claims_import", None, imported=len(report.good), skipped=len(report.bad))
    return len(report.good)


def may_scrap(after: int | None = None, limit: int = 50, *, today: dt.date | None = None):
    """Held parts past retention that no manufacturer asked for: they may be scrapped."""
    today = today or dt.date.today()
    query = with_technician(WarrantyTag.select().where(
        (WarrantyTag.status == "held") & (WarrantyTag.keep_until <= today)))
    if after is not None:
        query = query.where(WarrantyTag.id > after)
    return [(r.id, r) for r in tag_rows(query.order_by(WarrantyTag.id).limit(limit))]


def scrap(actor: Actor, raw_code: str, release_reference: str, *, today: dt.date | None = None) -> None:
    """Scrap a held part whose retention is over, recording the manufacturer's release reference."""
    today = today or dt.date.today()
    reference = clean(release_reference, "Release reference", max_len=60, required=True)
    with change(actor, "tag.scrap") as record:
        tag = find_tag(raw_code)
        if tag.status in ("requested", "packed"):
            raise Conflict(f"Tag {tag.tag_number} is requested for return; it cannot be scrapped.")
        if tag.status == "held" and tag.keep_until and tag.keep_until > today:
            raise Conflict(f"Tag {tag.tag_number} must be kept until {tag.keep_until}; it cannot be scrapped yet.")
        tags.move(tag, "scrapped", actor, note=f"release {reference}")
        record.about("warranty_tag", tag.id, tag=tag.tag_number, release=reference)
