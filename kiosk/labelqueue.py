"""The label print queue, kept in the database: a label that fails to print waits with its error and is
retried; any tag's label can be printed again at any time. Nothing is lost when a printer is off.
Each label is claimed in the database before it is sent (never printed twice by two terminals); failing
labels wait longer after each try and are parked after a set number, so they never hold up the others."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass

from labels import STOCKS, LabelData, stock_from_config
from labels.data import CAPTIONS
from labels.printing import PrintError, printer_from_config
from labels.render import render

from .audit import Actor, change
from .config import Settings
from .errors import Conflict, InvalidInput, NotFound
from .i18n import N_, gettext, stored, use_language
from .i18n import render as say
from .holding import find_tag
from .jobs import job_number
from .store import write_transaction
from .store.database import is_sqlite
from .store.models import Employee, PrintJob, TagEvent, WarrantyTag, now
from .text import is_digits

# Labels not printed yet: waiting, being sent, failed (retried later) and parked (retried by a person).
NOT_PRINTED = ("queued", "printing", "failed", "parked")
# A label's state as a person reads it (the database keeps the English word).
STATUS_WORDS = {"queued": N_("queued"), "printing": N_("printing"), "failed": N_("failed"), "parked": N_("parked"),
                "printed": N_("printed")}
MAX_RETRY_WAIT_SECONDS = 15 * 60
DEFAULT_PRINTER = {"backend": "folder", "path": "~/.local/share/kiosk/labels", "stock": "brother-62x29", "dpi": 300}


@dataclass(frozen=True)
class JobRow:
    id: int
    tag_number: str
    printer: str
    status: str
    attempts: int
    last_error: str
    created_at: object
    next_try_at: object = None


def _label_captions(language: str) -> dict[str, str]:
    """A tag label's captions in language (Settings.document_language); "zh_CN+en" gives both, as 工单/RO."""
    words = []
    for one in language.split("+"):
        with use_language(one):
            words.append({key: gettext(text) for key, text in CAPTIONS.items()})
    return {key: "/".join(dict.fromkeys(w[key] for w in words)) for key in CAPTIONS}


def label_data(tag: WarrantyTag, settings: Settings, printer: str = "") -> LabelData:
    """What a tag's label says, its captions in the language of the printer it goes to."""
    technician = Employee.get_by_id(tag.technician_id).name
    return LabelData(tag_number=tag.tag_number, dealer_code=settings.dealer_code, repair_order=job_number(tag.job_id),
                     repair_date=tag.tagged_at.date().isoformat(), vin=tag.vin, mileage=tag.mileage,
                     technician=technician, part_number=tag.part_number, description=tag.description,
                     quantity=tag.quantity, causal=tag.causal, labour_operation=tag.labour_operation,
                     complaint=tag.complaint, manufacturer=tag.manufacturer,
                     captions=_label_captions(settings.document_language(printer)))


def printer_config(settings: Settings, name: str = "") -> tuple[str, dict]:
    name = name or settings.default_printer or next(iter(settings.printers), "labels")
    config = settings.printers.get(name) or (DEFAULT_PRINTER if not settings.printers else None)
    if config is None:
        raise InvalidInput(N_("No printer named {name!r} in the settings; printers: {printers}."), name=name[:40],
                           printers=", ".join(settings.printers))
    return name, config


def stock_for(config: dict, settings: Settings, stock_name: str = "", dpi: int = 0):
    name = stock_name or config.get("stock", "brother-62x29")
    if name in settings.label_stocks:
        stock = stock_from_config(name, settings.label_stocks[name])
    elif name in STOCKS:
        stock = STOCKS[name]
    else:
        raise InvalidInput(N_("Unknown label stock {name!r}; stocks: {stocks}."), name=str(name)[:40],
                           stocks=", ".join([*STOCKS, *settings.label_stocks]))
    chosen = dpi or config.get("dpi") or stock.dpis[-1]
    if isinstance(chosen, bool) or not isinstance(chosen, (int, str)) or not is_digits(str(chosen)):
        raise InvalidInput(N_("Resolution must be a whole number of dpi, like 300, not {value}."),
                           value=repr(chosen)[:20])
    dpi = int(chosen)
    if dpi not in stock.dpis:
        raise InvalidInput(N_("Stock {stock} prints at {dpis} dpi, not {dpi}."), stock=stock.name,
                           dpis=", ".join(map(str, stock.dpis)), dpi=dpi)
    return stock, dpi


