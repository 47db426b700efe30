"""`kiosk setup`: a new shop's first run, one question at a time on the terminal: shop name, dealer code, region,
tag prefix, the first manager, the label printer; writes the settings file and ends with a test label."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from labels import STOCKS

from .config import Settings, data_dir, default_config_path, load_settings
from .errors import InvalidInput, KioskError, StoreError
from .files import write_bytes
from .i18n import N_, gettext as _
from .text import clean


class Console(Protocol):
    def ask(self, prompt: str) -> str: ...
    def secret(self, prompt: str) -> str: ...
    def say(self, text: str) -> None: ...


# --- the answers, each checked as the settings will use it --------------------------------------------------

def shop_name(text: str) -> str:
    return clean(text, N_("Shop name"), max_len=80, required=True)


def dealer_code(text: str) -> str:
    code = clean(text, N_("Dealer code"), max_len=20, required=True).upper()
    if not re.fullmatch(r"[A-Z0-9-]+", code):
        raise InvalidInput(N_("A dealer code is letters, digits and '-' (it is printed in every barcode label)."))
    return code


def region(text: str) -> str:
    code = clean(text, N_("Region"), max_len=20, required=True).upper()
    if not re.fullmatch(r"[A-Z]{2,3}", code):
        raise InvalidInput(N_("A region is a code of 2 or 3 letters: CN, NA (VIN check digit enforced), EU, ..."))
    return code


def tag_prefix(text: str) -> str:
    prefix = clean(text, N_("Tag prefix"), max_len=4, required=True).upper()
    if not re.fullmatch(r"[A-Z]{1,4}", prefix):
        raise InvalidInput(N_("A tag prefix is 1 to 4 letters (the tag numbers are the prefix and 7 digits)."))
    return prefix


def choice(options: list[str], what: str) -> Callable[[str], str]:
    """A number from a numbered list, or the option itself."""
    def pick(text: str) -> str:
        answer = clean(text, what, max_len=80, required=True)
        if answer.isdigit() and answer.isascii() and 1 <= int(answer) <= len(options):
            return options[int(answer) - 1]
        if answer in options:
            return answer
        raise InvalidInput(N_("Type a number from 1 to {count}."), count=len(options))
    return pick


# --- the settings file -----------------------------------------------------------------------------------

def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def settings_toml(values: dict) -> str:
    """The settings as TOML: plain values first, then each table (printers.NAME and the like)."""
    lines = ["# Workshop kiosk settings, written by `kiosk setup`; see README.md, Settings."]

    def table(prefix: str, data: dict) -> None:
        plain = {k: v for k, v in data.items() if not isinstance(v, dict)}
        if prefix and (plain or not data):
            lines.extend(["", f"[{prefix}]"])
        lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in plain.items())
        for key, value in data.items():
            if isinstance(value, dict):
                table(f"{prefix}.{_toml_key(key)}" if prefix else _toml_key(key), value)

    table("", values)
    return "\n".join(lines) + "\n"


def write_settings(path: Path, values: dict) -> Settings:
    """Write the file whole (then renamed) and read it back as the kiosk will."""
    write_bytes(path, settings_toml(values).encode("utf-8"), what=N_("the settings file"))
    return load_settings(path, env={})


# --- the walk --------------------------------------------------------------------------------------------

def _ask(console: Console, prompt: str, parse: Callable[[str], str], default: str = "") -> str:
    while True:
        shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
        answer = console.ask(shown)
        try:
            return parse(answer if answer.strip() else default)
        except InvalidInput as exc:
            console.say(f"  {exc.message}")


def _existing(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(N_("Cannot read the settings file {path}: {error}; move it away and run setup again."),
                         path=str(path), error=str(exc)) from None


def _database(console: Console, default: str) -> str:
    from .store import open_database, schema  # peewee loads once setup reaches the database question

    while True:
        url = console.ask(_("Database") + f" [{default}]: ").strip() or default
        try:
            open_database(url, create_dir=True)
            applied = schema.upgrade()
        except KioskError as exc:
            console.say(f"  {exc.message}")
            continue
        console.say(f"  {url}: " + (_("schema created") if applied else _("already up to date")))
        return url


def _first_manager(console: Console, prefix: str = "W") -> str:
    """The first manager's badge, or "" when the shop has staff already."""
    # the rules that need the database load once setup has opened it (the question before)
    from . import employees
    from .auth import check_pin_format, normalise_badge
    from .store.models import Employee

    if Employee.select().exists():
        console.say(_("This shop has staff already; managers register more on the Staff screen (F2)."))
        return ""
    console.say("\n" + _("The first manager (registers the rest of the staff on the kiosk):"))

    def badge_number(text: str) -> str:
        badge = normalise_badge(text)
        employees.refuse_scan_code_badge(badge, prefix)  # asked again, not refused after the PIN
        return badge

    badge = _ask(console, "  " + _("Badge"), badge_number)
    name = _ask(console, "  " + _("Name"), lambda t: clean(t, N_("Name"), max_len=80, required=True))
    while True:
        pin = console.secret("  " + _("PIN (4-8 digits, not shown): "))
        try:
            check_pin_format(pin)
        except InvalidInput as exc:
            console.say(f"  {exc.message}")
            continue
        if console.secret("  " + _("The same PIN again: ")) != pin:
            console.say("  " + _("The two PINs differ; type it again."))
            continue
        break
    employee = employees.add_employee(None, badge, name, "manager", pin, tag_prefix=prefix)
    console.say("  " + _("Registered {name} (manager) with badge {badge}.").format(name=employee.name,
                                                                                  badge=employee.badge))
    return employee.badge


