"""The shop's parts catalogue from a CSV price file (`kiosk parts import`, the manager's Import screen): new parts
added, known ones updated (price, description, bin, flags) with on-hand left alone, each change recorded.
The whole file is checked first, then written in batches; a run cut short is taken up again by importing the
same file."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .audit import Actor, change
from .catalogue import _insert, search_text
from .config import data_dir
from .csvimport import (Column, CsvFile, ImportHasErrors, ImportReport, batches, cell_text, finish_run, parse_amount,
                        parse_flag, records, start_run)
from .errors import InvalidInput
from .i18n import N_, gettext, os_reason, render
from .permissions import require
from .store import fast
from .store.models import timestamp

COLUMNS = [
    Column("part_number", ("零件号", "零件编号", "零件代码", "配件号", "配件编号", "part_no", "part no", "partnumber"),
           required=True),
    Column("description", ("名称", "零件名称", "配件名称", "描述", "name")),
    Column("bin", ("货位", "库位", "仓位", "location")),
    Column("unit_price", ("单价", "价格", "销售价", "price")),
    Column("manufacturer", ("厂家", "厂商", "品牌", "制造商", "brand")),
    Column("wear_part", ("易损件", "wear")),
    Column("safety_part", ("安全件", "safety")),
    Column("hazardous", ("危险品", "hazmat")),
]
FLAGS = ("wear_part", "safety_part", "hazardous")
FIELDS = ("description", "bin", "unit_price", "manufacturer", *FLAGS)
# Parts per write transaction: up to about 0.4 s each on this busy 2-core machine (2,000 took up to 0.9 s),
# so another terminal waits well under a second.
BATCH = 1000
Progress = Callable[[str, int, int], None]  # (phase, done, of): bytes while checking, parts while writing


@dataclass(frozen=True)
class PartLine:
    """A line of the price file; None is a column the file leaves out or a cell left empty: kept as it is."""

    part_number: str
    description: str | None
    bin: str | None
    unit_price: Decimal | None
    manufacturer: str | None
    wear_part: bool | None
    safety_part: bool | None
    hazardous: bool | None


@dataclass(frozen=True)
class ImportResult:
    lines: int
    added: int
    updated: int
    unchanged: int
    skipped: int  # bad lines left out (skip_bad)
    encoding: str
    ignored: tuple[str, ...]
    report_path: str = ""
    resumed: bool = False

    def summary(self) -> str:
        """What the import did, in the current language."""
        values = {"lines": self.lines, "encoding": self.encoding, "added": self.added, "updated": self.updated,
                  "unchanged": self.unchanged, "skipped": self.skipped, "report": self.report_path,
                  "ignored": ", ".join(self.ignored)}
        parts = [N_("{lines} line(s) read ({encoding}): {added} part(s) added, {updated} updated, {unchanged} "
                    "unchanged")]
        if self.skipped:
            parts.append(N_("{skipped} bad line(s) left out, listed in {report}"))
        if self.ignored:
            parts.append(N_("columns ignored: {ignored}"))
        # Translators: between the parts of an import's summary, as in "... 3 unchanged; columns ignored: x"
        text = gettext("; ").join(render(part, values) for part in parts)
        # Translators: the full stop that ends a sentence of values
        return text + gettext(".")


def parse_line(values: dict) -> PartLine:
    number = cell_text(values.get("part_number", ""), "part_number", max_len=40, required=True)
    number = number.replace(" ", "").upper()

    def text(name: str, max_len: int) -> str | None:
        value = values.get(name, "")
        return cell_text(value, name, max_len=max_len) if value else None

    flags = [parse_flag(values[f], f) if values.get(f, "") else None for f in FLAGS]
    return PartLine(number, text("description", 200), text("bin", 16),
                    parse_amount(values.get("unit_price", ""), "unit_price"), text("manufacturer", 40), *flags)


class _Spool:
    """The checked lines of the file in a scratch SQLite file between the check and the writing: the file is
    parsed once, and a 1 GB file keeps memory flat (no set of part numbers, no list of rows in memory)."""

    def __init__(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="kiosk-import-")
        self.db = sqlite3.connect(os.path.join(self.folder.name, "lines.sqlite"))
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                              "CREATE TABLE line (line INTEGER PRIMARY KEY, part_number TEXT, description TEXT, "
                              "bin TEXT, unit_price TEXT, manufacturer TEXT, wear_part INTEGER, "
                              "safety_part INTEGER, hazardous INTEGER)")

    def add(self, lines: list[tuple[int, PartLine]]) -> None:
        self.db.executemany("INSERT INTO line VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [(n, p.part_number, p.description, p.bin,
                              None if p.unit_price is None else str(p.unit_price), p.manufacturer, p.wear_part,
                              p.safety_part, p.hazardous) for n, p in lines])

    def duplicates(self) -> list[tuple[int, int, PartLine]]:
        """(line, first line, part) of each line whose part number an earlier line has; taken out of the spool."""
        self.db.execute("CREATE INDEX line_number ON line (part_number, line)")
        found = [(row[0], row[-1], _part(row[1:-1])) for row in self.db.execute(
            "SELECT line.*, first FROM line JOIN (SELECT part_number AS number, min(line) AS first FROM line "
            "GROUP BY part_number HAVING count(*) > 1) ON number = part_number WHERE line > first ORDER BY line")]
        self.db.executemany("DELETE FROM line WHERE line = ?", [(n,) for n, _, _ in found])
        return found

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM line").fetchone()[0]

    def lines(self) -> Iterator[tuple[int, PartLine]]:
        for row in self.db.execute("SELECT * FROM line ORDER BY line"):
            yield row[0], _part(row[1:])

    def close(self) -> None:
        self.db.close()
        self.folder.cleanup()


def _part(row) -> PartLine:
    number, description, bin_, price, manufacturer, *flags = row
    return PartLine(number, description, bin_, None if price is None else Decimal(price), manufacturer,
                    *(None if f is None else bool(f) for f in flags))


def _check(file: CsvFile, spool: _Spool, bad: Callable[[int, dict, str], None] | None = None,
           progress: Progress | None = None) -> ImportReport:
    """Read the whole file once: good lines into the spool, each bad one into the report (and to bad(line,
    values, why)). A part the catalogue does not have yet needs a description: asked of the database per batch."""
    report = ImportReport()
    pending: list[tuple[int, dict, PartLine]] = []

    def refuse(number: int, values: dict, problem: str) -> None:
        report.add_bad(number, problem)
        if bad:
            bad(number, values, problem)

    def flush() -> None:
        unnamed = [part.part_number for _, _, part in pending if part.description is None]
        known = _known(unnamed) if unnamed else {}
        good = []
        for number, values, part in pending:
            if part.description is None and part.part_number not in known:
                refuse(number, values, render(N_("part {part} is not in the catalogue yet: its line needs a "
                                                 "description"), {"part": part.part_number}))
            else:
                good.append((number, part))
        spool.add(good)
        pending.clear()
        if progress:
            progress("checking", file.position, file.size)

    for record in records(file, COLUMNS, report):
        problem = record.problem
        if not problem:
            try:
                pending.append((record.number, record.values, parse_line(record.values)))
            except InvalidInput as exc:
                problem = exc.message
            else:
                if len(pending) >= BATCH:
                    flush()
                continue
        refuse(record.number, record.values, problem)
    flush()
    if report.rows == 0:
        raise InvalidInput(N_("The file has its header line but no data lines."))
    for number, first, part in spool.duplicates():
        refuse(number, {name: "" if getattr(part, name) is None else str(getattr(part, name))
                        for name in ("part_number", *FIELDS)},
               render(N_("part number {part} is also on line {line}"), {"part": part.part_number, "line": first}))
    return report


def import_parts(actor: Actor, source, *, encoding: str | None = None, skip_bad: bool = False,
                 report_path: str | os.PathLike | None = None, progress: Progress | None = None) -> ImportResult:
    """Import a price file (a path, or bytes/text). Bad lines: nothing is written and ImportHasErrors lists
    them, unless skip_bad, when the good lines go in and the bad ones are written to a report file.

    Checked whole before the first write, then written in batches of BATCH parts, each one transaction with
    its audit event, so other terminals wait a fraction of a second at most. If the kiosk stops half-way,
    importing the same file again finishes the same run to the same result."""
    require(actor.role, "part.import")
    file = source if isinstance(source, CsvFile) else CsvFile(source, encoding)
    spool = _Spool()
    writer = _BadLineWriter(report_path, file) if skip_bad else None
    try:
        report = _check(file, spool, writer.write if writer else None, progress)
        if report.bad_count and not skip_bad:
            raise ImportHasErrors(report)
        run_id, resumed = start_run(actor, "parts", file, report.rows)
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        total, done = spool.count(), 0
        for batch in batches(spool.lines(), BATCH):
            _write_batch(actor, run_id, batch, counts)
            done += len(batch)
            if progress:
                progress("writing", done, total)
    finally:
        spool.close()
        if writer:
            writer.close()
    finish_run(run_id, counts["added"] + counts["updated"])
    return ImportResult(report.rows, counts["added"], counts["updated"], counts["unchanged"], report.bad_count,
                        file.encoding_word, tuple(report.ignored), str(writer.path) if report.bad_count else "",
                        resumed)


_PART_SQL = ("SELECT id, part_number, description, bin, unit_price, manufacturer, wear_part, safety_part, hazardous "
             "FROM part WHERE part_number IN ({})")
_UPDATE = "UPDATE part SET description = ?, bin = ?, unit_price = ?, manufacturer = ?, wear_part = ?, " \
          "safety_part = ?, hazardous = ? WHERE id = ?"
# Only a new description changes the search words (and the search index's trigger fires on search_text).
_UPDATE_WORDS = "UPDATE part SET description = ?, bin = ?, unit_price = ?, manufacturer = ?, wear_part = ?, " \
                "safety_part = ?, hazardous = ?, search_text = ? WHERE id = ?"
_CHANGE = ("INSERT INTO part_change (part_id, import_run_id, kind, old_price, new_price, changes, employee_id, "
           "actor, terminal, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_CENT = Decimal("0.01")


def _known(numbers: list[str]) -> dict[str, tuple]:
    cursor = fast.execute(_PART_SQL.format(", ".join(["?"] * len(numbers))), tuple(numbers))
    known = {}
    for pid, number, description, bin_, price, manufacturer, wear, safety, hazardous in cursor.fetchall():
        known[number] = (pid, {"description": description, "bin": bin_,
                               "unit_price": Decimal(str(price)).quantize(_CENT), "manufacturer": manufacturer,
                               "wear_part": bool(wear), "safety_part": bool(safety), "hazardous": bool(hazardous)})
    return known


def _write_batch(actor: Actor, run_id: int, batch: list[tuple[int, PartLine]], counts: dict) -> None:
    """One batch in one transaction. The search words (most of the Python work) are made before it begins: that
    time between two batches is when other terminals write. Holding the lock through it starved them here
    (a terminal waited 2.3 s), because SQLite's busy wait polls every 100 ms and the lock was free for 1 ms."""
    at = timestamp()
    who = (actor.employee_id, actor.name[:80], actor.terminal[:60], at)
    numbers = [part.part_number for _, part in batch]
    before = _known(numbers)
    words = {part.part_number: search_text(part.part_number, part.description) for _, part in batch
             if part.description is not None and (part.part_number not in before
                                                  or before[part.part_number][1]["description"] != part.description)}

    def words_of(number: str, description: str) -> str:
        found = words.get(number)
        return found if found is not None else search_text(number, description)

    with change(actor, "part.import") as record:
        known = _known(numbers)
        new, updates, updates_words, events = [], [], [], []
        for _, part in batch:
            if part.part_number not in known:
                new.append(part)
                continue
            pid, old = known[part.part_number]
            wanted = {name: getattr(part, name) for name in FIELDS}
            merged = {name: old[name] if wanted[name] is None else wanted[name] for name in FIELDS}
            changed = {name: [_plain(old[name]), _plain(merged[name])] for name in FIELDS
                       if merged[name] != old[name]}
            if not changed:
                counts["unchanged"] += 1
                continue
            values = [merged[name] for name in FIELDS]
            if "description" in changed:
                updates_words.append((*values, words_of(part.part_number, merged["description"]), pid))
            else:
                updates.append((*values, pid))
            changed.pop("unit_price", None)
            events.append((pid, run_id, "updated", old["unit_price"], merged["unit_price"],
                           json.dumps(changed, ensure_ascii=False) if changed else "", *who))
        fast.many(_UPDATE, updates)
        fast.many(_UPDATE_WORDS, updates_words)
        if new:
            _insert("part", ["part_number", "description", "bin", "on_hand", "unit_price", "wear_part",
                             "safety_part", "hazardous", "manufacturer", "search_text"],
                    [(p.part_number, p.description, p.bin or "", 0, p.unit_price or Decimal("0.00"),
                      bool(p.wear_part), bool(p.safety_part), bool(p.hazardous), p.manufacturer or "",
                      words_of(p.part_number, p.description)) for p in new])
            added = _known([p.part_number for p in new])
            events.extend((added[p.part_number][0], run_id, "added", None, p.unit_price or Decimal("0.00"), "", *who)
                          for p in new)
        fast.many(_CHANGE, events)
        counts["added"] += len(new)
        counts["updated"] += len(updates) + len(updates_words)
        record.about("import_run", run_id, lines=f"{batch[0][0]}-{batch[-1][0]}", added=len(new),
                     updated=len(updates) + len(updates_words))


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


