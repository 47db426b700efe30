"""The one CSV reader of every import (parts catalogue, claims, return requests): a file read line by line in
its own encoding (UTF-8, UTF-8 with BOM, GBK/GB18030), header names in English or Chinese, and every bad
line reported by its number instead of being stored half-right."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .errors import InvalidInput
from .i18n import N_, Msgid, Named, gettext, os_reason, render
from .text import AMOUNT_MAX, clean, within
from .text import parse_amount as text_amount

MAX_BYTES = 5_000_000  # read_rows: text handed over whole (a file goes through CsvFile, streamed)
MAX_LINE_BYTES = 1_000_000  # one physical line; longer is not a CSV a person exported
MAX_LISTED = 1000  # bad lines kept for the message and the screen; the rest are counted
csv.field_size_limit(MAX_LINE_BYTES)

# What a person may write for an encoding, and the codec that reads it. GBK is read as GB18030, its superset.
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-8-bom": "utf-8-sig",
             "gbk": "gb18030", "gb2312": "gb18030", "gb18030": "gb18030", "cp936": "gb18030"}
ENCODING_WORDS = {"utf-8": "UTF-8", "utf-8-sig": N_("UTF-8 (with BOM)"), "gb18030": "GBK/GB18030"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Column:
    """A column an import reads: its name, the other headers accepted for it (Chinese Excel's), required."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass
class ImportReport:
    good: list = field(default_factory=list)  # (line number, parsed value): small imports only
    bad: list = field(default_factory=list)  # (line number, message), the first MAX_LISTED
    bad_count: int = 0
    rows: int = 0  # data lines read (blank lines not counted)
    ignored: list = field(default_factory=list)  # header names no column takes
    encoding: str = ""

    def add_bad(self, number: int, message: str) -> None:
        self.bad_count += 1
        if len(self.bad) < MAX_LISTED:
            self.bad.append((number, message))

    def summary(self) -> str:
        """The counts and the first bad lines, in the current language (the bad lines as they were found)."""
        bad = max(self.bad_count, len(self.bad))
        text = render(N_("{good} good line(s), {bad} bad line(s)"),
                      {"good": self.rows - bad if self.rows else len(self.good), "bad": bad})
        if self.bad:
            # Translators: between the bad lines an import's summary lists
            between = gettext("; ")
            listed = between.join(render(N_("line {number}: {problem}"), {"number": n, "problem": msg})
                                  for n, msg in sorted(self.bad)[:5])
            text = render(N_("{counts}: {lines}"), {"counts": text, "lines": listed})
            if bad > 5:
                text += between + render(N_("and {count} more"), {"count": bad - 5})
        return text


class _Summary:
    """A report's summary as an error's value: said when the error is read, in the reader's language."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report

    def __format__(self, spec: str) -> str:
        return format(self.report.summary().rstrip(".。"), spec)


class ImportHasErrors(InvalidInput):
    """Some lines are bad: nothing was imported; fix them, or import the good ones on explicit confirmation."""

    def __init__(self, report: ImportReport):
        report.bad.sort()
        super().__init__(N_("Nothing imported. {summary}."), summary=_Summary(report))
        self.report = report


def header_key(name: str) -> str:
    """A header as compared: full-width folded, lower case, spaces and dashes as underscores, no BOM."""
    text = unicodedata.normalize("NFKC", name.replace("\ufeff", "")).strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def encoding_name(encoding: str | None) -> str | None:
    """The codec for an encoding a person named (None: detect it)."""
    if not encoding:
        return None
    codec = ENCODINGS.get(encoding.strip().lower().replace("_", "-"))
    if codec is None:
        raise InvalidInput(N_("Unknown encoding {encoding!r}: use utf-8, utf-8-sig or gbk (gb18030)."),
                           encoding=encoding[:20])
    return codec


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class CsvFile:
    """A CSV file (a path, bytes, or text already decoded), read one physical line at a time; read it again
    for a second pass. The encoding is the one given, or found: a BOM means UTF-8 with BOM, valid UTF-8 means
    UTF-8, else GB18030 (Chinese Excel's default). A line whose bytes are not valid in it is a bad line."""

    def __init__(self, source: str | bytes | os.PathLike, encoding: str | None = None, *, name: str = ""):
        self.source = source
        self.codec = encoding_name(encoding)
        self.name = name or (str(source) if isinstance(source, os.PathLike) else N_("the file"))
        self.position = 0  # bytes read so far in this pass (for a progress bar)
        self.sha256 = ""  # of the bytes read in the last complete pass
        if isinstance(source, os.PathLike):
            try:
                self.size = os.path.getsize(source)
            except OSError as exc:
                raise InvalidInput(N_("Cannot read {file}: {error}."), file=str(source),
                                   error=os_reason(exc)) from None
            if Path(source).is_dir():
                raise InvalidInput(N_("{file} is a folder, not a CSV file."), file=str(source))
        else:
            self.size = len(source)

    def _binary(self):
        if isinstance(self.source, os.PathLike):
            try:
                return open(self.source, "rb")
            except OSError as exc:
                raise InvalidInput(N_("Cannot read {file}: {error}."), file=str(self.source),
                                   error=os_reason(exc)) from None
        return io.BytesIO(self.source) if isinstance(self.source, bytes) else None

    def lines(self, bad: Callable[[int, str], None]) -> Iterator[str]:
        """Each physical line as text with its line ending; a line not valid in the encoding is passed to
        bad(number, why) and given as text with its wrong bytes replaced, for the caller to drop."""
        self.position = 0
        if not isinstance(self.source, (bytes, os.PathLike)):
            self.sha256 = hashlib.sha256(self.source.encode("utf-8", "surrogatepass")).hexdigest()
            for number, line in enumerate(io.StringIO(self.source.removeprefix("\ufeff"), newline=""), 1):
                self.position += len(line)
                if "\x00" in line and number == 1:
                    raise InvalidInput(N_("This is not a CSV text file: line 1 holds binary data (NUL bytes)."))
                if not line.isascii() and not _storable(line):  # half a character pair: no file holds that
                    bad(number, gettext(N_("broken characters (half of a character pair)")))
                    line = line.encode("utf-8", "replace").decode("utf-8")
                yield line
            return
        digest = hashlib.sha256()
        with self._binary() as fh:
            head = fh.read(4096)
            fh.seek(0)
            first_line = head.split(b"\n", 1)[0]
            if (head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in first_line
                    or head.count(b"\x00") * 10 > len(head)):
                raise InvalidInput(N_("{file} is not a CSV text file (binary data on line 1); save it from Excel as "
                                      "CSV (UTF-8 or GBK)."), file=self.name)
            codec = self.codec
            if head.startswith(codecs.BOM_UTF8):
                if codec not in (None, "utf-8", "utf-8-sig"):
                    raise InvalidInput(N_("{file} starts with UTF-8's byte-order mark: it is UTF-8, not {encoding}; "
                                          "leave the encoding out."), file=self.name,
                                       encoding=ENCODING_WORDS.get(codec, codec))
                codec = "utf-8-sig"
            guessing = codec is None
            codec = codec or "utf-8"
            seen_non_ascii = False
            number = 0
            while True:
                raw = fh.readline(MAX_LINE_BYTES + 1)
                if not raw:
                    break
                number += 1
                digest.update(raw)
                self.position += len(raw)
                if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                    raise InvalidInput(N_("Line {number} is longer than {mb} MB: this is not a CSV file a person "
                                          "exported."), number=number, mb=MAX_LINE_BYTES // 1_000_000)
                if number == 1 and codec == "utf-8-sig":
                    raw = raw.removeprefix(codecs.BOM_UTF8)
                try:
                    text = raw.decode("utf-8" if codec == "utf-8-sig" else codec)
                except UnicodeDecodeError as exc:
                    if guessing and not seen_non_ascii:
                        codec, guessing = "gb18030", False  # every line so far was ASCII: the same in GB18030
                        try:
                            text = raw.decode(codec)
                        except UnicodeDecodeError as exc2:
                            bad(number, _not_valid(raw, exc2, codec))
                            text = raw.decode(codec, "replace")
                    else:
                        bad(number, _not_valid(raw, exc, codec))
                        text = raw.decode("utf-8" if codec == "utf-8-sig" else codec, "replace")
                if not seen_non_ascii and not raw.isascii():
                    seen_non_ascii = True
                self.codec = codec
                yield text
        self.codec = self.codec or "utf-8"
        self.sha256 = digest.hexdigest()

    @property
    def encoding_word(self) -> str:
        return ENCODING_WORDS.get(self.codec or "", self.codec or N_("text"))


def _not_valid(raw: bytes, exc: UnicodeDecodeError, codec: str) -> str:
    wrong = raw[exc.start:max(exc.end, exc.start + 1)].hex(" ")
    return render(N_("bytes {bytes} are not valid {encoding} text (character {position}); save the file again as "
                     "UTF-8 or GBK, or name its encoding"),
                  {"bytes": wrong, "encoding": ENCODING_WORDS.get(codec, codec),
                   "position": len(raw[:exc.start].decode(codec, "replace")) + 1})


@dataclass
class Record:
    number: int  # the line the record starts on
    values: dict  # column name -> stripped text ("" when absent)
    problem: str = ""  # why the line is bad before any column was parsed


def records(file: CsvFile, columns: list[Column] | None, report: ImportReport) -> Iterator[Record]:
    """The data lines of file as Records, the header matched to columns (None: every header, lower-cased).

    Raises InvalidInput for a file-level fault (empty, binary, missing columns); a bad line is a Record
    with a problem. Fills report.rows, report.ignored and report.encoding."""
    decode_faults: dict[int, str] = {}
    physical = {"line": 0}

    def counted() -> Iterator[str]:
        for text in file.lines(lambda n, why: decode_faults.__setitem__(n, why)):
            physical["line"] += 1
            yield text

    # strict: a quote left open or text after a closing quote is a bad line, not lines run together.
    reader = csv.reader(counted(), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InvalidInput(N_("Line 1 (the header) cannot be read as CSV: {error}."), error=str(exc)) from None
    names = [] if header is None else [header_key(h) for h in header]
    if not any(names):
        if columns:
            raise InvalidInput(N_("The file is empty: its first line must name the columns ({columns})."),
                               columns=", ".join(c.name for c in columns))
        raise InvalidInput(N_("The file is empty: its first line must name the columns."))
    if decode_faults:
        raise InvalidInput(N_("Line 1 (the header): {problem}."), problem=decode_faults[min(decode_faults)])
    if _CONTROL.search("".join(header)):
        raise InvalidInput(N_("This is not a CSV text file: line 1 holds control characters."))
    report.encoding = file.encoding_word
    index = _match_header(names, columns, report)
    width = len(names)
    start = physical["line"] + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field limit" in str(exc):  # a quote never closed: the rest of the file is one field
                raise InvalidInput(N_("Line {number} cannot be read as CSV: a quote (\") opened there is never "
                                      "closed; nothing was imported."), number=start) from None
            report.rows += 1
            yield Record(start, {}, render(N_("cannot be read as CSV ({error}): a quote (\") not closed, or text "
                                              "after one"), {"error": exc}))
            start = physical["line"] + 1
            continue
        end = physical["line"]
        number, start = start, end + 1
        fault = next((decode_faults.pop(n) for n in range(number, end + 1) if n in decode_faults), "")
        if not any(cell.strip() for cell in row) and not fault:
            continue
        report.rows += 1
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in index}
        problem = fault or _line_problem(row, width, names)
        yield Record(number, values, problem)


def _match_header(names: list[str], columns: list[Column] | None, report: ImportReport) -> list[tuple[int, str]]:
    if columns is None:
        return [(i, n) for i, n in enumerate(names) if n]
    wanted = {}
    for column in columns:
        for key in (column.name, *column.aliases):
            wanted[header_key(key)] = column.name
    index, taken = [], set()
    for i, name in enumerate(names):
        column = wanted.get(name)
        if column is None or column in taken:
            if name and name not in report.ignored:
                report.ignored.append(name)
            continue
        taken.add(column)
        index.append((i, column))
    missing = [c.name for c in columns if c.required and c.name not in taken]
    if missing:
        if any(names):
            raise InvalidInput(N_("Line 1 must name the columns; missing: {missing} (found: {found})."),
                               missing=", ".join(missing), found=", ".join(n for n in names if n)[:120])
        raise InvalidInput(N_("Line 1 must name the columns; missing: {missing}."), missing=", ".join(missing))
    return index


# Either fault anywhere in a line's cells joined by newlines: one search clears most lines at once.
_MAYBE_FAULT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|(?:^|\n)\s*=")


def _line_problem(row: list[str], width: int, names: list[str]) -> str:
    """Faults any import refuses whatever the column: extra fields, NUL and control characters, formulas."""
    if len(row) <= width and not _MAYBE_FAULT.search("\n".join(row)):
        return ""
    if len(row) > width:
        return render(N_("{fields} fields, but the header names {width} columns (a comma inside a value, as in "
                         "12,50? write 12.50, or put the value in quotes)"), {"fields": len(row), "width": width})
    for i, cell in enumerate(row):
        column = names[i] if i < len(names) and names[i] else render(N_("column {number}"), {"number": i + 1})
        hit = _CONTROL.search(cell)
        if hit:
            if hit.group() == "\x00":
                return render(N_("{column} holds a NUL byte"), {"column": column})
            return render(N_("{column} holds a control character (U+{code})"),
                          {"column": column, "code": f"{ord(hit.group()):04X}"})
        if cell.lstrip().startswith("="):
            return render(N_("{column} holds a formula ({formula}); export the values, not the formulas"),
                          {"column": column, "formula": cell.strip()[:20]})
    return ""


def check_lines(file: CsvFile, columns: list[Column] | None, parse: Callable[[dict], object],
                report: ImportReport, *, keep: bool = False) -> Iterator[tuple[int, object]]:
    """Each good line as (number, parse(values)); bad lines (reader faults, or parse raising InvalidInput)
    go to report. keep also collects the good ones in report.good."""
    for record in records(file, columns, report):
        if record.problem:
            report.add_bad(record.number, record.problem)
            continue
        try:
            parsed = parse(record.values)
        except InvalidInput as exc:
            report.add_bad(record.number, exc.message)
            continue
        if keep:
            report.good.append((record.number, parsed))
        yield record.number, parsed


def read_rows(text: str, required: tuple[str, ...], parse: Callable[[dict], object]) -> ImportReport:
    """Parse every data line of CSV text with parse(row) (keys: the header names, lower-cased); a line that
    raises InvalidInput is reported, not fatal. For small files handed over as text; files go through
    read_file."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise InvalidInput(N_("The file is too large (over {mb} MB)."), mb=MAX_BYTES // 1_000_000)
    columns = None
    report = ImportReport()
    file = CsvFile(text)
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))), [])
    names = {header_key(h) for h in header}
    missing = [h for h in required if h not in names]
    if missing:
        raise InvalidInput(N_("The first line must name the columns; missing: {missing}."), missing=", ".join(missing))
    for _ in check_lines(file, columns, parse, report, keep=True):
        pass
    return report


def read_file(source, columns: list[Column], parse: Callable[[dict], object], *,
              encoding: str | None = None) -> ImportReport:
    """Read a whole (small) import: every good line parsed into report.good, every bad one listed.
    source: a path, bytes, or text. Refuses a file with no data lines."""
    report = ImportReport()
    file = source if isinstance(source, CsvFile) else CsvFile(source, encoding)
    for _ in check_lines(file, columns, parse, report, keep=True):
        pass
    if report.rows == 0:
        raise InvalidInput(N_("The file has its header line but no data lines."))
    return report


# Values of cells, for every import.

def _column(field: str) -> str:
    """A field named by the file's column (unit_price) rather than in words (N_("Unit price")): set apart in Chinese."""
    return field if isinstance(field, Msgid) else Named(field)


def cell_text(value: str, field: str, *, max_len: int, required: bool = False) -> str:
    """text.clean for a cell the reader has passed (no control characters): printable NFC text, the common
    case, skips clean's look at each character, which took most of a 200,000-line check."""
    field = _column(field)
    if value.isprintable() and unicodedata.is_normalized("NFC", value):
        return within(value, field, max_len=max_len, required=required)
    return clean(value, field, max_len=max_len, required=required)


def parse_amount(value: str, field: str, *, maximum: Decimal = AMOUNT_MAX) -> Decimal | None:
    """A price or amount in a cell: kiosk.text.parse_amount, None when the cell is empty."""
    return text_amount(value, _column(field), maximum=maximum, required=False)


_YES = {"1", "y", "yes", "true", "x", "是", "有", "√", "✓", "对"}
_NO = {"", "0", "n", "no", "false", "否", "不是", "无", "没有", "×", "-"}


def parse_flag(value: str, field: str) -> bool:
    """A yes/no column: 1/0, yes/no, y/n, true/false, x or empty, 是/否."""
    if value in _YES or value in _NO:  # as written, the common case
        return value in _YES
    text = unicodedata.normalize("NFKC", value or "").strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InvalidInput(N_("{field} must be yes or no (1/0, 是/否), not {text!r}."), field=_column(field),
                       text=text[:20])


# Imports written in batches.

def start_run(actor, kind: str, file: CsvFile, lines: int) -> tuple[int, bool]:
    """The import run that writes this file: the one a crash left running for the same file (same checksum),
    taken up again, or a new one. Returns (id, resumed)."""
    # reading a CSV needs no database (the CLI checks a file without one); recording an import run does
    from .store import write_transaction
    from .store.models import ImportRun

    with write_transaction():
        run = (ImportRun.select().where((ImportRun.kind == kind) & (ImportRun.sha256 == file.sha256)
                                        & (ImportRun.status == "running")).order_by(ImportRun.id.desc()).first())
        if run is not None:
            return run.id, True
        run = ImportRun.create(kind=kind, file_name=file.name[-200:], sha256=file.sha256,
                               encoding=(file.codec or "")[:20], lines=lines, employee=actor.employee_id,
                               actor=actor.name[:80], terminal=actor.terminal[:60])
    return run.id, False


def finish_run(run_id: int, written: int) -> None:
    from .store import write_transaction  # as in start_run: only recording a run needs the database
    from .store.models import ImportRun, now

    with write_transaction():
        ImportRun.update(status="done", written=written, finished_at=now()).where(ImportRun.id == run_id).execute()


def batches(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
