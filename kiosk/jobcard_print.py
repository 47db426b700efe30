"""Printing the job card: an A4 PDF with its barcode (to a CUPS printer), the document the customer signs at
pick-up, or a small label for the technician."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from labels.errors import LabelError
from labels.jobcard import JobCardData, JobCardLine, OldPart, PriceLine, label_data, to_pdf
from labels.page import print_pdf
from labels.printing import CupsPrinter, printer_from_config
from labels.render import render
from labels.text import translated

from . import permissions, quotes
from .approval import APPROVAL_WAYS
from .audit import Actor, change
from .config import Settings, exports_folder
from .errors import InvalidInput, KioskError, NotAllowed
from .files import write_bytes
from .i18n import N_, current_language, format_datetime, gettext, use_language
from .i18n import render as say
from .i18n import gettext as _
from .jobcard import STATE_WORDS, allows
from .jobs import parse_job_number
from .labelqueue import printer_config, stock_for
from .quotes import Quote
from .reception import AdvisorView, advisor_view
from .store.models import JobLine, Part, RemovedPart, WarrantyTag, now
from .text import printable

# A CUPS printer in the settings whose media names one of these takes A4 documents (job cards) rather than labels,
# e.g. [printers.office] backend = "cups", queue = "office", media = "A4".
DOCUMENT_MEDIA = ("a4", "letter")


@dataclass(frozen=True)
class Printed:
    """What became of a print: the PDF on disk, and the printer and CUPS job id when it went to one."""

    path: Path
    printer: str
    reference: str
    message: str


def _job_id(job: int | str) -> int:
    if isinstance(job, int) and not isinstance(job, bool):
        if 0 < job < 10 ** 10:  # as many digits as a job-card number has
            return job
        raise InvalidInput(N_("That is not a job-card number (like RO000123)."))
    return parse_job_number(job)


# What a removed part's disposition means on the card the customer signs.
KEPT_WORDS = {"warranty": N_("kept for warranty"), "customer_keeps": N_("the customer keeps it"),
              "scrap": N_("scrapped")}
# How the customer approved, as the printed card says it (kiosk.approval.APPROVAL_WAYS, in the card's language).
# Who pays for a line, as the printed card says it.
PAYER_WORDS = {"customer": N_("customer"), "warranty": N_("warranty"), "internal": N_("internal")}
WAY_WORDS = {"in_person": N_("in person"), "phone": N_("by phone"), "message": N_("by message")}
ZERO = Decimal("0.00")


def _when(at) -> str:
    return format_datetime(at) if at else ""


def printed_state(status: str) -> str:
    """The card's state as printed on it: an open card says it is not the final document."""
    words = _(STATE_WORDS.get(status, status))
    if status in ("delivered", "cancelled"):
        return words
    return _("{state}: a work card, not the final document").format(state=words)


def _payer(payer: str) -> str:
    return _(PAYER_WORDS[payer]) if payer in PAYER_WORDS else payer


def _line_state(line) -> str:
    if line.status == "done":
        return _("done")
    return _("open") if line.approved else _("waiting for the customer's approval")


def _prices(job_id: int) -> tuple[tuple[PriceLine, ...], Quote]:
    quote = quotes.quote(job_id)
    states = {"pending": _("waiting for approval"), "declined": _("declined"), "approved": ""}
    prices = tuple(PriceLine(r.position, _payer(r.payer), " ".join(v for v in (r.part_number, r.description) if v),
                             f"{r.quantity.normalize():f}", f"{r.unit_price:.2f}", f"{r.amount:.2f}",
                             f"{r.amount if r.payer == 'customer' and r.state != 'declined' else ZERO:.2f}",
                             states[r.state]) for r in quote.rows)
    return prices, quote


