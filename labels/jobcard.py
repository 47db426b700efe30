"""The job card: A4 pages of real text (PDF) with the card's barcode on each, the document the customer signs
at pick-up; and the card's small label for a label printer.

It says what state the card was in when printed, each line's complaint, cause and correction, the estimate
with its prices and what the customer pays (warranty and internal lines: nothing), who approved the work,
when and how, the quality check and delivery, the old parts kept (with their warranty tag numbers), and
lines for the customer's and the advisor's signatures.
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import LabelData
from .document import Document, Table, wrap
from .text import _, clean, pgettext

BODY = 9.5
SMALL = 8
COMPLAINT_LINES = 6  # of the card's complaint; each line's complaint, cause and correction get 3 each
LINE_TEXT_LINES = 3


@dataclass(frozen=True)
class JobCardLine:
    position: int
    complaint: str
    payer: str
    labour_operation: str
    technician: str
    cause: str = ""
    correction: str = ""
    status: str = ""  # as printed: "done", "open", "waiting for approval", ...


@dataclass(frozen=True)
class PriceLine:
    """An estimate line as printed: amounts already formatted; customer_pays is 0.00 on a warranty line."""

    position: int
    payer: str
    description: str
    quantity: str
    unit_price: str
    amount: str
    customer_pays: str
    state: str = ""  # "", "waiting for approval", "declined"


@dataclass(frozen=True)
class OldPart:
    """A part that came off the car, and what became of it."""

    position: int
    part_number: str
    description: str
    quantity: int
    kept: str  # "kept for warranty", "the customer keeps it", "scrapped"
    tag_number: str = ""


@dataclass(frozen=True)
class JobCardData:
    """What the printed job card says: plain strings, nothing from the database."""

    shop: str
    number: str  # the barcode carries exactly this: what the technician's My jobs screen accepts
    customer: str
    phone: str
    plate: str
    vin: str
    model: str
    mileage_in: int
    promised: str  # as printed, e.g. "2026-03-05 17:00", or ""
    advisor: str
    opened: str
    complaint: str  # the customer's words, several lines allowed
    lines: tuple[JobCardLine, ...]
    printed: str = ""
    state: str = ""  # the card's state when printed, e.g. "in work: not the final document"
    prices: tuple[PriceLine, ...] = ()
    total: str = ""
    customer_total: str = ""
    pending_total: str = ""
    approvals: tuple[str, ...] = ()  # "Approved by 王小明 in person on 2026-10-14 09:20, recorded by Sun Li"
    quality: tuple[str, ...] = ()
    delivered: str = ""
    old_parts: tuple[OldPart, ...] = ()


def _page_top(data: JobCardData):
    def draw(pdf: Document) -> None:
        top = pdf.y
        pdf.barcode(clean(data.number), pdf.right, top, 34, right=True)
        pdf.text(pdf.right - 130, top + 38, data.number, 12, bold=True, width=130)
        pdf.text(pdf.left, top, data.shop or _("Workshop"), 13, bold=True, width=pdf.body_width - 200)
        pdf.text(pdf.left, top + 18, _("Job card {number}").format(number=data.number), 18, bold=True,
                 width=pdf.body_width - 200)
        if data.state:
            pdf.text(pdf.left, top + 42, _("State when printed: {state}").format(state=data.state), BODY, bold=True,
                     width=pdf.body_width - 160)
        pdf.page_numbers(pdf.right - 140, top + 42, SMALL)
        pdf.y = top + 58
        pdf.rule(1.2, 6)
        pdf.text(pdf.left, pdf.bottom + 6, _("Scan the barcode at the floor terminal (My jobs) to open this card. "
                   "Printed {printed}.").format(printed=data.printed or "-"), SMALL, width=pdf.body_width)
    return draw


def _facts(pdf: Document, data: JobCardData) -> None:
    half = pdf.body_width / 2
    plate = _("Plate: {plate}").format(plate=data.plate or "-")
    for left, right in ((_("Customer: {customer}").format(customer=data.customer),
                         _("Phone: {phone}").format(phone=data.phone or "-")),
                        (plate, _("Model: {model}").format(model=data.model or "-")),
                        (_("VIN: {vin}").format(vin=data.vin or "-"),
                         _("Mileage in: {mileage} km").format(mileage=data.mileage_in)),
                        (_("Promised: {promised}").format(promised=data.promised or "-"),
                         _("Advisor: {advisor}").format(advisor=data.advisor or "-")),
                        (_("Opened: {opened}").format(opened=data.opened or "-"),
                         _("Delivered: {delivered}").format(delivered=data.delivered or "-"))):
        pdf.room(BODY * 1.5)
        pdf.text(pdf.left, pdf.y, left, BODY + 1, bold=left is plate, width=half - 10)
        pdf.text(pdf.left + half, pdf.y, right, BODY + 1, width=half)
        pdf.y += (BODY + 1) * 1.45
    pdf.y += 4


def _heading(pdf: Document, text: str) -> None:
    pdf.room(BODY * 5)
    pdf.y += 4
    pdf.line(text, BODY + 1.5, bold=True)


def _labelled(pdf: Document, label: str, text: str, most: int) -> None:
    lines = wrap(text, BODY, pdf.body_width - 80, most) or ["-"]
    for number, line in enumerate(lines):
        pdf.room(BODY * 1.35)
        if number == 0:
            pdf.text(pdf.left + 12, pdf.y, label, BODY, bold=True, width=66)
        pdf.text(pdf.left + 80, pdf.y, line, BODY, width=pdf.body_width - 80)
        pdf.y += BODY * 1.35


def _lines(pdf: Document, data: JobCardData) -> None:
    _heading(pdf, _("Work (each line: complaint, cause, correction)"))
    if not data.lines:
        pdf.line(_("No job lines yet."), BODY)
    for line in data.lines:
        pdf.room(BODY * 6)
        facts = [_("Line {position}").format(position=line.position), _("payer: {payer}").format(payer=line.payer),
                 _("labour op: {operation}").format(operation=line.labour_operation or "-"),
                 _("technician: {technician}").format(technician=line.technician or _("(unassigned)"))] + (
                     [line.status] if line.status else [])
        pdf.line(" · ".join(facts), BODY, bold=True)
        _labelled(pdf, _("Complaint"), line.complaint, LINE_TEXT_LINES)
        _labelled(pdf, _("Cause"), line.cause, LINE_TEXT_LINES)
        _labelled(pdf, _("Correction"), line.correction, LINE_TEXT_LINES)
        pdf.y += 3


def _prices(pdf: Document, data: JobCardData) -> None:
    _heading(pdf, _("Estimate (prices agreed with the customer)"))
    if not data.prices:
        pdf.line(_("No priced work on this card."), BODY)
        return
    heads = (_("Line"), _("Payer"), _("Work or part"), _("Qty"), _("Unit price"), _("Amount"), _("Customer pays"))
    table = Table.spread(pdf, heads, (6, 10, 38, 7, 12, 12, 15), BODY, right=heads[3:])
    table.heads()
    for p in data.prices:
        table.row((str(p.position), p.payer, p.description + (f" ({p.state})" if p.state else ""), p.quantity,
                   p.unit_price, p.amount, p.customer_pays))
    pdf.rule(0.6, 3)
    table.row(("", "", _("Total"), "", "", data.total, data.customer_total), bold=True)
    if data.pending_total and data.pending_total not in ("0.00", "0"):
        pdf.line(_("Waiting for the customer's approval: {amount}").format(amount=data.pending_total), BODY)
    pdf.line(_("Warranty and internal work costs the customer nothing."), SMALL)


def _old_parts(pdf: Document, data: JobCardData) -> None:
    _heading(pdf, _("Old parts"))
    if not data.old_parts:
        pdf.line(_("No parts came off."), BODY)
        return
    heads = (_("Line"), _("Part"), _("Description"), _("Qty"), "", _("Kept"), _("Tag"))
    table = Table.spread(pdf, heads, (6, 15, 32, 5, 2, 26, 14), BODY, right=(heads[3],))
    table.heads()
    for part in data.old_parts:
        table.row((str(part.position), part.part_number, part.description, str(part.quantity), "", part.kept,
                   part.tag_number))


def _signatures(pdf: Document) -> None:
    pdf.room(90)
    pdf.y += 24
    half = pdf.body_width / 2
    for x, who in ((pdf.left, _("Customer: signature")), (pdf.left + half, _("Service advisor: signature"))):
        pdf.canvas.setLineWidth(0.6)
        pdf.canvas.line(x, pdf.height - pdf.y - 26, x + half - 30, pdf.height - pdf.y - 26)
        pdf.text(x, pdf.y - 8, who, SMALL)
        pdf.text(x, pdf.y + 30, _("Date:"), SMALL)
    pdf.y += 48
    pdf.line(_("By signing, the customer accepts the vehicle and the work described above."), SMALL)


def to_pdf(data: JobCardData) -> bytes:
    """The job card as one PDF: header and barcode on every page, then everything the card holds."""
    pdf = Document(_("Job card {number}").format(number=clean(data.number)), on_new_page=_page_top(data))
    pdf.bottom -= 14  # the footer line
    pdf.new_page()
    _facts(pdf, data)
    _heading(pdf, _("Complaint (the customer's words)"))
    for line in wrap(data.complaint, BODY, pdf.body_width - 12, COMPLAINT_LINES) or ["-"]:
        pdf.line(line, BODY, indent=12)
    _lines(pdf, data)
    _prices(pdf, data)
    _heading(pdf, pgettext("customer", "Approval"))
    for text in data.approvals or (_("The customer's approval is not recorded yet."),):
        pdf.paragraph(text, BODY, most=3)
    _heading(pdf, _("Quality check and delivery"))
    for text in data.quality or (_("No quality check yet."),):
        pdf.paragraph(text, BODY, most=3)
    pdf.line(_("Delivered: {delivered}").format(delivered=data.delivered) if data.delivered
             else _("Not delivered yet."), BODY)
    _old_parts(pdf, data)
    _signatures(pdf)
    return pdf.finish()


def label_data(data: JobCardData) -> LabelData:
    """The job card's small label for a label printer (labels.render): the barcode and number, the plate with
    the promised time, VIN and mileage in, the technicians, the model, and on large stock the complaint."""
    technicians = " / ".join(dict.fromkeys(line.technician for line in data.lines if line.technician))
    due = _("due {promised}").format(promised=data.promised) if data.promised else ""
    return LabelData(tag_number=data.number, repair_date=" ".join(v for v in (clean(data.plate), due) if v),
                     vin=data.vin, mileage=data.mileage_in, technician=technicians, description=data.model,
                     complaint=data.complaint)
