"""Cleaning of free text typed or scanned at a terminal, before any rule looks at it."""

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .errors import InvalidInput

# Dropped from typed and scanned text: control and format characters, lone surrogates (which no database
# or file can store), private-use and unassigned code points.
_DROPPED = ("Cc", "Cf", "Cs", "Co", "Cn")
# Dates people type are of this century: a year 9999 would overflow every "60 days later".
FIRST_YEAR, LAST_YEAR = 2000, 2099


def clean(value: str | None, field: str, *, max_len: int, required: bool = False,
          multiline: bool = False) -> str:
    """The one door for text into the rules: strip control characters, lone surrogates and outer spaces;
    refuse what is not text, empty required text and text over max_len.

    Chinese and other non-ASCII text passes through untouched (normalised to NFC).
    """
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{field} must be text.")
    if value and len(value) > 10 * max_len + 1000:
        # Not worth reading through: even with every control character dropped it stays too long.
        raise InvalidInput(f"{field} is too long: {len(value)} characters, at most {max_len}.")
    text = unicodedata.normalize("NFC", value or "")
    # str.isprintable() is false for every character of the categories dropped here (and for some spaces,
    # which are kept): text that passes it, nearly all text, needs no look at each character.
    if not text.isprintable():
        keep = []
        for ch in text:
            if ch == "\n" and multiline:
                keep.append(ch)
            elif unicodedata.category(ch) in _DROPPED:
                keep.append(" " if ch in "\t\r\n" else "")
            else:
                keep.append(ch)
        text = "".join(keep)
    text = text.strip()
    if required and not text:
        raise InvalidInput(f"{field} is required.")
    if len(text) > max_len:
        raise InvalidInput(f"{field} is too long: {len(text)} characters, at most {max_len}.")
    return text


def printable(value: object, max_len: int) -> str:
    """Text that nobody typed at this terminal (a terminal name, an SSH client address from the environment)
    made fit to store: control characters and lone surrogates dropped, cut to max_len. Never refuses."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return "".join(ch for ch in text[:4 * max_len] if unicodedata.category(ch) not in _DROPPED)[:max_len]


def is_digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also says yes to ², ① and other digits that int() refuses."""
    return text.isascii() and text.isdigit()


def first_line(text: str | None, width: int) -> str:
    """The first line of text that has something in it, cut to width (a cell, a title); "" when none has."""
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:width]
    return ""


def parse_quantity(value: str | int, *, field: str = "Quantity", maximum: int = 9999, minimum: int = 1) -> int:
    """A whole number of parts (at least one, unless minimum says otherwise), with a message that says what
    was wrong; text as typed (ASCII digits) or an int, never a float, NaN or a Decimal."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(f"{field} must be a whole number.")
    if isinstance(value, int):
        number = value
    else:
        raw = clean(value, field, max_len=12, required=True)
        if not is_digits(raw.removeprefix("-")):
            raise InvalidInput(f"{field} must be a whole number, not {raw!r}.")
        number = int(raw)
    shown = number if abs(number) < 10 ** 20 else "(over 20 digits)"
    if number < minimum:
        raise InvalidInput(f"{field} must be at least {minimum} (got {shown}).")
    if number > maximum:
        raise InvalidInput(f"{field} {shown} is too large; at most {maximum} at a time.")
    return number


def parse_amount(value: str | int | float | Decimal, field: str, *, maximum: Decimal, positive: bool = False,
                 places: int = 2) -> Decimal:
    """The one parser for money and other figures with decimals (hours, a labour rate): text as typed
    (thousands separators allowed: 1,234.50), an int, a Decimal, or a float (through its text, so 0.1 stays
    0.1). Finite, at most `places` decimals, from 0 (above 0 if positive) up to maximum; anything else is
    an InvalidInput that says which."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise InvalidInput(f"{field} must be a number, like 1.5.")
    if isinstance(value, str):
        text = clean(value, field, max_len=20, required=True)
        source = text.replace(",", "")
    else:
        source = repr(value) if isinstance(value, float) else value
        text = str(source)[:21] if not isinstance(value, int) or abs(value) < 10 ** 21 else "(over 20 digits)"
    shown = text if len(text) <= 20 else text[:19] + "…"
    try:
        number = Decimal(source)
    except InvalidOperation:
        raise InvalidInput(f"{field} must be a number, like 1.5, not {shown!r}.") from None
    if not number.is_finite():
        raise InvalidInput(f"{field} must be a number, like 1.5, not {shown!r}.")
    if number < 0 or (positive and number == 0):
        raise InvalidInput(f"{field} must be more than 0." if positive else f"{field} cannot be negative.")
    if number > maximum:
        raise InvalidInput(f"{field} {shown} is too large; at most {maximum}.")
    step = Decimal(1).scaleb(-places)
    if number != number.quantize(step):
        raise InvalidInput(f"{field} has at most {('no', 'one', 'two', 'three', 'four')[places]} decimals.")
    return number.quantize(step)


def parse_date(value: str, field: str) -> dt.date | None:
    """An ISO date (2026-11-23) of this century, or None when left empty; anything else says what is
    expected."""
    text = clean(value, field, max_len=40)
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} must be a date like 2026-11-23, not {text[:20]!r}.") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(f"{field} {day}: the year must be between {FIRST_YEAR} and {LAST_YEAR}.")
    return day


_TIME_OF_DAY = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")


def is_time_of_day(value: str) -> bool:
    """Whether typed text is a time alone (17:30, 9.05, full-width １７：３０), with no date."""
    return bool(_TIME_OF_DAY.fullmatch(unicodedata.normalize("NFKC", value or "").strip()))


def parse_when(value: str | None, field: str, day: dt.date) -> dt.datetime | None:
    """A typed moment: a time alone (17:30) on the given day, or a date and time (2026-11-24 17:30); None when
    left empty. Seconds are dropped. Anything else says what is expected."""
    text = unicodedata.normalize("NFKC", clean(value, field, max_len=30))
    if not text:
        return None
    expected = f"{field} must be a time like 17:30, or a date and time like {day} 17:30"
    alone = _TIME_OF_DAY.fullmatch(text)
    try:
        if alone:
            return dt.datetime.combine(day, dt.time(int(alone[1]), int(alone[2])))
        if len(text) <= 10:  # a date without its time
            raise ValueError
        return dt.datetime.fromisoformat(text).replace(second=0, microsecond=0)
    except ValueError:
        raise InvalidInput(f"{expected}, not {text[:20]!r}.") from None
