"""Employees: registering staff, unlocking badges, and the staff list a manager sees."""

from __future__ import annotations

from dataclasses import dataclass

from . import permissions
from .audit import Actor, Change, change, write_event
from .auth import check_pin_format, hash_pin, normalise_badge
from .errors import InvalidInput, NotAllowed, NotFound, SignInRefused
from .i18n import LANGUAGES, N_, normalise_language
from .store import write_transaction
from .store.models import Employee, now
from .text import clean


@dataclass(frozen=True)
class EmployeeRow:
    id: int
    badge: str
    name: str
    role: str
    active: bool
    locked: bool
    language: str = ""  # "" = the shop's


def by_badge(raw_badge: str) -> Employee:
    """The active employee behind a typed or scanned badge (to name an owner or a technician, not to sign in:
    a badge locked after wrong PINs still names its person). Raises InvalidInput, NotFound."""
    badge = normalise_badge(raw_badge)
    employee = Employee.get_or_none(Employee.badge == badge)
    if employee is None:
        raise NotFound(N_("Nobody has badge {badge}."), badge=badge)
    if not employee.active:
        raise InvalidInput(N_("{name} (badge {badge}) is no longer active."), name=employee.name, badge=badge)
    return employee


def id_by_badge(raw_badge: str | None) -> int | None:
    """The id of the active employee behind a typed or scanned badge (as by_badge); a blank field, or one of
    only control characters, means nobody: None."""
    if not clean(raw_badge, N_("Badge"), max_len=64):
        return None
    return by_badge(raw_badge).id


def list_employees(after: str | None = None, limit: int = 50) -> list[tuple[str, EmployeeRow]]:
    """Employees by badge, a page at a time (keyset on the unique badge)."""
    query = Employee.select().order_by(Employee.badge).limit(limit)
    if after is not None:
        query = query.where(Employee.badge > after)
    at = now()
    return [(e.badge, EmployeeRow(e.id, e.badge, e.name, e.role, e.active,
                                  bool(e.locked_until and e.locked_until > at), e.language)) for e in query]


def refuse_scan_code_badge(badge: str, tag_prefix: str = "W") -> None:
    """A badge number that a scanner would read as something else (a job card, a part, a warranty tag, a shelf
    label, a VIN) is refused: at the sign-in screen such a scan says "scan your badge first", and at a
    screen that takes scans it would open a card or issue a part. tag_prefix: the shop's tag numbers' prefix,
    so a badge shaped like a tag still to be printed is refused too."""
    from .holding import kind_of_code  # holding loads the scan rules (VINs, tags) only where a badge is made
    from .tags import looks_like_tag

    kind = kind_of_code(badge) or (N_("warranty tag") if looks_like_tag(badge, tag_prefix) else "")
    if kind:
        raise InvalidInput(N_("Badge {badge} would be read as a {kind} when scanned: choose another badge number."),
                           badge=badge, kind=kind)


def add_employee(actor: Actor | None, badge: str, name: str, role: str, pin: str, language: str = "", *,
                 tag_prefix: str = "W") -> Employee:
    """Register an employee. Only a manager may, except the very first employee of a new shop,
    who must be a manager (so a new install can be set up from the command line).
    language: the one their sessions speak ("" = the shop's). A badge number a scanner would read as a job
    card, part, tag, shelf label or VIN is refused (refuse_scan_code_badge)."""
    badge = normalise_badge(badge)
    refuse_scan_code_badge(badge, tag_prefix)
    language = _language(language)
    name = clean(name, N_("Name"), max_len=80, required=True)
    if role not in permissions.ROLES:
        raise InvalidInput(N_("Role must be one of: {roles}."), roles=", ".join(permissions.ROLES))
    check_pin_format(pin)
    pin_hash = hash_pin(pin)
    if actor is None:
        with write_transaction():
            if Employee.select().exists():
                raise SignInRefused(N_("Only a signed-in manager may add employees."))
            if role != "manager":
                raise InvalidInput(N_("The first employee of a new shop must be a manager."))
            employee = Employee.create(badge=badge, name=name, role=role, pin_hash=pin_hash, language=language)
            write_event(employee.id, "cli", "", Change("employee.add", "employee", employee.id,
                                                       {"badge": badge, "role": role}))
        return employee
    with change(actor, "employee.manage") as record:
        if Employee.select().where(Employee.badge == badge).exists():
            raise InvalidInput(N_("Badge {badge} is already registered."), badge=badge)
        employee = Employee.create(badge=badge, name=name, role=role, pin_hash=pin_hash, language=language)
        record.about("employee", employee.id, badge=badge, role=role, what="add")
    return employee


def _language(value: str | None) -> str:
    try:
        return normalise_language(clean(value, N_("Language"), max_len=20))
    except ValueError:
        raise InvalidInput(N_("Language must be one of: {languages}."), languages=", ".join(LANGUAGES)) from None


def set_language(actor: Actor, raw_badge: str, language: str) -> None:
    """The language an employee's sessions speak from their next sign-in ("" = the shop's)."""
    badge = normalise_badge(raw_badge)
    language = _language(language)
    with change(actor, "employee.manage") as record:
        employee = Employee.get_or_none(Employee.badge == badge)
        if employee is None:
            raise NotFound(N_("Unknown badge {badge}."), badge=badge)
        Employee.update(language=language).where(Employee.id == employee.id).execute()
        record.about("employee", employee.id, badge=badge, language=language, what="language")


def unlock_badge(actor: Actor, raw_badge: str) -> None:
    badge = normalise_badge(raw_badge)
    with change(actor, "employee.manage") as record:
        employee = Employee.get_or_none(Employee.badge == badge)
        if employee is None:
            raise NotFound(N_("Unknown badge {badge}."), badge=badge)
        if not (employee.locked_until and employee.locked_until > now()):
            raise NotAllowed(N_("Badge {badge} is not locked: there is nothing to unlock."), badge=badge)
        Employee.update(failed_pins=0, locked_until=None).where(Employee.id == employee.id).execute()
        record.about("employee", employee.id, badge=badge, what="unlock")
