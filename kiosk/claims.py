"""Warranty claims on tagged parts, retention after payment, and scrapping when retention is over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from . import permissions, tags
from .i18n import N_, render, stored
from .audit import Actor, change
from .config import Settings
from .csvimport import (Column, CsvFile, ImportHasErrors, ImportReport, batches, check_lines, finish_run,
                        parse_amount, start_run)
from .errors import Conflict, InvalidInput
from .holding import tag_rows, with_technician, find_tag
from .store import fast
from .store.models import TagEvent, WarrantyTag, now, timestamp
from .text import clean, parse_date

# A claim's status as a person reads it (the file and the database keep the English word).
STATUS_WORDS = {"submitted": N_("submitted"), "accepted": N_("accepted"), "paid": N_("paid"),
                "rejected": N_("rejected"), "debited": N_("debited")}


def _status(status: str) -> str:
    return STATUS_WORDS.get(status, status)

CLAIM_STATUSES = ("submitted", "accepted", "paid", "rejected", "debited")


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


def parse_claim(values: dict) -> Claim:
    tag_number = clean(values.get("tag_number", ""), N_("Tag number"), max_len=20, required=True).upper()
    number = clean(values.get("claim_number", ""), N_("Claim number"), max_len=30, required=True)
    status = clean(values.get("claim_status", ""), N_("Claim status"), max_len=12, required=True).lower()
    if status not in CLAIM_STATUSES:
        raise InvalidInput(N_("Claim status must be one of {statuses}, not {status!r}."),
                           statuses=", ".join(CLAIM_STATUSES), status=status)
    paid_on = parse_date(values.get("paid_on", ""), N_("Paid on"))
    if status == "paid" and paid_on is None:
        raise InvalidInput(N_("A paid claim needs its payment date (paid_on)."))
    return Claim(tag_number, number, status, paid_on, parse_amount(values.get("amount", ""), N_("Amount")),
                 parse_amount(values.get("debited", ""), N_("Debited")))


def _apply(actor: Actor, claim: Claim, settings: Settings) -> WarrantyTag:
    tag = find_tag(claim.tag_number)
    if tag.status == "void":
        raise Conflict(N_("Tag {tag} is void; it has no claim."), tag=tag.tag_number)
    until = keep_until(tag.tagged_at, claim.paid_on, tag.manufacturer, settings)
    WarrantyTag.update(claim_number=claim.claim_number, claim_status=claim.claim_status,
                       claim_paid_on=claim.paid_on, claim_amount=claim.amount,
                       debited_amount=claim.debited, keep_until=until).where(WarrantyTag.id == tag.id).execute()
    TagEvent.create(tag=tag.id, status=tag.status, location=tag.location, employee=actor.employee_id,
                    terminal=actor.terminal[:60], client=actor.client[:80], at=now(), note=_note(claim, until))
    return tag


def _note(claim: Claim, until: dt.date) -> str:
    return (f"claim {claim.claim_number} {claim.claim_status}" + (f" paid {claim.paid_on}" if claim.paid_on else "")
            + f"; keep until {until}")[:200]


def record_claim(actor: Actor, claim: Claim, settings: Settings) -> dt.date:
    """Enter a claim's number, status and payment date; returns the day retention ends."""
    claim = parse_claim({"tag_number": claim.tag_number, "claim_number": claim.claim_number,
                         "claim_status": claim.claim_status,
                         "paid_on": claim.paid_on.isoformat() if claim.paid_on else "",
                         "amount": str(claim.amount or ""), "debited": str(claim.debited or "")})
    with change(actor, "tag.claim") as record:
        tag = _apply(actor, claim, settings)
        record.about("warranty_tag", tag.id, **{"claim": claim.claim_number, "status": claim.claim_status})
    return keep_until(tag.tagged_at, claim.paid_on, tag.manufacturer, settings)


COLUMNS = [
    Column("tag_number", ("tag", "标签号", "旧件标签号", "索赔件标签"), required=True),
    Column("claim_number", ("claim", "索赔单号", "索赔号"), required=True),
    Column("claim_status", ("status", "索赔状态", "状态"), required=True),
    Column("paid_on", ("paid", "付款日期", "结算日期")),
    Column("amount", ("索赔金额", "金额")),
    Column("debited", ("debit", "扣款金额", "扣款")),
]
# Claims per write transaction: a fraction of a second each, so other terminals barely wait.
BATCH = 1000
_UPDATE = ("UPDATE warranty_tag SET claim_number = ?, claim_status = ?, claim_paid_on = ?, claim_amount = ?, "
           "debited_amount = ?, keep_until = ? WHERE id = ?")
