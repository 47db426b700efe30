"""The rules, the store and the labels never import the terminal UI (checked, not hoped for)."""

import pkgutil
import subprocess
import sys
import tomllib
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


ROOT = Path(kiosk.__file__).parent.parent


def _tool(name: str) -> str:
    """The console script installed beside this Python (the test extras install it)."""
    return str(Path(sys.executable).with_name(name))


def test_the_import_contracts_hold():
    # pyproject.toml's [tool.importlinter]: rules and store never import Textual or the screens; the layers run
    # command line, app, screens, rules, store, settings and errors; labels import neither peewee nor the kiosk.
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_module_is_in_a_layer_of_the_contracts():
    # A contract only guards the modules it names: a new rules module must be added to both lists.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    forbidden, layers = config[0], config[1]
    named = {name.strip() for layer in layers["layers"] for name in layer.replace("|", ":").split(":")}
    rules = set(rule_modules()) - {m for m in rule_modules() if m.startswith(("kiosk.store.", "labels."))}
    assert rules - named == set(), f"add these to the rules layer in pyproject.toml: {sorted(rules - named)}"
    sources = set(forbidden["source_modules"])
    assert rules - sources == set(), f"add these to the first contract's source_modules: {sorted(rules - sources)}"
    assert "kiosk.store" in sources and "kiosk.screens" in forbidden["forbidden_modules"]


def test_ruff_finds_nothing():
    result = subprocess.run([_tool("ruff"), "check", "--no-cache", "."], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
