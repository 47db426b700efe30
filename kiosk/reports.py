"""Warranty reports: the daily and weekly fault reports, the month's claim list, major faults, safety parts
awaiting the manufacturer's approval, and the monthly settlement; read a page at a time.

Every tag report reads a range of `tagged_at` through the (status, tagged_at) index, void tags left out.
A report is built once (title, columns, totals) and its rows are read by keyset: `report_rows(report,
after, limit)` for the screen, `all_rows(report)` in chunks for an export.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from peewee import JOIN, Case, fn

from . import permissions, readiness, tags, warranty
from .audit import Actor
from .config import Settings
from .errors import InvalidInput
from .i18n import NC_, N_, format_date
from .i18n import gettext as _
from .jobs import job_number
from .store.models import Employee, JobCard, MajorFault, Vehicle, WarrantyTag
from .text import FIRST_YEAR, LAST_YEAR, clean, parse_date

# Every status but void: a voided tag was a mistake and is no warranty repair.
COUNTED = tuple(s for s in tags.TAG_STATES if s != "void")
# The claim list goes to the manufacturer by this day of the following month.
CLAIM_DUE_DAY = 10
# The manufacturer answers on a safety part within this many working days.
APPROVAL_WORKING_DAYS = 2
# A safety part's approval as the claim list says it (the database keeps the English word; a claim's status is
# said with kiosk.claims.STATUS_WORDS' message ids).
APPROVAL_WORDS = {"needed": N_("needed"), "approved": NC_("manufacturer's answer", "approved"),
                  "refused": N_("refused")}

# Column heads are English message ids (N_): translate them where they are shown (report_export.column_heads).
FAULT_COLUMNS = (N_("Tag"), N_("Job card"), N_("Tagged"), N_("VIN"), N_("Mileage"), N_("Part"), N_("Description"),
                 N_("Qty"), N_("Causal"), N_("Labour op"), N_("Complaint"), N_("Cause"), N_("Technician"))
# Readiness (kiosk.readiness) comes second so the screen shows it; the problems, long, come last.
CLAIM_COLUMNS = (N_("Tag"), N_("Readiness"), N_("Job card"), N_("Tagged"), N_("VIN"), N_("Mileage"), N_("Part"),
                 N_("Description"), N_("Qty"), N_("Causal"), N_("Labour op"), N_("Mfr"), N_("Approval"),
                 N_("Claim no."), N_("Claim status"), N_("Problems"))
MAJOR_COLUMNS = (N_("Raised"), N_("Job card"), N_("VIN"), N_("Tag"), N_("Description"), N_("Raised by"))
SAFETY_COLUMNS = (N_("Tag"), N_("Job card"), N_("Tagged"), N_("Part"), N_("Description"), N_("Mfr"), N_("VIN"),
                  N_("Working days"), N_("Overdue"))
SETTLEMENT_COLUMNS = (N_("Tag"), N_("Job card"), N_("Tagged"), N_("Mfr"), N_("Part"), N_("Claim no."), N_("Status"),
                      N_("Claimed"), N_("Paid on"), N_("Paid"), N_("Debited"))

_MONTH_FIRST = re.compile(r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*月?$")
_MONTH_LAST = re.compile(r"^([0-9]{1,2})\s*[-/.]\s*([0-9]{4})$")


@dataclass(frozen=True)
class Report:
    """What a report is about and how it adds up; its rows are read with report_rows() or all_rows()."""

    kind: str
    title: str
    period: str
    columns: tuple[str, ...]
    totals: tuple[str, ...]
    start: dt.datetime
    end: dt.datetime
    today: dt.date
    # The shop's settings (the claim readiness rules per manufacturer); None: the defaults.
    settings: Settings | None = field(default=None, compare=False, repr=False)

    @property
    def file_stem(self) -> str:
        """The name an exported file gets: the kind and the period, e.g. claim-list-2026-10."""
        return f"{KINDS[self.kind].file_word}-{self.period.replace(' to ', '-to-')}"


@dataclass(frozen=True)
class SettlementTotal:
    """One manufacturer's line of the monthly settlement (manufacturer "" is the total)."""

    manufacturer: str
    claims: int
    claimed: Decimal
    paid: Decimal
    debited: Decimal

    @property
    def net(self) -> Decimal:
        return self.paid - self.debited