def _printer(console: Console, values: dict) -> dict | None:
    from .printers import cups_queues  # the printing code loads when the printer question comes

    queues = cups_queues()
    console.say("\n" + _("Label printer:"))
    options = [q.name for q in queues]
    for i, queue in enumerate(queues, 1):
        console.say(f"  {i}) " + _("CUPS queue {name}  {device}").format(name=queue.name, device=queue.device))
    if not queues:
        console.say("  " + _("(CUPS has no printer queues here; add the printer in CUPS, or write label files.)"))
    console.say(f"  {len(options) + 1}) " + _("a folder of label files (PNG and PDF)"))
    console.say(f"  {len(options) + 2}) " + _("no printer now"))
    picked = _ask(console, _("Printer"), choice([*options, "folder", "none"], N_("Printer")), "1")
    if picked == "none":
        return None
    stocks = list(STOCKS)
    console.say(_("Label stock:"))
    for i, name in enumerate(stocks, 1):
        stock = STOCKS[name]
        size = (f"{stock.width_mm:g} x {stock.height_mm:g} mm" if stock.height_mm
                else _("{width} mm roll").format(width=f"{stock.width_mm:g}"))
        console.say(f"  {i}) {name}  {size}, {_(' or ').join(map(str, stock.dpis))} dpi")
    old = values.get("printers", {}).get("labels", {})
    stock = STOCKS[_ask(console, _("Stock"), choice(stocks, N_("Stock")),
                        str(stocks.index(old["stock"]) + 1) if old.get("stock") in stocks else "2")]
    dpi = stock.dpis[0]
    if len(stock.dpis) > 1:
        dpi = int(_ask(console, _("Printer resolution ({dpis} dpi)").format(dpis=_(" or ").join(map(str, stock.dpis))),
                       choice([str(d) for d in stock.dpis], N_("Resolution")), str(stock.dpis[-1])))
    if picked == "folder":
        folder = _ask(console, _("Folder for the label files"),
                      lambda t: clean(t, N_("Folder"), max_len=300, required=True), str(data_dir() / "labels"))
        return {"backend": "folder", "path": folder, "stock": stock.name, "dpi": dpi}
    return {"backend": "cups", "queue": picked, "stock": stock.name, "dpi": dpi}


def run(console: Console, settings: Settings, config_path: Path) -> int:
    """Walk a new shop through its settings; returns the exit code (1 when the test label did not print)."""
    # the printing code and the database's rules load when setup reaches them
    from .printers import print_test_label
    from .ssh import cli_actor

    values = _existing(config_path)
    console.say(_("Setting up the workshop kiosk. Settings file: {path}").format(path=config_path)
                + (_(" (exists: its other settings are kept)") if values else ""))
    console.say(_("Press Enter to take the value in [brackets].") + "\n")
    url = _database(console, settings.db_url)
    values["shop_name"] = _ask(console, _("Shop name"), shop_name, values.get("shop_name", ""))
    values["dealer_code"] = _ask(console, _("Dealer code (from the manufacturer)"), dealer_code,
                                 values.get("dealer_code", ""))
    values["region"] = _ask(console, _("Region (CN, NA, EU, ...)"), region, values.get("region", settings.region))
    values["tag_prefix"] = _ask(console, _("Tag prefix (letters before each tag number)"), tag_prefix,
                                values.get("tag_prefix", settings.tag_prefix))
    values["db_url"] = url
    badge = _first_manager(console, values["tag_prefix"])
    printer = _printer(console, values)
    if printer:
        values.setdefault("printers", {})["labels"] = printer
        values["default_printer"] = "labels"
    written = write_settings(config_path, values).with_overrides(terminal=settings.terminal)
    console.say("\n" + _("Settings written to {path}").format(path=config_path))
    console.say(_("Open the kiosk with: {command}").format(
        command=f"kiosk --config {config_path}" if config_path != _default_path() else "kiosk"))
    if not printer:
        console.say(_("No printer yet: add one in the settings file, then print a test label from the Staff screen."))
        return 0
    console.say(_("Printing a test label..."))
    try:
        done = print_test_label(cli_actor(written, badge), written)
    except KioskError as exc:
        console.say(f"  {exc.message}\n  " + _("Fix the printer, then print a test label from the Staff screen (F5)."))
        return 1
    console.say(f"  {done.message}")
    return 0


def _default_path() -> Path:
    return default_config_path()