class _BadLineWriter:
    """The bad lines of a skip_bad import, as a CSV a person opens in Excel: line, why, and the line's cells.
    The file is made at the first bad line."""

    def __init__(self, path, file: CsvFile) -> None:
        if path is None:
            stem = Path(file.name).stem if file.name != "the file" else "import"
            path = data_dir() / "import-reports" / f"{stem}-bad-lines-{dt.datetime.now():%Y%m%d-%H%M%S}.csv"
        self.path = Path(path)
        self.fh = None

    def write(self, number: int, values: dict, why: str) -> None:
        if self.fh is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.fh = open(self.path, "w", encoding="utf-8-sig", newline="")
            except OSError as exc:
                raise InvalidInput(N_("Cannot write the report of bad lines to {path}: {error}."),
                                   path=str(self.path), error=os_reason(exc)) from None
            self.writer = csv.writer(self.fh)
            self.writer.writerow([gettext(N_("line")), gettext(N_("problem")), *(c.name for c in COLUMNS)])
        # A cell that starts with "=" goes out with a leading apostrophe, so Excel shows it and never runs it.
        cells = [values.get(c.name, "") for c in COLUMNS]
        self.writer.writerow([number, why, *("'" + v if v.startswith(("=", "+", "@")) else v for v in cells)])

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