def old_parts(job_id: int) -> tuple[OldPart, ...]:
    """The parts that came off the card's lines, with what became of them and their warranty tag numbers."""
    tag = (WarrantyTag.select(WarrantyTag.removed_part, WarrantyTag.tag_number)
           .where((WarrantyTag.job == job_id) & (WarrantyTag.status != "void")))
    tagged = {r: number for r, number in tag.tuples()}
    return tuple(OldPart(position, number, description, quantity, _(KEPT_WORDS.get(disposition, disposition)),
                         tagged.get(removed_id, "") or (_("not tagged yet") if disposition == "warranty" else ""))
                 for removed_id, position, number, description, quantity, disposition in (
                     RemovedPart.select(RemovedPart.id, JobLine.position, Part.part_number, Part.description,
                                        RemovedPart.quantity, RemovedPart.disposition)
                     .join(JobLine).switch(RemovedPart).join(Part)
                     .where(JobLine.job == job_id).order_by(JobLine.position, RemovedPart.id).tuples()))


def _printable(job: int | str) -> AdvisorView:
    """The card to print, if its state allows a print (kiosk.jobcard.ACTIONS: not a cancelled card)."""
    card = advisor_view(_job_id(job))
    if not allows(card.status, "print_card"):
        raise NotAllowed(N_("Job card {number} is {state}; it is not printed."), number=card.number,
                         state=STATE_WORDS[card.status])
    return card


def card_data(card: AdvisorView, settings: Settings) -> JobCardData:
    """The printed card's contents from the advisor's view of it, with its estimate and old parts."""
    prices, quote = _prices(card.job_id)
    approvals = tuple(
        (_("Quote approved by {customer} {how} on {at}, recorded by {recorded_by}") if n == 0 else
         _("Further work approved by {customer} {how} on {at}, recorded by {recorded_by}")).format(
            customer=a.customer_name, at=_when(a.at),
            how=_(WAY_WORDS[a.how]) if a.how in WAY_WORDS else APPROVAL_WAYS.get(a.how, a.how),
            recorded_by=a.recorded_by) + (f" ({a.note})" if a.note else "")
        for n, a in enumerate(card.approvals))
    checks = tuple((_("Quality check passed on {at} by {checked_by}") if q.passed else
                    _("Quality check FAILED on {at} by {checked_by}")).format(at=_when(q.at), checked_by=q.checked_by)
                   + (f": {q.note}" if q.note else "") for q in card.quality_checks)
    return JobCardData(
        shop=settings.shop_name, number=card.number, customer=card.customer, phone=card.phone, plate=card.plate,
        vin=card.vin, model=card.model, mileage_in=card.mileage_in,
        promised=_when(card.promised_at), advisor=card.advisor,
        opened=_when(card.opened_at), complaint=card.complaint,
        lines=tuple(JobCardLine(ln.position, ln.complaint, _payer(ln.payer), ln.labour_operation, ln.technician,
                                ln.cause, ln.correction, _line_state(ln))
                    for ln in card.lines if ln.status != "declined"),
        printed=_when(now()), state=printed_state(card.status), prices=prices, total=f"{quote.total:.2f}",
        customer_total=f"{quote.customer_total:.2f}", pending_total=f"{quote.pending_total:.2f}",
        approvals=approvals, quality=checks,
        delivered=_when(card.closed_at) if card.status == "delivered" else "", old_parts=old_parts(card.job_id))


def _write(card: AdvisorView, settings: Settings, language: str = "") -> Path:
    """The card's PDF in language (the printer's, else whoever asked: the current language)."""
    try:
        with use_language(language or current_language()), translated(gettext):
            data = to_pdf(card_data(card, settings))
    except LabelError as exc:
        raise InvalidInput(N_("Cannot draw job card {number}: {error}"), number=card.number, error=str(exc)) from None
    return write_bytes(exports_folder(settings) / "job-cards" / f"{card.number}.pdf", data,
                       what=N_("the job card"))


def _record(actor: Actor, card: AdvisorView, **detail) -> None:
    with change(actor, "job.print") as record:
        record.about("job_card", card.job_id, number=card.number, **detail)


