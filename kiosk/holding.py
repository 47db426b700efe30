"""The warranty-parts room: scanning tagged parts in, the held list, history, end-of-day and missing parts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peewee import JOIN

from . import tags
from .audit import Actor, change
from .config import Settings
from .errors import Conflict, InvalidInput, NotFound
from .i18n import N_, read_stored, render
from .store.models import Employee, Part, TagEvent, WarrantyTag, now
from .text import clean, is_digits
from .vin import normalise as normalise_vin
from .vin import validate as validate_vin

_SHELF = re.compile(r"^(?:LOC|SHELF)[-:]([A-Z0-9][A-Z0-9-]{0,11})$")
_JOB_CARD = re.compile(r"^RO\d{1,10}$")


@dataclass(frozen=True)
class ScanResult:
    kind: str  # "held" or "shelf"
    message: str
    tag_number: str = ""
    location: str = ""


@dataclass(frozen=True)
class TagRow:
    id: int
    tag_number: str
    status: str
    location: str
    job_id: int
    vin: str
    part_number: str
    description: str
    manufacturer: str
    technician: str
    tagged_at: dt.datetime
    keep_until: dt.date | None
    hazardous: bool


@dataclass(frozen=True)
class EventRow:
    at: dt.datetime
    status: str
    location: str
    note: str
    who: str
    terminal: str
    client: str


def clean_code(raw: str) -> str:
    """A scan as the rules see it: control characters and spaces gone, upper case."""
    return clean(raw, N_("Scan"), max_len=200).replace(" ", "").upper()


def default_shelf(job_id: int, settings: Settings) -> str:
    """The ten-bin rule: shelf by the last digit of the repair-order number."""
    return f"BIN-{job_id % 10}" if settings.shelf_rule == "ten-bin" else ""


def kind_of_code(code: str, *, tags_too: bool = True) -> str:
    """What a scan plainly is ("job card", "part", "VIN", "shelf label", "warranty tag", each a message id), or
    ""."""
    code = clean_code(code)
    if _JOB_CARD.match(code):
        return N_("job card")
    if _SHELF.match(code):
        return N_("shelf label")
    if Part.select().where(Part.part_number == code).exists():
        return N_("part")
    if tags_too and WarrantyTag.select().where(WarrantyTag.tag_number == code).exists():
        return N_("warranty tag")
    if len(normalise_vin(code)) in (17, 18):
        try:
            validate_vin(code, check_required=False)
            return N_("VIN")
        except InvalidInput:
            pass
    return ""


def not_a_tag_error(code: str) -> InvalidInput:
    """The refusal of a code that is not a warranty tag, saying what it is in words the clerk can act on."""
    code = clean_code(code)
    if not code:
        return InvalidInput(N_("Empty scan."))
    kind = kind_of_code(code, tags_too=False)
    if kind == "job card":
        return InvalidInput(N_("{code} is a job-card barcode, not a warranty tag."), code=code)
    if kind == "part":
        return InvalidInput(N_("{code} is a part-number barcode, not a warranty tag: scan the tag hanging on the "
                               "part."), code=code)
    if kind == "VIN":
        return InvalidInput(N_("{code} is a VIN, not a warranty tag."), code=code)
    shown = code if len(code) <= 30 else code[:30] + "…"
    return InvalidInput(N_("{code} is not a warranty tag or shelf label."), code=shown)


def not_a_tag(code: str) -> str:
    """What a code that is not a warranty tag is, in the reader's language."""
    return not_a_tag_error(code).message


