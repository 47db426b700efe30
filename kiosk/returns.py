"""Manufacturer return requests, the pick list, and boxes: packed by scanning, one request per box, shipped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import tags
from .audit import Actor, change
from .config import exports_folder
from .csvimport import Column, ImportHasErrors, read_file
from .errors import Conflict, InvalidInput, KioskError, NotFound
from .i18n import N_, Msgid, render, stored
from .files import write_bytes
from .holding import TagRow, clean_code, find_tag, not_a_tag_error, tag_rows, with_technician
from .jobs import job_number
from .store.database import db
from .store.models import ReturnRequest, Shipment, WarrantyTag, now
from .text import clean, is_digits, parse_date

ITEM_KINDS = ("tag", "repair_order", "part_number")


@dataclass(frozen=True)
class RequestItem:
    kind: str  # tag, repair_order or part_number
    value: str


@dataclass(frozen=True)
class RequestLine:
    number: str
    manufacturer: str
    due_on: dt.date | None
    item: RequestItem


@dataclass(frozen=True)
class PackingList:
    box: int
    request_number: str
    manufacturer: str
    due_on: dt.date | None
    status: str
    carrier: str
    tracking_number: str
    items: list[TagRow]

    @property
    def hazardous(self) -> bool:
        return any(item.hazardous for item in self.items)


def request_item(kind: str, raw: str) -> RequestItem:
    """A requested part as typed or imported, checked and normalised."""
    if kind not in ITEM_KINDS:
        raise InvalidInput(N_("A requested part is named by tag, repair_order or part_number, not {kind!r:.30}."),
                           kind=kind)
    value = clean_code(raw)
    if not value:
        raise InvalidInput(N_("A requested part needs a tag, repair order or part number."))
    if kind == "repair_order":
        digits = value.removeprefix("RO")
        if not is_digits(digits) or len(digits) > 10:
            raise InvalidInput(N_("{value!r} is not a repair-order number."), value=value[:20])
        value = str(int(digits))
    return RequestItem(kind, value)


def _matching_tags(item: RequestItem, manufacturer: str) -> list[WarrantyTag]:
    """A named tag whatever its state (so a clash is reported); by repair order or part number, held parts."""
    if item.kind == "tag":
        return list(WarrantyTag.select().where(WarrantyTag.tag_number == item.value))
    query = WarrantyTag.select().where(WarrantyTag.status == "held")
    if item.kind == "repair_order":
        query = query.where(WarrantyTag.job == int(item.value))
    else:
        query = query.where(WarrantyTag.part_number == item.value)
    if manufacturer:
        query = query.where(WarrantyTag.manufacturer == manufacturer)
    return list(query)


def enter_request(actor: Actor, number: str, manufacturer: str, due_on: dt.date | None,
                  items: list[RequestItem]) -> int:
    """Record a manufacturer's return request; every named part moves to "requested". Returns how many."""
    number = clean(number, N_("Request number"), max_len=30, required=True).upper()
    manufacturer = clean(manufacturer, N_("Manufacturer"), max_len=40)
    if not items:
        raise InvalidInput(N_("A return request names at least one part."))
    items = [request_item(item.kind, item.value) for item in items]
    with change(actor, "return_request.enter") as record:
        request = _new_request(actor, number, manufacturer, due_on)
        count = sum(_request_parts(actor, request, item, N_("nothing entered")) for item in items)
        record.about("return_request", request.id, number=number, parts=count)
    return count


def _new_request(actor: Actor, number: str, manufacturer: str, due_on: dt.date | None) -> ReturnRequest:
    if ReturnRequest.select().where(ReturnRequest.number == number).exists():
        raise Conflict(N_("Return request {number} was already entered."), number=number)
    return ReturnRequest.create(number=number, manufacturer=manufacturer, due_on=due_on,
                                created_by=actor.employee_id)


_KIND_WORDS = {"tag": N_("tag"), "repair_order": N_("repair order"), "part_number": N_("part number")}


def _request_parts(actor: Actor, request: ReturnRequest, item: RequestItem, then: str) -> int:
    """Move the parts an item names to "requested" on the request; each is checked before any moves."""
    found = _matching_tags(item, request.manufacturer)
    if not found:
        raise NotFound(N_("{kind} {value}: no held part matches; {then}."), kind=_KIND_WORDS.get(item.kind, item.kind),
                       value=item.value, then=then)
    moving = []
    for tag in found:
        if tag.status == "tagged":
            raise Conflict(N_("Tag {tag} was never scanned into the room: find it first."), tag=tag.tag_number)
        if tag.status not in tags.ON_SHELF:
            raise Conflict(N_("Tag {tag} is {state}; it cannot be sent."), tag=tag.tag_number,
                           state=tags.STATUS_WORDS[tag.status])
        if tag.status != "held":
            if tag.return_request_id == request.id:
                continue
            raise Conflict(N_("Tag {tag} is already requested on another request."), tag=tag.tag_number)
        moving.append(tag)
    for tag in moving:
        tags.move(tag, "requested", actor, note=stored(N_("request {number}"), number=request.number),
                  return_request=request.id)
    return len(moving)


