"""The rules, the store and the labels never import the terminal UI (checked, not hoped for)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import kiosk

UI_MODULES = {"kiosk.app", "kiosk.cli", "kiosk.__main__"}


def rule_modules() -> list[str]:
    root = Path(kiosk.__file__).parent
    names = [f"kiosk.{m.name}" for m in pkgutil.iter_modules([str(root)]) if f"kiosk.{m.name}" not in UI_MODULES
             and m.name != "screens"]
    names += [f"kiosk.store.{m.name}" for m in pkgutil.iter_modules([str(root / "store")]) if m.name != "migrations"]
    labels = Path(kiosk.__file__).parent.parent / "labels"
    names += [f"labels.{m.name}" for m in pkgutil.iter_modules([str(labels)])]
    return names


def imported(modules: list[str], forbidden: str) -> str:
    """Which modules matching the `forbidden` test (Python over a module name m) importing `modules` loads,
    in a fresh interpreter."""
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            f"bad = sorted(m for m in sys.modules if {forbidden})\nprint(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(kiosk.__file__).parent.parent)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_rules_store_and_labels_do_not_import_textual():
    modules = rule_modules()
    assert "kiosk.auth" in modules and "kiosk.store.models" in modules
    bad = imported(modules, "m.split('.')[0] == 'textual' or m.startswith('kiosk.screens')")
    assert bad == "", f"UI imported by the rules layer: {bad}"


def test_labels_import_neither_the_database_nor_the_kiosk():
    labels = Path(kiosk.__file__).parent.parent / "labels"
    modules = [f"labels.{m.name}" for m in pkgutil.iter_modules([str(labels)])] + ["labels.fonts.truetype"]
    bad = imported(modules, "m.split('.')[0] in ('peewee', 'playhouse', 'kiosk', 'textual')")
    assert "labels.document" in modules and bad == "", f"labels imported: {bad}"
