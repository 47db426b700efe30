"""The audit pack for the manufacturer's auditor: for VINs or job-card numbers (typed, or in the auditor's CSV),
one PDF per job card holding everything an audit asks for, and an index CSV.

Each card's PDF: the card with its three Cs and the customer's approvals (who, when, how), the clock entries,
parts issued and returned, the removed parts and their tags with their whole history (tagged, scanned in,
shelf, return request, box, shipped with carrier and tracking, or scrapped with its release), claims and
payments, quality checks, delivery and correction notes. Unknown or repeated VINs and numbers are rows of
the index, never a failure.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterable

from peewee import JOIN

from . import permissions
from .approval import APPROVAL_WAYS
from .audit import Actor, Change, change, write_event
from .clocking import hours_minutes
from .csvimport import Column, read_file
from .errors import InvalidInput
from .files import write_atomically, write_bytes
from .i18n import N_, read_stored, render
from .i18n import gettext as _
from .jobs import STATE_WORDS, job_number, parse_job_number
from .readiness import check_tags
from .reception import advisor_view
from .report_export import csv_cell
from .store import write_transaction
from .store.models import (ClockEntry, Employee, JobCard, JobLine, Part, RemovedPart, ReturnRequest, Shipment,
                           StockMovement, TagEvent, Vehicle, WarrantyTag)
from .tags import STATUS_WORDS
from .text import clean
from .vin import normalise

# An auditor samples 50 to 100 VINs; a pack of more is refused rather than left running for an hour.
MAX_KEYS = 1000
KIND_WORDS = {"vin": N_("VIN"), "job card": N_("job card")}
INDEX_COLUMNS = (N_("Asked for"), N_("Kind"), N_("Job card"), N_("VIN"), N_("State"), N_("File"), N_("Note"))
_VIN_LIKE = re.compile(r"^[A-Z0-9]{17}$")
CSV_COLUMNS = [Column("vin", ("车架号", "vin码")), Column("job_card", ("repair_order", "ro", "工单号"))]


@dataclass(frozen=True)
class IndexRow:
    asked: str
    kind: str  # "vin", "job card", "?"
    job: str
    vin: str
    state: str
    file: str
    note: str


@dataclass(frozen=True)
class Pack:
    folder: Path
    index: Path
    cards: int
    rows: tuple[IndexRow, ...]


def keys_from_csv(source, encoding: str | None = None) -> list[str]:
    """The VINs or job-card numbers of the auditor's CSV (a path, bytes or text; UTF-8 or GBK): a column named
    vin or job_card (repair_order, ro). Raises InvalidInput (neither column, a file-level fault); lines that
    cannot be read are left out, and the keys read go in the index either way."""
    def parse(values: dict) -> str:
        return values.get("vin") or values.get("job_card") or ""

    report = read_file(source, CSV_COLUMNS, parse, encoding=encoding)
    keys = [key for _, key in report.good if key]
    if not keys and not report.bad:
        raise InvalidInput(N_("The CSV's first line must name a column: vin or job_card (found: {found})."),
                           found=", ".join(report.ignored)[:80] or N_("nothing"))
    return keys


def _cards_for(key: str) -> tuple[str, list[int], str]:
    """(kind, job ids, note) for one key as typed: a VIN (every card of the vehicle but drafts) or a number."""
    code = normalise(clean(key, N_("VIN or job card"), max_len=40))
    if not code:
        return "?", [], N_("empty")
    if _VIN_LIKE.match(code) and not code.startswith("RO"):
        vehicle = Vehicle.get_or_none(Vehicle.vin == code)
        if vehicle is None:
            return "vin", [], N_("unknown VIN")
        jobs = [j for (j,) in JobCard.select(JobCard.id).where((JobCard.vehicle == vehicle.id)
                                                               & (JobCard.status != "draft"))
                .order_by(JobCard.id).tuples()]
        return "vin", jobs, "" if jobs else N_("no job cards for this VIN")
    try:
        job_id = parse_job_number(code)
    except InvalidInput:
        return "?", [], N_("neither a VIN nor a job-card number")
    if not JobCard.select().where(JobCard.id == job_id).exists():
        return "job card", [], N_("unknown job card")
    return "job card", [job_id], ""


def _when(at) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if at else "-"


def card_document(job_id: int):
    """The audit document of one card, as plain data for labels.auditpack."""
    from labels.auditpack import AuditCard, Section

    card = advisor_view(job_id)
    sections = []
    complaint = " / ".join(p.strip() for p in card.complaint.splitlines() if p.strip()) or "-"
    facts = [_("Customer: {customer} ({phone})").format(customer=card.customer, phone=card.phone or "-"),
             _("Vehicle: {vin} · {plate} · {model}").format(vin=card.vin, plate=card.plate or "-",
                                                          model=card.model or "-"),
             _("Mileage in: {mileage} km").format(mileage=card.mileage_in) + (
                 _(" (below the last reading: {reason})").format(reason=card.mileage_override_reason)
                 if card.mileage_override_reason else ""),
             _("State: {state}").format(state=_(STATE_WORDS.get(card.status, card.status))),
             _("Opened: {opened} · advisor {advisor}").format(opened=_when(card.opened_at),
                                                             advisor=card.advisor or "-"),
             _("Closed: {closed}").format(closed=_when(card.closed_at)),
             _("Complaint (customer's words): {complaint}").format(complaint=complaint)]
    sections.append(Section(_("The job card"), (), tuple(facts)))
    for ln in card.lines:
        sections.append(Section(
            _("Line {position} · {payer} · labour op {operation} · technician {technician} · {status}").format(
                position=ln.position, payer=ln.payer, operation=ln.labour_operation or "-",
                technician=ln.technician or "-", status=ln.status) + (_(" · further work") if ln.further_work else ""),
            facts=(_("Complaint: {text}").format(text=ln.complaint or "-"),
                   _("Cause: {text}").format(text=ln.cause or "-"),
                   _("Correction: {text}").format(text=ln.correction or "-"),
                   _("Time kept: {time}").format(time=hours_minutes(ln.hours * 3600)))))
    sections.append(Section(_("The customer's approval"),
                            (_("Approved by"), _("How"), _("When"), _("Recorded by"), _("Note")),
                            rows=tuple((a.customer_name, APPROVAL_WAYS.get(a.how, a.how), _when(a.at),
                                        a.recorded_by, a.note) for a in card.approvals),
                            weights=(15, 10, 12, 15, 30), empty=_("No approval recorded.")))
    line_ids = [ln.id for ln in card.lines]
    clocks = (ClockEntry.select(ClockEntry.started_at, ClockEntry.stopped_at, JobLine.position, Employee.name)
              .join(JobLine).switch(ClockEntry).join(Employee, on=(ClockEntry.technician == Employee.id))
              .where(ClockEntry.job_line.in_(line_ids)).order_by(ClockEntry.started_at).tuples()) if line_ids else []
    sections.append(Section(_("Clock entries"), (_("Line"), _("Technician"), _("On"), _("Off"), _("Time")),
                            rows=tuple(
        (str(pos), name, _when(on), _when(off) if off else _("still running"),
         hours_minutes((off - on).total_seconds()) if off else "") for on, off, pos, name in clocks),
        weights=(6, 20, 14, 14, 8), empty=_("No time clocked.")))
    moves = (StockMovement.select(StockMovement.at, JobLine.position, Part.part_number, Part.description,
                                  StockMovement.kind, StockMovement.quantity, StockMovement.reason, Employee.name)
             .join(JobLine).switch(StockMovement).join(Part).switch(StockMovement)
             .join(Employee, on=(StockMovement.employee == Employee.id))
             .where(StockMovement.job_line.in_(line_ids)).order_by(StockMovement.id).tuples()) if line_ids else []
    sections.append(Section(_("Parts issued and returned"), (_("When"), _("Line"), _("Part"), _("Description"),
                                                             _("Issued"), _("Returned"), _("Reason"), _("By")),
                            rows=tuple(
        (_when(at), str(pos), number, description, str(-qty) if qty < 0 else "", str(qty) if qty > 0 else "",
         read_stored(reason), name) for at, pos, number, description, kind, qty, reason, name in moves),
        weights=(12, 5, 11, 22, 6, 7, 16, 12), empty=_("No parts issued.")))
    removed = (RemovedPart.select(JobLine.position, Part.part_number, Part.description, RemovedPart.quantity,
                                  RemovedPart.causal, RemovedPart.disposition)
               .join(JobLine).switch(RemovedPart).join(Part)
               .where(RemovedPart.job_line.in_(line_ids)).order_by(RemovedPart.id).tuples()) if line_ids else []
    sections.append(Section(_("Removed parts"),
                            (_("Line"), _("Part"), _("Description"), _("Qty"), _("Causal"), _("Disposition")),
                            rows=tuple((str(pos), n, d, str(q), _("causal") if c else _("related"), disp)
                                       for pos, n, d, q, c, disp in removed),
                            weights=(5, 12, 30, 5, 8, 14), empty=_("No parts came off.")))
    tags = list(WarrantyTag.select(WarrantyTag, ReturnRequest.number.alias("request"), Shipment.carrier,
                                   Shipment.tracking_number, Shipment.shipped_at)
                .join(ReturnRequest, JOIN.LEFT_OUTER, on=(WarrantyTag.return_request == ReturnRequest.id))
                .switch(WarrantyTag).join(Shipment, JOIN.LEFT_OUTER, on=(WarrantyTag.shipment == Shipment.id))
                .where(WarrantyTag.job == job_id).order_by(WarrantyTag.id).objects())
    ready = check_tags(tags) if tags else {}
    for tag in tags:
        none = "-"
        facts = [_("Part {part} {description} · qty {quantity} · {causal} · labour op {operation}").format(
                     part=tag.part_number, description=tag.description, quantity=tag.quantity,
                     causal=_("causal") if tag.causal else _("related"), operation=tag.labour_operation or none),
                 _("Now: {status}").format(status=_(STATUS_WORDS.get(tag.status, tag.status))) + (
                     _(" on shelf {shelf}").format(shelf=tag.location) if tag.location else ""),
                 _("Return request: {request} · box: {box} · shipped {shipped} with {carrier}, tracking {tracking}")
                 .format(request=tag.request or none, box=f"BOX{tag.shipment_id:06d}" if tag.shipment_id else none,
                         shipped=_when(tag.shipped_at) if tag.shipped_at else none, carrier=tag.carrier or none,
                         tracking=tag.tracking_number or none),
                 _("Claim: {number} · {status} · claimed {claimed} · paid on {paid_on} · debited {debited}").format(
                     number=tag.claim_number or _("not yet claimed"), status=tag.claim_status or none,
                     claimed=tag.claim_amount if tag.claim_amount is not None else none,
                     paid_on=tag.claim_paid_on or none,
                     debited=tag.debited_amount if tag.debited_amount is not None else none),
                 _("Safety approval: {approval}").format(approval=tag.approval or _("not needed")) + (
                     _(" · override by advisor: {reason}").format(reason=tag.override_reason)
                     if tag.override_reason else "")]
        if tag.id in ready and tag.status != "void":
            facts.append(_("Claim readiness: {state}").format(state=ready[tag.id].state) + (
                f" - {ready[tag.id].problem_text}" if ready[tag.id].problems else ""))
        history = (TagEvent.select(TagEvent.at, TagEvent.status, TagEvent.location, TagEvent.note, Employee.name,
                                   TagEvent.terminal).join(Employee, on=(TagEvent.employee == Employee.id))
                   .where(TagEvent.tag == tag.id).order_by(TagEvent.id).tuples())
        sections.append(Section(_("Tag {number}").format(number=tag.tag_number),
                                (_("When"), _("Status"), _("Shelf"), _("Note"), _("By"), _("Terminal")),
                                facts=tuple(facts), rows=tuple(
                                    (_when(at), STATUS_WORDS.get(s, s), loc, read_stored(note), name, terminal)
                                    for at, s, loc, note, name, terminal in history),
                                weights=(11, 20, 7, 28, 14, 10)))
    if not tags:
        sections.append(Section(_("Warranty tags"), (), (_("No warranty tags on this card."),)))
    sections.append(Section(_("Quality check and delivery"), (_("Result"), _("When"), _("Checked by"), _("Note")),
                            rows=tuple(
        (_("passed") if q.passed else _("FAILED"), _when(q.at), q.checked_by, q.note) for q in card.quality_checks),
        weights=(8, 12, 16, 40), facts=(_("Delivered: {delivered}").format(delivered=_when(card.closed_at))
                                        if card.status == "delivered" else _("Not delivered ({state})").format(
                                            state=_(STATE_WORDS.get(card.status, card.status))),)))
    if card.corrections:
        sections.append(Section(_("Correction notes"), (_("When"), _("By"), _("Note")), rows=tuple(
            (_when(n.at), n.by, n.text) for n in card.corrections), weights=(12, 16, 60)))
    return AuditCard(card.number, card.vin, tuple(sections))


def _system_record(action: str, **detail) -> None:
    """An audit event for the command line, where nobody is signed in."""
    with write_transaction():
        write_event(None, "cli", "", Change(action, "audit_pack", None, detail))


def write_pack(actor: Actor | None, keys: Iterable[str], folder: Path, *, shop: str = "",
               progress: Callable[[int, int], None] | None = None) -> Pack:
    """Write the pack into folder: one PDF per job card (RO000123.pdf) and index.csv. Unknown or repeated keys
    are listed in the index. progress(done, total) is called after each card. actor None: the command line.
    Raises NotAllowed, InvalidInput (no keys, too many, the folder cannot be written)."""
    from labels.auditpack import to_pdf
    from labels.text import translated

    if actor is not None:
        permissions.require(actor.role, "audit_pack.write")
    keys = [k for k in keys]
    if not keys:
        raise InvalidInput(N_("Give at least one VIN or job-card number."))
    if len(keys) > MAX_KEYS:
        raise InvalidInput(N_("{count} VINs or numbers is more than one pack holds ({most}); split the list."),
                           count=len(keys), most=MAX_KEYS)
    rows: list[IndexRow] = []
    plan: list[tuple[int, str]] = []  # (job id, the key that asked for it)
    seen_keys: set[str] = set()
    seen_jobs: dict[int, str] = {}
    for key in keys:
        shown = clean(str(key)[:400], N_("VIN or job card"), max_len=400)
        if len(shown) > 40:
            rows.append(IndexRow(shown[:40] + "…", "?", "", "", "", "", N_("too long for a VIN or job-card number")))
            continue
        kind, jobs, note = _cards_for(shown)
        folded = normalise(shown)
        if folded in seen_keys:
            rows.append(IndexRow(shown, kind, "", "", "", "", N_("duplicate: asked for earlier in the list")))
            continue
        seen_keys.add(folded)
        if not jobs:
            rows.append(IndexRow(shown, kind, "", "", "", "", note))
        for job_id in jobs:
            if job_id in seen_jobs:
                rows.append(IndexRow(shown, kind, job_number(job_id), "", "", "",
                                     render(N_("duplicate: already in the pack for {key}"),
                                                                 {"key": seen_jobs[job_id]})))
                continue
            seen_jobs[job_id] = shown
            plan.append((job_id, shown))
            rows.append(IndexRow(shown, kind, job_number(job_id), "", "", f"{job_number(job_id)}.pdf", ""))
    done = 0
    by_job = {}
    for job_id, _kind in plan:
        document = card_document(job_id)
        with translated(_):
            pdf = to_pdf(document, shop)
        write_bytes(folder / f"{job_number(job_id)}.pdf", pdf, what=N_("the audit pack"))
        by_job[job_number(job_id)] = (document.vin, STATE_WORDS.get(JobCard.get_by_id(job_id).status, ""))
        done += 1
        if progress:
            progress(done, len(plan))
    rows = [IndexRow(r.asked, r.kind, r.job, by_job.get(r.job, ("", ""))[0] if r.file else r.vin,
                     _(by_job.get(r.job, ("", ""))[1] if r.file else r.state), r.file, _(r.note)) for r in rows]

    def write(out) -> None:
        writer = csv.writer(out)
        writer.writerow([_(column) for column in INDEX_COLUMNS])
        for r in rows:
            writer.writerow([csv_cell(c) for c in (r.asked, _(KIND_WORDS.get(r.kind, r.kind)), r.job, r.vin, r.state,
                                                   r.file, r.note)])

    index = folder / "index.csv"
    write_atomically(index, write, what=N_("the audit pack's index"))
    detail = dict(folder=str(folder), asked=len(keys), cards=len(plan), at=dt.datetime.now().isoformat())
    if actor is None:
        _system_record("audit_pack.write", **detail)
    else:
        with change(actor, "audit_pack.write") as record:
            record.about("audit_pack", None, **detail)
    return Pack(folder, index, len(plan), tuple(rows))
