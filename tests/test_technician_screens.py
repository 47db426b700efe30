"""A technician's walk at the floor terminal, at 80x24, pressing the keys they would press."""

import pytest

from kiosk.store.models import AuditEvent, ClockEntry, JobCard, JobLine, Part, StockMovement

from .factories import make_job_card, make_part
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text


@pytest.fixture
def floor(floor_staff):
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=4)
    make_part("9912345678", "Oil filter 机油滤清器", on_hand=2)
    return {"job": job, "line": job.lines.first(), **floor_staff}


async def scan(pilot, code: str) -> None:
    await type_text(pilot, code)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_technician_works_a_job_from_sign_in_to_done(floor, settings):
    tech, job, line = floor["technician"], floor["job"], floor["line"]
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        text = screen_text(app)
        assert "My jobs" in text and f"RO{job.id:06d}" in text and "clock off" in text

        await scan(pilot, f"RO{job.id:06d}")  # the job card's barcode, whatever has focus
        text = screen_text(app)
        assert f"RO{job.id:06d}" in text and "沪A12345" in text and "刹车异响" in text

        await pilot.press("f2")  # clock on
        await settle(pilot)
        assert "Clocked on line 1" in screen_text(app) and "clock RO" in screen_text(app)

        await scan(pilot, "VW000123")  # a part barcode opens the quantity dialog
        assert "4 on hand in bin A-01" in screen_text(app)
        await pilot.press("backspace")
        await type_text(pilot, "2")
        await pilot.press("enter")
        await settle(pilot)
        assert "Issued 2 × VW000123; 2 left in stock." in screen_text(app)

        await scan(pilot, "9912345678")
        await pilot.press("enter")  # quantity 1
        await settle(pilot)
        assert "Issued 1 × 9912345678" in screen_text(app)

        await pilot.press("f4")  # return one brake pad set: choose it, then quantity 1 and a reason
        await settle(pilot)
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        await pilot.press("tab")
        await pilot.press("enter")  # quantity 1, then the reason
        await type_text(pilot, "one set was enough")
        await pilot.press("enter")
        await settle(pilot)
        assert "Returned 1 × VW000123; 3 now in stock." in screen_text(app), screen_text(app)

        await pilot.press("f5")  # cause and correction
        await settle(pilot)
        await type_text(pilot, "Pads worn to the backing plate")
        await pilot.press("tab")
        await type_text(pilot, "Replaced front pads and oil filter")
        await pilot.press("f10")
        await settle(pilot)
        assert "Cause: Pads worn to the backing plate" in screen_text(app)

        await pilot.press("f7")  # line done, while the clock still runs
        await settle(pilot)
        assert "clock is still running" in screen_text(app)
        await pilot.press("f2")  # clock off
        await settle(pilot)
        assert "Clocked off line 1" in screen_text(app)
        await pilot.press("f7")  # the last line done: the job card is done too
        await settle(pilot)
        assert "is done and waits for the quality check" in screen_text(app)

    assert JobCard.get_by_id(job.id).status == "work_done"
    stored = JobLine.get_by_id(line.id)
    assert (stored.status, stored.cause) == ("done", "Pads worn to the backing plate")
    assert Part.get(Part.part_number == "VW000123").on_hand == 3
    assert Part.get(Part.part_number == "9912345678").on_hand == 1
    moves = [(m.kind, m.quantity) for m in StockMovement.select().where(StockMovement.job_line == line.id)
             .order_by(StockMovement.id)]
    assert moves == [("issue", -2), ("issue", -1), ("return", 1)]
    assert ClockEntry.select().where(ClockEntry.stopped_at.is_null()).count() == 0
    actions = {e.action for e in AuditEvent.select()}
    assert {"clock.on_off", "part.issue", "part.return", "job.record_three_cs", "job.complete_line",
            "job.complete"} <= actions


async def test_bad_input_at_the_floor_gets_a_message_in_place(floor, settings):
    tech, job = floor["technician"], floor["job"]
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        await scan(pilot, "RO999999")
        assert "There is no job card RO999999" in screen_text(app)
        await scan(pilot, "not a job")
        assert "is not a job-card number" in screen_text(app)
        await pilot.press("enter")  # opens the highlighted job
        await settle(pilot)
        await scan(pilot, "NOPE-42")  # unknown part: the catalogue opens with it typed in
        text = screen_text(app)
        assert "Find a part" in text and "NOPE-42" in text
        await pilot.press("escape")
        await settle(pilot)
        await scan(pilot, "VW000123")
        for key in ("backspace", "9", "9", "enter"):
            await pilot.press(key)
        await settle(pilot)
        assert "Only 4 of VW000123 left (bin A-01); cannot issue 99" in screen_text(app)
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "lots")
        await pilot.press("enter")
        await settle(pilot)
        assert "must be a whole number" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert "Scan your badge" in screen_text(app) and f"RO{job.id:06d}" not in screen_text(app)
    assert StockMovement.select().where(StockMovement.kind != "opening").count() == 0


async def test_the_catalogue_search_finds_parts_as_you_type(floor, settings):
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor["technician"]))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await type_text(pilot, "刹车")
        await settle(pilot)
        text = screen_text(app)
        assert "VW000123" in text and "9912345678" not in text
        await pilot.press("enter", "enter")  # to the list, then pick
        await settle(pilot)
        assert "Issue VW000123" in screen_text(app)
