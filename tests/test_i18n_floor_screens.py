"""The floor's screens in Chinese and English at 80x24: the technician's job card, its dialogs, tagging and the
label queue; the parts clerk's and the manager's screens. Each shows its words in the session's language, keeps
every footer key on the bottom line and no line wider than 80 cells (a CJK character takes two)."""

from __future__ import annotations

import dataclasses

import pytest
from rich.cells import cell_len

from .factories import make_job_card, make_part
from .ui import SIZE, badge_of, footer_keys_all_shown, kiosk_app, screen_text, settle, sign_in, type_text


def in_language(settings, language):
    return dataclasses.replace(settings, language=language)


def fits(app) -> str:
    """The screen's text, after checking it fits 80x24 with every footer key shown."""
    text = screen_text(app)
    assert footer_keys_all_shown(app) == [], text
    lines = text.splitlines()
    assert len(lines) == 24 and all(cell_len(line) <= 80 for line in lines), text
    return text


def has(text: str, *words: str) -> None:
    missing = [w for w in words if w not in text]
    assert not missing, f"{missing} not in:\n{text}"


JOB_CARD = {
    "en": {"card": ["Payer", "Technician", "Scan a part to issue it", "Cause: -", "Parts issued: none"],
           "three_cs": ["Cause (what was wrong):", "Correction (what you did):"],
           "old": ["Old part removed on line 1", "Causal part"],
           "catalogue": ["Find a part", "Description", "On hand"],
           "tag_first": "Record the old part first",
           "tag": ["Not covered:", "Tag 1 × VW000777"]},
    "zh_CN": {"card": ["付款方", "技师", "扫描配件", "故障原因：-", "已领配件：无"],
              "three_cs": ["故障原因（哪里坏了）：", "维修措施（做了什么）："],
              "old": ["第 1 行拆下的旧件", "主因件"],
              "catalogue": ["查找配件", "名称", "库存"],
              "tag_first": "请先记录旧件",
              "tag": ["非保修范围：", "挂签 1 × VW000777"]},
}


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_job_card_and_its_dialogs_in_each_language(floor_staff, settings, language):
    words, tech = JOB_CARD[language], floor_staff["technician"]
    make_job_card(tech.employee_id, payers=("warranty",))
    make_part("VW000777", "Front brake pad set 前刹车片", wear_part=True)
    app = kiosk_app(in_language(settings, language))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        await pilot.press("enter")  # open the job
        await settle(pilot)
        has(fits(app), *words["card"])
        for key, shown in (("f5", "three_cs"), ("f3", "catalogue")):
            await pilot.press(key)
            await settle(pilot)
            has(fits(app), *words[shown])
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        has(screen_text(app), words["tag_first"])
        await pilot.press("f6")
        await settle(pilot)
        has(fits(app), *words["old"])
        await type_text(pilot, "VW000777")
        await pilot.press("enter", "tab", "space", "shift+tab", "enter")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        has(fits(app), *words["tag"])


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_label_queue_in_each_language(floor_staff, settings, language):
    from kiosk.screens.print_queue import PrintQueueScreen

    app = kiosk_app(in_language(settings, language))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["parts_clerk"]))
        app.push_screen(PrintQueueScreen())
        await settle(pilot)
        words = {"en": ["Labels not printed yet", "Tries", "Last error"],
                 "zh_CN": ["尚未打印的标签", "次数", "最近错误"]}[language]
        has(fits(app), *words)
        await pilot.press("f3")
        await settle(pilot)
        has(fits(app), {"en": "Tag number to print again", "zh_CN": "要重打的标签号"}[language])