COLUMNS = [
    Column("request_number", ("request", "返还单号", "旧件返还单号", "回运单号"), required=True),
    Column("manufacturer", ("厂家", "厂商")),
    Column("due_on", ("due", "返还期限", "截止日期")),
    Column("tag_number", ("tag", "标签号", "旧件标签号")),
    Column("repair_order", ("ro", "工单号", "维修工单号")),
    Column("part_number", ("零件号", "零件编号")),
]


def parse_request_line(values: dict) -> RequestLine:
    number = clean(values.get("request_number", ""), N_("Request number"), max_len=30, required=True).upper()
    due_on = parse_date(values.get("due_on", ""), "due_on")
    named = [(k, values.get(k, "")) for k in ("tag_number", "repair_order", "part_number") if values.get(k, "")]
    if len(named) != 1:
        raise InvalidInput(N_("Give exactly one of tag_number, repair_order, part_number on each line."))
    kind, raw = named[0]
    return RequestLine(number, clean(values.get("manufacturer", ""), N_("Manufacturer"), max_len=40), due_on,
                       request_item("tag" if kind == "tag_number" else kind, raw))


def import_requests(actor: Actor, source, *, encoding: str | None = None, accept_good: bool = False) -> int:
    """Import return requests from CSV (a path, bytes or text, UTF-8 or GBK): request_number, manufacturer,
    due_on and one of tag_number / repair_order / part_number per line. Returns how many parts were requested.

    All in one transaction: any bad line (unreadable, a part no held part matches, a part twice, a request
    already entered, one request with two due dates) and nothing is entered; ImportHasErrors lists every
    bad line. With accept_good the good lines go in and the bad ones are left out."""
    report = read_file(source, COLUMNS, parse_request_line, encoding=encoding)
    heads: dict[str, tuple[int, RequestLine]] = {}
    items: dict[tuple[str, RequestItem], int] = {}
    good = []
    for number, line in report.good:
        head_number, head = heads.setdefault(line.number, (number, line))
        if (head.manufacturer, head.due_on) != (line.manufacturer, line.due_on):
            report.add_bad(number, render(N_("request {request} has manufacturer {manufacturer} and due date {due} on "
                                             "line {line}; this line says {other}, {other_due}"),
                                          {"request": line.number, "manufacturer": head.manufacturer or "-",
                                           "due": head.due_on or "-", "line": head_number,
                                           "other": line.manufacturer or "-", "other_due": line.due_on or "-"}))
        elif (line.number, line.item) in items:
            report.add_bad(number, render(N_("the same part as line {line} (a duplicate)"),
                                          {"line": items[line.number, line.item]}))
        else:
            items[line.number, line.item] = number
            good.append((number, line))
    total = 0
    with change(actor, "return_request.enter") as record:
        requests: dict[str, ReturnRequest] = {}
        for number, line in good:
            request = requests.get(line.number)
            try:
                with db.atomic():  # a savepoint: a refused line leaves nothing, not even its new request
                    if request is None:
                        request = _new_request(actor, line.number, line.manufacturer, line.due_on)
                    total += _request_parts(actor, request, line.item, N_("this line is left out"))
                requests[line.number] = request
            except KioskError as exc:
                report.add_bad(number, exc.message)
        if report.bad_count and not accept_good:
            raise ImportHasErrors(report)
        record.about("return_requests_import", None, requests=len(requests),
                     parts=total, skipped=report.bad_count)
    return total


def _request(number: str) -> ReturnRequest:
    request = ReturnRequest.get_or_none(ReturnRequest.number == clean_code(number))
    if request is None:
        raise NotFound(N_("Unknown return request {number}."), number=clean_code(number) or N_("(empty)"))
    return request


def pick_list(request_number: str) -> list[TagRow]:
    """The requested parts still on the shelves, in shelf order, for the clerk to collect."""
    request = _request(request_number)
    query = with_technician(WarrantyTag.select().where(
        (WarrantyTag.return_request == request.id) & (WarrantyTag.status == "requested")))
    return tag_rows(query.order_by(WarrantyTag.location, WarrantyTag.tag_number))


def open_shipment(actor: Actor, request_number: str) -> int:
    """Start a box for one return request; returns the box number."""
    with change(actor, "shipment.pack") as record:
        request = _request(request_number)
        shipment = Shipment.create(return_request=request.id, created_by=actor.employee_id)
        record.about("shipment", shipment.id, request=request.number)
    return shipment.id


def _shipment(shipment_id: int) -> Shipment:
    shipment = Shipment.get_or_none(Shipment.id == shipment_id)
    if shipment is None:
        raise NotFound(N_("Unknown box {box}."), box=shipment_id)
    return shipment


