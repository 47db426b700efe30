"""Counting a bin: a manager scans what is on the shelf, sees each part's difference from on-hand, and posts the
differences to the stock ledger with a reason, in one transaction (so `kiosk check stock` still holds)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import permissions
from .i18n import N_, Said, stored
from .audit import Actor, change
from .catalogue import find_part_by_scan
from .errors import Conflict, InvalidInput, NotAllowed, NotFound
from .parts import adjust_stock
from .store import fast
from .store.models import now
from .text import clean, parse_quantity

# A bin is a shelf place, not a warehouse: a count holds its parts in memory and shows them all.
MAX_BIN_PARTS = 500
MAX_COUNTED = 100000


@dataclass
class CountLine:
    """One part of the bin: on-hand when it was first scanned (or when the count began, if never scanned)."""

    part_id: int
    part_number: str
    description: str
    snapshot: int
    counted: int = 0
    scanned_at: dt.datetime | None = None

    @property
    def difference(self) -> int:
        return self.counted - self.snapshot


@dataclass
class StockCount:
    bin: str
    started_at: dt.datetime
    lines: dict[int, CountLine] = field(default_factory=dict)
    posted: bool = False

    def rows(self) -> list[CountLine]:
        """Lines in part-number order (scanned or not: a part never scanned was counted as none)."""
        return sorted(self.lines.values(), key=lambda line: line.part_number)

    @property
    def scanned(self) -> int:
        return sum(line.counted for line in self.lines.values())

    @property
    def differences(self) -> list[CountLine]:
        return [line for line in self.rows() if line.difference]


@dataclass(frozen=True)
class CountResult:
    bin: str
    posted: list[tuple[str, int]]  # part number, correction posted to the ledger
    moved_meanwhile: list[tuple[str, int]]  # part number, stock moved between its count and the posting

    @property
    def message(self) -> str:
        """What the posting did, in the current language."""
        if not self.posted:
            said = [(N_("Bin {bin} counted: no differences, nothing posted."), {"bin": self.bin})]
        else:
            said = [(N_("Bin {bin} counted: {count} correction(s) posted ({parts})."),
                     {"bin": self.bin, "count": len(self.posted),
                      "parts": ", ".join(f"{number} {delta:+d}" for number, delta in self.posted[:4])
                      + (", ..." if len(self.posted) > 4 else "")})]
        if self.moved_meanwhile:
            said.append((N_("Moved while counting (the difference was posted against the count): {parts}."),
                         {"parts": ", ".join(f"{number} {delta:+d}" for number, delta in self.moved_meanwhile[:4])}))
        return str(Said(said))


def _bin(raw: str) -> str:
    text = clean(raw, N_("Bin"), max_len=16, required=True).upper()
    return text[4:] if text.startswith("LOC-") else text  # a scanned shelf label names its bin


def start_count(actor: Actor, bin_name: str) -> StockCount:
    """Begin counting a bin: every part whose bin it is, with on-hand now. Raises NotAllowed, InvalidInput,
    NotFound (no parts in the bin)."""
    permissions.require(actor.role, "stock.count")
    name = _bin(bin_name)
    rows = fast.execute("SELECT id, part_number, description, on_hand FROM part WHERE bin = ? "
                        "ORDER BY part_number LIMIT ?", (name, MAX_BIN_PARTS + 1)).fetchall()
    if not rows:
        raise NotFound(N_("No part in the catalogue has bin {bin}; check the bin's label."), bin=name)
    if len(rows) > MAX_BIN_PARTS:
        raise InvalidInput(N_("Bin {bin} holds more than {count} part numbers; count it by shelf."), bin=name,
                           count=MAX_BIN_PARTS)
    count = StockCount(name, now())
    for part_id, number, description, on_hand in rows:
        count.lines[part_id] = CountLine(part_id, number, description, on_hand)
    return count


def count_scan(count: StockCount, code: str, quantity: str | int = 1) -> CountLine:
    """A part scanned on the shelf (quantity: how many that scan stands for). The first scan of a part takes its
    on-hand again, so stock moved before the counter reached it is not a difference. Raises InvalidInput
    (a part of another bin, a bad quantity), NotFound, NotAllowed (posted already)."""
    if count.posted:
        raise NotAllowed(N_("The count of bin {bin} was posted; start a new count."), bin=count.bin)
    qty = parse_quantity(quantity, maximum=MAX_COUNTED)
    part = find_part_by_scan(code)
    line = count.lines.get(part.id)
    if line is None:
        raise InvalidInput(N_("{part} belongs in bin {bin}, not {counted}: it is not counted here; put it back in its "
                              "own bin."), part=part.part_number, bin=part.bin or N_("(none)"), counted=count.bin)
    if line.counted + qty > MAX_COUNTED:
        raise InvalidInput(N_("{part}: {count} is more than one bin holds."), part=part.part_number,
                           count=line.counted + qty)
    if line.scanned_at is None:
        line.snapshot, line.scanned_at = part.on_hand, now()
    line.counted += qty
    return line


def set_counted(count: StockCount, part_number: str, quantity: str | int) -> CountLine:
    """Correct a line's count by typing the total (0 allowed: none on the shelf)."""
    if count.posted:
        raise NotAllowed(N_("The count of bin {bin} was posted; start a new count."), bin=count.bin)
    qty = parse_quantity(quantity, field=N_("Counted"), minimum=0, maximum=MAX_COUNTED)
    number = clean(part_number, N_("Part number"), max_len=40).replace(" ", "").upper()
    line = next((line for line in count.lines.values() if line.part_number == number), None)
    if line is None:
        raise NotFound(N_("{part} is not in bin {bin}."), part=number or N_("(empty)"), bin=count.bin)
    if line.scanned_at is None:
        line.snapshot = fast.one("SELECT on_hand FROM part WHERE id = ?", (line.part_id,))[0]
        line.scanned_at = now()
    line.counted = qty
    return line


