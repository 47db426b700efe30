"""The label print queue, kept in the database: a label that fails to print waits with its error and is
retried; any tag's label can be printed again at any time. Nothing is lost when a printer is off."""

from __future__ import annotations

from dataclasses import dataclass

from labels import STOCKS, LabelData, stock_from_config
from labels.printing import PrintError, printer_from_config
from labels.render import render

from .audit import Actor, change
from .config import Settings
from .errors import InvalidInput
from .holding import find_tag
from .jobs import job_number
from .store import write_transaction
from .store.models import Employee, PrintJob, TagEvent, WarrantyTag, now
from .text import is_digits

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


def label_data(tag: WarrantyTag, settings: Settings) -> LabelData:
    technician = Employee.get_by_id(tag.technician_id).name
    return LabelData(tag_number=tag.tag_number, dealer_code=settings.dealer_code, repair_order=job_number(tag.job_id),
                     repair_date=tag.tagged_at.date().isoformat(), vin=tag.vin, mileage=tag.mileage,
                     technician=technician, part_number=tag.part_number, description=tag.description,
                     quantity=tag.quantity, causal=tag.causal, labour_operation=tag.labour_operation,
                     complaint=tag.complaint, manufacturer=tag.manufacturer)


def printer_config(settings: Settings, name: str = "") -> tuple[str, dict]:
    name = name or settings.default_printer or next(iter(settings.printers), "labels")
    config = settings.printers.get(name) or (DEFAULT_PRINTER if not settings.printers else None)
    if config is None:
        raise InvalidInput(f"No printer named {name!r:.40} in the settings; printers: {', '.join(settings.printers)}.")
    return name, config


def stock_for(config: dict, settings: Settings, stock_name: str = "", dpi: int = 0):
    name = stock_name or config.get("stock", "brother-62x29")
    if name in settings.label_stocks:
        stock = stock_from_config(name, settings.label_stocks[name])
    elif name in STOCKS:
        stock = STOCKS[name]
    else:
        raise InvalidInput(f"Unknown label stock {name!r:.40}; stocks: {', '.join([*STOCKS, *settings.label_stocks])}.")
    chosen = dpi or config.get("dpi") or stock.dpis[-1]
    if isinstance(chosen, bool) or not isinstance(chosen, (int, str)) or not is_digits(str(chosen)):
        raise InvalidInput(f"Resolution must be a whole number of dpi, like 300, not {chosen!r:.20}.")
    dpi = int(chosen)
    if dpi not in stock.dpis:
        raise InvalidInput(f"Stock {stock.name} prints at {', '.join(map(str, stock.dpis))} dpi, not {dpi}.")
    return stock, dpi


def render_tag(tag_number: str, settings: Settings, stock_name: str = "", dpi: int = 0, printer: str = ""):
    tag = find_tag(tag_number)
    _, config = printer_config(settings, printer)
    stock, dpi = stock_for(config, settings, stock_name, dpi)
    return render(label_data(tag, settings), stock, dpi)


def queue(tag_id: int, printer: str, actor: Actor) -> None:
    """Put a tag's label in the print queue; call inside the transaction that made the tag."""
    PrintJob.create(tag=tag_id, printer=printer or "labels", requested_by=actor.employee_id, created_at=now())


def reprint(actor: Actor, tag_number: str, settings: Settings, printer: str = "") -> None:
    """A lost or damaged label: print it again, same tag number, with an event saying so."""
    name, _ = printer_config(settings, printer)
    with change(actor, "label.print") as record:
        tag = find_tag(tag_number)
        if tag.status == "void":
            raise InvalidInput(f"Tag {tag.tag_number} is void; its label is not printed again.")
        queue(tag.id, name, actor)
        TagEvent.create(tag=tag.id, status=tag.status, location=tag.location, note=f"label reprinted on {name}",
                        employee=actor.employee_id, terminal=actor.terminal[:60], client=actor.client[:80], at=now())
        record.about("warranty_tag", tag.id, tag=tag.tag_number, printer=name)


def process(settings: Settings, limit: int = 20) -> list[tuple[str, bool, str]]:
    """Try every label that is waiting or failed; returns (tag, printed?, message) for each.

    Runs in a worker thread: the printer may take its time; each result is its own small write.
    """
    results = []
    waiting = list(PrintJob.select(PrintJob, WarrantyTag).join(WarrantyTag)
                   .where(PrintJob.status.in_(("queued", "failed"))).order_by(PrintJob.id).limit(limit))
    for job in waiting:
        tag = job.tag
        try:
            _, config = printer_config(settings, job.printer)
            stock, dpi = stock_for(config, settings)
            reference = printer_from_config(config).send(render(label_data(tag, settings), stock, dpi), tag.tag_number)
        except (PrintError, InvalidInput, ValueError, OSError) as exc:
            message = str(exc) if not isinstance(exc, InvalidInput) else exc.message
            with write_transaction():
                PrintJob.update(status="failed", attempts=PrintJob.attempts + 1, last_error=message[:300]).where(
                    PrintJob.id == job.id).execute()
            results.append((tag.tag_number, False, message))
            continue
        with write_transaction():
            PrintJob.update(status="printed", attempts=PrintJob.attempts + 1, last_error="",
                            reference=str(reference)[:200], printed_at=now()).where(PrintJob.id == job.id).execute()
        results.append((tag.tag_number, True, f"Label {tag.tag_number} printed ({reference})."))
    return results


def waiting_jobs(after: int | None = None, limit: int = 50) -> list[tuple[int, JobRow]]:
    """Labels not printed yet, with the printer's last error."""
    query = (PrintJob.select(PrintJob, WarrantyTag.tag_number).join(WarrantyTag)
             .where(PrintJob.status.in_(("queued", "failed"))).order_by(PrintJob.id).limit(limit))
    if after is not None:
        query = query.where(PrintJob.id > after)
    return [(j.id, JobRow(j.id, j.tag.tag_number, j.printer, j.status, j.attempts, j.last_error, j.created_at))
            for j in query]
