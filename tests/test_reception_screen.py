"""Reception at 80x24 as an advisor types: the cursor stays in the search until they move, what matched is
named, a re-search never opens a card; the new-card dialog keeps every value typed through its errors; a
European VIN goes on file with a reason. Pilot first, then a real terminal (tmux) typing with no waits."""

import datetime as dt
import os
import shutil
import subprocess
import time

import pytest

from kiosk.store.models import AuditEvent, JobCard, Vehicle

from .conftest import add_employee
from .desk import customer_with_vehicle, open_card
from .test_advisor_screens import advisor_at_desk, enter_text, footer_fits, press
from .tmux import TmuxSession
from .ui import screen_text, type_text

# A promised time always ahead of the test run (a fixed date would fall into the past).
TOMORROW = dt.date.today() + dt.timedelta(days=1)
EUROPEAN = "WVWZZZ1JZXW000001"  # no check digit at position 9


async def test_the_cursor_stays_in_the_search_until_the_advisor_moves(floor_staff, settings):
    advisor = floor_staff["advisor"]
    customer_with_vehicle(advisor, plate="沪A12345", mileage=42000)
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        await press(pilot, "f2")
        await enter_text(pilot, "沪a 123")
        text = screen_text(app)
        assert "Found by plate: 沪a 123" in text and "王小明" in text
        assert app.focused.id == "find" and "tab Results" in text and "moves into the results" in text
        await enter_text(pilot, "")  # Enter in the search searches again: no card opens
        assert app.focused.id == "find" and JobCard.select().count() == 0 and "New job card" not in screen_text(app)

        await press(pilot, "down")
        text = screen_text(app)
        assert app.focused.id == "found" and "Results: Enter opens a job card" in text
        assert "shift+tab Search" in text and "tab Results" not in text and footer_fits(app)
        await press(pilot, "shift+tab")
        assert app.focused.id == "find" and "tab Results" in screen_text(app)

        await press(pilot, "tab")  # into the results again, and typing there starts a new search
        await type_text(pilot, "13800")
        await press(pilot, "enter")
        text = screen_text(app)
        assert app.focused.id == "find" and app.screen.query_one("#find").value == "13800"
        assert "Found by phone number: 13800" in text and "New job card" not in text
        assert JobCard.select().count() == 0


@pytest.mark.parametrize("typed, said", [
    ("8000", "Found by the last digits of a phone: 8000"),
    ("0013 8000", "Found by the last digits of a phone: 0013 8000"),
    ("138", "Found by phone number: 138"),
    ("100000", "Found by the last characters of a VIN: 100000"),  # digits no phone has: the VIN's serial
    ("王", "Found by name: 王"),
    ("李雷", "Nobody found: 李雷"),
])
async def test_the_line_above_the_results_names_what_matched(floor_staff, settings, typed, said):
    advisor = floor_staff["advisor"]
    customer_with_vehicle(advisor, phone="138 0013 8000", vin="LSVAU2183N2100000")
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        await press(pilot, "f2")
        await enter_text(pilot, typed)
        assert said in screen_text(app)


async def test_the_promised_time_survives_a_mileage_error_and_a_duplicate_warning(floor_staff, settings):
    """The sequence of RO000042: mileage below the last reading, then the second-open-card warning, then F10."""
    advisor = floor_staff["advisor"]
    customer_vehicle = customer_with_vehicle(advisor, plate="沪A12345", mileage=42000)
    first = open_card(advisor, customer_vehicle=customer_vehicle)
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        await press(pilot, "f2")
        await enter_text(pilot, "沪A12345")
        await press(pilot, "down", "enter")
        assert "already has an open job card" in screen_text(app)
        await enter_text(pilot, "41000")
        await enter_text(pilot, f"{TOMORROW} 17:30")
        await type_text(pilot, "Brake noise")
        await press(pilot, "f10")
        assert "below the 42,000 recorded last time" in screen_text(app)
        assert app.focused.id == "card-reason"
        await press(pilot, "shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab")
        assert app.focused.id == "card-promised"  # back in the field: its text is kept, not selected
        await type_text(pilot, "x")
        await press(pilot, "f10")
        assert "Promised time must be a time like 17:30" in screen_text(app)  # refused, never dropped
        await press(pilot, "backspace")
        await press(pilot, "tab", "tab", "tab", "tab", "tab")
        await enter_text(pilot, "Odometer replaced 仪表更换")
        assert "F10 again opens it" in screen_text(app) and JobCard.select().count() == 1
        await press(pilot, "f10")
        card = JobCard.get(JobCard.id != first)
        assert f"{card.promised_at:%Y-%m-%d %H:%M}" == f"{TOMORROW} 17:30"
        assert card.mileage_override_reason == "Odometer replaced 仪表更换" and card.complaint == "Brake noise"
        assert f"due {TOMORROW:%d/%m} 17:30" in screen_text(app)


