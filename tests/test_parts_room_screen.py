"""The parts clerk scans tagged parts in at scanner speed: every scan recorded once, messages in place."""

import os
import shutil

import pytest
from textual import events

from kiosk.store.models import TagEvent, WarrantyTag

from .factories import make_job_card, make_tag
from .tmux import TmuxSession
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text


def tagged_parts(technician_id: int, count: int) -> list[str]:
    job = make_job_card(technician_id)
    return [make_tag(job, technician_id).tag_number for _ in range(count)]


def burst(app, code: str) -> None:
    """A wedge scanner: the code's keys and Enter, back to back, whatever has focus."""
    for ch in code:
        app.post_message(events.Key(ch, ch))
    app.post_message(events.Key("enter", "\r"))


def held_once(numbers: list[str]) -> bool:
    held = (TagEvent.select(WarrantyTag.tag_number).join(WarrantyTag)
            .where(TagEvent.status == "held").tuples())
    seen = [n for (n,) in held]
    return sorted(seen) == sorted(numbers)


async def test_three_hundred_scans_in_bursts_are_all_held_once(floor_staff, settings):
    numbers = tagged_parts(floor_staff["technician"].employee_id, 300)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["parts_clerk"]))
        assert "Warranty-parts room" in screen_text(app)
        app.screen.query_one("#not-scanned").focus()  # focus elsewhere: scans still land in the scan field
        for number in numbers:
            burst(app, number)
        await settle(pilot)
        text = screen_text(app)
        assert "Scanned in this session: 300" in text
    assert held_once(numbers)
    assert WarrantyTag.select().where(WarrantyTag.status == "held").count() == 300


async def test_shelf_labels_duplicates_and_garbage_get_one_line_each(floor_staff, settings):
    numbers = tagged_parts(floor_staff["technician"].employee_id, 2)
    app = kiosk_app(settings)
    bells = []
    async with app.run_test(size=SIZE) as pilot:
        app.bell = lambda: bells.append(1)
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["parts_clerk"]))
        expected = [("LOC-A7", "Shelf A7: the next parts go there."),
                    (numbers[0], f"{numbers[0]} held at shelf A7"),
                    (numbers[0], f"{numbers[0]} is already held at shelf A7 since"),
                    ("VW000123-not-a-tag", "is not a warranty tag or shelf label"),
                    ("\x07\x1b", None),  # control characters alone: no scan at all
                    (numbers[1], f"{numbers[1]} held at shelf A7")]
        for code, message in expected:
            await type_text(pilot, code)
            await pilot.press("enter")
            await settle(pilot)
            if message:
                assert message in screen_text(app)
        assert "Scanned in this session: 2" in screen_text(app)
    assert len(bells) == 2
    assert WarrantyTag.get(WarrantyTag.tag_number == numbers[1]).location == "A7"


async def test_the_end_of_day_list_shows_parts_not_yet_scanned_in(floor_staff, settings):
    numbers = tagged_parts(floor_staff["technician"].employee_id, 3)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["parts_clerk"]))
        text = screen_text(app)
        assert all(n in text for n in numbers) and floor_staff["technician"].name[:16] in text
        await type_text(pilot, numbers[0])
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        shown = screen_text(app).split("end of day")[-1]
        assert numbers[0] not in shown and numbers[1] in shown


@pytest.mark.tmux
@pytest.mark.skipif(not shutil.which("tmux") or not shutil.which("kiosk"),
                    reason="needs tmux and the installed `kiosk` command")
def test_three_hundred_scans_at_scanner_speed_through_a_real_terminal(floor_staff, sqlite_url):
    numbers = tagged_parts(floor_staff["technician"].employee_id, 300)
    session = TmuxSession(f"{shutil.which('kiosk')} --db {sqlite_url} --terminal parts-room",
                          env={"XDG_CONFIG_HOME": os.path.dirname(sqlite_url.split(':///')[1])})
    try:
        session.sign_in(badge_of(floor_staff["parts_clerk"]), "Warranty-parts room")
        session.type_like_a_scanner(numbers)  # one key at a time, a few milliseconds apart, like a wedge scanner
        session.wait_for("Scanned in this session: 300", timeout=120)
    finally:
        session.close()
    assert held_once(numbers)
