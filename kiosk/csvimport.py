"""Reading a manufacturer's CSV file line by line, reporting bad lines by number."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Callable

from .errors import InvalidInput

MAX_BYTES = 5_000_000


@dataclass
class ImportReport:
    good: list = field(default_factory=list)  # (line number, parsed value)
    bad: list = field(default_factory=list)  # (line number, message)

    def summary(self) -> str:
        text = f"{len(self.good)} good line(s), {len(self.bad)} bad line(s)"
        if self.bad:
            text += ": " + "; ".join(f"line {n}: {msg}" for n, msg in self.bad[:5])
            if len(self.bad) > 5:
                text += f"; and {len(self.bad) - 5} more"
        return text


class ImportHasErrors(InvalidInput):
    """Some lines are bad: nothing was imported; fix them, or import the good ones on explicit confirmation."""

    def __init__(self, report: ImportReport):
        super().__init__(f"Nothing imported. {report.summary()}.")
        self.report = report


def read_rows(text: str, required: tuple[str, ...], parse: Callable[[dict], object]) -> ImportReport:
    """Parse every data line with parse(row); a line that raises InvalidInput is reported, not fatal."""
    if not isinstance(text, str):
        raise InvalidInput("The file must be text (CSV).")
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise InvalidInput(f"The file is too large (over {MAX_BYTES // 1_000_000} MB).")
    text = text.lstrip("\ufeff")  # Excel's byte-order mark
    # newline="": the csv module reads \r, \n and \r\n line ends itself, and a line break inside quotes.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read(reader, required, parse)
    except csv.Error as exc:
        raise InvalidInput(f"Line {reader.line_num} is not readable as CSV ({exc}); nothing imported.") from None


def _read(reader: csv.DictReader, required: tuple[str, ...], parse: Callable[[dict], object]) -> ImportReport:
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [h for h in required if h not in headers]
    if missing:
        raise InvalidInput(f"The first line must name the columns; missing: {', '.join(missing)}.")
    reader.fieldnames = headers
    report = ImportReport()
    for row in reader:
        number = reader.line_num
        if None in row:
            report.bad.append((number, "more fields than columns"))
            continue
        values = {k: (v or "").strip() for k, v in row.items()}
        if not any(values.values()):
            continue
        try:
            report.good.append((number, parse(values)))
        except InvalidInput as exc:
            report.bad.append((number, exc.message))
    return report
