"""The manufacturer's side of the room: return requests (typed or CSV), boxes packed by scanning, claims."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Label, TextArea

from .. import claims, returns
from ..csvimport import ImportHasErrors
from ..errors import InvalidInput, KioskError
from ..i18n import N_, gettext as _
from ..jobs import job_number
from ..text import parse_date
from ..store.database import db
from .base import FromThread, KioskFooter, KioskScreen, Feedback, attempt, log, writes
from .paged import MarkedTable
from .scan import ScanField


def csv_path(path_text: str) -> Path:
    """The file typed: read by the import itself, in its own encoding (UTF-8 or GBK, found from the bytes)."""
    if not path_text.strip():
        raise InvalidInput(N_("Type the path of the CSV file."))
    path = Path(path_text.strip()).expanduser()
    if not path.is_file():
        raise InvalidInput(N_("Cannot read {path}: no such file."), path=str(path))
    return path


class ImportMixin:
    """A CSV import that stops on bad lines and imports the good ones only when F7 confirms; the file is
    read and written in a worker, so the screen keeps taking keys."""

    pending: tuple | None = None

    def run_import(self, call, path_text: str, *args) -> None:
        feedback = self.query_one("#feedback", Feedback)
        ok, path = attempt(feedback, csv_path, path_text)
        if ok:
            feedback.show(_("Importing {file}…").format(file=path.name))
            self._import(FromThread(self.app, feedback), call, self.app.actor, path, args, False)

    def action_import_good(self) -> None:
        feedback = self.query_one("#feedback", Feedback)
        if not self.pending:
            feedback.show(_("Nothing waiting: import a file first."), "warn")
            return
        call, path, args = self.pending
        self._import(FromThread(self.app, feedback), call, self.app.actor, path, args, True)

    @work(thread=True, exclusive=True, group="csv-import")
    def _import(self, feedback: FromThread, call, actor, path: Path, args: tuple, accept_good: bool) -> None:
        try:
            with db.connection_context():
                count = call(actor, path, *args, accept_good=accept_good)
        except ImportHasErrors as exc:
            self.pending = (call, path, args)
            feedback.show(exc.message + _(" Press F7 to import the good lines only."), "error")
            feedback.bell()
            return
        except KioskError as exc:
            feedback.show(exc.message, "error")
            feedback.bell()
            return
        except Exception:  # noqa: BLE001 - the screen must survive anything an import raises
            log.exception("unexpected error importing %s", path)
            feedback.show(_("Something went wrong and nothing was saved. The error is in the kiosk log."), "error")
            return
        self.pending = None
        feedback.show((_("Imported {count} from the good lines; the bad lines were left out.") if accept_good
                       else _("Imported {count}.")).format(count=count))


class ReturnRequestsScreen(ImportMixin, KioskScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="requests-back"),
        Binding("f2", "save", N_("Save"), id="requests-save"),  # short: six keys fit 80 columns
        Binding("f3", "pick_list", N_("Pick list"), id="requests-pick"),
        Binding("f6", "import_file", N_("Import CSV"), id="requests-import"),
        Binding("f7", "import_good", N_("Import good lines"), id="requests-import-good"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Return request: number, manufacturer, due date; one part per line"), classes="screen-title")
        yield Input(placeholder=_("Request number"), id="req-number", max_length=30)
        yield Input(placeholder=_("Manufacturer (optional)"), id="req-mfr", max_length=40)
        yield Input(placeholder=_("Due date YYYY-MM-DD (optional)"), id="req-due", max_length=10)
        yield TextArea(id="req-items", soft_wrap=False)
        yield Input(placeholder=_("…or a CSV file path, then F6"), id="req-file", max_length=300)
        yield Feedback(id="feedback")
        yield MarkedTable(id="pick-list", cursor_type="row")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.query_one("#req-items", TextArea).border_title = _("Parts: tag W0000123, RO000123 or part number")
        self.query_one("#pick-list", DataTable).add_columns(_("Shelf"), _("Tag"), _("Job card"), _("Part"),
                                                            _("Description"))

    def _items(self) -> list[returns.RequestItem]:
        items = []
        for line in self.query_one("#req-items", TextArea).text.splitlines():
            word = line.strip().upper()
            if not word:
                continue
            if word.startswith(self.app.settings.tag_prefix) and word[len(self.app.settings.tag_prefix):].isdigit():
                items.append(returns.RequestItem("tag", word))
            elif word.startswith("RO") and word[2:].isdigit():
                items.append(returns.RequestItem("repair_order", word))
            else:
                items.append(returns.RequestItem("part_number", word))
        return items

    @writes(once=True)
    async def action_save(self) -> None:
        feedback = self.query_one("#feedback", Feedback)
        ok, due = attempt(feedback, parse_date, self.query_one("#req-due", Input).value, N_("Due date"))
        if not ok:
            return
        number = self.query_one("#req-number", Input).value
        ok, count = await self.attempt_write(feedback, returns.enter_request, self.actor, number,
                                             self.query_one("#req-mfr", Input).value, due, self._items(),
                                             bell=self.app.bell)
        if ok:
            feedback.show(_("Request {number} saved: {count} part(s) to pick.").format(number=number.strip().upper(),
                                                                                     count=count))
            self.action_pick_list()

    def action_pick_list(self) -> None:
        feedback = self.query_one("#feedback", Feedback)
        ok, rows = attempt(feedback, returns.pick_list, self.query_one("#req-number", Input).value)
        if not ok:
            return
        table = self.query_one("#pick-list", DataTable)
        table.clear()
        for r in rows:
            table.add_row(r.location, r.tag_number, job_number(r.job_id), r.part_number, r.description[:28])
        if not rows:
            feedback.show(_("Nothing left to pick on this request."), "warn")

    def action_import_file(self) -> None:
        self.run_import(returns.import_requests, self.query_one("#req-file", Input).value)


class BoxScreen(KioskScreen):
    """Build a box for one request by scanning its parts; close it, then ship it with carrier and tracking."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="box-back"),
        Binding("f2", "open_box", N_("New box"), id="box-open"),
        Binding("f3", "close_box", N_("Close box"), id="box-close"),
        Binding("f4", "ship", N_("Ship"), id="box-ship"),
    ]
    AUTO_FOCUS = "#box-request"

    def __init__(self) -> None:
        super().__init__()
        self.box: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Boxes: type the request number, F2 for a new box, then scan each part"),
                    classes="screen-title")
        yield Input(placeholder=_("Return request number"), id="box-request", max_length=30)
        yield ScanField(_("Scan the tag of each requested part"), id="box-scan")
        yield Feedback(id="feedback")
        yield MarkedTable(id="box-items", cursor_type="row")
        with Vertical(id="ship-form", classes="hidden"):
            yield Input(placeholder=_("Carrier"), id="carrier", max_length=40)
            yield Input(placeholder=_("Tracking number (Enter to ship)"), id="tracking", max_length=60)
        yield KioskFooter()

    @property
    def scan_field(self) -> ScanField | None:
        return self.query_one(ScanField) if self.box else None

    def on_mount(self) -> None:
        self.query_one("#box-items", DataTable).add_columns(_("Tag"), _("Job card"), _("Part"), _("Description"),
                                                            _("Hazard"))

    @on(Input.Submitted, "#box-request")
    def request_given(self) -> None:
        self.action_open_box()

    @writes(moves_on=True)
    async def action_open_box(self) -> None:
        feedback = self.query_one("#feedback", Feedback)
        ok, box = await self.attempt_write(feedback, returns.open_shipment, self.actor,
                                           self.query_one("#box-request", Input).value, bell=self.app.bell)
        if ok:
            self.box = box
            self.query_one("#box-items", DataTable).clear()
            feedback.show(_("Box {box} is open: scan the parts.").format(box=box))
            self.query_one(ScanField).focus()

    @on(ScanField.Scanned, "#box-scan")
    @writes
    async def scanned(self, message: ScanField.Scanned) -> None:
        feedback = self.query_one("#feedback", Feedback)
        if self.box is None:
            feedback.show(_("Open a box first (F2)."), "error")
            return
        # Each scan is its own write, in the order scanned; the next ones are taken while it waits.
        ok, text = await self.attempt_write(feedback, returns.pack, self.actor, self.box, message.code,
                                            bell=self.app.bell)
        if ok:
            feedback.show(text)
            self._show_items()

    def _show_items(self) -> None:
        table = self.query_one("#box-items", DataTable)
        table.clear()
        for item in returns.packing_list(self.box).items:
            table.add_row(item.tag_number, job_number(item.job_id), item.part_number, item.description[:28],
                          _("HAZMAT") if item.hazardous else "")

    @writes(once=True)
    async def action_close_box(self) -> None:
        feedback = self.query_one("#feedback", Feedback)
        if self.box is None:
            feedback.show(_("Open a box first (F2)."), "error")
            return
        box = self.box
        ok, packing = await self.attempt_write(feedback, returns.close_shipment, self.actor, box, bell=self.app.bell)
        if ok:
            # The PDF (its font loads with the first one) is drawn in the writer thread too, after the close.
            printed, path = await self.attempt_write(feedback, returns.packing_list_pdf, box, self.settings)
            if not printed:
                return
            hazard = _(" HAZARDOUS GOODS: ship under hazmat rules.") if packing.hazardous else ""
            feedback.show(_("Box {box} closed with {count} part(s) for {request}.").format(
                box=packing.box, count=len(packing.items), request=packing.request_number)
                + hazard + _(" Packing list: {path}. F4 to ship.").format(path=path), "warn" if hazard else "ok")

    def action_ship(self) -> None:
        if self.box is None:
            self.query_one("#feedback", Feedback).show(_("Open or choose a box first."), "error")
            return
        self.query_one("#ship-form").remove_class("hidden")
        self.query_one("#carrier", Input).focus()

    @on(Input.Submitted, "#carrier")
    def carrier_given(self) -> None:
        self.query_one("#tracking", Input).focus()

    @on(Input.Submitted, "#tracking")
    @writes(moves_on=True)
    async def tracking_given(self) -> None:
        feedback = self.query_one("#feedback", Feedback)
        box = self.box
        ok, _shipped = await self.attempt_write(feedback, returns.ship_shipment, self.actor, box,
                                                self.query_one("#carrier", Input).value,
                                                self.query_one("#tracking", Input).value, bell=self.app.bell)
        if ok:
            feedback.show(_("Box {box} shipped.").format(box=box))
            self.query_one("#ship-form").add_class("hidden")
            self.box = None


