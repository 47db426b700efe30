"""Parts on the floor: issuing to and returning from job lines, receiving stock, the ledger check, and the
old parts that come off a job. The catalogue search lives in kiosk.catalogue (re-exported here)."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN, fn

from . import permissions
from .audit import Actor, change
from .catalogue import (PartRow, find_part_by_scan, load_catalogue, scanned_number,  # noqa: F401 - the screens' API
                        search_parts)
from .errors import Conflict, InvalidInput, NotFound
from .i18n import N_, Msgid
from .jobs import job_number, line_for_work, start_work, still_workable, workable_line
from .store import fast
from .store.models import Part, RemovedPart, StockMovement, now, timestamp
from .text import clean, parse_quantity


@dataclass(frozen=True)
class PartRef:
    id: int
    part_number: str
    bin: str


def _part(part_number: str) -> PartRef:
    number = clean(part_number, N_("Part number"), max_len=40).replace(" ", "").upper()
    row = fast.one("SELECT id, part_number, bin FROM part WHERE part_number = ?", (number,)) if number else None
    if row is None:
        raise NotFound(N_("Unknown part number {number}: search the catalogue by words instead."),
                       number=number or N_("(empty)"))
    return PartRef(*row)


def _on_hand(part_id: int) -> int:
    return fast.one("SELECT on_hand FROM part WHERE id = ?", (part_id,))[0]


def issued_to_line(line_id: int, part_id: int) -> int:
    """How many of a part a line holds: issued minus returned."""
    total = fast.one("SELECT COALESCE(SUM(quantity), 0) FROM stock_movement WHERE job_line_id = ? AND part_id = ?",
                     (line_id, part_id))[0]
    return -int(total)


def _move(actor: Actor, part_id: int, quantity: int, kind: str, line_id: int | None, reason: str = "") -> None:
    fast.execute("INSERT INTO stock_movement (part_id, quantity, kind, job_line_id, reason, employee_id, terminal, at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (part_id, quantity, kind, line_id, reason[:200], actor.employee_id, actor.terminal[:60], timestamp()))


def _change_stock(part_id: int, delta: int) -> bool:
    """Add delta to on-hand in one statement that refuses to go below zero (two terminals, one last part)."""
    return fast.rowcount("UPDATE part SET on_hand = on_hand + ? WHERE id = ? AND on_hand + ? >= 0",
                         (delta, part_id, delta)) == 1


def issue_part(actor: Actor, line_id: int, part_number: str, quantity: str | int) -> int:
    """Issue parts from stock to an open job line; returns the stock left. Never below zero, even from two
    terminals. Moves an approved card into work.

    Raises InvalidInput (quantity), NotFound (line, part: "search the catalogue"), NotAllowed (another
    technician's line, a line done, a card not in work), Conflict ("Only N of X left (bin B)").
    """
    qty = parse_quantity(quantity)
    line = line_for_work(actor, line_id, open_line=True,
                         any_line=permissions.allowed(actor.role, "part.issue_to_any_line"))
    part = _part(part_number)
    with change(actor, "part.issue") as record:
        still_workable(actor, line)
        if not _change_stock(part.id, -qty):
            raise Conflict(N_("Only {on_hand} of {part} left (bin {bin}); cannot issue {quantity}."),
                           on_hand=_on_hand(part.id), part=part.part_number, bin=part.bin or "?", quantity=qty)
        _move(actor, part.id, -qty, "issue", line.line_id)
        start_work(line.job_id, line.job_status)
        record.about("job_line", line.line_id, job=line.job_id, part=part.part_number, quantity=qty)
    return _on_hand(part.id)


def return_part(actor: Actor, line_id: int, part_number: str, quantity: str | int, reason: str) -> int:
    """Return unused parts from a line to stock, never more than the line holds (issued minus returned);
    returns the stock now. Raises InvalidInput (quantity, reason, more than the line holds), NotFound,
    NotAllowed (another technician's line, a card not in work)."""
    qty = parse_quantity(quantity)
    reason = clean(reason, N_("Reason"), max_len=200, required=True)
    line = line_for_work(actor, line_id, any_line=permissions.allowed(actor.role, "part.issue_to_any_line"))
    part = _part(part_number)
    with change(actor, "part.return") as record:
        still_workable(actor, line)
        holds = issued_to_line(line.line_id, part.id)
        if qty > holds:
            raise InvalidInput(N_("Line {position} of {job} holds {holds} of {part}; cannot return {quantity}."),
                               position=line.position, job=job_number(line.job_id), holds=holds,
                               part=part.part_number, quantity=qty)
        _change_stock(part.id, qty)
        _move(actor, part.id, qty, "return", line.line_id, reason)
        record.about("job_line", line.line_id, job=line.job_id, part=part.part_number, quantity=qty, reason=reason)
    return _on_hand(part.id)


def receive_stock(actor: Actor, part_number: str, quantity: str | int, reason: str = "", *,
                  delivery_note: str = "") -> int:
    """Stock coming in, with the supplier's delivery-note number or another reason (both go into the ledger
    line); returns the stock now. Raises InvalidInput (quantity, neither a note nor a reason), NotFound."""
    qty = parse_quantity(quantity, maximum=100000)
    note = clean(delivery_note, N_("Delivery note"), max_len=60)
    reason = clean(reason, N_("Reason"), max_len=200, required=not note)
    why = "; ".join(filter(None, (f"delivery note {note}" if note else "", reason)))
    with change(actor, "part.receive") as record:
        part = _part(part_number)
        _change_stock(part.id, qty)
        _move(actor, part.id, qty, "receive", None, why)
        record.about("part", part.id, part=part.part_number, quantity=qty, reason=reason, delivery_note=note)
    return _on_hand(part.id)


def take_back_receipt(actor: Actor, part_number: str, quantity: str | int, delivery_note: str) -> int:
    """A part scanned in by mistake at goods in: taken back off the same delivery note by a further ledger line
    (nothing is deleted), never more than that note brought in; returns the stock now. Raises InvalidInput,
    NotFound, Conflict (fewer on hand, issued meanwhile)."""
    qty = parse_quantity(quantity, maximum=100000)
    note = clean(delivery_note, N_("Delivery note"), max_len=60, required=True)
    why = f"delivery note {note}"
    with change(actor, "part.receive") as record:
        part = _part(part_number)
        brought = fast.one("SELECT COALESCE(SUM(quantity), 0) FROM stock_movement WHERE part_id = ? AND kind = ? "
                           "AND reason = ?", (part.id, "receive", why))[0]
        if qty > brought:
            raise InvalidInput(N_("Delivery note {note} brought in {brought} of {part}; cannot take back {quantity}."),
                               note=note, brought=brought, part=part.part_number, quantity=qty)
        if not _change_stock(part.id, -qty):
            raise Conflict(N_("Only {on_hand} of {part} on hand; cannot take back {quantity}."),
                           on_hand=_on_hand(part.id), part=part.part_number, quantity=qty)
        _move(actor, part.id, -qty, "receive", None, why)
        record.about("part", part.id, part=part.part_number, quantity=-qty, delivery_note=note, taken_back=True)
    return _on_hand(part.id)


def adjust_stock(actor: Actor, part_id: int, delta: int, kind: str, reason: str) -> bool:
    """Change on-hand by delta and write its ledger line, inside the caller's transaction; False (nothing
    written) when it would go below zero."""
    if not _change_stock(part_id, delta):
        return False
    _move(actor, part_id, delta, kind, None, reason)
    return True


@dataclass(frozen=True)
class StockMismatch:
    part_number: str
    on_hand: int
    ledger: int

    def __str__(self) -> str:
        return f"{self.part_number}: on hand {self.on_hand}, ledger {self.ledger}"


def check_stock() -> list[StockMismatch]:
    """Parts whose on-hand differs from the sum of their ledger, in part-number order; an empty list means
    all is well (`kiosk check stock`). One grouped query over the ledger."""
    ledger = (StockMovement.select(StockMovement.part, fn.SUM(StockMovement.quantity).alias("total"))
              .group_by(StockMovement.part).alias("ledger"))
    query = (Part.select(Part.part_number, Part.on_hand, fn.COALESCE(ledger.c.total, 0).alias("total"))
             .join(ledger, JOIN.LEFT_OUTER, on=(ledger.c.part_id == Part.id))
             .where(Part.on_hand != fn.COALESCE(ledger.c.total, 0)).order_by(Part.part_number).tuples())
    return [StockMismatch(number, on_hand, int(total)) for number, on_hand, total in query]


# What may become of an old part, by the payer of its line.
DISPOSITIONS = {"warranty": ("warranty",), "customer": ("customer_keeps", "scrap"), "internal": ("scrap",)}
DISPOSITION_WORDS = {"warranty": N_("a warranty part (to be tagged)"), "customer_keeps": N_("customer keeps"),
                     "scrap": N_("scrap")}
# The choices of each payer's line, as one phrase ("customer keeps or scrap").
_CHOICE_WORDS = {"warranty": N_("a warranty part (to be tagged)"), "customer": N_("customer keeps or scrap"),
                 "internal": N_("scrap")}


def record_removed_part(actor: Actor, line_id: int, part_number: str, quantity: str | int, causal: bool,
                        disposition: str = "") -> int:
    """The old part that came off a line: on a warranty line it waits to be tagged (disposition
    "warranty"); on a customer line the customer keeps it or it is scrapped ("customer_keeps" or "scrap",
    the technician must say which); on an internal line it is scrapped. Blank picks the only choice.
    A line already done still takes one (the card cannot be completed until it is tagged).
    Returns the RemovedPart id. Raises InvalidInput, NotFound, NotAllowed."""
    qty = parse_quantity(quantity, maximum=99)
    disposition = clean(disposition, N_("What becomes of the old part"), max_len=20).lower()
    with change(actor, "removed_part.record") as record:
        line, job = workable_line(actor, line_id)
        allowed = DISPOSITIONS.get(line.payer, ("scrap",))
        choices = _CHOICE_WORDS.get(line.payer, N_("scrap"))
        if not disposition and len(allowed) == 1:
            disposition = allowed[0]
        if not disposition:
            raise InvalidInput(N_("Say what becomes of the old part on this {payer} line: {choices}."),
                               payer=Msgid(line.payer), choices=choices)
        if disposition not in allowed:
            wrong = (N_("On an {payer} line the old part is {choices}, not {given}.") if line.payer[0] in "aeiou"
                     else N_("On a {payer} line the old part is {choices}, not {given}."))
            raise InvalidInput(wrong, payer=Msgid(line.payer), choices=choices,
                               given=DISPOSITION_WORDS.get(disposition, disposition))
        part = _part(part_number)
        removed = RemovedPart.create(job_line=line.id, part=part.id, quantity=qty, causal=bool(causal),
                                     disposition=disposition, recorded_by=actor.employee_id, recorded_at=now())
        record.about("removed_part", removed.id, job=job.id, line=line.id, part=part.part_number, quantity=qty,
                     causal=bool(causal), disposition=disposition)
    return removed.id
