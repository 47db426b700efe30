"""Chinese typed through an input method, through a real terminal (tmux): an IME commits a phrase as one write of
many characters, and a paste arrives bracketed (ESC[200~ ... ESC[201~). Every text field and search takes either
whole, with no waits between keys, and what lands in the database is exactly what was typed. A paste into a scan
field is one scan, taken at once, or refused whole on the field; never half a code left waiting."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time

import pytest

from kiosk.jobs import job_number
from kiosk.store.models import Complaint, CustomerNote, Employee, JobCard, JobLine, StockMovement, WarrantyTag

from .desk import approved_card, customer_with_vehicle
from .factories import make_part, make_tag
from .tmux import TmuxSession
from .ui import badge_of

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(not shutil.which("tmux") or not shutil.which("kiosk"),
                                                  reason="needs tmux and the installed `kiosk` command")]

PHRASE = "刹车异响，左前轮"
PASTED = "更换左前刹车片（原厂）"


@contextlib.contextmanager
def kiosk_in_tmux(sqlite_url: str, terminal: str = "bay-3"):
    """The kiosk in a real terminal of 80x24; its last screen is printed (shown when the test fails)."""
    session = TmuxSession(f"{shutil.which('kiosk')} --db {sqlite_url} --terminal {terminal}",
                          env={"XDG_CONFIG_HOME": os.path.dirname(sqlite_url.split(':///')[1])})
    try:
        yield session
    finally:
        print(session.screen())
        session.close()


def keys(session: TmuxSession, *names: str) -> None:
    """Keys in one write to the terminal, no wait."""
    subprocess.run(["tmux", "send-keys", "-t", session.name, *names], check=True)


def ime(session: TmuxSession, text: str) -> None:
    """What an input method commits: the whole phrase in one write."""
    subprocess.run(["tmux", "send-keys", "-t", session.name, "-l", text], check=True)


def paste(session: TmuxSession, text: str) -> None:
    """A terminal's paste: the text between the bracketed-paste marks (the kiosk asks for them)."""
    subprocess.run(["tmux", "load-buffer", "-b", session.name, "-"], input=text.encode(), check=True)
    subprocess.run(["tmux", "paste-buffer", "-p", "-d", "-b", session.name, "-t", session.name], check=True)


def wait_until(session: TmuxSession, what: str, seen, timeout: float = 20.0) -> str:
    """The screen once seen(screen) holds."""
    deadline = time.monotonic() + timeout
    while True:
        screen = session.screen()
        if seen(screen):
            return screen
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}; the screen was:\n{screen}")
        time.sleep(0.02)


def signed_in(session: TmuxSession, actor, home: str) -> None:
    session.wait_for("Scan your badge")
    keys(session, badge_of(actor), "Enter")
    session.wait_for("type your PIN")
    keys(session, "1234", "Enter")
    session.wait_for(home)


def on_the_job_card(session: TmuxSession, technician, job_id: int) -> None:
    """Signed in, the job card open, its lines table focused (not the scan field)."""
    signed_in(session, technician, "My jobs")
    keys(session, job_number(job_id), "Enter")
    session.wait_for("Parts issued")


def test_the_three_cs_take_a_phrase_from_an_input_method_and_a_paste(floor_staff, sqlite_url):
    technician = floor_staff["technician"]
    job_id, (line_id,) = approved_card(floor_staff["advisor"], technician)
    with kiosk_in_tmux(sqlite_url) as session:
        on_the_job_card(session, technician, job_id)
        keys(session, "F5")
        ime(session, PHRASE)
        keys(session, "Tab")
        paste(session, PASTED)
        keys(session, "F10")
        session.wait_for("Cause and correction of line 1 saved")
    line = JobLine.get_by_id(line_id)
    assert (line.cause, line.correction) == (PHRASE, PASTED)


def search_field(screen: str) -> str:
    """What the dialog's first field shows (inside its box: ▊ text ▎)."""
    line = next(line for line in screen.splitlines() if "▊" in line and "▔" not in line and "▁" not in line)
    return line.split("▊", 1)[1].rsplit("▎", 1)[0].strip()


