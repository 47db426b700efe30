"""Labour operations and their standard hours: imported from the manufacturer's CSV, read by the claim
readiness check (a line's clocked time must lie near its operation's standard hours)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import permissions
from .i18n import N_, render
from .audit import Actor, change
from .csvimport import Column, ImportHasErrors, read_file
from .store.models import LabourOperation, now
from .text import clean, parse_amount

# Standard hours above this are a typing mistake (the column holds 9999.99 at most).
MAX_HOURS = Decimal("200")
COLUMNS = [Column("code", ("labour_operation", "工时代码", "代码"), required=True),
           Column("standard_hours", ("hours", "标准工时", "工时"), required=True),
           Column("manufacturer", ("厂家", "品牌")), Column("description", ("描述", "名称"))]


@dataclass(frozen=True)
class LabourOp:
    manufacturer: str
    code: str
    description: str
    standard_hours: Decimal


def parse_hours(value: str, field: str = N_("Standard hours")) -> Decimal:
    """Hours like 1.5: more than 0 and at most MAX_HOURS, to the hundredth (kiosk.text.parse_amount)."""
    return parse_amount(value, field, maximum=MAX_HOURS, positive=True, like=N_("a number of hours like 1.5"))


def parse_labour_op(values: dict) -> LabourOp:
    """One line of the CSV: code, standard_hours, and optionally manufacturer and description."""
    code = clean(values.get("code", ""), N_("Code"), max_len=20, required=True).upper()
    return LabourOp(clean(values.get("manufacturer", ""), N_("Manufacturer"), max_len=40),
                    code, clean(values.get("description", ""), N_("Description"), max_len=200),
                    parse_hours(values.get("standard_hours", "")))


def import_labour_ops(actor: Actor, source, *, encoding: str | None = None, accept_good: bool = False) -> int:
    """Load labour operations from CSV (code, standard_hours, manufacturer, description): a path, bytes or
    text, UTF-8 or GBK (kiosk.csvimport); a code already known for the manufacturer gets the new hours. With
    bad lines (a repeated code counts) nothing is imported unless accept_good. Returns the number written."""
    permissions.require(actor.role, "labour_op.import")
    report = read_file(source, COLUMNS, parse_labour_op, encoding=encoding)
    seen: dict[tuple[str, str], int] = {}
    for number, op in list(report.good):
        key = (op.manufacturer, op.code)
        if key in seen:
            report.good.remove((number, op))
            report.add_bad(number, render(N_("{code} is already on line {line}"), {"code": op.code, "line": seen[key]}))
        else:
            seen[key] = number
    report.bad.sort()
    if report.bad and not accept_good:
        raise ImportHasErrors(report)
    with change(actor, "labour_op.import") as record:
        at = now()
        for _, op in report.good:
            updated = (LabourOperation.update(description=op.description, standard_hours=op.standard_hours,
                                              updated_at=at)
                       .where((LabourOperation.code == op.code) & (LabourOperation.manufacturer == op.manufacturer))
                       .execute())
            if not updated:
                LabourOperation.create(manufacturer=op.manufacturer, code=op.code, description=op.description,
                                       standard_hours=op.standard_hours, updated_at=at)
        record.about("labour_operation", None, imported=len(report.good), skipped=len(report.bad))
    return len(report.good)


def standard_hours(codes) -> dict[tuple[str, str], Decimal]:
    """(manufacturer, code) -> standard hours for the codes given (every manufacturer's entry)."""
    codes = sorted({c for c in codes if c})
    if not codes:
        return {}
    return {(m, c): Decimal(str(h)) for m, c, h in LabourOperation.select(
        LabourOperation.manufacturer, LabourOperation.code, LabourOperation.standard_hours)
        .where(LabourOperation.code.in_(codes)).tuples()}


def hours_for(table: dict[tuple[str, str], Decimal], manufacturer: str, code: str) -> Decimal | None:
    """The manufacturer's own standard hours for the code, else the shop's (manufacturer "")."""
    return table.get((manufacturer, code), table.get(("", code)))