def scan_in(actor: Actor, raw_code: str, settings: Settings, *, location: str = "") -> ScanResult:
    """One scan at the warranty-parts room: a shelf label sets the shelf, a tag moves its part to held."""
    code = clean_code(raw_code)
    location = clean(location, N_("Shelf"), max_len=16).upper()
    shelf = _SHELF.match(code)
    if shelf:
        return ScanResult("shelf", render(N_("Shelf {shelf}: the next parts go there."), {"shelf": shelf.group(1)}),
                          location=shelf.group(1))
    if not tags.looks_like_tag(code, settings.tag_prefix):
        raise not_a_tag_error(code)
    with change(actor, "tag.scan_in") as record:
        tag = find_tag(code)
        if tag.status in tags.ON_SHELF:
            raise _already_held(tag)
        if tag.status not in ("tagged", "missing"):
            raise Conflict(N_("Tag {tag} is {state}; it cannot be scanned in."), tag=code,
                           state=tags.STATUS_WORDS[tag.status])
        where = location or default_shelf(tag.job_id, settings)
        if not where:
            raise InvalidInput(N_("Scan a shelf label first: this shop has no default shelf rule."))
        note = "found again" if tag.status == "missing" else ""
        tags.move(tag, "held", actor, location=where, note=note, held_at=now())
        record.about("warranty_tag", tag.id, tag=code, location=where)
    return ScanResult("held", render(N_("{tag} held at shelf {shelf}: {part} {description}"),
                                     {"tag": code, "shelf": where, "part": tag.part_number,
                                      "description": tag.description[:30]}),
                      tag_number=code, location=where)


def _already_held(tag: WarrantyTag) -> Conflict:
    held = (TagEvent.select(TagEvent, Employee.name).join(Employee)
            .where((TagEvent.tag == tag.id) & (TagEvent.status == "held"))
            .order_by(TagEvent.id.desc()).first())
    since = held.at.strftime("%Y-%m-%d %H:%M") if held else "?"
    who = held.employee.name if held else "?"
    return Conflict(N_("{tag} is already held at shelf {shelf} since {since}, by {who}."), tag=tag.tag_number,
                    shelf=tag.location, since=since, who=who)


def tag_rows(query) -> list[TagRow]:
    return [TagRow(t.id, t.tag_number, t.status, t.location, t.job_id, t.vin, t.part_number, t.description,
                   t.manufacturer, t.technician.name, t.tagged_at, t.keep_until, t.hazardous)
            for t in query]


def with_technician(query):
    return query.select_extend(Employee.name).join(Employee, on=(WarrantyTag.technician == Employee.id)).switch(
        WarrantyTag)


def not_scanned_in(after: tuple | None = None, limit: int = 50, *, before: dt.datetime | None = None):
    """The end-of-day list: parts tagged but not yet in the room (the chargeback risk), oldest first."""
    query = with_technician(WarrantyTag.select().where(WarrantyTag.status == "tagged"))
    if before is not None:
        query = query.where(WarrantyTag.tagged_at < before)
    if after is not None:
        query = query.where((WarrantyTag.tagged_at > after[0])
                            | ((WarrantyTag.tagged_at == after[0]) & (WarrantyTag.id > after[1])))
    query = query.order_by(WarrantyTag.tagged_at, WarrantyTag.id).limit(limit)
    return [((r.tagged_at, r.id), r) for r in tag_rows(query)]


@dataclass(frozen=True)
class HeldQuery:
    """What the clerk typed in the held-parts search: a tag, repair order, VIN, part number; and filters."""

    text: str = ""
    manufacturer: str = ""
    shelf: str = ""
    min_age_days: int | None = None
    statuses: tuple = tags.ON_SHELF


def parse_search(text: str) -> HeldQuery:
    """The clerk's one search box: a tag, repair order, VIN or part number, plus shelf:X, mfr:NAME, age:DAYS."""
    words, filters = [], {}
    for word in clean(text, N_("Search"), max_len=120).split():
        key, sep, value = word.partition(":")
        if sep and key.lower() in ("shelf", "mfr", "age"):
            if key.lower() == "age":
                if not is_digits(value) or len(value) > 5:
                    raise InvalidInput(N_("age: takes a number of days, e.g. age:60"))
                filters["min_age_days"] = int(value)
            else:
                filters["shelf" if key.lower() == "shelf" else "manufacturer"] = value[:40]
        else:
            words.append(word)
    return HeldQuery(text=" ".join(words), **filters)


