"""Cleaning of free text typed or scanned at a terminal, before any rule looks at it."""

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from .errors import InvalidInput
from .i18n import N_, Msgid

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
        raise InvalidInput(N_("{field} must be text."), field=field)
    if value and len(value) > 10 * max_len + 1000:
        # Not worth reading through: even with every control character dropped it stays too long.
        raise InvalidInput(N_("{field} is too long: {length} characters, at most {max_len}."), field=field,
                           length=len(value), max_len=max_len)
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
    return within(text.strip(), field, max_len=max_len, required=required)


def within(text: str, field: str, *, max_len: int, required: bool = False) -> str:
    """Clean text as it is, if it is there when required and no longer than max_len (clean's last step)."""
    if required and not text:
        raise InvalidInput(N_("{field} is required."), field=field)
    if len(text) > max_len:
        raise InvalidInput(N_("{field} is too long: {length} characters, at most {max_len}."), field=field,
                           length=len(text), max_len=max_len)
    return text


def printable(value: object, max_len: int) -> str:
    """Text that nobody typed at this terminal (a terminal name, an SSH client address from the environment)
    made fit to store: control characters and lone surrogates dropped, cut to max_len. Never refuses."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return "".join(ch for ch in text[:4 * max_len] if unicodedata.category(ch) not in _DROPPED)[:max_len]


def is_digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also says yes to ², ① and other digits that int() refuses."""
    return text.isascii() and text.isdigit()


def _cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def cell_width(text: str) -> int:
    """Terminal cells the text takes: Chinese (East Asian wide) characters take two."""
    return sum(map(_cells, text))


def fit_cells(text: str | None, width: int) -> str:
    """One line of text cut to a number of terminal cells, with "…" when something was cut."""
    text = " ".join((text or "").split())
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _cells(ch)
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


def parse_quantity(value: str | int, *, field: str = N_("Quantity"), maximum: int = 9999, minimum: int = 1) -> int:
    """A whole number of parts (at least one, unless minimum says otherwise), with a message that says what
    was wrong; text as typed (ASCII digits) or an int, never a float, NaN or a Decimal."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(N_("{field} must be a whole number."), field=field)
    if isinstance(value, int):
        number = value
    else:
        raw = clean(value, field, max_len=12, required=True)
        if not is_digits(raw.removeprefix("-")):
            raise InvalidInput(N_("{field} must be a whole number, not {raw!r}."), field=field, raw=raw)
        number = int(raw)
    shown = number if abs(number) < 10 ** 20 else N_("(over 20 digits)")
    if number < minimum:
        if minimum != 1:
            raise InvalidInput(N_("{field} must be at least {minimum} (got {number})."), field=field, minimum=minimum,
                               number=shown)
        raise InvalidInput(N_("{field} must be at least 1 (got {number})."), field=field, number=shown)
    if number > maximum:
        raise InvalidInput(N_("{field} {number} is too large; at most {maximum} at a time."), field=field,
                           number=shown, maximum=maximum)
    return number


# Amounts as people write them: 1,234.50 (thousands grouped by three), 12.5, .5; the fast case needs no more.
_AMOUNT = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|[0-9]+(\.[0-9]+)?|\.[0-9]+")
_PLAIN_AMOUNT = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?")
_CURRENCY = "¥￥$€£元"
# Full-width forms a Chinese input method types (１２．５０) read as ASCII; superscripts (²), circled digits and
# other look-alikes do not become numbers.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
CENT = Decimal("0.01")
AMOUNT_MAX = Decimal("99999999.99")  # ten digits, two of them decimals: the money columns


def _first20(text: str) -> str:
    """At most 20 characters of a value shown in a message (a message id such as "(over 20 digits)" kept whole)."""
    return text if len(text) <= 20 else text[:20]


def parse_amount(value: str | int | float | Decimal | None, field: str, *, maximum: Decimal = AMOUNT_MAX,
                 positive: bool = False, required: bool = True,
                 like: str = N_("an amount like 123.45")) -> Decimal | None:
    """The one parser for money and other figures with two decimals (prices, claim amounts, labour hours and
    rates): text as people write it (1,234.50, full-width １２．５), an int, a Decimal, or a float (through its
    text, so 0.1 stays 0.1). Finite, at most two decimals, from 0 (above 0 if positive) up to maximum. A
    decimal comma, a currency sign, NaN, 1e308 or a negative is refused saying what to write. Empty text is
    None when not required."""
    if isinstance(value, str) and _PLAIN_AMOUNT.fullmatch(value):  # the common case, at a fraction of the checks
        amount = Decimal(value).quantize(CENT)
        if amount <= maximum and (amount or not positive):
            return amount
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal, type(None))):
        raise InvalidInput(N_("{field} must be {like}."), field=field, like=Msgid(like))
    if value is None or isinstance(value, str):
        text = clean(value, field, max_len=40, required=required).translate(_FULL_WIDTH).strip()
        if not text:
            return None
        if any(sign in text for sign in _CURRENCY):
            raise InvalidInput(N_("{field} {text!r}: write the number alone, without a currency sign."), field=field,
                               text=text[:20])
        if re.fullmatch(r"[0-9]+,[0-9]{1,2}", text):
            raise InvalidInput(N_("{field} {text!r}: write a decimal point, {point}, not a comma."), field=field,
                               text=text, point=text.replace(",", "."))
        negative = text.startswith("-") and bool(_AMOUNT.fullmatch(text[1:]))
        if not (negative or _AMOUNT.fullmatch(text)):
            raise InvalidInput(N_("{field} must be {like}, not {text!r}."), field=field, like=Msgid(like),
                               text=text[:20])
        amount, shown = Decimal(text.replace(",", "")), text[:20]
    else:
        if isinstance(value, int):
            shown = str(value) if abs(value) < 10 ** 20 else N_("(over 20 digits)")
        else:
            shown = repr(value) if isinstance(value, float) else str(value)
        amount = Decimal(shown) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite():
            raise InvalidInput(N_("{field} must be {like}, not {text!r}."), field=field, like=Msgid(like),
                               text=_first20(shown))
    if positive and amount <= 0:
        raise InvalidInput(N_("{field} must be more than 0."), field=field)
    if amount < 0:
        raise InvalidInput(N_("{field} {text!r} is negative; it must be 0 or more."), field=field, text=_first20(shown))
    if amount > maximum:
        raise InvalidInput(N_("{field} {text} is too large; at most {maximum}."), field=field, text=_first20(shown),
                           maximum=maximum)
    if amount != amount.quantize(CENT):
        raise InvalidInput(N_("{field} {text!r} has more than two decimals."), field=field, text=_first20(shown))
    return amount.quantize(CENT)


def parse_date(value: str, field: str) -> dt.date | None:
    """An ISO date (2026-11-23) of this century, or None when left empty; anything else says what is
    expected."""
    text = clean(value, field, max_len=40)
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(N_("{field} must be a date like 2026-11-23, not {text!r}."), field=field,
                           text=text[:20]) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(N_("{field} {day}: the year must be between {first} and {last}."), field=field, day=day,
                           first=FIRST_YEAR, last=LAST_YEAR)
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
