"""The floor's screens in Chinese and English at 80x24: the technician's job card, its dialogs, tagging and the
label queue; the parts clerk's and the manager's screens. Each shows its words in the session's language, keeps
every footer key on the bottom line and no line wider than 80 cells (a CJK character takes two)."""

from __future__ import annotations

import dataclasses

import pytest
from rich.cells import cell_len

from .factories import make_job_card, make_part
from .test_i18n_screens import in_language
from .ui import SIZE, badge_of, footer_keys_all_shown, kiosk_app, screen_text, settle, sign_in, type_text


def fits(app) -> str:
    """The screen's text, after checking it fits 80x24 with every footer key shown (the parts room's footer has
    two rows: its keys are looked for in both)."""
    text = screen_text(app)
    if _two_rows(app):
        bottom = " ".join(text.splitlines()[-2:])
        missing = [shown for shown in footer_keys_all_shown(app) if shown not in bottom]
    else:
        missing = footer_keys_all_shown(app)
    assert missing == [], text
    lines = text.splitlines()
    assert len(lines) == 24 and all(cell_len(line) <= 80 for line in lines), text
    return text


def _two_rows(app) -> bool:
    from kiosk.screens.parts_room import TwoRowFooter
    return bool(app.screen.query(TwoRowFooter))


def has(text: str, *words: str) -> None:
    missing = [w for w in words if w not in text]
    assert not missing, f"{missing} not in:\n{text}"


JOB_CARD = {
    "en": {"card": ["Payer", "Technician", "Scan a part to issue it", "Cause: -", "Parts issued: none", "f9 Tag"],
           "three_cs": ["Cause (what was wrong):", "Correction (what you did):"],
           "old": ["Old part removed on line 1", "Causal part"],
           "catalogue": ["Find a part", "Description", "On hand"],
           "tag_first": "Record the old part first",
           "tag": ["Not covered:", "Tag 1 × VW000777"]},
    # F9 tags a part: 挂签, not the tag-number column's 标签号 (the same English word "Tag")
    "zh_CN": {"card": ["付款方", "技师", "扫描配件", "故障原因：-", "已领配件：无", "f9 挂签"],
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


def _screen(module: str, name: str):
    import importlib
    return getattr(importlib.import_module(f"kiosk.screens.{module}"), name)()


# role, screen, then its words in English and in Chinese
SCREENS = [
    ("parts_clerk", ("print_queue", "PrintQueueScreen"), ["Labels not printed yet", "Tries", "Last error"],
     ["尚未打印的标签", "次数", "最近错误"]),
    ("parts_clerk", None, ["Warranty-parts room: scan each tag", "Tagged, not yet scanned in"],
     ["索赔件仓库：逐个扫描标签", "已挂签、尚未扫描入库"]),
    ("parts_clerk", ("held", "HeldPartsScreen"), ["Held parts: tag, job card", "Keep until"],
     ["在库索赔件：标签号", "保管至"]),
    ("parts_clerk", ("held", "MayScrapScreen"), ["May scrap: retention over"], ["可报废：已过保管期"]),
    ("parts_clerk", ("returns", "ReturnRequestsScreen"), ["Return request: number, manufacturer"],
     ["返还申请：申请号、厂家"]),
    ("parts_clerk", ("returns", "BoxScreen"), ["Boxes: type the request number"], ["装箱：输入申请号"]),
    ("parts_clerk", ("returns", "ClaimsScreen"), ["Claims: retention runs from"], ["索赔：保管期从索赔付款之日起算"]),
    ("parts_clerk", ("goods_in", "GoodsInScreen"), ["The supplier's delivery-note number"], ["供应商的送货单号"]),
    ("manager", None, ["Staff: employees, roles", "Service advisor", "Parts clerk"],
     ["员工：员工、岗位和工牌锁定", "服务顾问", "配件员"]),
    ("manager", ("stock_count", "StockCountScreen"), ["Which bin? Scan its shelf label"], ["哪个货位？扫描货位标签"]),
    ("manager", ("parts_import", "PartsImportScreen"), ["Parts catalogue: import a price file", "Why it was refused"],
     ["配件目录：导入价格文件", "拒绝原因"]),
    ("advisor", ("floor", "FloorToolsScreen"), ["Floor tools: F2 assigns", "Clocks running now"],
     ["车间工具：F2 派工", "正在计时"]),
]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("role, screen, english, chinese", SCREENS,
                         ids=[s[1][1] if s[1] else f"{s[0]}-home" for s in SCREENS])
async def test_the_clerks_and_managers_screens_in_each_language(floor_staff, settings, tmp_path, language, role,
                                                               screen, english, chinese):
    settings = dataclasses.replace(in_language(settings, language), import_folder=str(tmp_path / "import"))
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff[role]))
        if screen:
            app.push_screen(_screen(*screen))
            await settle(pilot)
        has(fits(app) if screen != ("goods_in", "GoodsInScreen") else screen_text(app),
            *(english if language == "en" else chinese))
        if screen == ("goods_in", "GoodsInScreen"):  # its first question over the screen, then the screen
            await pilot.press("escape")
            await settle(pilot)
            has(fits(app), *{"en": ["Goods in: scan each part", "Delivery note: (none yet: F2)"],
                             "zh_CN": ["收货：逐个扫描到货配件", "送货单：（尚无：F2）"]}[language])
