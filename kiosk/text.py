"""Cleaning of free text typed or scanned at a terminal, before any rule looks at it."""

import datetime as dt
import re
import unicodedata

from .errors import InvalidInput
from .i18n import N_


def clean(value: str | None, field: str, *, max_len: int, required: bool = False,
          multiline: bool = False) -> str:
    """Strip control characters and outer spaces; refuse empty required text and text over max_len.

    Chinese and other non-ASCII text passes through untouched (normalised to NFC).
    """
    text = unicodedata.normalize("NFC", value or "")
    keep = []
    for ch in text:
        if ch == "\n" and multiline:
            keep.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            keep.append(" " if ch in "\t\r\n" else "")
        else:
            keep.append(ch)
    text = "".join(keep).strip()
    if required and not text:
        raise InvalidInput(N_("{field} is required."), field=field)
    if len(text) > max_len:
        raise InvalidInput(N_("{field} is too long: {length} characters, at most {max_len}."), field=field,
                           length=len(text), max_len=max_len)
    return text


def cell_width(text: str) -> int:
    """Terminal cells the text takes: Chinese (East Asian wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_cells(text: str | None, width: int) -> str:
    """One line of text cut to a number of terminal cells, with "…" when something was cut."""
    text = " ".join((text or "").split())
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def first_line(text: str | None, width: int) -> str:
    """The first line of text that has something in it, cut to width (a cell, a title); "" when none has."""
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:width]
    return ""


def parse_quantity(value: str | int, *, field: str = N_("Quantity"), maximum: int = 9999) -> int:
    """A positive whole number of parts, with a message that says what was wrong."""
    if isinstance(value, int):
        number = value
    else:
        raw = clean(value, field, max_len=12, required=True)
        if not raw.lstrip("-").isdigit() or not raw.isascii():
            raise InvalidInput(N_("{field} must be a whole number, not {raw!r}."), field=field, raw=raw)
        number = int(raw)
    if number <= 0:
        raise InvalidInput(N_("{field} must be at least 1 (got {number})."), field=field, number=number)
    if number > maximum:
        raise InvalidInput(N_("{field} {number} is too large; at most {maximum} at a time."), field=field,
                           number=number, maximum=maximum)
    return number


def parse_date(value: str, field: str) -> dt.date | None:
    """An ISO date (2026-11-23), or None when left empty; anything else says what is expected."""
    text = clean(value, field, max_len=40)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(N_("{field} must be a date like 2026-11-23, not {text!r}."), field=field,
                           text=text[:20]) from None


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
    alone = _TIME_OF_DAY.fullmatch(text)
    try:
        if alone:
            return dt.datetime.combine(day, dt.time(int(alone[1]), int(alone[2])))
        if len(text) <= 10:  # a date without its time
            raise ValueError
        return dt.datetime.fromisoformat(text).replace(second=0, microsecond=0)
    except ValueError:
        raise InvalidInput(N_("{field} must be a time like 17:30, or a date and time like {day} 17:30, not {text!r}."),
                           field=field, day=day, text=text[:20]) from None