def test_the_job_cards_parts_search_takes_chinese_both_ways(floor_staff, sqlite_url):
    technician = floor_staff["technician"]
    make_part("VW000123", "Front brake pad set 前刹车片")
    make_part("VW000555", "Wiper blade 雨刮片")
    job_id, _lines = approved_card(floor_staff["advisor"], technician)
    with kiosk_in_tmux(sqlite_url) as session:
        signed_in(session, technician, "My jobs")
        keys(session, job_number(job_id), "Enter", "F3")
        ime(session, "前刹车")
        screen = wait_until(session, "the search finds the pads only",
                            lambda s: "VW000123" in s and "VW000555" not in s)
        assert "VW000123" in screen and search_field(screen) == "前刹车"
        keys(session, "Escape", "F3")
        paste(session, "雨刮")
        screen = wait_until(session, "the search finds the wiper only",
                            lambda s: "VW000555" in s and "VW000123" not in s)
        assert "VW000555" in screen and search_field(screen) == "雨刮"


def test_the_reception_search_takes_a_name_from_an_input_method_and_a_paste(floor_staff, sqlite_url):
    advisor = floor_staff["advisor"]
    customer_with_vehicle(advisor)  # 王小明
    customer_with_vehicle(advisor, name="李四", phone="139 0000 1111", plate="沪B54321")
    with kiosk_in_tmux(sqlite_url, "front-desk") as session:
        signed_in(session, advisor, "Job-card board")
        keys(session, "F2")
        ime(session, "王小明")
        keys(session, "Enter")
        session.wait_for("沪A12345")
        assert "李四" not in session.screen()
        keys(session, "Escape", "F2")
        paste(session, "李四")
        keys(session, "Enter")
        session.wait_for("沪B54321")
        assert "王小明" not in session.screen()


def test_a_complaint_and_a_customer_note_in_chinese(floor_staff, sqlite_url):
    advisor = floor_staff["advisor"]
    customer_id, _vehicle = customer_with_vehicle(advisor)
    with kiosk_in_tmux(sqlite_url, "front-desk") as session:
        signed_in(session, advisor, "Job-card board")
        keys(session, "F4", "F2")
        ime(session, "王小明")
        keys(session, "Enter")
        session.wait_for("138 0013 8000")
        keys(session, "Enter")  # the customer found; the cursor goes to the complaint's text
        ime(session, PHRASE)
        paste(session, PASTED)
        keys(session, "F10")
        session.wait_for("registered")
        keys(session, "Escape", "F2")
        paste(session, "王小明")
        keys(session, "Enter")
        session.wait_for("沪A12345")
        keys(session, "F5")
        session.wait_for("Customer file")
        keys(session, "F2")
        paste(session, PASTED)
        ime(session, PHRASE)
        keys(session, "F10")
        session.wait_for("Note added")
    assert [c.text for c in Complaint.select().where(Complaint.customer == customer_id)] == [PHRASE + PASTED]
    notes = CustomerNote.select().where((CustomerNote.customer == customer_id) & (CustomerNote.kind == "note"))
    assert [n.text for n in notes] == [PASTED + PHRASE]


def test_a_new_employees_chinese_name(floor_staff, sqlite_url):
    with kiosk_in_tmux(sqlite_url, "office") as session:
        signed_in(session, floor_staff["manager"], "Staff")
        keys(session, "F2", "B777", "Tab")
        ime(session, "李")
        paste(session, "师傅")
        keys(session, "Tab", "Enter")
        session.wait_for("Parts clerk")
        keys(session, "Down", "Enter", "Tab", "4321", "Enter")
        session.wait_for("Registered badge B777")
    assert Employee.get(Employee.badge == "B777").name == "李师傅"


