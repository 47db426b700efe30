"""Customers and their vehicles at the front desk: finding them as the advisor types or scans, and putting
them on file (one vehicle per VIN)."""

from __future__ import annotations

import heapq
import unicodedata
from dataclasses import dataclass

import peewee
from peewee import JOIN, Tuple

from . import vin as vins
from .audit import Actor, change
from .errors import Conflict, InvalidInput, NotFound
from .i18n import N_, render
from .store import keys
from .store.models import Customer, Vehicle, now
from .text import clean

# Seven-digit odometers exist on trucks; anything above is a typing slip.
MILEAGE_MAX = 9_999_999
SEARCH_KINDS = ("name", "phone", "plate", "vin")
# What a hit matched (Found.matched), in words a screen can show.
MATCHED_WORDS = {"name": "by name", "phone": "by phone number", "phone_end": "by the last digits of a phone",
                 "plate": "by plate", "vin": "by VIN", "vin_end": "by the last characters of a VIN"}
# Above every character: "key < prefix + _TOP" closes the range of keys that start with prefix.
_TOP = "\U0010ffff"


# ---- reading --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VehicleRow:
    id: int
    vin: str
    plate: str
    model: str
    model_year: int | None
    last_mileage: int


@dataclass(frozen=True)
class Found:
    """A search hit: a customer with their vehicles (found by name or phone), or a vehicle with its owner
    (found by plate or VIN; customer_id None for a vehicle with no owner on file)."""

    customer_id: int | None
    name: str
    phone: str
    vehicles: tuple[VehicleRow, ...]
    matched: str  # a key of MATCHED_WORDS


def _is_wide(ch: str) -> bool:
    return ch >= "\u1100" and unicodedata.east_asian_width(ch) in ("W", "F")


def search_kind(text: str) -> str:
    """What typed or scanned text looks like: "vin" (17 characters), "phone" (digits), "plate" (letters and
    digits, or a Chinese province character and letters and digits: 沪A12345), "name" (anything else), or ""
    for nothing. find() uses it when no kind is given; a screen may show it ("searching by plate")."""
    raw = unicodedata.normalize("NFKC", clean(text, N_("Search"), max_len=80))
    compact = "".join(ch for ch in raw if ch.isalnum())
    if not compact:
        return ""
    candidate = vins.normalise(raw)
    if len(candidate) == 17 and candidate.isascii() and candidate.isalnum():
        return "vin"
    if compact.isdigit() and all(ch.isdigit() or ch in " +-()." for ch in raw):
        return "phone"
    if _is_wide(compact[0]):
        return "plate" if len(compact) > 1 and compact[1:].isascii() else "name"
    if compact.isascii() and any(ch.isdigit() for ch in compact) and any(ch.isalpha() for ch in compact):
        return "plate"
    return "name"


def find(text: str, *, check_required: bool, kind: str = "", after: tuple | None = None,
         limit: int = 20) -> list[tuple[tuple, Found]]:
    """Customers and vehicles as the advisor types, a page at a time, each kind by its own index:

    - name: from the start of the name, or of its last word (王 finds 王小明, "smi" finds John Smith);
      case and full-width letters ignored;
    - phone: from the first digit, or the last digits (the customer's 尾号), separators ignored;
    - plate: from the start, separators and case ignored (沪a·123 finds 沪A12345);
    - vin: a whole VIN (typed or scanned, a door-jamb scan's leading I dropped) is validated as at
      registration (InvalidInput for a bad one; the check digit blocks where check_required); fewer
      characters find the VINs that end with them (the serial).

    kind "" picks by the look of the text (search_kind); a plate or phone search that finds nothing falls
    back to the end of the VIN. Each Found says what matched (MATCHED_WORDS). Returns (key, Found) pairs; pass
    the last key as `after` for the next page (the key remembers the kind). Blank text returns nothing. Raises
    InvalidInput.
    """
    if not 1 <= limit <= 200:
        raise InvalidInput(N_("Ask for between 1 and 200 rows at a time."))
    raw = unicodedata.normalize("NFKC", clean(text, N_("Search"), max_len=80))
    if after is not None:
        kind = after[0]
    guessed = not kind
    kind = kind or search_kind(raw)
    if not kind:
        return []
    if kind not in SEARCH_KINDS:
        raise InvalidInput(N_("Search by one of: {kinds}."), kinds=", ".join(SEARCH_KINDS))
    if kind == "name":
        return _find_by_name(keys.name_key(raw), after, limit)
    if kind == "phone":
        digits = keys.phone_key(raw)
        found = _find_by_phone(digits, after, limit) if digits else []
    elif kind == "plate":
        plate = keys.plate_key(raw)
        found = _find_vehicles("plate", Vehicle.plate_key, plate, after, limit) if plate else []
    else:
        return _find_by_vin(raw, check_required, after, limit)
    if not found and guessed and after is None and _vin_tail_chars(raw):
        return _find_vehicles("vin", Vehicle.vin_reversed, keys.vin_reversed(_vin_tail_chars(raw)), None, limit,
                              "vin_end")
    return found