def pack(actor: Actor, shipment_id: int, raw_code: str) -> str:
    """Scan a requested part into a box; refuses parts not requested, or requested on another request."""
    code = clean_code(raw_code)
    with change(actor, "shipment.pack") as record:
        shipment = _shipment(shipment_id)
        if shipment.status != "open":
            raise Conflict(N_("Box {box} is {status}; open a new box."), box=shipment.id, status=Msgid(shipment.status))
        tag = WarrantyTag.get_or_none(WarrantyTag.tag_number == code) if code else None
        if tag is None:
            raise not_a_tag_error(code)
        if tag.status == "packed" and tag.shipment_id == shipment.id:
            raise Conflict(N_("{code} is already in this box."), code=code)
        if tag.status != "requested":
            raise Conflict(N_("{code} was not requested by the manufacturer ({state}); it stays on the shelf."),
                           code=code, state=tags.STATUS_WORDS[tag.status])
        if tag.return_request_id != shipment.return_request_id:
            other = ReturnRequest.get_by_id(tag.return_request_id).number
            raise Conflict(N_("{code} is requested on {other}, not on this box's request: one request per box."),
                           code=code, other=other)
        tags.move(tag, "packed", actor, note=stored(N_("box {box}"), box=shipment.id), shipment=shipment.id)
        record.about("shipment", shipment.id, tag=code)
    return render(N_("{code} packed in box {box}: {part} {description}"),
                  {"code": code, "box": shipment.id, "part": tag.part_number, "description": tag.description[:30]})


def unpack(actor: Actor, shipment_id: int, raw_code: str) -> None:
    with change(actor, "shipment.pack") as record:
        shipment = _shipment(shipment_id)
        tag = find_tag(raw_code)
        if shipment.status != "open" or tag.shipment_id != shipment.id or tag.status != "packed":
            raise Conflict(N_("{tag} is not in open box {box}."), tag=tag.tag_number, box=shipment.id)
        tags.move(tag, "requested", actor, note=stored(N_("out of box {box}"), box=shipment.id), shipment=None)
        record.about("shipment", shipment.id, unpacked=tag.tag_number)


def close_shipment(actor: Actor, shipment_id: int) -> PackingList:
    with change(actor, "shipment.pack") as record:
        shipment = _shipment(shipment_id)
        if shipment.status != "open":
            raise Conflict(N_("Box {box} is already {status}."), box=shipment.id, status=Msgid(shipment.status))
        if not WarrantyTag.select().where(WarrantyTag.shipment == shipment.id).exists():
            raise InvalidInput(N_("Box {box} is empty: scan the requested parts into it first."), box=shipment.id)
        Shipment.update(status="closed").where(Shipment.id == shipment.id).execute()
        record.about("shipment", shipment.id, closed=True)
    return packing_list(shipment_id)


def ship_shipment(actor: Actor, shipment_id: int, carrier: str, tracking_number: str) -> None:
    carrier = clean(carrier, N_("Carrier"), max_len=40, required=True)
    tracking = clean(tracking_number, N_("Tracking number"), max_len=60, required=True)
    with change(actor, "shipment.pack") as record:
        shipment = _shipment(shipment_id)
        if shipment.status != "closed":
            raise Conflict(N_("Box {box} is {status}: close it and print its packing list first."), box=shipment.id,
                           status=Msgid(shipment.status))
        for tag in WarrantyTag.select().where(WarrantyTag.shipment == shipment.id):
            tags.move(tag, "shipped", actor, note=stored(N_("box {box} {carrier} {tracking}"), box=shipment.id,
                                                               carrier=carrier, tracking=tracking))
        Shipment.update(status="shipped", carrier=carrier, tracking_number=tracking, shipped_at=now()).where(
            Shipment.id == shipment.id).execute()
        record.about("shipment", shipment.id, carrier=carrier, tracking=tracking)


def packing_list(shipment_id: int) -> PackingList:
    shipment = _shipment(shipment_id)
    request = ReturnRequest.get_by_id(shipment.return_request_id)
    items = tag_rows(with_technician(WarrantyTag.select().where(WarrantyTag.shipment == shipment.id))
                     .order_by(WarrantyTag.tag_number))
    return PackingList(shipment.id, request.number, request.manufacturer, request.due_on, shipment.status,
                       shipment.carrier, shipment.tracking_number, items)


def packing_list_pdf(shipment_id: int, settings) -> Path:
    """Write the box's packing list as a PDF (box barcode, request, tags, job cards, parts, hazmat flag)
    into the kiosk's documents folder; returns the file, to print or e-mail."""
    # the PDF writer and its CJK font load only when a packing list is written
    from labels.packing import PackingLine, PackingListData, to_pdf
    from labels.text import translated

    from .i18n import format_date, gettext

    packing = packing_list(shipment_id)
    data = PackingListData(
        box=f"BOX{packing.box:06d}", request_number=packing.request_number, manufacturer=packing.manufacturer,
        due=format_date(packing.due_on), dealer_code=settings.dealer_code,
        lines=tuple(PackingLine(i.tag_number, job_number(i.job_id), i.part_number, i.description, i.hazardous)
                    for i in packing.items))
    with translated(gettext):  # in the language of whoever asked for it
        pdf = to_pdf(data)
    return write_bytes(exports_folder(settings) / "packing-lists" / f"{data.box}-{packing.request_number}.pdf", pdf,
                       what=N_("the packing list"))