def job_card_pdf(actor: Actor, job: int | str, settings: Settings) -> Path:
    """Write the job card as a PDF into the kiosk's job-cards folder (the latest print of each card); returns
    the file. job: the id or a typed / scanned number (RO000123). Raises NotAllowed, NotFound, InvalidInput."""
    permissions.require(actor.role, "job.print")
    card = _printable(job)
    path = _write(card, settings)
    _record(actor, card, printer="", file=str(path))
    return path


def document_printer(settings: Settings, name: str = "") -> tuple[str, CupsPrinter] | None:
    """The CUPS printer for A4 documents: the one named, else the first whose media is A4 or Letter; None when
    the settings have none. Raises InvalidInput (unknown name, not a CUPS printer, bad settings)."""
    names = [name] if name else list(settings.printers)
    if name and name not in settings.printers:
        raise InvalidInput(N_("No printer named '{name}' in the settings; printers: {printers}."),
                           name=printable(name, 40), printers=", ".join(settings.printers))
    for candidate in names:
        config = settings.printers[candidate]
        cups = str(config.get("backend", "folder")).lower() == "cups"
        if name and not cups:
            raise InvalidInput(N_("Printer {name} writes label files into a folder; a job card needs a CUPS printer."),
                               name=name)
        if cups and (name or any(m in str(config.get("media", "")).lower() for m in DOCUMENT_MEDIA)):
            try:
                return candidate, printer_from_config(config, settings.label_stocks)
            except LabelError as exc:
                raise InvalidInput(N_("Printer {name}: {error}"), name=candidate, error=str(exc)) from None
    return None


def print_job_card(actor: Actor, job: int | str, settings: Settings, printer: str = "") -> Printed:
    """Write the job card's PDF and send it to the document printer (named, or found by document_printer).
    With no document printer in the settings the PDF is kept and the message says where. Each print is a
    job.print audit event. Raises NotAllowed, NotFound, InvalidInput (printer settings), KioskError (the
    printer refused: the message says why; the PDF is still written)."""
    permissions.require(actor.role, "job.print")
    card = _printable(job)
    found = document_printer(settings, printer)
    path = _write(card, settings, settings.document_language(found[0]).split("+")[0] if found else "")
    if found is None:
        _record(actor, card, printer="", file=str(path))
        return Printed(path, "", "", say(N_("No document printer is set up (a CUPS printer with media = \"A4\"); "
                                            "job card {number} is saved as {path}."),
                                         {"number": card.number, "path": path}))
    name, cups = found
    try:
        reference = print_pdf(cups, path.read_bytes(), f"{card.number}-{dt.datetime.now():%Y%m%d-%H%M%S-%f}")
    except LabelError as exc:
        raise KioskError(N_("Job card {number} was not printed: {error} It is saved as {path}."), number=card.number,
                         error=str(exc), path=str(path)) from None
    _record(actor, card, printer=name, reference=reference, file=str(path))
    return Printed(path, name, reference, say(N_("Job card {number} sent to {printer} ({reference})."),
                                              {"number": card.number, "printer": name, "reference": reference}))


def print_job_label(actor: Actor, job: int | str, settings: Settings, printer: str = "") -> str:
    """Print the job card's small label (barcode, plate, promised time) on a label printer (the default one
    unless named); returns the printer's reference (CUPS job id or file). Raises NotAllowed, NotFound,
    InvalidInput, KioskError (the printer refused)."""
    permissions.require(actor.role, "job.print")
    card = _printable(job)
    name, config = printer_config(settings, printer)
    stock, dpi = stock_for(config, settings)
    try:
        with use_language(settings.document_language(name).split("+")[0]), translated(gettext):
            label = label_data(card_data(card, settings))
        reference = printer_from_config(config, settings.label_stocks).send(render(label, stock, dpi), card.number)
    except LabelError as exc:
        raise KioskError(N_("The label of job card {number} was not printed: {error}"), number=card.number,
                         error=str(exc)) from None
    _record(actor, card, printer=name, reference=reference, label=True)
    return reference
