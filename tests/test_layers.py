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


def test_rules_store_and_labels_do_not_import_textual():
    modules = rule_modules()
    assert "kiosk.auth" in modules and "kiosk.store.models" in modules
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith('kiosk.screens'))\n"
            "print(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(kiosk.__file__).parent.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"UI imported by the rules layer: {result.stdout}"


def test_labels_import_neither_the_database_nor_the_kiosk():
    labels = Path(kiosk.__file__).parent.parent / "labels"
    modules = [f"labels.{m.name}" for m in pkgutil.iter_modules([str(labels)])] + ["labels.fonts.truetype"]
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('peewee', 'playhouse', 'kiosk', 'textual'))\n"
            "print(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(kiosk.__file__).parent.parent)
    assert result.returncode == 0, result.stderr
    assert "labels.document" in modules and result.stdout.strip() == "", f"labels imported: {result.stdout}"
