"""The service advisor's screens in Chinese and English at 80x24: the board, reception, the job card and its
dialogs, drafts, the customer's file, follow-up calls, complaints, reports and the audit pack. Each shows its
words in the session's language, keeps every footer key on the bottom line, and no line is wider than 80 cells."""

from __future__ import annotations

import dataclasses
from contextlib import asynccontextmanager

import pytest
from rich.cells import cell_len

from kiosk import complaints, jobs

from .desk import approved_card, customer_with_vehicle, delivered_card, finish_work
from .ui import SIZE, badge_of, footer_keys_all_shown, kiosk_app, screen_text, settle, sign_in, type_text

LANGUAGES = ["en", "zh_CN"]
WORDS = {
    "en": {"board": ["Job-card board", "Promised", "Open complaints (F4)", "Calls due"],
           "card": ["approved", "Payer", "Technician", "Complaint:"],
           "line": ["New line on"], "estimate": ["Estimate on line"], "approval": ["The customer's answer on"],
           "assign": ["Technician for line"], "qc": ["Quality check of"], "edit": ["Edit RO"],
           "reception": ["Reception: find the customer", "Last km"], "found": ["Found by phone number", "王小明"],
           "file": ["Customer file: 王小明", "delivered", "What"], "drafts": ["Draft job cards"],
           "calls": ["Follow-up calls after delivery", "Tries"], "call": ["how is the car?"],
           "complaints": ["Open complaints, oldest first", "Owner", "in work", "Opened", "Complaint"],
           "new_complaint": ["New complaint."],
           "reports": ["F2 Day", "F4 Claim list", "Exports go to"], "claims": ["Readiness"],
           "audit": ["Audit pack: one PDF per job card"]},
    "zh_CN": {"board": ["维修工单看板", "交车时间", "未结投诉（F4）", "待回访"],
              "card": ["已确认", "付款方", "技师", "故障现象："],
              "line": ["新增维修项目"], "estimate": ["行报价：零件或工时"], "approval": ["的答复"],
              "assign": ["行的技师"], "qc": ["质检（由未参与维修的人员进行）"], "edit": ["编辑 RO"],
              "reception": ["接待：查找客户或车辆", "上次里程"], "found": ["已找到（按电话号码）", "王小明"],
              "file": ["客户档案：王小明", "已交车", "事项"], "drafts": ["维修工单草稿"],
              "calls": ["交车后回访", "次数"], "call": ["车辆情况如何？"],
              "complaints": ["未结投诉，最早的在前", "负责人", "处理中", "登记时间", "投诉内容"],
              "new_complaint": ["新投诉。"],
              "reports": ["F2 日报", "F4 索赔申请单", "导出到"], "claims": ["就绪"],
              "audit": ["审核资料：每张维修工单一个 PDF"]},
}


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


@asynccontextmanager
async def advisor_in(settings, advisor, language):
    """The kiosk at 80x24 in the shop's language, the advisor signed in on the board."""
    app = kiosk_app(dataclasses.replace(settings, language=language))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(advisor))
        yield app, pilot


def shows(app, words: list[str]) -> str:
    """The screen shows the words, every footer key on its bottom line, and fits 80x24."""
    text = screen_text(app)
    assert all(word in text for word in words), f"{words}\n{text}"
    assert footer_keys_all_shown(app) == [], f"{footer_keys_all_shown(app)}\n{text}"
    lines = text.splitlines()
    assert len(lines) == 24 and all(cell_len(line) <= 80 for line in lines), f"\n{text}"
    return text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_board_the_job_card_and_its_dialogs_in_each_language(floor_staff, settings, language):
    words, advisor, tech = WORDS[language], floor_staff["advisor"], floor_staff["technician"]
    job_id, _lines = approved_card(advisor, tech)
    async with advisor_in(settings, advisor, language) as (app, pilot):
        shows(app, words["board"] + [jobs.job_number(job_id)])
        await type_text(pilot, jobs.job_number(job_id))
        await press(pilot, "enter")
        shows(app, words["card"] + [jobs.job_number(job_id)])
        for key, dialog in (("f2", "line"), ("f3", "estimate"), ("f4", "approval"), ("f5", "assign"),
                            ("f11", "edit")):
            await press(pilot, key)
            shows(app, words[dialog])
            await press(pilot, "escape")
        shows(app, words["card"])


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_quality_check_dialog_in_each_language(floor_staff, settings, language):
    words, advisor, tech = WORDS[language], floor_staff["advisor"], floor_staff["technician"]
    job_id, _lines = approved_card(advisor, tech)
    finish_work(tech, job_id)  # the check is offered on a card whose work is done
    async with advisor_in(settings, advisor, language) as (app, pilot):
        await type_text(pilot, jobs.job_number(job_id))
        await press(pilot, "enter")
        await press(pilot, "f7")
        shows(app, words["qc"])


