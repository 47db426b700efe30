"""Dialogs of the job-card screen: cause and correction, issuing, returning, old parts, the catalogue."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, DataTable, Input, Label, Select, TextArea

from .. import jobs, parts
from ..i18n import N_, gettext as _
from .base import SIGN_OUT_SHOWN, KioskFooter, Feedback, WritesInWorker, attempt, writes
from .paged import PagedTable


class Dialog(WritesInWorker, ModalScreen):
    """A form over the job card: Escape cancels, its own keys save; errors show inside it."""

    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"), id="dialog-cancel"), SIGN_OUT_SHOWN]

    @property
    def feedback(self) -> Feedback:
        return self.query_one(Feedback)

    @property
    def actor(self):
        return self.app.actor


class Form(Dialog):
    """A dialog of compact fields, so it fits 80x24 with its footer (the app's CSS gives tables all the room
    and text areas 5 rows: set here on the widgets themselves)."""

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.styles.height = 4
        for table in self.query(PagedTable):
            table.styles.height = 6


class ThreeCsDialog(Dialog):
    BINDINGS = [Binding("f10", "save", N_("Save"), id="three-cs-save")]

    def __init__(self, line: jobs.TechnicianLine) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Line {position}: {complaint}").format(position=self.line.position,
                                                                 complaint=self.line.complaint[:60]))
            yield Label(_("Cause (what was wrong):"))
            yield TextArea(self.line.cause, id="cause")
            yield Label(_("Correction (what you did):"))
            yield TextArea(self.line.correction, id="correction")
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        ok, changed = await self.attempt_write(
            self.feedback, jobs.record_three_cs, self.actor, self.line.id, self.query_one("#cause", TextArea).text,
            self.query_one("#correction", TextArea).text, bell=self.app.bell)
        if ok and not changed:
            self.feedback.show(_("Nothing changed: type the cause and the correction, then F10 (Esc closes)."), "warn")
            self.app.bell()
        elif ok:
            self.dismiss(_("Cause and correction of line {position} saved.").format(position=self.line.position))


class IssueDialog(Dialog):
    def __init__(self, line_id: int, part: parts.PartRow) -> None:
        super().__init__()
        self.line_id = line_id
        self.part = part

    def compose(self) -> ComposeResult:
        p = self.part
        with Vertical(classes="dialog"):
            yield Label(_("Issue {part} {description}").format(part=p.part_number, description=p.description[:40]))
            yield Label(_("{on_hand} on hand in bin {bin}. Quantity, then Enter:").format(on_hand=p.on_hand,
                                                                                        bin=p.bin or "?"))
            yield Input("1", id="quantity", max_length=12)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#quantity")
    @writes(moves_on=True)
    async def issue(self, event: Input.Submitted) -> None:
        ok, left = await self.attempt_write(self.feedback, parts.issue_part, self.actor, self.line_id,
                                            self.part.part_number, event.value, bell=self.app.bell)
        if ok:
            self.dismiss(_("Issued {quantity} × {part}; {left} left in stock.").format(
                quantity=event.value.strip(), part=self.part.part_number, left=left))


class ReturnDialog(Dialog):
    def __init__(self, line: jobs.TechnicianLine) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Return unused parts from line {position} to stock").format(position=self.line.position))
            yield Select([(_("{part} ({quantity} issued) {description}").format(
                part=p.part_number, quantity=p.quantity, description=p.description[:30]), p.part_number)
                          for p in self.line.issued], value=self.line.issued[0].part_number, allow_blank=False,
                         id="return-part")
            yield Input("1", placeholder=_("Quantity"), id="return-quantity", max_length=12)
            yield Input(placeholder=_("Reason (Enter to return)"), id="return-reason", max_length=200)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#return-quantity")
    def next_field(self) -> None:
        self.query_one("#return-reason", Input).focus()

    @on(Input.Submitted, "#return-reason")
    @writes(moves_on=True)
    async def give_back(self) -> None:
        number = self.query_one("#return-part", Select).value
        quantity = self.query_one("#return-quantity", Input).value
        ok, stock = await self.attempt_write(self.feedback, parts.return_part, self.actor, self.line.id, number,
                                             quantity, self.query_one("#return-reason", Input).value,
                                             bell=self.app.bell)
        if ok:
            self.dismiss(_("Returned {quantity} × {part}; {stock} now in stock.").format(
                quantity=quantity.strip(), part=number, stock=stock))


class RemovedPartDialog(Dialog):
    """The old part that came off: on a warranty line it will be tagged; otherwise customer keeps or scrap."""

    def __init__(self, line: jobs.TechnicianLine) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        choices = parts.DISPOSITIONS.get(self.line.payer, ("scrap",))
        words = {"warranty": _("Warranty part (to be tagged)"), "customer_keeps": _("Customer keeps it"),
                 "scrap": _("Scrap")}
        with Vertical(classes="dialog"):
            yield Label(_("Old part removed on line {position} ({payer})").format(position=self.line.position,
                                                                              payer=_(self.line.payer)))
            yield Input(placeholder=_("Part number of the old part"), id="removed-number", max_length=40)
            yield Input("1", placeholder=_("Quantity"), id="removed-quantity", max_length=12)
            yield Checkbox(_("Causal part (the one that caused the failure)"), id="removed-causal")
            yield Select([(words[c], c) for c in choices], value=choices[0], allow_blank=False, id="removed-what")
            yield Label(_("Enter in the quantity field records it."))
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#removed-number")
    def next_field(self) -> None:
        self.query_one("#removed-quantity", Input).focus()

    @on(Input.Submitted, "#removed-quantity")
    @writes(moves_on=True)
    async def record(self) -> None:
        number = self.query_one("#removed-number", Input).value
        ok, _recorded = await self.attempt_write(self.feedback, parts.record_removed_part, self.actor, self.line.id,
                                                 number, self.query_one("#removed-quantity", Input).value,
                                                 self.query_one("#removed-causal", Checkbox).value,
                                                 self.query_one("#removed-what", Select).value, bell=self.app.bell)
        if ok:
            self.dismiss(_("Old part {part} recorded on line {position}.").format(part=number.strip().upper(),
                                                                                position=self.line.position))


class CatalogueScreen(Dialog):
    """Search the catalogue as you type (number or any words of the description); Enter picks the part."""

    def __init__(self, text: str, note: str = "") -> None:
        super().__init__()
        self.text = text
        self.note = note  # why it opened (an unknown part number scanned), shown until the search changes

    def on_mount(self) -> None:
        if self.note:
            self.feedback.show(self.note, "error")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Find a part: type its number or words of its description; ↓ and Enter pick it"))
            yield Input(self.text, id="catalogue-search", max_length=80)
            yield PagedTable([_("Part"), _("Description"), _("Bin"), _("On hand")], self._page(self.text), page_size=20,
                             id="catalogue")
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @staticmethod
    def _page(text: str):
        def page(after, limit):
            return [(key, (r.part_number, r.description[:34], r.bin, r.on_hand))
                    for key, r in parts.search_parts(text, after, limit)]
        return page

    @on(Input.Changed, "#catalogue-search")
    def search(self, event: Input.Changed) -> None:
        if self.note and event.value != self.text:
            self.note = ""
            self.feedback.clear()
        self.query_one(PagedTable).reload(self._page(event.value))

    @on(Input.Submitted, "#catalogue-search")
    def to_list(self) -> None:
        self.query_one(PagedTable).focus()

    @on(DataTable.RowSelected, "#catalogue")
    def pick(self) -> None:
        table = self.query_one(PagedTable)
        if table.row_count == 0:
            return
        number = table.get_row_at(table.cursor_row)[0]
        ok, part = attempt(self.feedback, parts.find_part_by_scan, number)
        if ok:
            self.dismiss(part)