class ClaimsScreen(ImportMixin, KioskScreen):
    """Claim numbers, statuses and payment dates: typed for one tag, or imported from the manufacturer's CSV."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="claims-back"),
        Binding("f2", "save", N_("Save claim"), id="claims-save"),
        Binding("f6", "import_file", N_("Import CSV"), id="claims-import"),
        Binding("f7", "import_good", N_("Import good lines"), id="claims-import-good"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Claims: retention runs from the day the claim is paid"), classes="screen-title")
        yield Input(placeholder=_("Tag number"), id="claim-tag", max_length=20)
        yield Input(placeholder=_("Claim number"), id="claim-number", max_length=30)
        yield Input(placeholder=_("Status: submitted, accepted, paid, rejected, debited"), id="claim-status",
                    max_length=12)
        yield Input(placeholder=_("Paid on YYYY-MM-DD"), id="claim-paid", max_length=10)
        yield Input(placeholder=_("…or a CSV file path, then F6"), id="claim-file", max_length=300)
        yield Feedback(id="feedback")
        yield KioskFooter()

    @writes(once=True)
    async def action_save(self) -> None:
        feedback = self.query_one("#feedback", Feedback)
        values = {key: self.query_one(f"#claim-{key}", Input).value for key in ("tag", "number", "status", "paid")}
        ok, claim = attempt(feedback, claims.parse_claim, {
            "tag_number": values["tag"], "claim_number": values["number"], "claim_status": values["status"],
            "paid_on": values["paid"].strip()})
        if not ok:
            return
        ok, until = await self.attempt_write(feedback, claims.record_claim, self.actor, claim, self.settings,
                                             bell=self.app.bell)
        if ok:
            feedback.show(_("Claim {claim} saved; keep {tag} until {until}.").format(
                claim=claim.claim_number, tag=claim.tag_number, until=until))

    def action_import_file(self) -> None:
        self.run_import(claims.import_claims, self.query_one("#claim-file", Input).value, self.settings)