def _prefix(column, prefix: str):
    return (column >= prefix) & (column < prefix + _TOP)


def _vin_tail_chars(raw: str) -> str:
    """The text as the last characters of a VIN, or "" if it cannot be one."""
    tail = vins.normalise(raw)
    ok = 0 < len(tail) < 17 and tail.isascii() and tail.isalnum() and not set(tail) & set("IOQ")
    return tail if ok else ""


def _find_by_vin(raw: str, check_required: bool, after, limit) -> list[tuple[tuple, Found]]:
    candidate = vins.normalise(raw)
    if len(candidate) >= 17:
        try:
            vin = vins.validate(raw, check_required=check_required).vin
        except vins.CheckDigitMismatch as exc:
            vin = exc.vin  # it may be on file with an advisor's override: look for it all the same
        return _find_vehicles("vin", Vehicle.vin_reversed, keys.vin_reversed(vin), after, limit)
    for position, ch in enumerate(candidate, start=1):
        if ch in "IOQ":
            raise InvalidInput(N_("VIN character {position} is '{ch}': the letters I, O and Q never appear in a VIN."),
                                   position=position, ch=ch)
        if not (ch.isascii() and ch.isalnum()):
            raise InvalidInput(N_("'{ch}' cannot be part of a VIN: only letters and digits."), ch=ch)
    return _find_vehicles("vin", Vehicle.vin_reversed, keys.vin_reversed(candidate), after, limit, "vin_end")


def _vehicle_row(v: Vehicle) -> VehicleRow:
    return VehicleRow(v.id, v.vin, v.plate, v.model, v.model_year, v.last_mileage)


def _find_vehicles(kind: str, column, prefix: str, after, limit, matched: str = "") -> list[tuple[tuple, Found]]:
    query = (Vehicle.select(Vehicle, Customer.name, Customer.phone).join(Customer, JOIN.LEFT_OUTER)
             .where(_prefix(column, prefix)).order_by(column, Vehicle.id).limit(limit))
    if after is not None:
        query = query.where(Tuple(column, Vehicle.id) > Tuple(after[1], after[2]))
    return [((kind, getattr(v, column.name), v.id),
             Found(v.customer_id, v.name or "", v.phone or "", (_vehicle_row(v),), matched or kind))
            for v in query.objects()]


def _customer_keys(column, prefix: str, after, limit, matched: str) -> list[tuple[str, int, str, str, str]]:
    query = (Customer.select(column, Customer.id, Customer.name, Customer.phone)
             .where(_prefix(column, prefix)).order_by(column, Customer.id).limit(limit))
    if after is not None:
        query = query.where(Tuple(column, Customer.id) > Tuple(after[1], after[2]))
    return [(*row, matched) for row in query.tuples()]


