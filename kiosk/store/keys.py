"""Search keys kept beside customers and vehicles (set when a row is saved), so that finding one as the
advisor types is a range on an index. kiosk.customers folds what is typed the same way."""

from __future__ import annotations

import unicodedata


def _nfkc(text: str | None) -> str:
    # NFKC: full-width letters and digits typed with a Chinese input method match the plain ones.
    return unicodedata.normalize("NFKC", text or "")


def name_key(name: str | None) -> str:
    """A name as searched: case-folded, single spaces. Chinese names stay as written (surname first)."""
    return " ".join(_nfkc(name).casefold().split())[:80]


def surname_key(name: str | None) -> str:
    """The name from its last word on ("smith john" for John Smith), so a name written given name first is
    found by its surname too; empty for a one-word name (王小明 is already surname first)."""
    words = name_key(name).split(" ")
    return " ".join(words[-1:] + words[:-1])[:80] if len(words) > 1 else ""


def phone_key(phone: str | None) -> str:
    """The digits of a phone number: "+86 138-0013-8000" is 8613800138000."""
    return "".join(ch for ch in _nfkc(phone) if ch.isdigit() and ch.isascii())[:32]


def phone_reversed(phone: str | None) -> str:
    """The phone's digits backwards: the last digits (what a customer gives, 尾号) become a prefix, found by
    index as the VIN's serial is."""
    return phone_key(phone)[::-1]


def plate_key(plate: str | None) -> str:
    """A plate without separators, upper case: "沪A·12345" is 沪A12345, "kx12 abc" is KX12ABC."""
    return "".join(ch for ch in _nfkc(plate).upper() if ch.isalnum())[:16]


def vin_reversed(vin: str | None) -> str:
    """The VIN backwards: the last characters (the serial) become a prefix, found by index."""
    return (vin or "")[::-1]
