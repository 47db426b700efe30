"""Languages: gettext catalogues (kiosk/locale/), the current language, and Babel's dates, numbers and money.

The language in force is, first, one set for this context with `use_language()` (a CLI command, an export for
whoever asked for it, a test); else the session's (`set_session_language()`: the App sets it from the shop's
setting, the person signed in, or the sign-in screen's key). One kiosk process is one session, and Textual
runs each widget in its own asyncio task (with a context copied when the widget starts) and thread workers
without the context at all, so the session's language is process-wide and the ContextVar only overrides it.

English is the source language: its messages are the msgids, so English falls through to them.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import errno
import gettext as _gettext
import json
from pathlib import Path

DOMAIN = "kiosk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# The languages the kiosk speaks, each named in its own words (the sign-in key shows the next one's name).
LANGUAGES = {"en": "English", "zh_CN": "中文"}
SOURCE_LANGUAGE = "en"
_ALIASES = {"en": "en", "en_us": "en", "en_gb": "en", "english": "en",
            "zh": "zh_CN", "zh_cn": "zh_CN", "zh_hans": "zh_CN", "zh_hans_cn": "zh_CN", "chinese": "zh_CN"}

_context_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("kiosk_language", default=None)
_session_language = SOURCE_LANGUAGE
_catalogues: dict[str, _gettext.NullTranslations] = {}


class Msgid(str):
    """A message id marked with N_(): still the English text wherever a str is used, and known as a message
    to translate where it is shown (an error's values, a footer's key descriptions)."""

    __slots__ = ()


class MsgidInContext(Msgid):
    """A message id with its context (NC_()): one English word that means two things ("Tag", the column of tag
    numbers, and "Tag", the key that tags a part) gets one translation for each."""

    def __new__(cls, context: str, message: str):
        marked = super().__new__(cls, message)
        marked.context = context
        return marked


class Named(str):
    """A name as written in a file (a price file's column unit_price), put in a message as a value: kept as it is,
    and in quotes in Chinese, which puts no space between words: “unit_price”必须是金额 (not unit_price必须是金额)."""

    __slots__ = ()


def N_(message: str) -> Msgid:
    """Mark a module-level string for extraction; translate it where it is shown, with _()."""
    return Msgid(message)


def NC_(context: str, message: str) -> MsgidInContext:
    """N_() with a context (pgettext's): still the English text as a str, translated in its context by _()."""
    return MsgidInContext(context, message)


def normalise_language(value: str | None) -> str:
    """'zh-CN', 'zh_cn', 'zh', 'zh_CN.UTF-8' -> 'zh_CN'; '' -> ''. ValueError names the languages known."""
    text = (value or "").strip()
    if not text:
        return ""
    key = text.split(".", 1)[0].replace("-", "_").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise ValueError(f"unknown language {text[:20]!r}; the kiosk speaks {', '.join(LANGUAGES)}")


def catalogue(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of a language (read once per process); English is the messages themselves."""
    found = _catalogues.get(language)
    if found is None:
        if language == SOURCE_LANGUAGE:
            found = _gettext.NullTranslations()
        else:
            found = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
        _catalogues[language] = found
    return found


def current_language() -> str:
    return _context_language.get() or _session_language


def set_session_language(language: str | None) -> str:
    """The language of this process's session (the App's screens, its thread workers); returns it."""
    global _session_language
    _session_language = normalise_language(language) or SOURCE_LANGUAGE
    return _session_language


@contextlib.contextmanager
def use_language(language: str | None):
    """Within the block (this thread or task only), speak language; None or '' keeps the current one."""
    token = _context_language.set(normalise_language(language) or current_language())
    try:
        yield
    finally:
        _context_language.reset(token)


def next_language(language: str | None = None) -> str:
    """The language the sign-in screen's key switches to."""
    order = list(LANGUAGES)
    return order[(order.index(language or current_language()) + 1) % len(order)]


def gettext(message: str) -> str:
    """A message in the current language; one marked with NC_() is said in its context."""
    context = getattr(message, "context", None)
    if context is not None:
        return catalogue(current_language()).pgettext(context, message)
    return catalogue(current_language()).gettext(message)


_ = gettext


# --- Notes the kiosk writes itself into a row (a tag's history, the stock ledger) --------------------------------
# Kept as the message id and its values, so each reader sees the note in their own language. The mark is a control
# character, which text.clean refuses in anything a person types, so a person's own note is never read as one.
_STORED = "\x1e"


def stored(msgid: str, *, limit: int = 200, **values) -> str:
    """A note for a row, said later in the reader's language by read_stored(). Its values are cut (the longest
    first, with …) so that the whole fits the column's `limit` characters."""
    values = {name: str(value) for name, value in values.items()}
    while True:
        text = _STORED + json.dumps([str(msgid), values], ensure_ascii=False, separators=(",", ":"))
        over = len(text) - limit
        if over <= 0:
            return text
        longest = max(values, key=lambda name: len(values[name]), default=None)
        if longest is None or len(values[longest]) <= 1:
            return text[:limit]  # no values to cut: read_stored shows what is left as it is
        values[longest] = values[longest][:max(0, len(values[longest]) - over - 1)] + "…"


def read_stored(text: str) -> str:
    """A note in the current language if the kiosk wrote it with stored(); a person's words, or a note written
    before notes were stored so, as they are."""
    if not text.startswith(_STORED):
        return text
    try:
        msgid, values = json.loads(text[1:])
        return gettext(msgid).format(**values)
    except (ValueError, TypeError, KeyError, IndexError):
        return text[1:]


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message in the current language, in a context: where one English word means two things."""
    return catalogue(current_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return catalogue(current_language()).npgettext(context, singular, plural, n)


def render(message: str, values: dict | None = None) -> str:
    """A message in the current language with its values put in; values marked with N_() are translated too.
    A message that is no msgid (text made before the catalogues existed) comes back as it was."""
    text = gettext(message)
    if not values:
        return text
    quote = current_language() != SOURCE_LANGUAGE
    shown = {k: gettext(v) if isinstance(v, Msgid) else f"“{v}”" if quote and isinstance(v, Named) else v
             for k, v in values.items()}
    for pattern in (text, message):  # a translation that names a value wrongly: say it in English
        try:
            return pattern.format(**shown)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return message


# The operating system's reasons for a failed file operation (strerror is English only): its own English words as
# the msgids, so English reads as it always did and Chinese gets them translated.
_OS_REASONS = {errno.EACCES: N_("Permission denied"), errno.EPERM: N_("Operation not permitted"),
               errno.ENOENT: N_("No such file or directory"), errno.ENOSPC: N_("No space left on device"),
               errno.EDQUOT: N_("Disk quota exceeded"), errno.EROFS: N_("Read-only file system"),
               errno.ENOTDIR: N_("Not a directory"), errno.EISDIR: N_("Is a directory"),
               errno.EEXIST: N_("File exists"), errno.ENAMETOOLONG: N_("File name too long"),
               errno.EIO: N_("Input/output error")}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, as an error's value (a Msgid, said in the reader's language) where the kiosk
    knows the reason, else the system's own words."""
    return _OS_REASONS.get(getattr(exc, "errno", None)) or getattr(exc, "strerror", None) or str(exc)


# --- Babel: dates, numbers, money in the current language -------------------------------------------------
# Babel's locale data is loaded on first use, not at import, so the sign-in screen paints as fast as before.

def _babel_locale(language: str | None = None) -> str:
    return language or current_language()


def format_date(day: dt.date | dt.datetime | None, language: str | None = None) -> str:
    """2026年12月1日 in Chinese; English as the kiosk has always written it (2026-12-01)."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    language = _babel_locale(language)
    if language == SOURCE_LANGUAGE:
        return day.isoformat()
    from babel.dates import format_date as babel_date  # Babel's data loads only for Chinese

    return babel_date(day, format="long", locale=language)


def format_datetime(moment: dt.datetime | None, language: str | None = None) -> str:
    """2026年12月1日 09:30 in Chinese; 2026-12-01 09:30 in English."""
    if moment is None:
        return ""
    return f"{format_date(moment, language)} {moment:%H:%M}"


def format_short_date(day: dt.date | dt.datetime | None, language: str | None = None) -> str:
    """A day in a table cell: 12月1日 in Chinese; 01 Dec in English (as the screens always had)."""
    if day is None:
        return ""
    language = _babel_locale(language)
    if language == SOURCE_LANGUAGE:
        return day.strftime("%d %b")
    from babel.dates import format_skeleton  # Babel's data loads only for Chinese

    return format_skeleton("MMMd", day, locale=language)


def format_short_datetime(moment: dt.datetime | None, language: str | None = None) -> str:
    """A moment in a table cell: 12月1日 09:30 in Chinese; 01 Dec 09:30 in English (as the screens always had)."""
    if moment is None:
        return ""
    return f"{format_short_date(moment, language)} {moment:%H:%M}"


def format_number(number, language: str | None = None) -> str:
    from babel.numbers import format_decimal  # Babel's data loads only for Chinese

    return format_decimal(number, locale=_babel_locale(language))


def format_money(amount, currency: str = "CNY", language: str | None = None) -> str:
    """¥1,234.50 in Chinese; CN¥1,234.50 in English (Babel's own words for the yuan in each language)."""
    from babel.numbers import format_currency  # Babel's data loads only for Chinese

    if not isinstance(amount, decimal.Decimal):
        amount = decimal.Decimal(str(amount))
    return format_currency(amount, currency, locale=_babel_locale(language))


class Said(tuple):
    """Messages kept as (message id, values) pairs, said in the reader's language wherever they are shown (an
    error's value, a list of what stands in the way): joined by sep, with no space after a Chinese full stop."""

    sep = " "

    def __new__(cls, pairs=(), sep: str = " "):
        said = super().__new__(cls, pairs)
        said.sep = sep
        return said

    def __str__(self) -> str:
        text = ""
        for message, values in self:
            sentence = render(message, values)
            if text:
                text += self.sep if text[-1].isascii() or self.sep.strip() else ""
            text += sentence
        return text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