# ---------------------------------------------------------------- periods


def parse_month(value: str, field: str = N_("Month")) -> dt.date | None:
    """A month like 2026-10, 2026/10, 10/2026 or 2026年10月, as its first day; None when left empty."""
    text = unicodedata.normalize("NFKC", clean(value, field, max_len=40))
    if not text:
        return None
    first, last = _MONTH_FIRST.match(text), _MONTH_LAST.match(text)
    if not (first or last):
        raise InvalidInput(N_("{field} must look like 2026-10 or 10/2026, not {value}."), field=field,
                           value=repr(text[:20]))
    year, month = (int(first[1]), int(first[2])) if first else (int(last[2]), int(last[1]))
    if not 1 <= month <= 12:
        raise InvalidInput(N_("{field} {value}: there is no month {month}; months run from 1 to 12."), field=field,
                           value=repr(text[:20]), month=month)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(N_("{field} {value}: the year must be between {first} and {last}."), field=field,
                           value=repr(text[:20]), first=FIRST_YEAR, last=LAST_YEAR)
    return dt.date(year, month, 1)


def today() -> dt.date:
    """The day the reports count from (the shop's clock)."""
    return dt.date.today()


_today = today  # the functions below take a `today` argument (tests pass a fixed day)


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday and the Sunday of the week a day falls in."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def claim_due_on(month: dt.date) -> dt.date:
    """The day a month's claim list must be with the manufacturer: the 10th of the following month."""
    return next_month(month).replace(day=CLAIM_DUE_DAY)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after start up to and including end (public holidays are not known here)."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    return weeks * 5 + sum(1 for n in range(1, extra + 1) if (start + dt.timedelta(days=n)).weekday() < 5)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _day_range(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the first day's midnight up to (not including) the midnight after the last day."""
    return _midnight(first), _midnight(last + dt.timedelta(days=1))


# ---------------------------------------------------------------- cells


def _line(value: object) -> str:
    """One line of text for a cell: newlines and runs of spaces as one space."""
    return " ".join(str(value or "").split())


def _money(value: Decimal | float | None) -> str:
    return "" if value is None else f"{Decimal(str(value)).quantize(Decimal('0.01'))}"


def _amount(value: Decimal | float | int | None) -> Decimal:
    """A sum as the database returns it (a float on SQLite), to the cent."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _when(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------- tag queries


def _in_period(report: Report):
    """Tags of the report's period, void left out: a range on the (status, tagged_at) index."""
    return WarrantyTag.select().where(WarrantyTag.status.in_(COUNTED) & (WarrantyTag.tagged_at >= report.start)
                                      & (WarrantyTag.tagged_at < report.end))


def _with_technician(query):
    return query.select_extend(Employee.name).join(Employee, on=(WarrantyTag.technician == Employee.id))


def _claimable(query):
    """A refused safety part is not claimed: the manufacturer said no."""
    return query.where(WarrantyTag.approval != "refused")


def _by_tagged_at(query, after: tuple | None, limit: int) -> list[WarrantyTag]:
    if after is not None:
        # The first condition alone is a range on the index; the OR alone made SQLite read the period again
        # from its start for every page (3 s of a month's 24 pages at a million tags).
        query = query.where((WarrantyTag.tagged_at >= after[0])
                            & ((WarrantyTag.tagged_at > after[0])
                               | ((WarrantyTag.tagged_at == after[0]) & (WarrantyTag.id > after[1]))))
    return list(query.order_by(WarrantyTag.tagged_at, WarrantyTag.id).limit(limit))


def _fault_cells(t: WarrantyTag) -> tuple[str, ...]:
    return (t.tag_number, job_number(t.job_id), _when(t.tagged_at), t.vin, str(t.mileage), t.part_number,
            _line(t.description), str(t.quantity), _("yes") if t.causal else "", t.labour_operation,
            _line(t.complaint), _line(t.cause), _line(t.technician.name))


def _fault_page(report: Report, after, limit: int):
    return [((t.tagged_at, t.id), _fault_cells(t))
            for t in _by_tagged_at(_with_technician(_in_period(report)), after, limit)]


