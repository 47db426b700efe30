"""Badges and PINs: signing in, lock-out after wrong PINs, and employees' PIN hashes (scrypt)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
from collections.abc import Callable

from .audit import Actor, Change, write_event
from .errors import BadgeLocked, InvalidInput, SignInRefused
from .i18n import N_
from .store import write_transaction
from .store.models import Employee, now
from .text import clean

# scrypt's cost, written into each hash (so a hash is checked at the cost it was made with). Fixed here: no setting
# or environment variable lowers it (the tests lower it in their own process only).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_BADGE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")
# One answer for an unknown badge, an inactive one and a wrong PIN, after the same scrypt work: neither the
# words nor the time tell whether a badge belongs to someone who works here.
NOT_ACCEPTED = N_("Badge or PIN not accepted.")
# Checked against a PIN when the badge is nobody's: a hash no PIN matches, at the kiosk's scrypt cost.
_NOBODY_HASH = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${'00' * 16}${'00' * 32}"


def hash_pin(pin: str) -> str:
    check_pin_format(pin)
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                   dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def normalise_badge(raw: str) -> str:
    badge = clean(raw, N_("Badge"), max_len=64).upper().replace(" ", "")
    if not badge:
        raise InvalidInput(N_("Scan your badge or type its number."))
    if not _BADGE.match(badge):
        raise InvalidInput(N_("That is not a badge number: use letters, digits and '-' only, at most 32."))
    return badge


def check_pin_format(pin: str) -> str:
    if not isinstance(pin, str) or not pin:
        raise InvalidInput(N_("Type your PIN."))
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise InvalidInput(N_("A PIN is 4 to 8 digits."))
    return pin


def find_badge(raw_badge: str, at: dt.datetime | None = None) -> Employee:
    """The employee behind a badge, if that badge may sign in now, where no PIN is asked (a trusted SSH key,
    the CLI on the server). Sign-in with a PIN never says whether a badge is known: see sign_in."""
    badge = normalise_badge(raw_badge)
    employee = Employee.get_or_none(Employee.badge == badge)
    if employee is None:
        raise SignInRefused(N_("Unknown badge {badge}. Ask a manager to register it."), badge=badge)
    if not employee.active:
        raise SignInRefused(N_("Badge {badge} is no longer active. Ask a manager."), badge=badge)
    _refuse_if_locked(employee, at or now())
    return employee


def badge_scanned(raw_badge: str) -> str:
    """The badge from the sign-in screen's first step, or SignInRefused when the code is plainly no badge (a
    job card, a part, a warranty tag, a shelf label, a VIN) and no active employee's badge: a scan just after an
    idle sign-out was meant for the screen that has gone. Whether a badge is anyone's is still answered only with
    the PIN (sign_in) for every code that is not a scan code."""
    from .holding import kind_of_code  # holding needs the store's models and the VIN rules; sign-in only here

    badge = normalise_badge(raw_badge)
    kind = kind_of_code(badge)
    # A real badge with exactly that number still goes on to its PIN. New badges of that shape are refused
    # (employees.add_employee), so this tells only of badges made before that rule, or a part or tag numbered
    # later like a badge: an unknown badge that is no scan code goes on to the PIN as before, and gets the same
    # scrypt work and the same words as a wrong PIN there.
    if kind and not Employee.select().where((Employee.badge == badge) & Employee.active).exists():
        raise SignInRefused(N_("Signed out: scan your badge first ({badge} is a {kind})."), badge=badge, kind=kind)
    return badge


def _refuse_if_locked(employee: Employee, at: dt.datetime) -> None:
    if employee.locked_until and employee.locked_until > at:
        minutes = max(1, int((employee.locked_until - at).total_seconds() + 59) // 60)
        raise BadgeLocked(N_("Badge {badge} is locked after too many wrong PINs; "
                             "try again in {minutes} min or ask a manager to unlock it."),
                          badge=employee.badge, minutes=minutes)


def sign_in(raw_badge: str, pin: str, *, terminal: str, client: str = "",
            attempts: int = 5, lock_minutes: int = 15, at: dt.datetime | None = None,
            purpose: str = "auth.sign_in", may_sign: Callable[[Employee], None] | None = None) -> Actor:
    """Check badge and PIN; count wrong PINs and lock the badge at the limit. Returns the Actor.

    An unknown or inactive badge gets the same scrypt work and the same answer (NOT_ACCEPTED) as a wrong PIN.
    purpose names the audit event: a sign-in, or a signature (an advisor's override at another's terminal);
    may_sign, given the employee once the PIN is right, raises if this employee may not sign for it.
    """
    at = at or now()
    badge = normalise_badge(raw_badge)
    employee = Employee.get_or_none(Employee.badge == badge)
    if employee is not None:
        _refuse_if_locked(employee, at)
    check_pin_format(pin)
    known = employee is not None and employee.active
    right = verify_pin(pin, employee.pin_hash if known else _NOBODY_HASH)
    if not known:
        raise SignInRefused(NOT_ACCEPTED)
    if not right:
        _record_wrong_pin(employee, terminal, client, attempts, lock_minutes, at)
    if may_sign is not None:
        may_sign(employee)
    with write_transaction():
        Employee.update(failed_pins=0, locked_until=None).where(Employee.id == employee.id).execute()
        write_event(employee.id, terminal, client, Change(purpose, "employee", employee.id))
    return Actor(employee.id, employee.name, employee.role, terminal, client, employee.language)


def sign_in_by_key(raw_badge: str, *, terminal: str, client: str) -> Actor:
    """Sign in an SSH session whose key the settings trust on its own (no PIN)."""
    employee = find_badge(raw_badge)
    with write_transaction():
        write_event(employee.id, terminal, client,
                    Change("auth.sign_in", "employee", employee.id, {"by": "ssh key"}))
    return Actor(employee.id, employee.name, employee.role, terminal, client, employee.language)


def _record_wrong_pin(employee, terminal, client, attempts, lock_minutes, at) -> None:
    with write_transaction():
        # Counted in the database, so two terminals guessing at once still reach the limit.
        Employee.update(failed_pins=Employee.failed_pins + 1).where(Employee.id == employee.id).execute()
        failed = Employee.get_by_id(employee.id).failed_pins
        locked = failed >= attempts
        if locked:
            Employee.update(locked_until=at + dt.timedelta(minutes=lock_minutes), failed_pins=0).where(
                Employee.id == employee.id).execute()
        write_event(employee.id, terminal, client,
                    Change("auth.badge_locked" if locked else "auth.wrong_pin", "employee", employee.id,
                           {"failed": failed}))
    if locked:
        raise BadgeLocked(N_("Wrong PIN. Badge {badge} is now locked for {minutes} min."), badge=employee.badge,
                          minutes=lock_minutes)
    raise SignInRefused(NOT_ACCEPTED)


def sign_out(actor: Actor, reason: str = "key") -> None:
    reason = clean(reason, N_("Reason"), max_len=40)
    with write_transaction():
        write_event(actor.employee_id, actor.terminal, actor.client,
                    Change("auth.sign_out", "employee", actor.employee_id, {"reason": reason}))
