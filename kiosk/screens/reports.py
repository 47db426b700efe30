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
from ..text import fit_cells
from ..i18n import N_, gettext as _
from .base import FromThread, KioskFooter, KioskScreen, Feedback, attempt
from .paged import PagedTable

# key, report, its name on the line of choices
REPORT_KEYS = (("f2", "daily", N_("Day")), ("f3", "weekly", N_("Week")), ("f4", "claims", N_("Claim list")),
               ("f5", "major", N_("Major faults")), ("f6", "safety", N_("Safety approvals")),
               ("f7", "settlement", N_("Settlement")))
# The footer names each report in a word, so the keys fit 80 columns; the line of choices spells them out.
FOOTER_WORDS = {"daily": N_("Day"), "weekly": N_("Week"), "claims": N_("Claims"), "major": N_("Major"),
                "safety": N_("Safety"), "settlement": N_("Paid")}
PLACEHOLDERS = {"day": N_("a day, e.g. 2026-10-14"), "week": N_("any day of the week, e.g. 2026-10-14"),
                "month": N_("a month, e.g. 2026-10 or 10/2026"), "": N_("no period: as of today")}
# The columns the screen shows at 80 columns (the Description always among them); Enter on a row shows all of
# its columns, and the exports keep every column.
SCREEN_COLUMNS = ("Tag", "Readiness", "Raised", "Job card", "Tagged", "Part", "Description", "Overdue", "Qty",
                  "Claim no.", "Status", "Paid")
ON_SCREEN = 6


def screen_columns(columns: tuple[str, ...]) -> list[int]:
    """Which of a report's columns fit the screen, in the report's order."""
    wanted = [c for c in SCREEN_COLUMNS if c in columns][:ON_SCREEN]
    return [i for i, c in enumerate(columns) if c in wanted]


def _page(report: reports.Report, rows_seen: dict):
    shown = screen_columns(report.columns)
    widths = {"Description": 20}

    def page(after, limit):
        out = []
        for key, cells in reports.report_rows(report, after, limit):
            rows_seen[key] = cells
            out.append((key, tuple(escape(fit_cells(str(cells[i]), widths.get(report.columns[i], 16)))
                                   for i in shown)))
        return out
    return page


def _choices(current: str) -> str:
    """The line of reports and their keys, the current one highlighted."""
    return " ".join(f"[reverse]{key.upper()} {_(word)}[/]" if kind == current else f"{key.upper()} {_(word)}"
                    for key, kind, word in REPORT_KEYS)


class ReportsScreen(KioskScreen):
    """The warranty clerk's and the advisor's reports: fault reports, claim list, major faults, approvals,
    settlement."""

    # Six named reports, two exports and the sign-out fill the footer's 80 columns: Esc and F9 (audit pack) are
    # on the title line.
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="reports-back", show=False)] + [
        Binding(key, f"show('{kind}')", FOOTER_WORDS[kind], id=f"reports-{kind}")
        for key, kind, _ in REPORT_KEYS] + [
        Binding("f8", "export('csv')", "CSV", id="reports-csv"),
        Binding("f10", "export('pdf')", "PDF", id="reports-pdf"),
        # No room left in the footer: the title line names F9 beside Esc.
        Binding("f9", "audit_pack", N_("Audit pack"), id="reports-audit-pack", show=False),
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
        self.rows_seen: dict = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Warranty reports"), id="report-title", classes="screen-title")
        yield Label(id="report-choices")
        with Horizontal(id="report-period-row"):
            yield Label(_("Period"), id="report-period-label")
            yield Input(id="report-period", max_length=40)
        yield Static(id="report-totals")
        yield Feedback(id="feedback")
        yield PagedTable([_(c) for c in reports.FAULT_COLUMNS], lambda after, limit: [], id="report-table")
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
        period.placeholder = _(PLACEHOLDERS[what])
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
        self.query_one("#report-title", Label).update(escape(report.title) + _(" · Esc: back · F9: audit pack"))
        self.query_one("#report-choices", Label).update(_choices(self.kind))
        # Where F8 and F10 write: over SSH that is the kiosk's server, not the advisor's own PC.
        folder = report_export.reports_folder(self.settings)
        self.query_one("#report-totals", Static).update(
            escape("\n".join(report.totals + (_("Exports go to {folder}").format(folder=folder),))))
        await self.query_one("#report-table", PagedTable).remove()
        self.rows_seen = {}
        await self.mount(PagedTable([_(report.columns[i]) for i in screen_columns(report.columns)],
                                    _page(report, self.rows_seen), id="report-table"),
                         before=self.query_one(KioskFooter))

    @on(DataTable.RowSelected, "#report-table")
    def show_row(self) -> None:
        """Every column of the highlighted row (the screen shows only some)."""
        cells = self.rows_seen.get(self.query_one("#report-table", PagedTable).selected_key())
        if cells is not None and self.report is not None:
            shown = zip(self.report.columns, cells)
            self.feedback.show(escape(" · ".join(f"{_(name)}: {value}" for name, value in shown
                                                 if str(value).strip())), "ok")

    def action_export(self, kind: str) -> None:
        if self.report is None:
            self.feedback.show(_("Choose a report with a period that reads first."), "warn")
            return
        self.feedback.show(_("Writing the {kind}…").format(kind=kind.upper()), "ok")
        feedback = self.thread_feedback
        if kind == "csv":
            self._export(feedback, report_export.export_csv, self.actor, self.report, self.settings)
        else:
            self._export(feedback, report_export.export_pdf, self.actor, self.report, self.settings.shop_name,
                         self.settings)

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
            feedback.show(_("Saved {path}").format(path=path.resolve()))
