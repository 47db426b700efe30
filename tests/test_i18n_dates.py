"""Dates in the reader's language at 80x24: the advisor's card (approval, delivery), drafts, follow-up calls,
complaints, the floor tools' clocks and safety parts, and the parts room's end-of-day list say 3月5日 09:07 in
Chinese and 05 Mar 09:07 in English, as they always did, and every screen still fits."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kiosk import clocking, complaints, jobs
from kiosk.i18n import format_short_date, format_short_datetime
from kiosk.store.models import Approval, ClockEntry, Complaint, FollowUp, JobCard, WarrantyTag

from .desk import approved_card, customer_with_vehicle, delivered_card, open_card
from .factories import make_tag
from .test_i18n_floor_screens import fits, has
from .ui import SIZE, badge_of, kiosk_app, settle, sign_in, type_text

MOMENT = dt.datetime(2026, 3, 5, 9, 7)
SHOWN = {"en": ("05 Mar 09:07", "05 Mar"), "zh_CN": ("3月5日 09:07", "3月5日")}
LANGUAGES = list(SHOWN)


def test_a_moment_in_a_table_cell_in_each_language():
    assert format_short_datetime(MOMENT, "en") == "05 Mar 09:07"
    assert format_short_datetime(MOMENT, "zh_CN") == "3月5日 09:07"
    assert format_short_date(MOMENT, "zh_CN") == "3月5日"
    assert format_short_datetime(dt.datetime(2026, 12, 31, 23, 59), "zh_CN") == "12月31日 23:59"  # 12 cells, as English
    assert format_short_datetime(None) == format_short_date(None) == ""


def row(text: str, key: str) -> str:
    """The screen's line that shows key (a table row)."""
    return next((line for line in text.splitlines() if key in line), f"(no line with {key!r}):\n{text}")


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def signed_in(app, pilot, actor) -> None:
    await settle(pilot)
    await sign_in(pilot, badge_of(actor))


def in_language(settings, language):
    return kiosk_app(dataclasses.replace(settings, language=language))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_advisors_card_dates_its_approval_and_its_delivery(floor_staff, settings, language):
    advisor, tech, manager = floor_staff["advisor"], floor_staff["technician"], floor_staff["manager"]
    approved, _lines = approved_card(advisor, tech)
    Approval.update(at=MOMENT).where(Approval.job == approved).execute()
    delivered, _followup = delivered_card(advisor, tech, manager)
    JobCard.update(closed_at=MOMENT).where(JobCard.id == delivered).execute()
    moment, _day = SHOWN[language]
    app = in_language(settings, language)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(app, pilot, advisor)
        await type_text(pilot, jobs.job_number(approved))
        await press(pilot, "enter")
        has(fits(app), jobs.job_number(approved), f"王小明 {'in person' if language == 'en' else '当面'}", moment)
        await press(pilot, "escape")
        await type_text(pilot, jobs.job_number(delivered))
        await press(pilot, "enter")
        has(fits(app), jobs.job_number(delivered), {"en": f"Delivered {moment}", "zh_CN": f"已交车 {moment}"}[language])


@pytest.mark.parametrize("language", LANGUAGES)
async def test_drafts_follow_up_calls_and_complaints_dated(floor_staff, settings, language):
    advisor, tech, manager = floor_staff["advisor"], floor_staff["technician"], floor_staff["manager"]
    draft = open_card(advisor)
    JobCard.update(opened_at=MOMENT).where(JobCard.id == draft).execute()
    _job, followup = delivered_card(advisor, tech, manager)
    FollowUp.update(due_at=MOMENT).where(FollowUp.id == followup).execute()
    customer_id, _vehicle = customer_with_vehicle(advisor, name="李四", phone="139 0000 1111", plate="沪B54321")
    complaint = complaints.register_complaint(advisor, customer_id, "等太久了 Waited too long")
    Complaint.update(opened_at=MOMENT).where(Complaint.id == complaint).execute()
    moment, day = SHOWN[language]
    app = in_language(settings, language)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(app, pilot, advisor)
        has(row(fits(app), f"#{complaint} "), day)  # the board's open complaints
        await press(pilot, "f2", "f4")  # reception, its drafts
        has(row(fits(app), jobs.job_number(draft)), moment)
        await press(pilot, "escape", "escape", "f3")  # follow-up calls
        has(fits(app), moment)
        await press(pilot, "escape", "f4")  # complaints
        has(row(fits(app), f"#{complaint} "), day, "李四")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_floor_tools_date_running_clocks_and_safety_parts(floor_staff, settings, language):
    advisor, tech = floor_staff["advisor"], floor_staff["technician"]
    job_id, (line_id,) = approved_card(advisor, tech)
    clocking.clock_on(tech, line_id)
    ClockEntry.update(started_at=MOMENT).where(ClockEntry.job_line == line_id).execute()
    tag = make_tag(JobCard.get_by_id(job_id), tech.employee_id, tagged_at=MOMENT)
    WarrantyTag.update(approval="needed").where(WarrantyTag.id == tag.id).execute()
    moment, day = SHOWN[language]
    app = in_language(settings, language)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(app, pilot, advisor)
        await press(pilot, "f6")
        text = fits(app)
        has(text, moment)
        has(row(text, tag.tag_number), day)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_parts_rooms_end_of_day_list_dates_each_tag(floor_staff, settings, language):
    advisor, tech, clerk = floor_staff["advisor"], floor_staff["technician"], floor_staff["parts_clerk"]
    job_id, _lines = approved_card(advisor, tech)
    tag = make_tag(JobCard.get_by_id(job_id), tech.employee_id, tagged_at=MOMENT)
    moment, _day = SHOWN[language]
    app = in_language(settings, language)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(app, pilot, clerk)
        has(row(fits(app), tag.tag_number), moment)
