"""The stockroom's screens as people use them: goods in (Pilot, and 50 scans at scanner speed through tmux), the
manager's stock count, and the printer test from the Staff screen."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from kiosk import parts
from kiosk.config import sqlite_file
from kiosk.screens.home import screens_for
from kiosk.store.models import AuditEvent, Part, StockMovement

from .factories import make_bin_a01
from .labels.conftest import read_barcodes
from .tmux import TmuxSession
from .ui import SIZE, badge_of, kiosk_app, screen_as_one_line, screen_text, settle, sign_in, type_text, wait_until

PART_NUMBERS = ["VW000123", "9912345678", "VW000777", "BOSCH-1"]


@pytest.fixture
def stockroom(floor_staff):
    make_bin_a01()
    return floor_staff


def on_hand(number: str) -> int:
    return Part.get(Part.part_number == number).on_hand


def received() -> list[tuple[str, int, str]]:
    return [(m.part.part_number, m.quantity, m.reason) for m in
            StockMovement.select().where(StockMovement.kind == "receive").order_by(StockMovement.id)]


async def scan(pilot, code: str) -> None:
    await type_text(pilot, code)
    await pilot.press("enter")


async def answer(pilot, text: str) -> str:
    """Type into what has focus (a dialog's field), Enter, and read the screen once it settles."""
    await scan(pilot, text)
    await settle(pilot)
    return screen_text(pilot.app)


async def key(pilot, name: str) -> str:
    await pilot.press(name)
    await settle(pilot)
    return screen_text(pilot.app)


def test_goods_in_and_stock_count_are_in_the_command_palette_of_who_may_use_them():
    assert "Goods in" in [title for title, _, _ in screens_for("parts_clerk")]
    assert "Stock count" in [title for title, _, _ in screens_for("manager")]
    assert "Stock count" not in [title for title, _, _ in screens_for("parts_clerk")]
    assert "Goods in" not in [title for title, _, _ in screens_for("technician")]


async def test_a_clerk_receives_a_delivery_by_scanning(stockroom, settings):
    app = kiosk_app(settings)
    bells = []
    async with app.run_test(size=SIZE) as pilot:
        app.bell = lambda: bells.append(1)
        await settle(pilot)
        await sign_in(pilot, badge_of(stockroom["parts_clerk"]))
        assert "f8 Goods in" in screen_text(app)
        assert "delivery-note number" in await key(pilot, "f8")
        assert "Delivery note is required" in await key(pilot, "enter")
        await answer(pilot, "DN-4471")
        for code in ("vw000123", "VW000123", "9912345678"):
            await scan(pilot, code)
        await key(pilot, "f3")
        assert "Next scan: 12" in await answer(pilot, "12")
        await scan(pilot, "VW000777")
        await scan(pilot, "NO-SUCH-PART")
        assert "Next scan: takes back 1" in await key(pilot, "f4")
        text = await answer(pilot, "VW000123")  # one scanned twice by mistake
        assert "VW000777 Wiper blade +12 → 12 on hand (bin A-01)" in text
        assert "Unknown part number NO-SUCH-PART" in text
        assert "VW000123 Front brake pad set 前刹车片 taken back -1 → 11 on hand" in text
        assert "Delivery note: DN-4471   Next scan: 1   Received: 14 in 5 scan(s)" in text
        assert "f2 Delivery note" in text and "f3 Quantity" in text and "f4 Take back" in text
    assert len(bells) == 2  # the empty delivery note and the unknown part
    assert received() == [("VW000123", 1, "delivery note DN-4471"), ("VW000123", 1, "delivery note DN-4471"),
                          ("9912345678", 1, "delivery note DN-4471"), ("VW000777", 12, "delivery note DN-4471"),
                          ("VW000123", -1, "delivery note DN-4471")]
    assert parts.check_stock() == []


@pytest.mark.skipif(not shutil.which("tmux") or not shutil.which("kiosk"),
                    reason="needs tmux and the installed `kiosk` command")
@pytest.mark.tmux
def test_fifty_parts_scanned_at_scanner_speed_are_all_received_once(stockroom, sqlite_url):
    codes = [PART_NUMBERS[i % 3] for i in range(50)]
    session = TmuxSession(f"{shutil.which('kiosk')} --db {sqlite_url} --terminal parts-counter",
                          env={"XDG_CONFIG_HOME": os.path.dirname(sqlite_url.split(':///')[1])})
    try:
        session.sign_in(badge_of(stockroom["parts_clerk"]), "Warranty-parts room")
        session.send("F8")
        session.wait_for("delivery-note number")
        session.send("DN-50", "Enter")
        session.wait_for("Delivery note: DN-50")
        for code in codes:
            session.scan(code)
        session.wait_for("Received: 50 in 50 scan(s)", timeout=120)
        screen = session.screen()
    finally:
        session.close()
    assert "✗" not in screen
    got = received()
    assert Counter(number for number, _, _ in got) == Counter(codes)
    assert {(quantity, reason) for _, quantity, reason in got} == {(1, "delivery note DN-50")}
    assert (on_hand("VW000123"), on_hand("9912345678"), on_hand("VW000777")) == (10 + 17, 4 + 17, 16)
    assert parts.check_stock() == []


async def test_a_manager_counts_a_bin_and_posts_the_differences(stockroom, settings):
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(stockroom["manager"]))
        assert "Which bin?" in await key(pilot, "f4")
        assert "No part in the catalogue has bin Z-99" in await answer(pilot, "Z-99")
        await pilot.press("ctrl+u")
        assert "Counting bin A-01: 3 part number(s) belong there." in await answer(pilot, "a-01")
        for _ in range(8):
            await scan(pilot, "VW000123")
        assert "BOSCH-1 belongs in bin B-07, not A-01" in await answer(pilot, "BOSCH-1")
        await key(pilot, "f3")
        await answer(pilot, "4")
        text = await answer(pilot, "9912345678")
        assert "VW000123" in text and "-2" in text and "9912345678: counted 4, on hand 4." in text
        assert "Post the count of bin A-01: 1 difference(s) (VW000123 -2)." in await key(pilot, "f10")
        assert "Bin A-01 counted: 1 correction(s) posted (VW000123 -2)." in await answer(pilot, "monthly count")
    assert on_hand("VW000123") == 8 and on_hand("VW000777") == 0 and parts.check_stock() == []


