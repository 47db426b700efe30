"""The site's `keymap` setting (binding id -> keys) checked before the kiosk starts: an id no binding has, or a
printable key on a screen that takes scans (a scanner would type it and fire the action), is refused in one line."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import key_to_character

from ..errors import ConfigError
from ..i18n import N_


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _bindings(cls: type) -> Iterator[Binding]:
    """The bindings a class has, its own and those it inherits (Textual merges them along the MRO)."""
    for klass in cls.__mro__:
        for binding in vars(klass).get("BINDINGS", ()):
            if isinstance(binding, Binding):
                yield binding


def _all_classes(app_class: type) -> list[type]:
    """The app and every widget and screen class, with every screen module loaded (each is loaded when first
    opened otherwise)."""
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        importlib.import_module(f"{__package__}.{module.name}")
    return [app_class, *(cls for cls in _subclasses(DOMNode) if cls is not app_class)]


def _printable(keys: str) -> list[str]:
    found = []
    for key in (k.strip() for k in keys.split(",")):
        char = key if len(key) == 1 else key_to_character(key)
        if char and char.isprintable():
            found.append(key)
    return found


def check_keymap(keymap: Mapping, app_class: type, where: str = N_("the settings")) -> None:
    """Raise ConfigError (one line) for an unknown binding id, keys that are not text, or a printable key bound
    on a screen with a scan field or on the app (whose keys work on every screen)."""
    if where == "the settings":  # said in the reader's language (app.py passes it as plain text)
        where = N_("the settings")
    if not isinstance(keymap, Mapping):
        raise ConfigError(N_('keymap in {where} must be a table of binding id = keys, e.g. keymap = {{ "sign-out" = '
                             '"f12" }}.'), where=where)
    classes = _all_classes(app_class)
    known: dict[str, list[type]] = {}
    for cls in classes:
        for binding in _bindings(cls):
            if binding.id:
                known.setdefault(binding.id, []).append(cls)
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            close = difflib.get_close_matches(str(binding_id), known, n=1)
            if close:
                raise ConfigError(N_('keymap in {where}: no key has the id "{id}" (did you mean "{close}"?).'),
                                  where=where, id=binding_id, close=close[0])
            raise ConfigError(N_('keymap in {where}: no key has the id "{id}".'), where=where, id=binding_id)
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(N_('keymap in {where}: "{id}" needs its keys as text, e.g. "f2" or "f2,ctrl+s".'),
                              where=where, id=binding_id)
        printable = _printable(keys)
        if not printable:
            continue
        for cls in known[binding_id]:
            takes_scans = hasattr(cls, "scan_field")
            if takes_scans or cls is app_class:
                if takes_scans:
                    raise ConfigError(N_('keymap in {where}: "{id}" = "{keys}" puts the printable key "{key}" on '
                                         '{screen}, which takes scans: a scan would fire it; use an F-key or a Ctrl '
                                         'combination.'), where=where, id=binding_id, keys=keys, key=printable[0],
                                      screen=cls.__name__)
                raise ConfigError(N_('keymap in {where}: "{id}" = "{keys}" puts the printable key "{key}" on every '
                                     'screen, scan screens too: a scan would fire it; use an F-key or a Ctrl '
                                     'combination.'), where=where, id=binding_id, keys=keys, key=printable[0])