_EVENT = ("INSERT INTO tag_event (tag_id, status, location, note, employee_id, terminal, client, at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def _in_file(file: CsvFile, report) -> dict[str, tuple[int, Claim]]:
    """The file's claims by tag; a tag twice is a bad line (a duplicate, or two claims: which is right?)."""
    lines: dict[str, tuple[int, Claim]] = {}
    torn: dict[str, int] = {}
    for number, claim in check_lines(file, COLUMNS, parse_claim, report):
        first = lines.get(claim.tag_number)
        if first is None:
            lines[claim.tag_number] = (number, claim)
        elif first[1] == claim:
            report.add_bad(number, render(N_("tag {tag} with the same claim as line {line} (a duplicate)"),
                                          {"tag": claim.tag_number, "line": first[0]}))
        else:
            report.add_bad(number, render(
                N_("tag {tag} is on line {line} with claim {first_claim} {first_status}, here with {claim} {status}: "
                   "which is right?"),
                {"tag": claim.tag_number, "line": first[0], "first_claim": first[1].claim_number,
                 "first_status": _status(first[1].claim_status), "claim": claim.claim_number,
                 "status": _status(claim.claim_status)}))
            torn.setdefault(claim.tag_number, first[0])
    for tag_number, number in torn.items():
        report.add_bad(number, render(N_("tag {tag} has another claim further down the file"), {"tag": tag_number}))
        del lines[tag_number]
    if report.rows == 0:
        raise InvalidInput(N_("The file has its header line but no data lines."))
    return lines


def import_claims(actor: Actor, source, settings: Settings, *, encoding: str | None = None,
                  accept_good: bool = False) -> int:
    """Import the manufacturer's claims file (tag_number, claim_number, claim_status, paid_on, amount, debited):
    a path, bytes or text, in UTF-8 or GBK. Returns the number of good lines.

    The whole file is checked first: unknown or void tags, a tag twice, a tag already on another claim are bad
    lines, and with any bad line nothing is written (ImportHasErrors lists them) unless accept_good. Then the
    changed claims are written in batches, each one transaction with its audit event; a line that changes
    nothing is not written again, so importing the same file after a crash ends with the same claims."""
    permissions.require(actor.role, "tag.claim")
    file = source if isinstance(source, CsvFile) else CsvFile(source, encoding)
    report = ImportReport()
    lines = _in_file(file, report)
    todo = []
    numbers = list(lines)
    for i in range(0, len(numbers), BATCH):
        for (tag_id, tag_number, status, location, tagged_at, manufacturer, old_number, old_status, old_paid,
             old_amount, old_debited) in (WarrantyTag.select(
                WarrantyTag.id, WarrantyTag.tag_number, WarrantyTag.status, WarrantyTag.location,
                WarrantyTag.tagged_at, WarrantyTag.manufacturer, WarrantyTag.claim_number,
                WarrantyTag.claim_status, WarrantyTag.claim_paid_on, WarrantyTag.claim_amount,
                WarrantyTag.debited_amount).where(WarrantyTag.tag_number.in_(numbers[i:i + BATCH])).tuples()):
            number, claim = lines.pop(tag_number)
            if status == "void":
                report.add_bad(number, render(N_("tag {tag} is void; it has no claim"), {"tag": tag_number}))
            elif old_number and old_number != claim.claim_number:
                report.add_bad(number, render(N_("tag {tag} is already on claim {old}; this line says {claim}"),
                                              {"tag": tag_number, "old": old_number, "claim": claim.claim_number}))
            elif (old_number, old_status, old_paid, old_amount, old_debited) != (
                    claim.claim_number, claim.claim_status, claim.paid_on, claim.amount, claim.debited):
                until = keep_until(tagged_at, claim.paid_on, manufacturer, settings)
                todo.append((number, tag_id, status, location, claim, until))
    for tag_number, (number, _) in lines.items():
        report.add_bad(number, render(N_("unknown tag {tag}"), {"tag": tag_number}))
    if report.bad_count and not accept_good:
        raise ImportHasErrors(report)
    todo.sort()
    if todo:
        run_id, _ = start_run(actor, "claims", file, report.rows)
        for batch in batches(iter(todo), BATCH):
            # The rows are made before the transaction: the lock is held for the database work only, and
            # other terminals write in between (SQLite's busy wait polls every 100 ms).
            at = timestamp()
            updates = [(c.claim_number, c.claim_status, c.paid_on, c.amount, c.debited, until, tag_id)
                       for _, tag_id, _, _, c, until in batch]
            events = [(tag_id, status, location, _note(c, until), actor.employee_id, actor.terminal[:60],
                       actor.client[:80], at) for _, tag_id, status, location, c, until in batch]
            with change(actor, "tag.claim") as record:
                fast.many(_UPDATE, updates)
                fast.many(_EVENT, events)
                record.about("import_run", run_id, lines=f"{batch[0][0]}-{batch[-1][0]}", claims=len(batch))
        finish_run(run_id, len(todo))
    return report.rows - report.bad_count


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
    reference = clean(release_reference, N_("Release reference"), max_len=60, required=True)
    with change(actor, "tag.scrap") as record:
        tag = find_tag(raw_code)
        if tag.status in ("requested", "packed"):
            raise Conflict(N_("Tag {tag} is requested for return; it cannot be scrapped."), tag=tag.tag_number)
        if tag.status == "held" and tag.keep_until and tag.keep_until > today:
            raise Conflict(N_("Tag {tag} must be kept until {day}; it cannot be scrapped yet."), tag=tag.tag_number,
                           day=tag.keep_until)
        tags.move(tag, "scrapped", actor, note=stored(N_("release {reference}"), reference=reference))
        record.about("warranty_tag", tag.id, tag=tag.tag_number, release=reference)