def _found_customers(kind: str, hits, limit) -> list[tuple[tuple, Found]]:
    seen, page = set(), []
    for key, customer_id, name, phone, matched in hits:
        if customer_id not in seen:
            seen.add(customer_id)
            page.append(((kind, key, customer_id), customer_id, name, phone, matched))
        if len(page) == limit:
            break
    vehicles: dict[int, list[VehicleRow]] = {}
    for v in Vehicle.select().where(Vehicle.customer.in_(list(seen))).order_by(Vehicle.id):
        vehicles.setdefault(v.customer_id, []).append(_vehicle_row(v))
    return [(key, Found(cid, name, phone, tuple(vehicles.get(cid, ())), matched))
            for key, cid, name, phone, matched in page]


def _two_ranges(kind: str, first, second, after, limit) -> list[tuple[tuple, Found]]:
    """Two index ranges ((column, prefix, matched) each) merged in key order, a page at a time: the page's
    last key, from either column, continues both. A customer found by both on one page is listed once."""
    hits = heapq.merge(_customer_keys(*first[:2], after, limit, first[2]),
                       _customer_keys(*second[:2], after, limit, second[2]))
    return _found_customers(kind, hits, limit)


def _find_by_name(prefix: str, after, limit) -> list[tuple[tuple, Found]]:
    if not prefix:
        return []
    # The whole name, and the name from its last word.
    return _two_ranges("name", (Customer.name_key, prefix, "name"), (Customer.surname_key, prefix, "name"),
                       after, limit)


def _find_by_phone(digits: str, after, limit) -> list[tuple[tuple, Found]]:
    # From the first digit, and from the last (the digits backwards on their own index).
    return _two_ranges("phone", (Customer.phone_key, digits, "phone"),
                       (Customer.phone_reversed, digits[::-1], "phone_end"), after, limit)


# ---- checking what was typed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewVehicle:
    vehicle_id: int
    vin: str
    # A check-digit mismatch where the region only warns: the screen shows it.
    warning: str = ""