def render_tag(tag_number: str, settings: Settings, stock_name: str = "", dpi: int = 0, printer: str = ""):
    tag = find_tag(tag_number)
    name, config = printer_config(settings, printer)
    stock, dpi = stock_for(config, settings, stock_name, dpi)
    return render(label_data(tag, settings, name), stock, dpi)


def queue(tag_id: int, printer: str, actor: Actor) -> None:
    """Put a tag's label in the print queue; call inside the transaction that made the tag."""
    PrintJob.create(tag=tag_id, printer=printer or "labels", requested_by=actor.employee_id, created_at=now())


def reprint(actor: Actor, tag_number: str, settings: Settings, printer: str = "") -> None:
    """A lost or damaged label: print it again, same tag number, with an event saying so."""
    name, _ = printer_config(settings, printer)
    with change(actor, "label.print") as record:
        tag = find_tag(tag_number)
        if tag.status == "void":
            raise InvalidInput(N_("Tag {tag} is void; its label is not printed again."), tag=tag.tag_number)
        queue(tag.id, name, actor)
        TagEvent.create(tag=tag.id, status=tag.status, location=tag.location,
                        note=stored(N_("label reprinted on {printer}"), printer=name), employee=actor.employee_id,
                        terminal=actor.terminal[:60], client=actor.client[:80], at=now())
        record.about("warranty_tag", tag.id, tag=tag.tag_number, printer=name)


def claimer_name(settings: Settings) -> str:
    """Who holds a claim: the terminal, and which of its processes (a terminal may run a few)."""
    return f"{settings.terminal[:40]} pid {os.getpid()} {uuid.uuid4().hex[:8]}"


def _due(settings: Settings, at: dt.datetime, failed_now: bool = False):
    """Labels that may be sent now: waiting and due, or claimed by a terminal that stopped answering."""
    waiting = PrintJob.status == "queued"
    if failed_now:
        waiting |= PrintJob.status == "failed"
    else:
        waiting |= (PrintJob.status == "failed") & (PrintJob.next_try_at.is_null() | (PrintJob.next_try_at <= at))
    abandoned = (PrintJob.status == "printing") & (
        PrintJob.claimed_at <= at - dt.timedelta(seconds=settings.label_claim_seconds))
    return waiting | abandoned


def claim_next(settings: Settings, claimer: str, *, at: dt.datetime | None = None, skip_printers=(),
               failed_now: bool = False) -> PrintJob | None:
    """Claim the next label due (fewest tries first, then oldest) for this claimer, or None.

    The claim is a conditional UPDATE whose row count is checked, in its own transaction: two terminals
    running the queue at once never both send a label. PostgreSQL skips rows another terminal is
    claiming (FOR UPDATE SKIP LOCKED); SQLite's BEGIN IMMEDIATE already runs one claim at a time.
    """
    at = at or now()
    due = _due(settings, at, failed_now)
    with write_transaction():
        query = PrintJob.select(PrintJob.id).where(due).order_by(PrintJob.attempts, PrintJob.id).limit(1)
        if skip_printers:
            query = query.where(PrintJob.printer.not_in(list(skip_printers)))
        if not is_sqlite():
            query = query.for_update(skip_locked=True)
        candidate = query.first()
        if candidate is None:
            return None
        claimed = PrintJob.update(status="printing", claimed_by=claimer, claimed_at=at,
                                  attempts=PrintJob.attempts + 1).where(
            (PrintJob.id == candidate.id) & due).execute()
        if claimed != 1:
            return None
    return PrintJob.select(PrintJob, WarrantyTag).join(WarrantyTag).where(PrintJob.id == candidate.id).get()


def retry_wait(settings: Settings, attempts: int) -> dt.timedelta:
    """How long a label that failed `attempts` times waits before its next try: doubling, at most 15 min."""
    seconds = settings.label_retry_seconds * 2 ** min(max(attempts - 1, 0), 20)
    return dt.timedelta(seconds=min(seconds, MAX_RETRY_WAIT_SECONDS))


