"""The floor's, the parts room's and the manager's writes while another terminal holds the database busy: each
screen says it is waiting, keeps taking keys and scans, and the write lands once, after the other terminal lets go
(issue 12, point 10)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3

import pytest

from kiosk import claims, clocking, holding, returns
from kiosk.config import Settings, sqlite_file
from kiosk.store.models import AuditEvent, ClockEntry, Employee, Part, StockMovement, TagEvent, WarrantyTag

from .factories import make_bin_a01, make_job_card, make_part, make_tag
from .tmux import TmuxSession
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text, wait_until

WAITING = "waiting for the database"


pytestmark = pytest.mark.usefixtures("patient_database")


@contextlib.contextmanager
def another_terminal_writing(settings):
    """Another terminal's long write: it holds SQLite's write lock until the block ends."""
    other = sqlite3.connect(sqlite_file(settings.db_url), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def waits(pilot) -> None:
    await wait_until(pilot, lambda: WAITING in screen_text(pilot.app), "the screen to say it waits")


async def press_while_busy(pilot, settings, *keys: str, unwritten=lambda: True, typed: str = "") -> None:
    """Press keys while another terminal holds the database: the screen says it waits, takes what is typed
    meanwhile, and writes nothing (unwritten() holds); then the other terminal lets go and the write lands."""
    with another_terminal_writing(settings):
        await pilot.press(*keys)
        await waits(pilot)
        if typed:
            await type_text(pilot, typed)
        assert unwritten()
    await settle(pilot)


def events(action: str) -> int:
    return AuditEvent.select().where(AuditEvent.action == action).count()


@contextlib.asynccontextmanager
async def signed_in(settings, actor, screen=None):
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(actor))
        if screen is not None:
            app.push_screen(screen)
            await settle(pilot)
        yield app, pilot


async def test_issuing_a_part_with_enter_pressed_twice_waits_and_issues_once(floor_staff, settings):
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    make_part("VW000123", on_hand=10)
    async with signed_in(settings, tech) as (app, pilot):
        await pilot.press("enter")  # open the job
        await settle(pilot)
        await type_text(pilot, "VW000123")
        await pilot.press("enter")  # the scan opens the issue dialog
        await settle(pilot)
        assert "Issue VW000123" in screen_text(app)
        # Quantity 1, Enter twice; what is typed meanwhile is held for the job card's scan field.
        await press_while_busy(pilot, settings, "enter", "enter", typed="VW12", unwritten=lambda: StockMovement.select()
                               .where(StockMovement.kind == "issue").count() == 0)
        text = screen_text(app)
        assert "Issued 1 × VW000123; 9 left in stock." in text and WAITING not in text
        assert "VW12" in text  # what was typed meanwhile reached the job card's scan field
    assert Part.get(Part.part_number == "VW000123").on_hand == 9
    assert StockMovement.select().where(StockMovement.kind == "issue").count() == 1
    assert job.id


async def test_clock_off_on_my_jobs_waits_and_the_scan_field_keeps_taking_keys(floor_staff, settings):
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    clocking.clock_on(tech, job.lines.get().id)
    async with signed_in(settings, tech) as (app, pilot):
        # Clock off, pressed twice; the scan field shows what is typed while the write waits.
        await press_while_busy(pilot, settings, "f5", "f5", typed="RO00", unwritten=lambda: "RO00" in screen_text(app)
                               and ClockEntry.get().stopped_at is None)
        text = screen_text(app)
        assert "Clocked off after" in text and "No clock is running" not in text
    assert ClockEntry.get().stopped_at is not None
    assert events("clock.on_off") == 2  # the clock-on before, and one clock-off


@pytest.fixture
def room(floor_staff):
    """Three held parts and a return request naming them."""
    tech, clerk = floor_staff["technician"].employee_id, floor_staff["parts_clerk"]
    job = make_job_card(tech)
    make_part("VW000123")
    tags = [make_tag(job, tech) for _ in range(3)]
    for tag in tags:
        holding.scan_in(clerk, tag.tag_number, Settings(terminal="parts-room"))
    returns.enter_request(clerk, "R-1", "VW", None, [returns.RequestItem("tag", t.tag_number) for t in tags])
    return {"tags": [t.tag_number for t in tags], **floor_staff}


async def test_a_box_takes_every_scan_while_the_database_is_busy_and_packs_each_once_in_order(room, settings):
    from kiosk.screens.returns import BoxScreen

    tags = room["tags"]
    async with signed_in(settings, room["parts_clerk"], BoxScreen()) as (app, pilot):
        await type_text(pilot, "R-1")
        await pilot.press("enter")
        await settle(pilot)
        assert "is open: scan the parts" in screen_text(app)
        with another_terminal_writing(settings):
            for tag in reversed(tags):  # scanned in the order they come out of the shelf
                await type_text(pilot, tag)
                await pilot.press("enter")
            await waits(pilot)
            await type_text(pilot, "W1")
            assert "W1" in screen_text(app)  # the scan field still takes keys
            assert WarrantyTag.select().where(WarrantyTag.status == "packed").count() == 0
        await pilot.press("ctrl+u")
        await settle(pilot)
        text = screen_text(app)
        assert WAITING not in text and all(tag in text for tag in tags)
    packed = (TagEvent.select(TagEvent, WarrantyTag).join(WarrantyTag).where(TagEvent.status == "packed")
              .order_by(TagEvent.id))
    assert [e.tag.tag_number for e in packed] == list(reversed(tags))
    assert WarrantyTag.select().where(WarrantyTag.status == "packed").count() == 3


async def test_the_floor_tools_close_a_forgotten_clock_once_the_database_lets_go(floor_staff, settings):
    from kiosk.screens.floor import FloorToolsScreen

    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    clocking.clock_on(tech, job.lines.get().id)
    started = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(hours=3)
    ClockEntry.update(started_at=started).execute()
    stop = started + dt.timedelta(hours=1)
    async with signed_in(settings, floor_staff["advisor"], FloorToolsScreen()) as (app, pilot):
        await pilot.press("f3")
        await settle(pilot)
        await type_text(pilot, f"{stop:%H:%M}")
        await press_while_busy(pilot, settings, "enter", "enter", unwritten=lambda: ClockEntry.get().stopped_at is None)
        assert "clock closed at" in screen_text(app) and WAITING not in screen_text(app)
    assert ClockEntry.get().stopped_at == stop
    assert events("clock.close_forgotten") == 1


async def test_unlocking_a_badge_pressed_twice_while_busy_unlocks_once(floor_staff, settings):
    locked = floor_staff["technician"]
    Employee.update(locked_until=dt.datetime.now() + dt.timedelta(minutes=15)).where(
        Employee.id == locked.employee_id).execute()
    async with signed_in(settings, floor_staff["manager"]) as (app, pilot):
        table = app.screen.query_one("#staff")
        table.move_cursor(row=table.keys.index(badge_of(locked)))
        await settle(pilot)
        before = events("employee.manage")
        await press_while_busy(pilot, settings, "f3", "f3")
        assert f"Badge {badge_of(locked)} unlocked." in screen_text(app)
    assert events("employee.manage") == before + 1
    employee = Employee.get_by_id(locked.employee_id)
    assert employee.locked_until is None or employee.locked_until <= dt.datetime.now()


async def test_a_stock_count_is_posted_once_the_database_lets_go(floor_staff, settings):
    from kiosk.screens.stock_count import StockCountScreen

    make_bin_a01()
    async with signed_in(settings, floor_staff["manager"], StockCountScreen()) as (app, pilot):
        await type_text(pilot, "A-01")
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(3):
            await type_text(pilot, "VW000123")
            await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await type_text(pilot, "monthly count")
        await press_while_busy(pilot, settings, "enter", "enter",
                               unwritten=lambda: Part.get(Part.part_number == "VW000123").on_hand == 10)
        assert "Bin A-01 posted" in screen_text(app)
    assert Part.get(Part.part_number == "VW000123").on_hand == 3
    assert events("stock.count") == 1


async def test_a_part_past_retention_is_scrapped_once_the_database_lets_go(floor_staff, settings):
    from kiosk.screens.held import MayScrapScreen

    tech, clerk = floor_staff["technician"].employee_id, floor_staff["parts_clerk"]
    tag = make_tag(make_job_card(tech), tech).tag_number
    holding.scan_in(clerk, tag, Settings(terminal="parts-room"))
    claims.record_claim(clerk, claims.Claim(tag, "C-1", "paid", dt.date.today() - dt.timedelta(days=400)), settings)
    async with signed_in(settings, clerk, MayScrapScreen()) as (app, pilot):
        assert tag in screen_text(app)
        await pilot.press("f8")
        await settle(pilot)
        await type_text(pilot, "REL-9")
        await press_while_busy(pilot, settings, "enter",
                               unwritten=lambda: WarrantyTag.get(WarrantyTag.tag_number == tag).status == "held")
        assert f"{tag} scrapped." in screen_text(app)
    assert WarrantyTag.get(WarrantyTag.tag_number == tag).status == "scrapped"


async def test_a_tag_is_voided_on_the_labels_screen_once_the_database_lets_go(floor_staff, settings):
    from kiosk.screens.print_queue import PrintQueueScreen

    tech = floor_staff["technician"].employee_id
    tag = make_tag(make_job_card(tech), tech).tag_number
    async with signed_in(settings, floor_staff["advisor"], PrintQueueScreen()) as (app, pilot):
        await pilot.press("f8")
        await settle(pilot)
        await type_text(pilot, f"{tag} made twice")
        await press_while_busy(pilot, settings, "enter",
                               unwritten=lambda: WarrantyTag.get(WarrantyTag.tag_number == tag).status == "tagged")
        assert f"Tag {tag} is void" in screen_text(app)
    assert WarrantyTag.get(WarrantyTag.tag_number == tag).status == "void"


async def test_a_warranty_part_is_tagged_once_the_database_lets_go(floor_staff, settings):
    tech = floor_staff["technician"]
    make_job_card(tech.employee_id, payers=("warranty",))
    make_part("VW000555", "Water pump 水泵")
    async with signed_in(settings, tech) as (app, pilot):
        await pilot.press("enter")  # open the job
        await settle(pilot)
        await pilot.press("f6")  # the old part that came off
        await settle(pilot)
        await type_text(pilot, "VW000555")
        await pilot.press("enter", "tab", "space", "shift+tab", "enter")  # causal, quantity 1
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert "No warranty warnings" in screen_text(app)
        await press_while_busy(pilot, settings, "f10", "f10", unwritten=lambda: WarrantyTag.select().count() == 0)
        assert "Tagged W" in screen_text(app) and "(tagged)" in screen_text(app)
    assert WarrantyTag.select().count() == 1 and events("tag.create") == 1


async def test_a_claim_is_saved_once_the_database_lets_go(floor_staff, settings):
    from kiosk.screens.returns import ClaimsScreen

    tech, clerk = floor_staff["technician"].employee_id, floor_staff["parts_clerk"]
    tag = make_tag(make_job_card(tech), tech).tag_number
    holding.scan_in(clerk, tag, Settings(terminal="parts-room"))
    async with signed_in(settings, clerk, ClaimsScreen()) as (app, pilot):
        for text in (tag, "C-77", "paid", dt.date.today().isoformat()):
            await type_text(pilot, text)
            await pilot.press("tab")
        await settle(pilot)
        await press_while_busy(pilot, settings, "f2", "f2", typed="x",  # into the file path field meanwhile
                               unwritten=lambda: WarrantyTag.get(WarrantyTag.tag_number == tag).claim_number == "")
        assert f"Claim C-77 saved; keep {tag}" in screen_text(app)
    assert WarrantyTag.get(WarrantyTag.tag_number == tag).claim_number == "C-77"


async def test_goods_in_scans_still_waiting_when_the_clerk_leaves_are_received_all_the_same(floor_staff, settings):
    from kiosk.screens.parts_room import PartsRoomScreen

    make_bin_a01()
    async with signed_in(settings, floor_staff["parts_clerk"]) as (app, pilot):
        await pilot.press("f8")  # goods in
        await settle(pilot)
        await type_text(pilot, "DN-1")
        await pilot.press("enter")
        await settle(pilot)
        with another_terminal_writing(settings):
            for _ in range(3):
                await type_text(pilot, "VW000123")
                await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen.pending_scans == 3, "the three scans to be taken")
            await pilot.press("escape")  # the clerk walks away before the database is free
            await wait_until(pilot, lambda: isinstance(app.screen, PartsRoomScreen), "the parts room")
            assert received_count() == 0
        await wait_until(pilot, lambda: received_count() == 3, "the three receipts to be written", timeout=60)
    assert Part.get(Part.part_number == "VW000123").on_hand == 13


def received_count() -> int:
    return StockMovement.select().where(StockMovement.kind == "receive").count()


@pytest.mark.skipif(not shutil.which("tmux") or not shutil.which("kiosk"),
                    reason="needs tmux and the installed `kiosk` command")
@pytest.mark.tmux
def test_a_box_takes_scans_at_scanner_speed_through_a_real_terminal_while_the_database_is_busy(room, sqlite_url):
    tags = room["tags"]
    session = TmuxSession(f"{shutil.which('kiosk')} --db {sqlite_url} --terminal parts-room",
                          env={"XDG_CONFIG_HOME": os.path.dirname(sqlite_file(sqlite_url)), "KIOSK_LANGUAGE": "en"})
    try:
        session.sign_in(badge_of(room["parts_clerk"]), "Warranty-parts room")
        session.send("F4")
        session.wait_for("Boxes: type the request number")
        session.send("R-1", "Enter")
        session.wait_for("is open: scan the parts")
        with another_terminal_writing(Settings(db_url=sqlite_url)):
            session.type_like_a_scanner(tags)  # no waits: as fast as a wedge scanner
            session.wait_for(WAITING, timeout=4)  # the kiosk's own busy timeout is 5 s
            assert WarrantyTag.select().where(WarrantyTag.status == "packed").count() == 0
        session.wait_for(f"{tags[-1]} packed", timeout=20)
        session.wait_for(tags[0])
        assert WAITING not in session.screen()
    finally:
        session.close()
    packed = (TagEvent.select(TagEvent, WarrantyTag).join(WarrantyTag).where(TagEvent.status == "packed")
              .order_by(TagEvent.id))
    assert [e.tag.tag_number for e in packed] == tags


async def test_a_return_request_is_saved_once_the_database_lets_go(floor_staff, settings):
    from kiosk.screens.returns import ReturnRequestsScreen

    tech, clerk = floor_staff["technician"].employee_id, floor_staff["parts_clerk"]
    tag = make_tag(make_job_card(tech), tech).tag_number
    holding.scan_in(clerk, tag, Settings(terminal="parts-room"))
    async with signed_in(settings, clerk, ReturnRequestsScreen()) as (app, pilot):
        for text in ("R-9", "VW", ""):
            await type_text(pilot, text)
            await pilot.press("tab")
        await type_text(pilot, tag)
        await settle(pilot)
        await press_while_busy(pilot, settings, "f2", "f2",
                               unwritten=lambda: WarrantyTag.get(WarrantyTag.tag_number == tag).status == "held")
        text = screen_text(app)
        assert "Request R-9 saved: 1 part(s) to pick." in text and tag in text  # and its pick list
    assert WarrantyTag.get(WarrantyTag.tag_number == tag).status == "requested"
    assert events("return_request.enter") == 1


async def test_the_parts_room_takes_scans_while_the_database_is_busy_and_scans_each_in_once_in_order(floor_staff,
                                                                                                      settings):
    tech = floor_staff["technician"].employee_id
    job = make_job_card(tech)
    tags = [make_tag(job, tech).tag_number for _ in range(3)]
    async with signed_in(settings, floor_staff["parts_clerk"]) as (app, pilot):
        with another_terminal_writing(settings):
            for tag in tags:
                await type_text(pilot, tag)
                await pilot.press("enter")
            await waits(pilot)  # on the scan field's border
            await type_text(pilot, "W9")
            assert "W9" in screen_text(app)  # the next scan is being typed meanwhile
            assert WarrantyTag.select().where(WarrantyTag.status == "held").count() == 0
        await pilot.press("ctrl+u")
        await settle(pilot)
        text = screen_text(app)
        assert "3." in text and WAITING not in text
    held = (TagEvent.select(TagEvent, WarrantyTag).join(WarrantyTag).where(TagEvent.status == "held")
            .order_by(TagEvent.id))
    assert [e.tag.tag_number for e in held] == tags
