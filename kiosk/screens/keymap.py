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


def check_keymap(keymap: Mapping, app_class: type, where: str = "the settings") -> None:
    """Raise ConfigError (one line) for an unknown binding id, keys that are not text, or a printable key bound
    on a screen with a scan field or on the app (whose keys work on every screen)."""
    if not isinstance(keymap, Mapping):
        raise ConfigError(f'keymap in {where} must be a table of binding id = keys, e.g. keymap = {{ "sign-out" = '
                          f'"f12" }}.')
    classes = _all_classes(app_class)
    known: dict[str, list[type]] = {}
    for cls in classes:
        for binding in _bindings(cls):
            if binding.id:
                known.setdefault(binding.id, []).append(cls)
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            close = difflib.get_close_matches(str(binding_id), known, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise ConfigError(f'keymap in {where}: no key has the id "{binding_id}"{hint}.')
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(f'keymap in {where}: "{binding_id}" needs its keys as text, e.g. "f2" or "f2,ctrl+s".')
        printable = _printable(keys)
        if not printable:
            continue
        for cls in known[binding_id]:
            takes_scans = hasattr(cls, "scan_field")
            if takes_scans or cls is app_class:
                screen = f"{cls.__name__}, which takes scans" if takes_scans else "every screen, scan screens too"
                raise ConfigError(f'keymap in {where}: "{binding_id}" = "{keys}" puts the printable key '
                                  f'"{printable[0]}" on {screen}: a scan would fire it; use an F-key or a Ctrl '
                                  f"combination.")