def _send(job: PrintJob, settings: Settings) -> str:
    name, config = printer_config(settings, job.printer)
    stock, dpi = stock_for(config, settings)
    return str(printer_from_config(config).send(render(label_data(job.tag, settings, name), stock, dpi),
                                                job.tag.tag_number))


def process(settings: Settings, limit: int = 20, *, at: dt.datetime | None = None,
            failed_now: bool = False) -> list[tuple[str, bool, str]]:
    """Send the labels that are due, each claimed first; returns (tag, printed?, message) for each tried.

    A failed label waits longer after each failure (retry_wait) and is parked after settings.label_tries,
    so labels that keep failing never hold up the others; after one failure a printer is not tried again in
    the same run. failed_now (a person asked to retry) sends failed labels without waiting.
    Runs in a worker thread: the printer may take its time; each claim and result is its own small write.
    """
    claimer = claimer_name(settings)
    results: list[tuple[str, bool, str]] = []
    failing_printers: set[str] = set()
    for _ in range(limit):
        job = claim_next(settings, claimer, at=at, skip_printers=failing_printers, failed_now=failed_now)
        if job is None:
            break
        tag_number = job.tag.tag_number
        try:
            reference = _send(job, settings)
        except (PrintError, InvalidInput, ValueError, OSError) as exc:
            message = str(exc) if not isinstance(exc, InvalidInput) else exc.message
            failing_printers.add(job.printer)
            parked = job.attempts >= settings.label_tries
            with write_transaction():
                PrintJob.update(status="parked" if parked else "failed", last_error=message[:300],
                                next_try_at=None if parked else (at or now()) + retry_wait(settings, job.attempts)
                                ).where((PrintJob.id == job.id) & (PrintJob.claimed_by == claimer)
                                        & (PrintJob.status == "printing")).execute()
            if parked:
                message = say(N_("Label {tag} failed {attempts} times and is parked on the Labels screen: {error}"),
                              {"tag": tag_number, "attempts": job.attempts, "error": message})
            results.append((tag_number, False, message))
            continue
        with write_transaction():
            PrintJob.update(status="printed", last_error="", reference=reference[:200], printed_at=now(),
                            next_try_at=None).where(PrintJob.id == job.id).execute()
        results.append((tag_number, True, say(N_("Label {tag} printed ({reference})."),
                                              {"tag": tag_number, "reference": reference})))
    return results


def retry_parked(actor: Actor, job_id: int) -> str:
    """A person retries a parked (or failed) label: it is due again with a fresh count of tries.

    Returns its tag number."""
    with change(actor, "label.retry") as record:
        job = PrintJob.select(PrintJob, WarrantyTag).join(WarrantyTag).where(PrintJob.id == job_id).first()
        if job is None:
            raise NotFound(N_("That label is no longer in the print queue."))
        if job.status not in ("parked", "failed"):
            raise InvalidInput(N_("Label {tag} is {status}, not parked; nothing to retry."), tag=job.tag.tag_number,
                               status=STATUS_WORDS.get(job.status, job.status))
        retried = PrintJob.update(status="queued", attempts=0, next_try_at=None, claimed_by="", last_error="").where(
            (PrintJob.id == job.id) & PrintJob.status.in_(("parked", "failed"))).execute()  # its error: in the event
        if retried != 1:
            raise Conflict(N_("Label {tag} was just sent by another terminal."), tag=job.tag.tag_number)
        record.about("print_job", job.id, tag=job.tag.tag_number, printer=job.printer, was=job.status,
                     attempts=job.attempts, error=job.last_error)
    return job.tag.tag_number


def waiting_jobs(after: int | None = None, limit: int = 50) -> list[tuple[int, JobRow]]:
    """Labels not printed yet (parked ones too), with the printer's last error."""
    query = (PrintJob.select(PrintJob, WarrantyTag.tag_number).join(WarrantyTag)
             .where(PrintJob.status.in_(NOT_PRINTED)).order_by(PrintJob.id).limit(limit))
    if after is not None:
        query = query.where(PrintJob.id > after)
    return [(j.id, JobRow(j.id, j.tag.tag_number, j.printer, j.status, j.attempts, j.last_error, j.created_at,
                          j.next_try_at)) for j in query]