async def test_a_european_vin_goes_on_file_with_the_advisors_reason(floor_staff, settings):
    advisor = floor_staff["advisor"]
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        await press(pilot, "f2", "f2")  # reception, a new customer
        await enter_text(pilot, "Hans Müller")
        await enter_text(pilot, "+49 170 1234567")
        assert "New vehicle of Hans Müller" in screen_text(app)
        await enter_text(pilot, EUROPEAN)
        await enter_text(pilot, "M-AB 123")
        await enter_text(pilot, "Golf")
        await enter_text(pilot, "1999")
        await enter_text(pilot, "210000")
        text = screen_text(app)
        assert "check digit" in text and "Type the reason" in text and app.focused.id == "vehicle-reason"
        assert not Vehicle.select().exists()
        await press(pilot, "f10")  # still no reason: still refused
        assert not Vehicle.select().exists()
        await enter_text(pilot, "European VIN, no check digit")
        vehicle = Vehicle.get()
        assert (vehicle.vin, vehicle.vin_override_reason) == (EUROPEAN, "European VIN, no check digit")
        assert "last recorded 210,000 km" in screen_text(app)  # on to the new card
        event = AuditEvent.get(AuditEvent.action == "vehicle.create")
        assert "European VIN, no check digit" in event.detail


# ---- through a real terminal, typing with no waits ------------------------------------------------------------

needs_tmux = pytest.mark.skipif(not shutil.which("tmux") or not shutil.which("kiosk"),
                                reason="needs tmux and the installed `kiosk` command")


def _typed(session, *parts: str) -> None:
    """Keys as a fast typist sends them: text literally, names (Enter, Tab, F10...) as keys, no waits."""
    for part in parts:
        if part in ("Enter", "Tab", "BTab", "Down", "F10", "F11", "F2", "F3"):
            session.send(part)
        else:
            subprocess.run(["tmux", "send-keys", "-t", session.name, "-l", part], check=True)


@pytest.fixture
def desk_terminal(sqlite_url):
    advisor = add_employee("advisor", badge="A301")
    customer_vehicle = customer_with_vehicle(advisor, plate="沪A12345", mileage=42000)
    first = open_card(advisor, customer_vehicle=customer_vehicle)
    session = TmuxSession(f"{shutil.which('kiosk')} --db {sqlite_url} --terminal desk",
                          env={"XDG_CONFIG_HOME": os.path.dirname(sqlite_url.split(':///')[1])})
    try:
        session.wait_for("Scan your badge")
        session.send("A301", "Enter")
        session.wait_for("type your PIN")
        time.sleep(0.3)  # the sign-in's own type-ahead is another matter
        session.send("1234", "Enter")
        session.wait_for("Job-card board")
        yield session, first
    finally:
        session.close()


@needs_tmux
@pytest.mark.tmux
def test_a_fast_typist_searches_again_from_the_results_and_opens_the_card_with_every_value(desk_terminal):
    session, first = desk_terminal
    session.send("F2")
    session.wait_for("Reception:")
    _typed(session, "8000", "Enter")
    session.wait_for("Found by the last digits of a phone: 8000")
    _typed(session, "Down", "沪A12345", "Enter")  # into the results, then straight into a new search
    session.wait_for("Found by plate: 沪A12345")
    assert "New job card" not in session.screen()
    _typed(session, "Tab", "Enter")
    session.wait_for("last recorded 42,000 km")
    _typed(session, "41000", "Enter", f"{TOMORROW} 17:30", "Enter", "Brake noise", "F10")
    session.wait_for("below the 42,000")  # a person reads the error before typing the reason
    _typed(session, "Odometer replaced", "Enter")
    session.wait_for("F10 again opens it")
    _typed(session, "F10")
    session.wait_for(f"due {TOMORROW:%d/%m} 17:30")
    card = JobCard.get(JobCard.id != first)
    assert (card.mileage_in, card.complaint, card.mileage_override_reason) == (41000, "Brake noise",
                                                                               "Odometer replaced")


