"""`kiosk setup` driven through a real terminal (pexpect), ending with a test label on the real CUPS queue."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from kiosk import firstrun
from kiosk.auth import verify_pin
from kiosk.config import load_settings
from kiosk.errors import InvalidInput
from kiosk.store import close_database, open_database
from kiosk.store.models import AuditEvent, Employee

from .conftest import make_url
from .labels.conftest import cups  # noqa: F401 - the real kiosk-pdf queue fixture
from .labels.conftest import decode_printed
from .labels.test_printing import wait_for_pdf

ROOT = Path(__file__).resolve().parent.parent


def answer(child, prompt: str, text: str) -> None:
    child.expect_exact(prompt)
    child.sendline(text)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_new_shop_is_set_up_from_the_terminal_and_its_test_label_scans(kind, tmp_path, cups):  # noqa: F811
    url, drop = make_url(kind, tmp_path)
    config = tmp_path / "etc" / "kiosk.toml"
    transcript = io.StringIO()
    child = pexpect.spawn(sys.executable, ["-m", "kiosk", "--db", url, "--config", str(config), "setup"],
                          cwd=str(ROOT), env={**os.environ, "USER": "owner", "LANG": "C.UTF-8"},
                          encoding="utf-8", timeout=60, dimensions=(24, 80))
    child.logfile_read = transcript
    try:
        answer(child, "Database [", "")
        answer(child, "Shop name: ", "")
        answer(child, "Shop name is required.", "Riverside 河边 Motors")
        answer(child, "Dealer code (from the manufacturer): ", "d 1234")
        answer(child, "letters, digits and '-'", "d-1234")
        answer(child, "Region (CN, NA, EU, ...) [CN]: ", "1e308")
        answer(child, "A region is a code of 2 or 3 letters", "na")
        answer(child, "Tag prefix (letters before each tag number) [W]: ", "")
        answer(child, "  Badge: ", "m-01")
        answer(child, "  Name: ", "王经理 Wang")
        answer(child, "PIN (4-8 digits, not shown): ", "12")
        answer(child, "A PIN is 4 to 8 digits.", "4321")
        answer(child, "The same PIN again: ", "4322")
        answer(child, "The two PINs differ", "4321")
        answer(child, "The same PIN again: ", "4321")
        child.expect(r"(\d+)\) CUPS queue kiosk-pdf  cups-pdf:/kiosk")
        queue_number = child.match.group(1)
        answer(child, "Printer [1]: ", queue_number)
        child.expect(r"(\d+)\) brother-62x29  62 x 29 mm, 300 dpi")
        answer(child, "Stock [2]: ", child.match.group(1))
        child.expect(r"Settings written to (\S+)")
        assert child.match.group(1) == str(config)
        child.expect(r"the scanner should read (TEST-\d{10})\.")
        code = child.match.group(1)
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, transcript.getvalue()
    said = transcript.getvalue()
    assert "Registered 王经理 Wang (manager) with badge M-01." in said
    assert "4321" not in said  # the PIN is never echoed
    # The settings file holds the answers, and the kiosk reads it back.
    settings = load_settings(config, env={})
    assert (settings.shop_name, settings.dealer_code, settings.region, settings.tag_prefix, settings.db_url) == (
        "Riverside 河边 Motors", "D-1234", "NA", "W", url)
    assert settings.printers["labels"] == {"backend": "cups", "queue": cups, "stock": "brother-62x29", "dpi": 300}
    assert settings.default_printer == "labels"
    # The first manager signs in with that PIN; the test label is on record, by the manager, from the OS user.
    open_database(url)
    try:
        boss = Employee.get(Employee.badge == "M-01")
        assert boss.role == "manager" and verify_pin("4321", boss.pin_hash)
        event = AuditEvent.get(AuditEvent.action == "printer.test")
        assert (event.employee_id, event.client) == (boss.id, "cli owner") and code in event.detail
    finally:
        close_database()
        drop()
    # What came out of the printer scans back as the code setup showed.
    job = re.search(r"\((kiosk-pdf-\d+)\)", said).group(1)
    assert decode_printed(wait_for_pdf(code, job), tmp_path) == [code]


def test_setup_keeps_the_other_settings_of_an_existing_file_and_a_shop_with_staff(tmp_path, staff, store_url):
    config = tmp_path / "kiosk.toml"
    config.write_text('shop_name = "Old name"\nlabour_rate = "380"\n[keymap]\n"sign-out" = "f12"\n',
                      encoding="utf-8")
    answers = iter([store_url, "", "D9", "", "", "none"])  # Enter keeps the old name; no printer

    class Scripted:
        said: list[str] = []

        def ask(self, prompt):
            return next(answers)

        def secret(self, prompt):
            raise AssertionError("no PIN is asked: the shop has staff")

        def say(self, text):
            self.said.append(text)

    console = Scripted()
    assert firstrun.run(console, load_settings(config, env={}), config) == 0
    settings = load_settings(config, env={})
    assert (settings.shop_name, settings.dealer_code, settings.labour_rate, settings.keymap) == (
        "Old name", "D9", "380", {"sign-out": "f12"})
    assert any("has staff already" in line for line in console.said)
    assert not settings.printers


@pytest.mark.parametrize("parse, bad, words", [
    (firstrun.dealer_code, "", "Dealer code is required"),
    (firstrun.dealer_code, "D1\x00; rm", "letters, digits and '-'"),
    (firstrun.dealer_code, "经销商", "letters, digits and '-'"),
    (firstrun.region, "N1", "2 or 3 letters"),
    (firstrun.tag_prefix, "W1", "1 to 4 letters"),
    (firstrun.tag_prefix, "\ud800", "Tag prefix is required"),
    (firstrun.shop_name, "x" * 81, "too long"),
])
def test_bad_answers_are_refused_with_what_is_wanted(parse, bad, words):
    with pytest.raises(InvalidInput, match=re.escape(words)):
        parse(bad)


def test_the_settings_file_round_trips_chinese_quotes_and_tables(tmp_path):
    values = {"shop_name": '河边 "Riverside" \\ Motors', "idle_signout_seconds": 90, "floor_terminal": False,
              "printers": {"bay labels": {"backend": "cups", "queue": "Zebra", "dpi": 203,
                                          "options": {"darkness": "20"}}}}
    path = tmp_path / "k.toml"
    settings = firstrun.write_settings(path, values)
    assert settings.shop_name == values["shop_name"] and settings.floor_terminal is False
    assert settings.printers == values["printers"]


def test_cups_queues_are_listed_with_their_devices(cups):  # noqa: F811
    from kiosk.printers import CupsQueue, cups_queues

    assert CupsQueue(cups, "cups-pdf:/kiosk") in cups_queues()


def test_a_printer_test_on_a_missing_queue_says_so_and_records_nothing(staff, settings):
    from dataclasses import replace

    from kiosk.errors import NotAllowed
    from kiosk.printers import print_test_label

    broken = replace(settings, printers={"labels": {"backend": "cups", "queue": "no-such-queue-here",
                                                    "stock": "2x1in", "dpi": 203}})
    with pytest.raises(InvalidInput, match="The test label did not print on labels: .*no-such-queue-here"):
        print_test_label(staff["manager"], broken)
    with pytest.raises(NotAllowed, match="printer.test"):
        print_test_label(staff["technician"], settings)
    with pytest.raises(InvalidInput, match="No printer named 'zebra'"):
        print_test_label(staff["manager"], settings, "zebra")
    assert AuditEvent.select().where(AuditEvent.action == "printer.test").count() == 0
    done = print_test_label(staff["manager"], settings)
    assert done.code.startswith("TEST-") and Path(done.reference).is_file()