@pytest.mark.parametrize("language", LANGUAGES)
async def test_reception_drafts_and_the_customer_file_in_each_language(floor_staff, settings, language):
    words, advisor, tech, manager = (WORDS[language], floor_staff["advisor"], floor_staff["technician"],
                                     floor_staff["manager"])
    delivered_card(advisor, tech, manager)
    async with advisor_in(settings, advisor, language) as (app, pilot):
        await press(pilot, "f2")
        shows(app, words["reception"])
        await type_text(pilot, "138 0013")
        await press(pilot, "enter")
        shows(app, words["found"])
        await press(pilot, "f5")
        shows(app, words["file"])
        await press(pilot, "escape")
        await press(pilot, "f4")
        shows(app, words["drafts"])


@pytest.mark.parametrize("language", LANGUAGES)
async def test_follow_up_calls_and_complaints_in_each_language(floor_staff, settings, language):
    words, advisor, tech, manager = (WORDS[language], floor_staff["advisor"], floor_staff["technician"],
                                     floor_staff["manager"])
    delivered_card(advisor, tech, manager)
    customer_id, _vehicle = customer_with_vehicle(advisor, name="李四", phone="139 0000 1111", plate="沪B54321")
    complaint = complaints.register_complaint(advisor, customer_id, "等太久了 Waited too long")
    complaints.start_complaint(advisor, complaint)
    async with advisor_in(settings, advisor, language) as (app, pilot):
        await press(pilot, "f3")
        shows(app, words["calls"])
        await press(pilot, "enter")
        shows(app, words["call"])
        await press(pilot, "escape")
        await press(pilot, "escape")
        await press(pilot, "f4")
        shows(app, words["complaints"] + ["李四"])
        await press(pilot, "f2")
        shows(app, words["new_complaint"])


async def test_the_complaints_screen_says_complaint_where_it_means_one_in_chinese(floor_staff, settings):
    """A customer's complaint is 投诉 on the complaints screen; the fault a job card reports (故障现象, the
    same English word "Complaint") is not what it says there."""
    advisor = floor_staff["advisor"]
    customer_id, _vehicle = customer_with_vehicle(advisor, name="李四", phone="139 0000 1111", plate="沪B54321")
    complaints.register_complaint(advisor, customer_id, "等太久了 Waited too long")
    async with advisor_in(settings, advisor, "zh_CN") as (app, pilot):
        await press(pilot, "f4")
        text = shows(app, ["未结投诉", "登记时间", "投诉内容", "待处理", "李四"])
        await press(pilot, "enter")
        text = shows(app, ["投诉内容：等太久了 Waited too long"])
        assert "故障现象" not in text and "维修中" not in text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_reports_and_the_audit_pack_in_each_language(floor_staff, settings, language):
    words, advisor = WORDS[language], floor_staff["advisor"]
    async with advisor_in(settings, advisor, language) as (app, pilot):
        await press(pilot, "f5")
        shows(app, words["reports"])
        await press(pilot, "f4")
        shows(app, words["claims"])
        await press(pilot, "f9")
        shows(app, words["audit"])