def post_count(actor: Actor, count: StockCount, reason: str) -> CountResult:
    """Post each difference (counted minus on-hand when counted) to the ledger, in one transaction with one
    audit event. Stock that moved between a part's count and the posting is kept: the correction is the
    count's difference, added to on-hand as it is now. A correction that would take on-hand below zero (more
    went out meanwhile than the count allows) refuses the whole posting: count that part again.
    Raises InvalidInput (reason), NotAllowed (posted already, role), Conflict."""
    reason = clean(reason, N_("Reason"), max_len=150, required=True)
    if count.posted:
        raise NotAllowed(N_("The count of bin {bin} was posted already."), bin=count.bin)
    posted, moved = [], []
    with change(actor, "stock.count") as record:
        # In part id order, so two postings lock rows in the same order on PostgreSQL.
        for line in sorted(count.lines.values(), key=lambda line: line.part_id):
            row = fast.one("SELECT on_hand FROM part WHERE id = ?", (line.part_id,))
            if row is None:
                raise NotFound(N_("{part} is no longer in the catalogue."), part=line.part_number)
            if row[0] != line.snapshot:
                moved.append((line.part_number, row[0] - line.snapshot))
            if not line.difference:
                continue
            note = stored(N_("count of bin {bin}: {reason}"), bin=count.bin, reason=reason)
            if not adjust_stock(actor, line.part_id, line.difference, "count", note):
                raise Conflict(N_("{part}: counted {counted}, but {out} went out since it was counted, which leaves "
                                  "fewer than none; count it again. Nothing was posted."), part=line.part_number,
                               counted=line.counted, out=line.snapshot - row[0])
            posted.append((line.part_number, line.difference))
        record.about("bin", None, bin=count.bin, reason=reason, started=count.started_at,
                     corrections=dict(posted), moved_meanwhile=dict(moved), parts=len(count.lines))
    count.posted = True
    return CountResult(count.bin, sorted(posted), sorted(moved))