def _claim_tags(report: Report, after, limit: int) -> list[WarrantyTag]:
    return _by_tagged_at(_with_technician(_claimable(_in_period(report))), after, limit)


def _claim_page(report: Report, after, limit: int):
    page = _claim_tags(report, after, limit)
    ready = readiness.check_tags(page, report.settings)
    rows = []
    for t in page:
        cells = _fault_cells(t)
        rows.append(((t.tagged_at, t.id), cells[:1] + (ready[t.id].state,) + cells[1:10] + (
            t.manufacturer, _(APPROVAL_WORDS.get(t.approval, t.approval)) if t.approval else "", t.claim_number,
            _(t.claim_status) if t.claim_status else _("not yet claimed"),
            ready[t.id].problem_text)))
    return rows


def claim_readiness(report: Report, chunk: int = 500) -> Iterator[readiness.ClaimReadiness]:
    """The readiness of every claim of a claim list, in its order, read chunk by chunk."""
    after = None
    # Only the columns the rules read: a month of a large dealer is tens of thousands of tags.
    query = _claimable(_in_period(report)).select(
        WarrantyTag.id, WarrantyTag.tag_number, WarrantyTag.tagged_at, WarrantyTag.job, WarrantyTag.job_line,
        WarrantyTag.manufacturer, WarrantyTag.part_number, WarrantyTag.description, WarrantyTag.approval,
        WarrantyTag.status, WarrantyTag.return_request)
    while True:
        page = _by_tagged_at(query, after, chunk)
        ready = readiness.check_tags(page, report.settings)
        yield from (ready[t.id] for t in page)
        if len(page) < chunk:
            return
        after = (page[-1].tagged_at, page[-1].id)


def month_claims(month: dt.date, settings: Settings | None = None) -> Report:
    """A month's claims to read with claim_readiness (the command line's check; no report is recorded)."""
    start, end = _day_range(month.replace(day=1), next_month(month) - dt.timedelta(days=1))
    return Report("claims", _("Claim readiness {month}").format(month=f"{month:%Y-%m}"), f"{month:%Y-%m}",
                  CLAIM_COLUMNS, (), start, end, _today(), settings)


def readiness_counts(month: dt.date, settings: Settings | None = None) -> tuple[int, int]:
    """A month's claims and how many of them are not ready, every claim checked a chunk at a time."""
    total = not_ready = 0
    for claim in claim_readiness(month_claims(month, settings)):
        total += 1
        not_ready += not claim.ready
    return total, not_ready


def readiness_reminder(settings: Settings | None = None, today: dt.date | None = None) -> str | None:
    """From the 1st of a month, while last month's claim list is not all sent: how many of its claims are not
    ready; None when all are. Reads the whole month (run it in a worker)."""
    month = previous_month(today or _today())
    start, end = _day_range(month, next_month(month) - dt.timedelta(days=1))
    if not _claim_counts(Report("claims", "", "", (), (), start, end, month))[1]:
        return None  # the month's claims are all sent
    total, not_ready = readiness_counts(month, settings)
    if not not_ready:
        return None
    return _("Claim readiness {month}: {not_ready} of {total} not ready (F5 then F4 says why).").format(
        month=f"{month:%Y-%m}", not_ready=not_ready, total=total)


def _settlement_page(report: Report, after, limit: int):
    query = _in_period(report).where(WarrantyTag.claim_number != "")
    return [((t.tagged_at, t.id), (t.tag_number, job_number(t.job_id), t.tagged_at.date().isoformat(),
                                   t.manufacturer, t.part_number, t.claim_number, t.claim_status,
                                   _money(t.claim_amount), t.claim_paid_on.isoformat() if t.claim_paid_on else "",
                                   _money(t.claim_amount) if t.claim_paid_on else "", _money(t.debited_amount)))
            for t in _by_tagged_at(query, after, limit)]


def _safety_page(report: Report, after, limit: int):
    rows = []
    for _key, t in warranty.awaiting_approval(after, limit):
        age = working_days_between(t.tagged_at.date(), report.today)
        rows.append((t.id, (t.tag_number, job_number(t.job_id), t.tagged_at.date().isoformat(), t.part_number,
                            _line(t.description), t.manufacturer, t.vin, str(age),
                            _("OVERDUE") if age > APPROVAL_WORKING_DAYS else "")))
    return rows