def held_parts(search: HeldQuery, after: int | None = None, limit: int = 50, *, today: dt.date | None = None):
    """Parts on the shelves, newest first, a page at a time; every filter is served by an index."""
    query = with_technician(WarrantyTag.select().where(WarrantyTag.status.in_(search.statuses)))
    text = clean_code(search.text)
    manufacturer = clean(search.manufacturer, N_("Manufacturer"), max_len=40)
    shelf = clean(search.shelf, N_("Shelf"), max_len=40).upper()
    age = search.min_age_days
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 99999):
        raise InvalidInput(N_("age: takes a number of days, e.g. age:60"))
    if text:
        if WarrantyTag.select().where(WarrantyTag.tag_number == text).exists():
            query = query.where(WarrantyTag.tag_number == text)
        elif _JOB_CARD.match(text) or (is_digits(text) and len(text) <= 10):
            query = query.where(WarrantyTag.job == int(text.removeprefix("RO")))
        elif len(normalise_vin(text)) == 17:
            query = query.where(WarrantyTag.vin == normalise_vin(text))
        else:
            # Part-number prefix: a range on the indexed column works on SQLite and PostgreSQL alike.
            query = query.where((WarrantyTag.part_number >= text) & (WarrantyTag.part_number < text + "\uffff"))
    if manufacturer:
        query = query.where(WarrantyTag.manufacturer == manufacturer)
    if shelf:
        query = query.where(WarrantyTag.location == shelf)
    if age is not None:
        cutoff = dt.datetime.combine((today or dt.date.today()) - dt.timedelta(days=age), dt.time())
        query = query.where(WarrantyTag.tagged_at < cutoff)
    if after is not None:
        query = query.where(WarrantyTag.id < after)
    query = query.order_by(WarrantyTag.id.desc()).limit(limit)
    return [(r.id, r) for r in tag_rows(query)]


def find_tag(raw_code: str) -> WarrantyTag:
    code = clean_code(raw_code)
    tag = WarrantyTag.get_or_none(WarrantyTag.tag_number == code) if code else None
    if tag is None:
        raise NotFound(N_("Unknown tag {tag}: no part was tagged with this number here."), tag=code or N_("(empty)"))
    return tag


def history(raw_code: str) -> tuple[TagRow, list[EventRow]]:
    """A tag and every event of its life: who, when, which terminal."""
    tag = find_tag(raw_code)
    row = tag_rows(with_technician(WarrantyTag.select().where(WarrantyTag.id == tag.id)))[0]
    events = (TagEvent.select(TagEvent, Employee.name).join(Employee, JOIN.LEFT_OUTER)
              .where(TagEvent.tag == tag.id).order_by(TagEvent.id))
    return row, [EventRow(e.at, e.status, e.location, read_stored(e.note), e.employee.name, e.terminal, e.client)
                 for e in events]


def mark_missing(actor: Actor, raw_code: str, reason: str) -> None:
    """A part that cannot be found: a manager records it, and it shows on the chargeback-risk list."""
    reason = clean(reason, N_("Reason"), max_len=200, required=True)
    with change(actor, "tag.mark_missing") as record:
        tag = find_tag(raw_code)
        tags.move(tag, "missing", actor, note=reason)
        record.about("warranty_tag", tag.id, tag=tag.tag_number, reason=reason)


def chargeback_risk(month: dt.date, after: int | None = None, limit: int = 50):
    """Parts marked missing during the month, and parts still not scanned in: money the shop may lose."""
    start = month.replace(day=1)
    end = dt.datetime.combine((start + dt.timedelta(days=32)).replace(day=1), dt.time())
    not_in_by = min(end, dt.datetime.combine(dt.date.today(), dt.time()))
    missing_in_month = (TagEvent.select(TagEvent.tag)
                        .where((TagEvent.status == "missing") & (TagEvent.at >= start) & (TagEvent.at < end)))
    query = with_technician(WarrantyTag.select().where(
        ((WarrantyTag.status == "missing") & WarrantyTag.id.in_(missing_in_month))
        | ((WarrantyTag.status == "tagged") & (WarrantyTag.tagged_at < not_in_by))))
    if after is not None:
        query = query.where(WarrantyTag.id > after)
    return [(r.id, r) for r in tag_rows(query.order_by(WarrantyTag.id).limit(limit))]
