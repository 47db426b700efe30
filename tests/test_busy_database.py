"""Another terminal holds the database busy: the screen keeps painting and taking keys, says it is waiting, and
the write lands once the other terminal lets go (issue 12, point 10)."""

import asyncio
import sqlite3

import pytest

from kiosk.config import sqlite_file
from kiosk.store.models import ClockEntry

from .factories import make_job_card
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text, wait_until

pytestmark = pytest.mark.usefixtures("patient_database")


@pytest.fixture
def floor(floor_staff):
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    return {"job": job, **floor_staff}


async def test_a_clock_on_waits_for_a_busy_database_without_freezing_the_screen(floor, settings):
    tech, job = floor["technician"], floor["job"]
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        await type_text(pilot, f"RO{job.id:06d}")
        await pilot.press("enter")
        await settle(pilot)
        assert f"RO{job.id:06d}" in screen_text(app)

        # Another terminal's long write: it holds SQLite's write lock.
        other = sqlite3.connect(sqlite_file(settings.db_url), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("f2")  # clock on: the write waits for the lock, in the writer thread
            await wait_until(pilot, lambda: "waiting for the database" in screen_text(app),
                             "the screen to say it waits")
            # The event loop is free: what the technician types meanwhile lands in the scan field.
            await type_text(pilot, "VW12")
            assert "VW12" in screen_text(app)
            assert ClockEntry.select().count() == 0
            await asyncio.sleep(0.5)
        finally:
            other.execute("ROLLBACK")
            other.close()
        await settle(pilot)
        text = screen_text(app)
        assert "Clocked on line 1" in text and "waiting for the database" not in text
        assert ClockEntry.select().where(ClockEntry.technician == tech.employee_id).count() == 1
