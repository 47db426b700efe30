"""Label text: control characters out, and text too long for its place cut visibly with an ellipsis."""

from __future__ import annotations

import contextlib
import contextvars
import unicodedata

ELLIPSIS = "…"
# No label shows more than this; measuring a pasted novel would only cost time.
LONGEST = 300


def clean(value: object) -> str:
    """One line of printable text: control and format characters removed, tabs and newlines as spaces."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    if text.isascii() and text.isprintable():
        return " ".join(text.split())
    kept = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            if ch in "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029":
                kept.append(" ")
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


def fit(text: str, font, width: float) -> str:
    """The longest start of text that fits width dots, ending in an ellipsis when anything was cut."""
    text = text[:LONGEST + 1]
    if font.getlength(text) <= width and len(text) <= LONGEST:
        return text
    low, high = 0, len(text) - 1  # low always fits (the ellipsis alone, or nothing)
    if font.getlength(ELLIPSIS) > width:
        return ""
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


# --- The words a document prints -------------------------------------------------------------------------------
# labels knows no languages: its printed words are English message ids marked with _(), which Babel extracts
# into the kiosk's catalogue. The kiosk translates them by drawing inside `translated(its gettext)`; unset, a
# document is English. A ContextVar, so two documents drawn at once in two threads keep their own languages.
_translate: contextvars.ContextVar = contextvars.ContextVar("labels_translate", default=None)


def _(message: str) -> str:
    translate = _translate.get()
    return translate(message) if translate else message


class _InContext(str):
    """A message id with its context: the kiosk's gettext says it in that context (kiosk.i18n.NC_ is the same)."""

    def __new__(cls, context: str, message: str):
        marked = super().__new__(cls, message)
        marked.context = context
        return marked


def pgettext(context: str, message: str) -> str:
    """_() for a word that means two things: said in its context (the customer's "Approval", not the
    manufacturer's)."""
    translate = _translate.get()
    return translate(_InContext(context, message)) if translate else message


@contextlib.contextmanager
def translated(translate):
    """Draw documents inside the block with their words passed through translate (a gettext of one language)."""
    token = _translate.set(translate)
    try:
        yield
    finally:
        _translate.reset(token)
