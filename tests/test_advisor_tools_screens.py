"""The advisor's complaints and floor tools at 80x24, keyboard only: what is on screen, and what is in the database."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import asynccontextmanager

import pytest
from textual import events as textual_events

from kiosk import clocking, complaints
from kiosk.screens.complaints import ComplaintsScreen
from kiosk.screens.floor import FloorToolsScreen
from kiosk.store.models import AuditEvent, ClockEntry, Complaint, JobCard, JobLine, WarrantyTag

from .conftest import add_employee
from .desk import approved_card, events, line_ids, open_card
from .factories import make_tag
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text

HUGE = "很长的投诉 a very long complaint " * 300  # about 7,000 characters pasted at once


@asynccontextmanager
async def advisor_on(screen_class, staff, settings, role: str = "advisor"):
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(staff[role]))
        app.push_screen(screen_class())
        await settle(pilot)
        yield app, pilot


async def keys(pilot, *names: str) -> None:
    await pilot.press(*names)
    await settle(pilot)


async def typed(pilot, text: str, then: str = "enter") -> None:
    await type_text(pilot, text)
    if then:
        await pilot.press(then)
    await settle(pilot)


async def paste(pilot, text: str) -> None:
    """A paste into whatever has focus, as a terminal delivers it (one event, control characters and all)."""
    pilot.app.focused.post_message(textual_events.Paste(text))
    await settle(pilot)


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


def audit_count() -> int:
    """Audit events other than signing in and out."""
    return AuditEvent.select().where(~AuditEvent.action.startswith("auth.")).count()


# ---- complaints --------------------------------------------------------------------------------------------


async def test_a_complaint_registered_from_a_job_card_number_in_chinese(floor_staff, settings):
    job_id = open_card(floor_staff["advisor"], floor_staff["technician"].employee_id)
    manager = badge_of(floor_staff["manager"])
    async with advisor_on(ComplaintsScreen, floor_staff, settings) as (app, pilot):
        assert "f2 New" in footer(app) and "f6 Reopen" in footer(app) and "f12 Sign out" in footer(app)
        await keys(pilot, "f2")
        await typed(pilot, f"ro{job_id}")
        assert f"Customer: 王小明 · job card RO{job_id:06d}" in screen_text(app)
        await typed(pilot, "修好后还是有异响", then="")
        await keys(pilot, "tab")
        await typed(pilot, manager.lower(), then="f10")
        text = screen_text(app)
        assert "Complaint #1 registered." in text and "修好后还是有异响" in text
    complaint = Complaint.get()
    assert (complaint.text, complaint.job_id, complaint.owner_id, complaint.status) == (
        "修好后还是有异响", job_id, floor_staff["manager"].employee_id, "open")
    [event] = events("complaint.register")
    assert event.employee_id == floor_staff["advisor"].employee_id


async def test_a_complaint_registered_for_a_customer_found_by_name(floor_staff, settings):
    open_card(floor_staff["advisor"], floor_staff["technician"].employee_id)
    async with advisor_on(ComplaintsScreen, floor_staff, settings) as (app, pilot):
        await keys(pilot, "f2")
        await typed(pilot, "王")
        assert "沪A12345" in screen_text(app)
        await keys(pilot, "enter")  # the highlighted customer
        await typed(pilot, "Waited two hours 等了两个小时", then="f10")
        assert "Complaint #1 registered." in screen_text(app)
    complaint = Complaint.get()
    assert complaint.job_id is None and complaint.owner_id == floor_staff["advisor"].employee_id
    assert complaint.text == "Waited two hours 等了两个小时"


async def test_owner_start_resolve_and_reopen_with_the_keyboard(floor_staff, settings):
    advisor, manager = floor_staff["advisor"], floor_staff["manager"]
    job_id = open_card(advisor, floor_staff["technician"].employee_id)
    complaint_id = complaints.register_complaint(advisor, JobCard.get_by_id(job_id).customer_id, "还是有异响",
                                                 job_id=job_id)
    async with advisor_on(ComplaintsScreen, floor_staff, settings) as (app, pilot):
        assert "还是有异响" in screen_text(app)
        await keys(pilot, "enter")
        assert f"#{complaint_id} open · owner {advisor.name}" in screen_text(app)
        await keys(pilot, "f3")
        await typed(pilot, badge_of(manager))
        assert f"Complaint #{complaint_id} given to badge" in screen_text(app)
        assert Complaint.get_by_id(complaint_id).owner_id == manager.employee_id
        await keys(pilot, "f4")
        assert "in work" in screen_text(app)
        assert Complaint.get_by_id(complaint_id).status == "in_progress"
        await keys(pilot, "f5")
        await typed(pilot, "更换刹车片, 客户满意", then="f10")
        text = screen_text(app)
        assert f"Complaint #{complaint_id} resolved." in text and "Resolution: 更换刹车片, 客户满意" in text
        assert Complaint.get_by_id(complaint_id).status == "resolved"
        await keys(pilot, "f6")  # the complaint just resolved is filled in
        await keys(pilot, "enter")
        await typed(pilot, "Noise is back", then="f10")
        assert f"Complaint #{complaint_id} reopened." in screen_text(app)
    complaint = Complaint.get_by_id(complaint_id)
    assert (complaint.status, complaint.resolution, complaint.owner_id) == ("open", "", manager.employee_id)
    actions = [e.action for e in events()][-4:]
    assert actions == ["complaint.manage"] * 4
    assert json.loads(events()[-1].detail)["reason"] == "Noise is back"


async def test_bad_input_on_complaints_is_told_in_place_and_writes_nothing(floor_staff, settings):
    advisor = floor_staff["advisor"]
    job_id = open_card(advisor, floor_staff["technician"].employee_id)
    complaint_id = complaints.register_complaint(advisor, JobCard.get_by_id(job_id).customer_id, "还是有异响")
    before = audit_count()
    async with advisor_on(ComplaintsScreen, floor_staff, settings) as (app, pilot):
        await keys(pilot, "f3")
        await typed(pilot, "NOBODY42")
        assert "Nobody has badge NOBODY42" in screen_text(app)
        await paste(pilot, "\x1b[31m" + "A" * 5000)  # longer than any badge: the field refuses the paste
        assert app.focused.value == "NOBODY42"
        app.focused.value = ""
        await paste(pilot, "王师傅\x07")
        await keys(pilot, "enter")
        assert "That is not a badge number" in screen_text(app)
        app.focused.value = badge_of(floor_staff["technician"])
        await keys(pilot, "enter")
        assert "cannot own a complaint" in screen_text(app)
        await keys(pilot, "escape", "f5", "f10")
        assert "Resolution is required." in screen_text(app)
        await paste(pilot, "\x00\x07\x1b\t\r\n ")
        await keys(pilot, "f10")
        assert "Resolution is required." in screen_text(app)
        await paste(pilot, HUGE)
        await keys(pilot, "f10")
        assert "Resolution is too long" in screen_text(app) and "at most 2000" in screen_text(app)
        await keys(pilot, "escape", "f6")
        await keys(pilot, "f10")
        assert "Type the complaint's number" in screen_text(app)
        await typed(pilot, str(complaint_id))
        await typed(pilot, "again", then="f10")
        assert "only a resolved one is reopened" in screen_text(app)
        await keys(pilot, "escape", "f2", "f10")
        assert "Find and pick the customer first" in screen_text(app)
        await typed(pilot, "张三丰")
        assert "Nobody found for '张三丰'" in screen_text(app)
        app.focused.value = ""
        await typed(pilot, "RO999999")
        assert "There is no job card RO999999" in screen_text(app)
        await keys(pilot, "escape")
        assert "Complaints" in screen_text(app) or "complaints" in screen_text(app)
    assert audit_count() == before
    complaint = Complaint.get_by_id(complaint_id)
    assert (complaint.status, complaint.owner_id, complaint.resolution) == ("open", advisor.employee_id, "")
    assert Complaint.select().count() == 1


# ---- floor tools -------------------------------------------------------------------------------------------


@pytest.fixture
def second_technician(floor_staff):
    return add_employee("technician", name="李强 Li Qiang")


async def test_assign_and_reassign_a_technician_to_a_line(floor_staff, settings, second_technician):
    advisor = floor_staff["advisor"]
    job_id = open_card(advisor, None, payers=("customer", "warranty"))
    first, second = line_ids(job_id)
    async with advisor_on(FloorToolsScreen, floor_staff, settings) as (app, pilot):
        assert "f2 Assign" in footer(app) and "f5 Refuse" in footer(app) and "f12 Sign out" in footer(app)
        await keys(pilot, "f2")
        await typed(pilot, f"RO{job_id:06d}")
        await keys(pilot, "down", "enter")
        await typed(pilot, badge_of(floor_staff["technician"]))
        assert f"Line 2 of RO{job_id:06d}: {floor_staff['technician'].name}." in screen_text(app)
        assert JobLine.get_by_id(second).technician_id == floor_staff["technician"].employee_id
        await keys(pilot, "enter")  # the same line again: reassign
        await typed(pilot, badge_of(second_technician))
        assert "李强 Li Qiang" in screen_text(app)
        await keys(pilot, "up", "enter")
        await typed(pilot, badge_of(second_technician))
        await keys(pilot, "down", "enter", "enter")  # blank badge: line 2 taken back
        assert f"Line 2 of RO{job_id:06d}: nobody." in screen_text(app)
    assert JobLine.get_by_id(first).technician_id == second_technician.employee_id
    assert JobLine.get_by_id(second).technician_id is None
    details = [json.loads(e.detail) for e in events("job.assign")]
    assert [d["technician"] for d in details] == [floor_staff["technician"].employee_id,
                                                 second_technician.employee_id, second_technician.employee_id, None]


async def test_bad_input_when_assigning_is_told_in_place_and_writes_nothing(floor_staff, settings):
    job_id = open_card(floor_staff["advisor"], None)
    before = audit_count()
    async with advisor_on(FloorToolsScreen, floor_staff, settings) as (app, pilot):
        await keys(pilot, "f2")
        await typed(pilot, badge_of(floor_staff["technician"]))
        assert "is not a job-card number" in screen_text(app)
        await keys(pilot, "tab", "tab")  # to the badge field with no card picked
        await typed(pilot, "TEC1")
        assert "Type the job card number first" in screen_text(app)
        await keys(pilot, "shift+tab", "shift+tab")
        await paste(pilot, "")
        app.focused.value = ""
        await typed(pilot, "RO999999")
        assert "There is no job card RO999999" in screen_text(app)
        app.focused.value = ""
        await paste(pilot, "9" * 5000)  # longer than any job-card number: the field refuses the paste
        assert app.focused.value == ""
        await paste(pilot, "修理单\x1b[2J42")
        await keys(pilot, "enter")
        assert "修理单[2J42 is not a job-card number" in screen_text(app)
        app.focused.value = ""
        await typed(pilot, f"RO{job_id:06d}")
        await keys(pilot, "enter")
        await typed(pilot, "NOBODY42")
        assert "Nobody has badge NOBODY42" in screen_text(app)
        app.focused.value = ""
        await typed(pilot, badge_of(floor_staff["advisor"]))
        assert "is not a technician" in screen_text(app)
        app.focused.value = ""
        await typed(pilot, "王师傅")
        assert "That is not a badge number" in screen_text(app)
    assert audit_count() == before
    assert JobLine.get(JobLine.job == job_id).technician_id is None


async def test_a_forgotten_clock_is_closed_at_the_time_work_stopped(floor_staff, settings):
    technician = floor_staff["technician"]
    job_id, (line_id,) = approved_card(floor_staff["advisor"], technician)
    clocking.clock_on(technician, line_id)
    started = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(hours=3)
    ClockEntry.update(started_at=started).execute()
    stop = started + dt.timedelta(hours=1, minutes=30)
    before = audit_count()
    async with advisor_on(FloorToolsScreen, floor_staff, settings) as (app, pilot):
        text = screen_text(app)
        assert technician.name[:18] in text and f"RO{job_id:06d}" in text and "3:00" in text
        await keys(pilot, "f3")
        await typed(pilot, "half past four")
        assert "Stop time must be a time like 17:30" in screen_text(app)
        app.focused.value = ""
        await paste(pilot, "\x07\x1b")
        await keys(pilot, "enter")
        assert "Stop time is required." in screen_text(app)
        app.focused.value = ""
        await typed(pilot, "2099-01-01 10:00")
        assert "The stop time must be between" in screen_text(app)
        app.focused.value = ""
        await paste(pilot, "停止" * 3000)  # the field refuses a paste longer than a time
        assert app.focused.value == ""
        await paste(pilot, "停止\x1b")
        await keys(pilot, "enter")
        assert "not '停止'" in screen_text(app)
        assert audit_count() == before
        app.focused.value = ""
        await typed(pilot, f"{stop:%H:%M}")
        text = screen_text(app)
        assert f"{technician.name}'s clock closed at {stop:%H:%M}: 1:30 counted." in text
        assert "There is no" not in text
    entry = ClockEntry.get()
    assert entry.stopped_at == stop and entry.stopped_by_id == floor_staff["advisor"].employee_id
    assert JobLine.get_by_id(line_id).seconds_worked == 90 * 60
    [event] = events("clock.close_forgotten")
    assert json.loads(event.detail)["technician"] == technician.employee_id
    assert clocking.running_clocks() == []


async def test_no_running_clock_and_no_safety_part_are_said_plainly(floor_staff, settings):
    async with advisor_on(FloorToolsScreen, floor_staff, settings, role="manager") as (app, pilot):
        await keys(pilot, "f3")
        assert "There is no running clock to pick." in screen_text(app)
        await keys(pilot, "f4")
        assert "There is no safety part waiting to pick." in screen_text(app)


async def test_safety_parts_are_approved_and_refused_with_the_reference(floor_staff, settings):
    technician = floor_staff["technician"]
    job_id, _ = approved_card(floor_staff["advisor"], technician, payers=("warranty",))
    job = JobCard.get_by_id(job_id)
    first, second = make_tag(job, technician.employee_id), make_tag(job, technician.employee_id)
    WarrantyTag.update(approval="needed").execute()
    async with advisor_on(FloorToolsScreen, floor_staff, settings) as (app, pilot):
        text = screen_text(app)
        assert first.tag_number in text and second.tag_number in text
        await keys(pilot, "tab", "f4")  # to the safety list; the first is highlighted
        await keys(pilot, "enter")
        assert "Approval reference is required." in screen_text(app)
        await paste(pilot, "\x1b\x07")
        await keys(pilot, "enter")
        assert "Approval reference is required." in screen_text(app)
        await paste(pilot, "X" * 5000)  # the field keeps 60 characters
        app.focused.value = ""
        await typed(pilot, "VW-2026-0042 批准")
        assert f"Tag {first.tag_number}: approved (VW-2026-0042 批准)." in screen_text(app)
        await keys(pilot, "f5")
        await typed(pilot, "VW-2026-0043")
        text = screen_text(app)
        assert f"Tag {second.tag_number}: refused (VW-2026-0043)." in text
        assert "There is no" not in text
    assert WarrantyTag.get_by_id(first.id).approval == "approved"
    assert WarrantyTag.get_by_id(second.id).approval == "refused"
    assert [json.loads(e.detail)["approved"] for e in events("tag.approve")] == [True, False]
