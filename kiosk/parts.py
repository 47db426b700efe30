"""Parts: the catalogue search, issuing to and returning from job lines, receiving stock, the ledger check,
and the old parts that come off a job."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, fn

from .audit import Actor, change
from .errors import Conflict, InvalidInput, NotFound
from .jobs import job_number, start_work, workable_line
from .store.models import JobLine, Part, PartWord, RemovedPart, StockMovement, now
from .text import clean, parse_quantity

WORD_MAX = 40
_SPLIT = re.compile(r"[\s/,;:()\[\]{}·、，。（）]+")


@dataclass(frozen=True)
class PartRow:
    id: int
    part_number: str
    description: str
    bin: str
    on_hand: int
    unit_price: Decimal
    wear_part: bool
    safety_part: bool
    hazardous: bool
    manufacturer: str


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def search_words(text: str) -> set[str]:
    """Words a part is found by: its number, each description word, and every suffix of a CJK run,
    so that typing any part of 前刹车片 (say 刹车) finds it by prefix."""
    words = set()
    for token in _SPLIT.split(text.lower()):
        runs, current, cjk = [], "", None
        for ch in token:
            kind = _is_cjk(ch)
            if current and kind != cjk:
                runs.append((current, cjk))
                current = ""
            current += ch
            cjk = kind
        if current:
            runs.append((current, cjk))
        for run, is_cjk in runs:
            if is_cjk:
                words.update(run[i:][:WORD_MAX] for i in range(len(run)))
            else:
                words.add(run[:WORD_MAX])
    words.discard("")
    return words


def index_words(parts: list[tuple[int, str, str]]) -> None:
    """(Re)build the search words of parts given as (id, part number, description)."""
    ids = [p[0] for p in parts]
    PartWord.delete().where(PartWord.part.in_(ids)).execute()  # search index only, not history
    rows = [{"part": pid, "word": w} for pid, number, description in parts
            for w in search_words(number) | search_words(description)]
    for i in range(0, len(rows), 500):
        PartWord.insert_many(rows[i:i + 500]).execute()


def load_catalogue(actor: Actor, rows: list[dict]) -> int:
    """Add parts in bulk (catalogue import, demo, benchmarks): the parts, their search words, and an
    opening-stock movement for each, so on-hand equals the ledger from the first day. Returns the count."""
    with change(actor, "part.receive") as record:
        numbers = []
        for i in range(0, len(rows), 500):
            chunk = rows[i:i + 500]
            Part.insert_many(chunk).execute()
            numbers.extend(r["part_number"] for r in chunk)
        created = []
        for i in range(0, len(numbers), 500):
            created.extend(Part.select(Part.id, Part.part_number, Part.description, Part.on_hand)
                           .where(Part.part_number.in_(numbers[i:i + 500])).tuples())
        index_words([(pid, number, description) for pid, number, description, _ in created])
        opening = [{"part": pid, "quantity": on_hand, "kind": "opening", "reason": "opening stock",
                    "employee": actor.employee_id, "terminal": actor.terminal[:60], "at": now()}
                   for pid, _, _, on_hand in created if on_hand]
        for i in range(0, len(opening), 500):
            StockMovement.insert_many(opening[i:i + 500]).execute()
        record.about("catalogue", None, parts=len(created))
    return len(created)


def _rows(query) -> list[PartRow]:
    return [PartRow(p.id, p.part_number, p.description, p.bin, p.on_hand, p.unit_price, p.wear_part,
                    p.safety_part, p.hazardous, p.manufacturer) for p in query]


def search_parts(text: str, after: int | None = None, limit: int = 20) -> list[tuple[int, PartRow]]:
    """Incremental catalogue search: every typed word must start a word of the part (any order)."""
    words = sorted(search_words(clean(text, "Search", max_len=80)), key=len, reverse=True)[:4]
    query = Part.select()
    for word in words:
        # A prefix range on the (word, part) index works the same on SQLite and PostgreSQL.
        query = query.where(Part.id.in_(PartWord.select(PartWord.part).where(
            (PartWord.word >= word) & (PartWord.word < word + "\uffff"))))
    if after is not None:
        query = query.where(Part.id > after)
    return [(r.id, r) for r in _rows(query.order_by(Part.id).limit(limit))]


def find_part_by_scan(code: str) -> PartRow:
    number = clean(code, "Part number", max_len=40).replace(" ", "").upper()
    if not number:
        raise InvalidInput("Scan a part barcode or type its number.")
    found = _rows(Part.select().where(Part.part_number == number))
    if not found:
        raise NotFound(f"Unknown part number {number}: search the catalogue by words instead.")
    return found[0]


def _part(part_number: str) -> Part:
    number = clean(part_number, "Part number", max_len=40).replace(" ", "").upper()
    part = Part.get_or_none(Part.part_number == number)
    if part is None:
        raise NotFound(f"Unknown part number {number or '(empty)'}: search the catalogue by words instead.")
    return part


def issued_to_line(line_id: int, part_id: int) -> int:
    """How many of a part a line holds: issued minus returned."""
    net = (StockMovement.select(fn.COALESCE(fn.SUM(StockMovement.quantity), 0) * -1)
           .where((StockMovement.job_line == line_id) & (StockMovement.part == part_id)).scalar())
    return int(net or 0)


def _move(actor: Actor, part: Part, quantity: int, kind: str, line_id: int | None, reason: str = "") -> None:
    StockMovement.create(part=part.id, quantity=quantity, kind=kind, job_line=line_id, reason=reason[:200],
                         employee=actor.employee_id, terminal=actor.terminal[:60], at=now())


def issue_part(actor: Actor, line_id: int, part_number: str, quantity: str | int) -> int:
    """Issue parts from stock to a job line; returns the stock left. Never below zero, even from two terminals."""
    qty = parse_quantity(quantity)
    with change(actor, "part.issue") as record:
        line, job = workable_line(actor, line_id)
        part = _part(part_number)
        # The check and the decrement are one statement, so two terminals cannot both take the last one.
        taken = Part.update(on_hand=Part.on_hand - qty).where((Part.id == part.id) & (Part.on_hand >= qty)).execute()
        if taken != 1:
            left = Part.get_by_id(part.id).on_hand
            raise Conflict(f"Only {left} of {part.part_number} left (bin {part.bin or '?'}); cannot issue {qty}.")
        _move(actor, part, -qty, "issue", line.id)
        start_work(job)
        record.about("job_line", line.id, job=job.id, part=part.part_number, quantity=qty)
    return Part.get_by_id(part.id).on_hand


def return_part(actor: Actor, line_id: int, part_number: str, quantity: str | int, reason: str) -> int:
    """Return unused parts from a line to stock, never more than the line holds; returns the stock now."""
    qty = parse_quantity(quantity)
    reason = clean(reason, "Reason", max_len=200, required=True)
    with change(actor, "part.return") as record:
        line, job = workable_line(actor, line_id)
        part = _part(part_number)
        holds = issued_to_line(line.id, part.id)
        if qty > holds:
            raise InvalidInput(f"Line {line.position} of {job_number(job.id)} holds {holds} of {part.part_number}; "
                               f"cannot return {qty}.")
        Part.update(on_hand=Part.on_hand + qty).where(Part.id == part.id).execute()
        _move(actor, part, qty, "return", line.id, reason)
        record.about("job_line", line.id, job=job.id, part=part.part_number, quantity=qty, reason=reason)
    return Part.get_by_id(part.id).on_hand


def receive_stock(actor: Actor, part_number: str, quantity: str | int, reason: str) -> int:
    qty = parse_quantity(quantity, maximum=100000)
    reason = clean(reason, "Reason", max_len=200, required=True)
    with change(actor, "part.receive") as record:
        part = _part(part_number)
        Part.update(on_hand=Part.on_hand + qty).where(Part.id == part.id).execute()
        _move(actor, part, qty, "receive", None, reason)
        record.about("part", part.id, quantity=qty, reason=reason)
    return Part.get_by_id(part.id).on_hand


def check_stock() -> list[str]:
    """Parts whose on-hand differs from the sum of their ledger; an empty list means all is well."""
    ledger = (StockMovement.select(StockMovement.part, fn.SUM(StockMovement.quantity).alias("total"))
              .group_by(StockMovement.part).alias("ledger"))
    query = (Part.select(Part.part_number, Part.on_hand, fn.COALESCE(ledger.c.total, 0).alias("total"))
             .join(ledger, JOIN.LEFT_OUTER, on=(ledger.c.part_id == Part.id))
             .where(Part.on_hand != fn.COALESCE(ledger.c.total, 0)).tuples())
    return [f"{number}: on hand {on_hand}, ledger {total}" for number, on_hand, total in query]


DISPOSITIONS = {"warranty": ("warranty",), "customer": ("customer_keeps", "scrap"), "internal": ("scrap",)}


def record_removed_part(actor: Actor, line_id: int, part_number: str, quantity: str | int, causal: bool,
                        disposition: str = "") -> int:
    """The old part that came off a line: on a warranty line it waits to be tagged; on a customer line
    the customer keeps it or it is scrapped. Returns its id."""
    qty = parse_quantity(quantity, maximum=99)
    with change(actor, "removed_part.record") as record:
        line, job = workable_line(actor, line_id)
        allowed = DISPOSITIONS.get(line.payer, ("scrap",))
        disposition = disposition or allowed[0]
        if disposition not in allowed:
            raise InvalidInput(f"On a {line.payer} line the old part is {' or '.join(allowed)}, not {disposition}.")
        part = _part(part_number)
        removed = RemovedPart.create(job_line=line.id, part=part.id, quantity=qty, causal=bool(causal),
                                     disposition=disposition, recorded_by=actor.employee_id, recorded_at=now())
        record.about("removed_part", removed.id, job=job.id, line=line.id, part=part.part_number, quantity=qty,
                     causal=bool(causal), disposition=disposition)
    return removed.id