def test_held_parts_search_and_goods_in_take_chinese_beside_the_scan_field(floor_staff, sqlite_url):
    clerk = floor_staff["parts_clerk"]
    job_id, _lines = approved_card(floor_staff["advisor"], floor_staff["technician"])
    tag = make_tag(JobCard.get_by_id(job_id), floor_staff["technician"].employee_id, manufacturer="上汽大众")
    other = make_tag(JobCard.get_by_id(job_id), floor_staff["technician"].employee_id, manufacturer="VW")
    WarrantyTag.update(status="held", location="BIN-1").where(WarrantyTag.id == tag.id).execute()
    WarrantyTag.update(status="held", location="BIN-2").where(WarrantyTag.id == other.id).execute()
    make_part("VW000123", "Front brake pad set 前刹车片")
    with kiosk_in_tmux(sqlite_url, "parts-room") as session:
        signed_in(session, clerk, "Warranty-parts room")
        keys(session, "F2")
        ime(session, "mfr:上汽大众")
        keys(session, "Enter")
        wait_until(session, "the search finds the one tag", lambda s: tag.tag_number in s and other.tag_number not in s)
        keys(session, "F3")  # back to the search
        paste(session, "mfr:VW\nshelf:BIN-2\n")  # two lines into a one-line field: both, not the first only
        keys(session, "Enter")
        screen = wait_until(session, "the search finds the other tag",
                            lambda s: other.tag_number in s and tag.tag_number not in s)
        assert "mfr:VW shelf:BIN-2" in screen
        keys(session, "Escape", "F8")
        ime(session, "甲")
        paste(session, "送货单001")
        keys(session, "Enter")
        session.wait_for("Delivery note: 甲送货单001")
        paste(session, "VW000123\n")
        session.wait_for("1. VW000123")
    moves = list(StockMovement.select().where(StockMovement.reason.contains("delivery note")))
    assert [(m.part.part_number, m.quantity, m.reason) for m in moves] == [("VW000123", 1, "delivery note 甲送货单001")]


def test_a_paste_into_the_rooms_scan_field_is_one_scan_or_refused_whole(floor_staff, sqlite_url):
    clerk, technician = floor_staff["parts_clerk"], floor_staff["technician"]
    job_id, _lines = approved_card(floor_staff["advisor"], technician)
    job = JobCard.get_by_id(job_id)
    first, second, third = (make_tag(job, technician.employee_id).tag_number for _ in range(3))
    with kiosk_in_tmux(sqlite_url, "parts-room") as session:
        signed_in(session, clerk, "Warranty-parts room")
        paste(session, first)  # copied from somewhere, no line break: one scan all the same
        paste(session, second + "\n")
        paste(session, f"{third}\n{first}\n")  # two codes at once: which one was meant? neither is taken
        session.wait_for("Not taken: paste one code at a time, or scan it.")
        screen = session.wait_for("✓ 2.") and session.screen()
        keys(session, "X")  # the next key clears the refusal
        session.wait_for("X▏")
    assert f"✓ 1. {first}" in screen and f"✓ 2. {second}" in screen and "✓ 3." not in screen
    assert {t.tag_number: t.status for t in WarrantyTag.select()} == {first: "held", second: "held", third: "tagged"}


def test_a_part_number_pasted_on_the_job_card_is_scanned_and_the_quantity_typed_after_it_lands(floor_staff,
                                                                                               sqlite_url):
    technician = floor_staff["technician"]
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=10)
    job_id, (line_id,) = approved_card(floor_staff["advisor"], technician)
    with kiosk_in_tmux(sqlite_url) as session:
        on_the_job_card(session, technician, job_id)
        paste(session, "VW000123")
        keys(session, "2", "Enter")
        session.wait_for("Issued 2 × VW000123; 8 left in stock.")
    issued = StockMovement.select().where(StockMovement.job_line == line_id)
    assert [(m.part.part_number, m.quantity) for m in issued] == [("VW000123", -2)]


def test_chinese_typed_on_the_job_card_goes_to_its_scan_field_and_on_to_the_catalogue(floor_staff, sqlite_url):
    """A technician who types words where a part number goes (the lines table has focus) finds the part all the
    same: the words reach the scan field, no part has that number, and the catalogue opens searching for them."""
    technician = floor_staff["technician"]
    make_part("VW000123", "Front brake pad set 前刹车片")
    job_id, _lines = approved_card(floor_staff["advisor"], technician)
    with kiosk_in_tmux(sqlite_url) as session:
        on_the_job_card(session, technician, job_id)
        ime(session, "前刹车片")
        session.wait_for("▊ 前刹车片 ")  # in the scan field, whatever has focus
        keys(session, "Enter")
        session.wait_for("No part 前刹车片: search by number or by words of its description.")
        screen = session.wait_for("VW000123") and session.screen()  # the catalogue, searching for what was typed
    assert search_field(screen) == "前刹车片"