async def test_the_printer_test_pressed_again_while_it_prints_prints_one_label(floor_staff, settings,
                                                                              patient_database):
    folder = Path(settings.printers["labels"]["path"])
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["manager"]))
        # Another terminal's long write: the label is drawn and sent, and its record waits for the lock.
        other = sqlite3.connect(sqlite_file(settings.db_url), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("f5")
            await wait_until(pilot, lambda: list(folder.glob("*.png")), "the first label")
            await pilot.press("f5")  # the manager, seeing nothing yet, presses again
            assert "The test label is still printing." in screen_text(app)
        finally:
            other.execute("ROLLBACK")
            other.close()
        await settle(pilot)
        await wait_until(pilot, lambda: "the scanner should read" in screen_as_one_line(app),
                         "the first label's answer")
    assert len(list(folder.glob("*.png"))) == 1
    assert AuditEvent.select().where(AuditEvent.action == "printer.test").count() == 1


async def test_the_printer_test_from_the_staff_screen_prints_a_label_that_scans(floor_staff, settings):
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["manager"]))
        assert "Printer test" in screen_text(app)
        await pilot.press("f5")
        await settle(pilot)
        # the message wraps where it wraps (the label file's path is longer under xdist): read it as one line
        await wait_until(pilot, lambda: "the scanner should read" in screen_as_one_line(app), "the label's answer")
        text = screen_as_one_line(app)
    assert "Test label sent to labels" in text
    code = text.split("the scanner should read ")[1].split(".")[0].strip()
    [png] = Path(settings.printers["labels"]["path"]).glob("*.png")
    assert read_barcodes(Image.open(png)) == [code]