def _raised_in(report: Report):
    """Major faults raised in the report's period."""
    return (MajorFault.raised_at >= report.start) & (MajorFault.raised_at < report.end)


def _major_page(report: Report, after, limit: int):
    query = (MajorFault.select(MajorFault.id, MajorFault.raised_at, MajorFault.job, Vehicle.vin,
                               WarrantyTag.tag_number, MajorFault.description, Employee.name)
             .join(JobCard).join(Vehicle).switch(MajorFault)
             .join(WarrantyTag, JOIN.LEFT_OUTER, on=(MajorFault.tag == WarrantyTag.id)).switch(MajorFault)
             .join(Employee, on=(MajorFault.raised_by == Employee.id))
             .where(_raised_in(report)))
    if after is not None:
        query = query.where(MajorFault.id > after)
    return [(key, (_when(at), job_number(job_id), vin, tag_number or "", _line(description), _line(name)))
            for key, at, job_id, vin, tag_number, description, name
            in query.order_by(MajorFault.id).limit(limit).tuples()]


# ---------------------------------------------------------------- totals


def _fault_totals(report: Report) -> tuple[str, ...]:
    parts, quantity, cards = (_in_period(report).select(fn.COUNT(WarrantyTag.id), fn.SUM(WarrantyTag.quantity),
                                                        fn.COUNT(fn.DISTINCT(WarrantyTag.job)))
                              .scalar(as_tuple=True))
    return (_("{parts} warranty part(s), quantity {quantity}, on {cards} job card(s)").format(
        parts=parts, quantity=quantity or 0, cards=cards),)


def claim_list_state(month: dt.date, unclaimed: int, today: dt.date) -> str:
    """Where a month's claim list stands: all claimed, not due yet, due in N days, or overdue."""
    due = claim_due_on(month)
    if not unclaimed:
        return _("all claimed")
    if today < next_month(month):
        return _("the month is still running; due {due}").format(due=format_date(due))
    if today == due:
        return _("due today")
    if today < due:
        return _("due in {days} day(s), by {due}").format(days=(due - today).days, due=format_date(due))
    return _("overdue by {days} day(s): it was due {due}").format(days=(today - due).days, due=format_date(due))


def _claim_counts(report: Report) -> tuple[int, int]:
    """The period's tags to claim, and how many of them have no claim number yet: one pass over the range."""
    total, unclaimed = _claimable(_in_period(report)).select(
        fn.COUNT(WarrantyTag.id), fn.SUM(Case(None, [(WarrantyTag.claim_number == "", 1)], 0))).tuples().get()
    return total, unclaimed or 0


def _claim_totals(report: Report, month: dt.date) -> tuple[str, ...]:
    total, unclaimed = _claim_counts(report)
    return (_("{total} tag(s) to claim, {unclaimed} not yet claimed; {state}").format(
        total=total, unclaimed=unclaimed, state=claim_list_state(month, unclaimed, report.today)),)


def settlement_totals(report: Report) -> list[SettlementTotal]:
    """Claimed, paid and debited per manufacturer, then the total (manufacturer "")."""
    paid = Case(None, [(WarrantyTag.claim_paid_on.is_null(False), WarrantyTag.claim_amount)], 0)
    query = (_in_period(report).select(WarrantyTag.manufacturer, fn.COUNT(WarrantyTag.id),
                                       fn.SUM(WarrantyTag.claim_amount), fn.SUM(paid),
                                       fn.SUM(WarrantyTag.debited_amount))
             .where(WarrantyTag.claim_number != "")
             .group_by(WarrantyTag.manufacturer).order_by(WarrantyTag.manufacturer).tuples())
    lines = [SettlementTotal(m, n, _amount(c), _amount(p), _amount(d)) for m, n, c, p, d in query]
    total = SettlementTotal("", sum(t.claims for t in lines), sum((t.claimed for t in lines), Decimal("0.00")),
                            sum((t.paid for t in lines), Decimal("0.00")),
                            sum((t.debited for t in lines), Decimal("0.00")))
    return lines + [total]


def _settlement_line(t: SettlementTotal) -> str:
    return _("{manufacturer}: {claims} claim(s), claimed {claimed}, paid {paid}, debited {debited}, net {net}").format(
        manufacturer=t.manufacturer or _("Total"), claims=t.claims, claimed=t.claimed, paid=t.paid,
        debited=t.debited, net=t.net)


