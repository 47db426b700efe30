"""Warranty reports written to files: CSV (UTF-8 with BOM, so Excel shows Chinese) and PDF, in the reports folder.

The rows are read in chunks while the file is written, outside any transaction; the file is written under
a temporary name and renamed, so a half-written report never sits under the real name. Each export is an
audit event (report.view) naming the file.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from .audit import Actor, change
from .config import Settings, exports_folder
from .files import write_atomically, write_bytes
from .i18n import N_, format_datetime, gettext
from .reports import Report, all_rows

# Widths of the columns on a PDF page, shared out in proportion to the page's width: a VIN, a date and time,
# and a part description with its Chinese name fit whole on the fault report.
WIDTHS = {"Tag": 90, "Job card": 90, "Tagged": 145, "VIN": 180, "Mileage": 70, "Part": 110, "Description": 240,
          "Qty": 40, "Causal": 60, "Labour op": 90, "Complaint": 210, "Cause": 170, "Technician": 150, "Mfr": 70,
          "Approval": 90, "Claim no.": 120, "Claim status": 140, "Raised": 140, "Raised by": 150,
          "Working days": 110, "Overdue": 90, "Status": 100, "Claimed": 100, "Paid on": 110, "Paid": 100,
          "Debited": 100, "Readiness": 90, "Problems": 0}
# Printed under its row across the page: a claim's problems are sentences, too long for a cell.
NOTE_COLUMN = "Problems"
# Excel runs a cell that starts like this as a formula; a quote in front keeps it text.
_FORMULA_START = ("=", "+", "-", "@")


def reports_folder(settings: Settings | None = None) -> Path:
    return exports_folder(settings) / "reports"


def csv_cell(value: str) -> str:
    """A cell as Excel should show it: text that would start a formula gets a leading quote (numbers do not)."""
    if value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def column_heads(report: Report) -> list[str]:
    """The report's column heads in the language of whoever asked (the columns are English message ids)."""
    return [gettext(column) for column in report.columns]


def _recorded(actor: Actor, report: Report, path: Path, rows: int) -> Path:
    with change(actor, "report.view") as record:
        record.about("report", None, report=report.kind, period=report.period, file=str(path), rows=rows)
    return path


def export_csv(actor: Actor, report: Report, settings: Settings | None = None) -> Path:
    """The report's columns and every row as CSV; returns the file."""
    def write(out) -> int:
        writer = csv.writer(out)
        writer.writerow(column_heads(report))
        count = 0
        for cells in all_rows(report):
            writer.writerow([csv_cell(c) for c in cells])
            count += 1
        return count

    path = reports_folder(settings) / f"{report.file_stem}.csv"
    return _recorded(actor, report, path, write_atomically(path, write, what=N_("the report")))


def export_pdf(actor: Actor, report: Report, shop_name: str = "", settings: Settings | None = None) -> Path:
    """The report on landscape A4 pages (title, totals, column heads on every page, every row); returns the
    file."""
    # the PDF writer and its CJK font load only when a PDF is exported
    from labels.report import TableDocument, to_pdf
    from labels.text import translated

    printed = gettext("printed {moment}").format(moment=format_datetime(dt.datetime.now()))
    doc = TableDocument(
        title=report.title, subtitle=" · ".join(p for p in (shop_name, printed) if p),
        columns=tuple(column_heads(report)), weights=tuple(WIDTHS.get(c, 100) for c in report.columns),
        totals=report.totals, note_column=gettext(NOTE_COLUMN))
    count = 0

    def counted():
        nonlocal count
        for cells in all_rows(report):
            count += 1
            yield cells

    with translated(gettext):
        data = to_pdf(doc, counted())
    path = reports_folder(settings) / f"{report.file_stem}.pdf"
    write_bytes(path, data, what=N_("the report"))
    return _recorded(actor, report, path, count)
