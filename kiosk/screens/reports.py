"""Warranty reports on screen: pick one with F2-F7, type its period, read its rows and totals, export CSV or PDF."""

from __future__ import annotations

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Label, Static

from .. import readiness, report_export, reports
from ..store import db
from .base import FromThread, KioskFooter, KioskScreen, Message, attempt
from .paged import PagedTable

# key, report, its name on the line of choices
REPORT_KEYS = (("f2", "daily", "Day"), ("f3", "weekly", "Week"), ("f4", "claims", "Claim list"),
               ("f5", "major", "Major faults"), ("f6", "safety", "Safety approvals"),
               ("f7", "settlement", "Settlement"))
# The footer shows F2-F7 as one group; the line of choices under the title says which is which.
REPORT_GROUP = Binding.Group("Report")
PLACEHOLDERS = {"day": "a day, e.g. 2026-10-14", "week": "any day of the week, e.g. 2026-10-14",
                "month": "a month, e.g. 2026-10 or 10/2026", "": "no period: as of today"}
CELL_WIDTH = 40


def _cell(value: str) -> str:
    """A cell as the table shows it: markup escaped, long text cut (the exports keep it whole)."""
    return escape(value if len(value) <= CELL_WIDTH else value[:CELL_WIDTH - 1] + "…")


def _page(report: reports.Report):
    def page(after, limit):
        return [(key, tuple(_cell(c) for c in cells)) for key, cells in reports.report_rows(report, after, limit)]
    return page


def _choices(current: str) -> str:
    """The line of reports and their keys, the current one highlighted."""
    return " ".join(f"[reverse]{key.upper()} {word}[/]" if kind == current else f"{key.upper()} {word}"
                    for key, kind, word in REPORT_KEYS)


class ReportsScreen(KioskScreen):
    """The warranty clerk's and the advisor's reports: fault reports, claim list, major faults, approvals,
    settlement."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="reports-back")] + [
        Binding(key, f"show('{kind}')", word, id=f"reports-{kind}", group=REPORT_GROUP)
        for key, kind, word in REPORT_KEYS] + [
        Binding("f8", "export('csv')", "CSV", id="reports-csv"),
        Binding("f10", "export('pdf')", "PDF", id="reports-pdf"),
        Binding("f9", "audit_pack", "Audit pack", id="reports-audit-pack"),
    ]
    AUTO_FOCUS = "#report-period"
    DEFAULT_CSS = """
    ReportsScreen #report-period-row { height: 3; }
    ReportsScreen #report-period-label { width: 8; padding: 1 1 0 1; }
    ReportsScreen #report-period { width: 1fr; }
    ReportsScreen #report-choices { padding: 0 1; }
    ReportsScreen Footer.-compact FooterLabel { margin: 0 1 0 0; }
    ReportsScreen #report-totals { height: auto; max-height: 4; padding: 0 1; }
    """

    def __init__(self, kind: str = "daily") -> None:
        super().__init__()
        self.kind = kind
        self.report: reports.Report | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Warranty reports", id="report-title", classes="screen-title")
        yield Label(id="report-choices")
        with Horizontal(id="report-period-row"):
            yield Label("Period", id="report-period-label")
            yield Input(id="report-period", max_length=40)
        yield Static(id="report-totals")
        yield Message(id="feedback")
        yield PagedTable(reports.FAULT_COLUMNS, lambda after, limit: [], id="report-table")
        yield KioskFooter()

    async def on_mount(self) -> None:
        await self.action_show(self.kind)
        reminder = reports.claim_list_reminder()
        if reminder and not self.feedback.has_class("error"):
            self.feedback.show(reminder, "warn")

    async def action_show(self, kind: str) -> None:
        """Switch to a report with its default period (today, this week, a month)."""
        self.kind = kind
        period = self.query_one("#report-period", Input)
        what = reports.KINDS[kind].period
        period.value = reports.default_period(kind)
        period.placeholder = PLACEHOLDERS[what]
        period.disabled = not what
        if what:
            period.focus()
        self.feedback.clear()
        await self._load(period.value)

    @on(Input.Submitted, "#report-period")
    async def period_typed(self, event: Input.Submitted) -> None:
        self.feedback.clear()
        await self._load(event.value)

    async def _load(self, period: str) -> None:
        ok, report = attempt(self.feedback, reports.build, self.actor, self.kind, period, settings=self.settings,
                             bell=self.app.bell)
        if not ok:
            return
        self.report = report
        self.query_one("#report-title", Label).update(escape(report.title))
        self.query_one("#report-choices", Label).update(_choices(self.kind))
        self.query_one("#report-totals", Static).update(escape("\n".join(report.totals)))
        await self.query_one("#report-table", PagedTable).remove()
        await self.mount(PagedTable(report.columns, _page(report), id="report-table"), before=self.query_one(
            KioskFooter))

    def action_export(self, kind: str) -> None:
        if self.report is None:
            self.feedback.show("Choose a report with a period that reads first.", "warn")
            return
        self.feedback.show(f"Writing the {kind.upper()}…", "ok")
        feedback = self.thread_feedback
        if kind == "csv":
            self._export(feedback, report_export.export_csv, self.actor, self.report)
        else:
            self._export(feedback, report_export.export_pdf, self.actor, self.report, self.settings.shop_name)

    @on(DataTable.RowHighlighted, "#report-table")
    def claim_highlighted(self) -> None:
        """On the claim list, the highlighted claim's problems in full: who fixes each, on which key."""
        key = self.query_one("#report-table", PagedTable).selected_key() if self.kind == "claims" else None
        if key is None:
            return
        ok, found = attempt(self.feedback, readiness.claim, key[1], self.settings)
        if ok and found is not None:
            self.feedback.show(escape(f"{found.tag_number}: {found.state}. {found.problem_text}".strip()),
                               "warn" if found.problems else "ok")

    def action_audit_pack(self) -> None:
        from .audit_pack import AuditPackScreen
        self.app.push_screen(AuditPackScreen())

    @work(thread=True, exclusive=True, group="report-export")
    def _export(self, feedback: FromThread, call, *args) -> None:
        with db.connection_context():
            ok, path = attempt(feedback, call, *args, bell=feedback.bell)
        if ok:
            feedback.show(f"Saved {path}")