def approval_overdue_through(today: dt.date) -> dt.date:
    """The last tagging day whose safety parts have waited more than two working days by today."""
    day, counted = today, 0
    while counted <= APPROVAL_WORKING_DAYS:
        counted += day.weekday() < 5
        day -= dt.timedelta(days=1)
    return day


def _safety_totals(report: Report) -> tuple[str, ...]:
    # One pass over the approval index: a tagged_at condition in the WHERE would tempt the planner onto the
    # (status, tagged_at) index and years of tags (0.4 s at a million tags instead of 10 ms).
    due_before = _midnight(approval_overdue_through(report.today) + dt.timedelta(days=1))
    waiting, overdue = (warranty.waiting_for_approval().select(
        fn.COUNT(WarrantyTag.id), fn.SUM(Case(None, [(WarrantyTag.tagged_at < due_before, 1)], 0))).tuples().get())
    overdue = overdue or 0
    return (_("{waiting} safety part(s) waiting for the manufacturer's approval, {overdue} overdue "
              "(the answer is due within {days} working days)").format(
        waiting=waiting, overdue=overdue, days=APPROVAL_WORKING_DAYS),)


def _major_totals(report: Report) -> tuple[str, ...]:
    count = MajorFault.select().where(_raised_in(report)).count()
    return (_("{count} major fault report(s)").format(count=count),)


# ---------------------------------------------------------------- the reports


def _report(actor: Actor, kind: str, title: str, period: str, first: dt.date, last: dt.date, today: dt.date | None,
            totals: Callable[[Report], tuple[str, ...]], settings: Settings | None = None) -> Report:
    permissions.require(actor.role, "report.view")
    start, end = _day_range(first, last)
    report = Report(kind, title, period, KINDS[kind].columns, (), start, end, today or _today(), settings)
    return replace(report, totals=totals(report))


def daily_fault_report(actor: Actor, day: dt.date) -> Report:
    """The day's warranty repairs: every part tagged that day."""
    return _report(actor, "daily", _("Daily fault report {day}").format(day=format_date(day)), day.isoformat(),
                   day, day, None, _fault_totals)


def weekly_fault_report(actor: Actor, day: dt.date) -> Report:
    """The fault report for the manufacturer: the parts tagged Monday to Sunday of the week day falls in."""
    monday, sunday = week_of(day)
    title = _("Weekly fault report {monday} to {sunday}").format(monday=format_date(monday),
                                                                 sunday=format_date(sunday))
    return _report(actor, "weekly", title, f"{monday} to {sunday}", monday, sunday, None, _fault_totals)


def claim_list(actor: Actor, month: dt.date, *, today: dt.date | None = None,
               settings: Settings | None = None) -> Report:
    """The month's claim list, due by the 10th of the following month; tags without a claim number are not yet
    claimed. Refused safety parts are not on it. Each row says whether the claim is ready (kiosk.readiness,
    by the settings' rules)."""
    month = month.replace(day=1)
    title = _("Claim list {month} (due {due})").format(month=f"{month:%Y-%m}", due=format_date(claim_due_on(month)))
    return _report(actor, "claims", title, f"{month:%Y-%m}", month, next_month(month) - dt.timedelta(days=1), today,
                   lambda report: _claim_totals(report, month), settings)


def major_faults(actor: Actor, month: dt.date) -> Report:
    """Major-fault reports raised in the month."""
    month = month.replace(day=1)
    return _report(actor, "major", _("Major faults {month}").format(month=f"{month:%Y-%m}"), f"{month:%Y-%m}",
                   month, next_month(month) - dt.timedelta(days=1), None, _major_totals)


def safety_awaiting_approval(actor: Actor, *, today: dt.date | None = None) -> Report:
    """Safety parts still waiting for the manufacturer's approval, with their age in working days."""
    today = today or _today()
    title = _("Safety parts awaiting approval on {day}").format(day=format_date(today))
    return _report(actor, "safety", title, today.isoformat(), today, today, today, _safety_totals)