@needs_tmux
@pytest.mark.tmux
def test_a_search_its_tab_and_enter_and_the_mileage_typed_before_the_results_show_open_that_card(desk_terminal):
    """The advisor knows the plate and types on without waiting: the Tab and Enter are for the results the
    search is still reading, the mileage for the new card's dialog."""
    session, first = desk_terminal
    session.send("F2")
    session.wait_for("Reception:")
    _typed(session, "沪A12345", "Enter", "Tab", "Enter", "43000")
    session.wait_for("last recorded 42,000 km")
    session.wait_for("43000")  # in the dialog's mileage field
    _typed(session, "Enter", f"{TOMORROW} 17:30", "Enter", "Brake noise", "F10")
    session.wait_for("F10 again opens it")  # the vehicle has an open card already
    _typed(session, "F10")
    session.wait_for(f"due {TOMORROW:%d/%m} 17:30")
    assert JobCard.get(JobCard.id != first).mileage_in == 43000


@needs_tmux
@pytest.mark.tmux
def test_a_european_vin_typed_fast_in_a_real_terminal(desk_terminal):
    session, _ = desk_terminal
    session.send("F2")
    session.wait_for("Reception:")
    _typed(session, "F2")
    session.wait_for("New customer")
    _typed(session, "Hans Müller", "Enter", "+49 170 1234567", "Enter")
    session.wait_for("New vehicle of Hans Müller")
    _typed(session, EUROPEAN, "Enter", "M-AB 123", "Enter", "Golf", "Enter", "1999", "Enter", "210000", "Enter")
    session.wait_for("Type the reason")
    _typed(session, "European VIN", "Enter")
    session.wait_for("last recorded 210,000 km")
    vehicle = Vehicle.get(Vehicle.vin == EUROPEAN)
    assert (vehicle.plate, vehicle.model, vehicle.model_year, vehicle.last_mileage, vehicle.vin_override_reason) == (
        "M-AB 123", "Golf", 1999, 210000, "European VIN")


@needs_tmux
@pytest.mark.tmux
def test_the_whole_new_card_typed_in_one_burst_at_a_busy_database_lands_field_by_field(desk_terminal, sqlite_url):
    """From the results on, every key in one burst (Enter opens the dialog as it arrives, so the mileage typed
    next is the dialog's), F10 while another terminal holds the database, and F11 typed straight on: the card
    opens with every value once the database is free, and the F11 opens its edit dialog."""
    import sqlite3

    from kiosk.config import sqlite_file

    session, first = desk_terminal
    advisor = add_employee("advisor")
    add_employee("technician", badge="T501")
    customer_with_vehicle(advisor, name="李雷", phone="139 0000 1111", plate="沪B77777", mileage=42000)
    session.send("F2")
    session.wait_for("Reception:")
    _typed(session, "沪B77777", "Enter")
    session.wait_for("Found by plate: 沪B77777")  # a person reads the results before picking one
    other = sqlite3.connect(sqlite_file(sqlite_url), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        _typed(session, "Tab", "Enter", "42100", "Enter", f"{TOMORROW} 17:30", "Enter", "Brake noise 刹车异响",
               "Tab", "Tab", "BR1001", "Tab", "T501", "Enter", "F11")
        session.wait_for("Saving… waiting for the database.")
        assert "New job card" in session.screen()
        time.sleep(0.5)
    finally:
        other.execute("ROLLBACK")
        other.close()
    session.wait_for("Edit RO")
    card = JobCard.get(JobCard.id != first)
    assert (card.mileage_in, card.complaint, f"{card.promised_at:%Y-%m-%d %H:%M}") == (
        42100, "Brake noise 刹车异响", f"{TOMORROW} 17:30")
    line = card.lines.get()
    assert (line.labour_operation, line.technician.badge, line.complaint) == ("BR1001", "T501", "Brake noise 刹车异响")