def parse_mileage(value: str | int, field: str = N_("Mileage")) -> int:
    """An odometer reading: a whole number (thousands separators allowed), never tenths."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(N_("{field} must be a whole number."), field=field)
    if isinstance(value, int):
        number = value
    else:
        raw = unicodedata.normalize("NFKC", clean(value, field, max_len=20, required=True)).lower()
        compact = raw.removesuffix("km").strip()
        compact = "".join(ch for ch in compact if ch not in ", '_")
        if "." in compact:
            raise InvalidInput(N_("{field} is the odometer reading without tenths: a whole number, like {whole}."),
                               field=field, whole=compact.split(".")[0] or "0")
        if not (compact.isascii() and compact.isdigit()):
            raise InvalidInput(N_("{field} must be a whole number, not {raw!r}."), field=field, raw=raw[:20])
        number = int(compact)
    if number < 0:
        raise InvalidInput(N_("{field} cannot be negative."), field=field)
    if number > MILEAGE_MAX:
        raise InvalidInput(N_("{field} {number:,} is more than any odometer shows; check it."), field=field,
                           number=number)
    return number


def _customer_name(text: str) -> str:
    return clean(text, N_("Name"), max_len=80, required=True)


def _phone(text: str | None) -> str:
    phone = clean(text, N_("Phone"), max_len=32)
    if phone and not all(ch.isdigit() or ch in " +-()." for ch in unicodedata.normalize("NFKC", phone)):
        raise InvalidInput(N_("Phone {phone!r}: digits, spaces and + - ( ) only."), phone=phone)
    if phone and not 3 <= len(keys.phone_key(phone)) <= 20:
        raise InvalidInput(N_("Phone {phone!r} should have between 3 and 20 digits."), phone=phone)
    return phone


# ---- writing ------------------------------------------------------------------------------------------------


def create_customer(actor: Actor, name: str, phone: str = "") -> int:
    """Put a new customer on file; returns the customer id. Raises InvalidInput (name missing or too long,
    phone not a phone number)."""
    name, phone = _customer_name(name), _phone(phone)
    with change(actor, "customer.create") as record:
        customer = Customer.create(name=name, phone=phone)
        record.about("customer", customer.id, name=name)
    return customer.id


def _checked_vin(vin: str, check_required: bool, override_reason: str | None) -> tuple[vins.CheckedVin, str]:
    """The VIN validated, and the override reason to keep ("" when the VIN needs none)."""
    reason = clean(override_reason, N_("Reason for the VIN"), max_len=200)
    try:
        return vins.validate(vin, check_required=check_required), ""
    except vins.CheckDigitMismatch as exc:
        if not reason:
            raise
        return vins.CheckedVin(exc.vin, render(N_("VIN {vin} is on file without a valid check digit ('{found}', "
                                                  "not '{expected}'), with the reason: {reason}"),
                                               {"vin": exc.vin, "found": exc.vin[8], "expected": exc.expected,
                                                "reason": reason})), reason


def create_vehicle(actor: Actor, customer_id: int, vin: str, *, check_required: bool, plate: str = "",
                   model: str = "", model_year: int | str | None = None, mileage: str | int = 0,
                   vin_override_reason: str = "") -> NewVehicle:
    """Put a vehicle on file for a customer: one vehicle per VIN (typed or scanned, validated; the check
    digit blocks where check_required, else comes back as NewVehicle.warning). Where it blocks, an advisor's
    vin_override_reason puts it on file all the same (a European VIN has no check digit): the reason is kept
    on the vehicle and in the audit event, and the mismatch comes back as the warning. A reason given for a
    VIN that needs none is not kept.

    Raises vin.CheckDigitMismatch (an InvalidInput: the check digit is required and no reason was given),
    InvalidInput (VIN, plate, model year, mileage, reason), NotFound (customer), Conflict (VIN already on
    file, naming the vehicle: find it instead).
    """
    checked, override = _checked_vin(vin, check_required, vin_override_reason)
    plate = clean(plate, N_("Plate"), max_len=16)
    model = clean(model, N_("Model"), max_len=60)
    year = _model_year(model_year)
    reading = parse_mileage(mileage)
    with change(actor, "vehicle.create") as record:
        if Customer.get_or_none(Customer.id == customer_id) is None:
            raise NotFound(N_("That customer is not on file."))
        _refuse_known_vin(checked.vin)
        try:
            with Vehicle._meta.database.atomic():
                vehicle = Vehicle.create(vin=checked.vin, plate=plate, model=model, model_year=year,
                                         last_mileage=reading, customer=customer_id, vin_override_reason=override)
        except peewee.IntegrityError:
            # Registered at another desk a moment ago.
            raise Conflict(N_("VIN {vin} was put on file at another desk just now; find it by its VIN."),
                           vin=checked.vin) from None
        record.about("vehicle", vehicle.id, vin=checked.vin, customer=customer_id,
                     **({"vin_warning": checked.warning} if checked.warning else {}),
                     **({"vin_override": override} if override else {}))
    return NewVehicle(vehicle.id, checked.vin, checked.warning)


def _refuse_known_vin(vin: str) -> None:
    known = (Vehicle.select(Vehicle, Customer.name).join(Customer, JOIN.LEFT_OUTER)
             .where(Vehicle.vin == vin).objects().first())
    if known is not None:
        plate = known.plate or N_("no plate")
        if known.name:
            raise Conflict(N_("VIN {vin} is already on file ({plate} {model}, owner {owner}); find it by its VIN "
                              "instead."), vin=vin, plate=plate, model=known.model, owner=known.name)
        raise Conflict(N_("VIN {vin} is already on file ({plate} {model}); find it by its VIN instead."), vin=vin,
                       plate=plate, model=known.model)


def _model_year(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = clean(value, N_("Model year"), max_len=4)
        if not (text.isascii() and text.isdigit()):
            raise InvalidInput(N_("Model year must be a year like 2022, not {text!r}."), text=text)
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= now().year + 2:
        raise InvalidInput(N_("Model year {value} is not a plausible year."), value=value)
    return value