def settlement(actor: Actor, month: dt.date) -> Report:
    """The month's settlement: the claims of the month's tags, claimed, paid and debited, per manufacturer."""
    month = month.replace(day=1)
    return _report(actor, "settlement", _("Settlement {month}").format(month=f"{month:%Y-%m}"), f"{month:%Y-%m}", month,
                   next_month(month) - dt.timedelta(days=1), None,
                   lambda report: tuple(_settlement_line(t) for t in settlement_totals(report)))


def claim_list_reminder(today: dt.date | None = None) -> str | None:
    """From the 1st of a month: last month's claim list while any of its tags is not yet claimed; else None."""
    today = today or _today()
    month = previous_month(today)
    start, end = _day_range(month, next_month(month) - dt.timedelta(days=1))
    period = Report("claims", "", "", (), (), start, end, today)
    unclaimed = _claim_counts(period)[1]
    if not unclaimed:
        return None
    return _("Claim list {month}: {unclaimed} tag(s) not yet claimed, {state}.").format(
        month=f"{month:%Y-%m}", unclaimed=unclaimed, state=claim_list_state(month, unclaimed, today))


# ---------------------------------------------------------------- reading rows


@dataclass(frozen=True)
class Kind:
    """A report the screen offers: its name, what its period is, its columns and how its rows are read."""

    name: str
    period: str  # "day", "week", "month" or "" (as of today)
    columns: tuple[str, ...]
    page: Callable[[Report, object, int], list]
    file_word: str


KINDS: dict[str, Kind] = {
    "daily": Kind("Daily fault report", "day", FAULT_COLUMNS, _fault_page, "daily-fault-report"),
    "weekly": Kind("Weekly fault report", "week", FAULT_COLUMNS, _fault_page, "weekly-fault-report"),
    "claims": Kind("Claim list", "month", CLAIM_COLUMNS, _claim_page, "claim-list"),
    "major": Kind("Major faults", "month", MAJOR_COLUMNS, _major_page, "major-faults"),
    "safety": Kind("Safety approvals", "", SAFETY_COLUMNS, _safety_page, "safety-approvals"),
    "settlement": Kind("Settlement", "month", SETTLEMENT_COLUMNS, _settlement_page, "settlement"),
}


def report_rows(report: Report, after=None, limit: int = 50) -> list[tuple[object, tuple[str, ...]]]:
    """A page of the report's rows as (key, cells); the next page starts after the last key."""
    return KINDS[report.kind].page(report, after, limit)


def all_rows(report: Report, chunk: int = 500) -> Iterator[tuple[str, ...]]:
    """Every row of the report, read chunk by chunk (for an export)."""
    after = None
    while True:
        page = report_rows(report, after, chunk)
        yield from (cells for _, cells in page)
        if len(page) < chunk:
            return
        after = page[-1][0]


def _default_month(kind: str, today: dt.date) -> dt.date:
    """Major faults: this month; the claim list and the settlement: last month, the one due now."""
    return today.replace(day=1) if kind == "major" else previous_month(today)


def _kind(kind: str) -> Kind:
    if not isinstance(kind, str) or kind not in KINDS:
        raise InvalidInput(N_("There is no report {kind}."), kind=f"{kind!r:.30}")
    return KINDS[kind]


def default_period(kind: str, today: dt.date | None = None) -> str:
    """What the period field starts with: today, this week's Monday, a month ("" when none applies)."""
    today = today or _today()
    return {"day": today.isoformat(), "week": week_of(today)[0].isoformat(),
            "month": f"{_default_month(kind, today):%Y-%m}", "": ""}[_kind(kind).period]


def build(actor: Actor, kind: str, period: str, *, today: dt.date | None = None,
          settings: Settings | None = None) -> Report:
    """The report of a kind for a period as typed; an empty period is the default one (default_period)."""
    what = _kind(kind).period
    today = today or _today()
    if what == "day":
        return daily_fault_report(actor, parse_date(period, NC_("period", "Day")) or today)
    if what == "week":
        return weekly_fault_report(actor, parse_date(period, NC_("period", "Week")) or today)
    if not what:
        return safety_awaiting_approval(actor, today=today)
    month = parse_month(period) or _default_month(kind, today)
    if kind == "claims":
        return claim_list(actor, month, today=today, settings=settings)
    return major_faults(actor, month) if kind == "major" else settlement(actor, month)
