"""The converted screens in Chinese and English at 80x24: sign-in (F2 switches the language), the header and the
technician's My jobs; each footer keeps every key at 80 columns; a person's own language follows their badge."""

from __future__ import annotations

import dataclasses
import os
import shutil

import pytest
from rich.cells import cell_len

from kiosk.store.models import Employee

from .factories import make_job_card
from .tmux import TmuxSession
from .ui import SIZE, badge_of, footer_keys_all_shown, kiosk_app, screen_text, settle, sign_in

WORDS = {
    "en": {"prompt": "Scan your badge, or type its number and press Enter", "switch": "中文",
           "pin": "type your PIN and press Enter", "home": "My jobs: Enter opens", "nobody": "nobody signed in",
           "columns": ["Job card", "Status", "Due", "Plate", "Open"], "status": "approved",
           "signed_out": "Signed out.", "clock": "clock off"},
    "zh_CN": {"prompt": "请扫描工牌，或输入工牌号并按回车", "switch": "English", "pin": "请输入密码并按回车",
              "home": "我的工单：回车打开", "nobody": "无人登录",
              "columns": ["维修工单", "状态", "交车时间", "车牌", "未完"], "status": "已确认",
              "signed_out": "已退出登录。", "clock": "未计时"},
}


def in_language(settings, language):
    return dataclasses.replace(settings, language=language)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_sign_in_and_my_jobs_at_80x24_in_each_language(floor_staff, settings, language):
    words, tech = WORDS[language], floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    app = kiosk_app(in_language(settings, language))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert words["prompt"] in text and words["nobody"] in text and "Test Motors" in text
        assert footer_keys_all_shown(app) == [] and f"f2 {words['switch']}" in text.splitlines()[-1]
        await sign_in(pilot, badge_of(tech))
        text = screen_text(app)
        assert words["home"] in text and f"RO{job.id:06d}" in text and words["status"] in text
        assert all(column in text for column in words["columns"]), text
        assert words["clock"] in text.splitlines()[0] + text  # the header's running clock
        assert footer_keys_all_shown(app) == [], text
        assert len(text.splitlines()) == 24 and all(cell_len(line) <= 80 for line in text.splitlines())
        await pilot.press("f12")
        await settle(pilot)
        text = screen_text(app)
        assert words["signed_out"] in text and words["prompt"] in text


async def test_f2_on_the_sign_in_screen_switches_the_language_and_the_next_session_speaks_it(floor_staff,
                                                                                              settings):
    tech = floor_staff["technician"]
    app = kiosk_app(in_language(settings, "en"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        text = screen_text(app)
        assert WORDS["zh_CN"]["prompt"] in text and WORDS["zh_CN"]["nobody"] in text
        assert "f2 English" in text.splitlines()[-1] and footer_keys_all_shown(app) == []
        await pilot.press("f2")  # and back
        await settle(pilot)
        assert WORDS["en"]["prompt"] in screen_text(app) and "f2 中文" in screen_text(app)
        await pilot.press("f2")
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        assert WORDS["zh_CN"]["home"] in screen_text(app)
        await pilot.press("f12")  # the next person finds the shop's language again
        await settle(pilot)
        text = screen_text(app)
        assert WORDS["en"]["prompt"] in text and "Signed out." in text


async def test_the_pin_step_and_a_refusal_in_chinese_after_switching_mid_way(floor_staff, settings):
    tech = floor_staff["technician"]
    app = kiosk_app(in_language(settings, "en"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*badge_of(tech), "enter")
        await settle(pilot)
        assert WORDS["en"]["pin"] in screen_text(app)
        await pilot.press("f2")  # the PIN prompt follows
        await settle(pilot)
        assert f"工牌 {badge_of(tech)}：请输入密码并按回车" in screen_text(app)
        await pilot.press(*"9999", "enter")
        await settle(pilot)
        assert "工牌或密码不正确。" in screen_text(app)


async def test_an_employees_own_language_follows_the_badge_and_ends_with_the_session(floor_staff, settings):
    tech = floor_staff["technician"]
    Employee.update(language="zh_CN").where(Employee.id == tech.employee_id).execute()
    app = kiosk_app(in_language(settings, "en"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert WORDS["en"]["prompt"] in screen_text(app)
        await sign_in(pilot, badge_of(tech))
        text = screen_text(app)
        assert WORDS["zh_CN"]["home"] in text and "f12 退出登录" in text.splitlines()[-1]
        await pilot.press("f12")
        await settle(pilot)
        assert WORDS["en"]["prompt"] in screen_text(app)
    # and an English-speaking advisor on a Chinese shop's terminal
    advisor = floor_staff["advisor"]
    Employee.update(language="en").where(Employee.id == advisor.employee_id).execute()
    app = kiosk_app(in_language(settings, "zh_CN"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(advisor))
        assert "f12 Sign out" in screen_text(app).splitlines()[-1]


@pytest.mark.skipif(not shutil.which("tmux") or not shutil.which("kiosk"),
                    reason="needs tmux and the installed `kiosk` command")
@pytest.mark.tmux
def test_sign_in_in_chinese_through_a_real_terminal(floor_staff, sqlite_url):
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    session = TmuxSession(f"{shutil.which('kiosk')} --db {sqlite_url} --terminal bay-2",
                          env={"XDG_CONFIG_HOME": os.path.dirname(sqlite_url.split(':///')[1]),
                               "KIOSK_LANGUAGE": "en"})
    try:
        session.wait_for("Scan your badge")
        session.send("F2")
        session.wait_for("请扫描工牌")
        session.wait_for("f2 English")
        session.wait_for("bay-2 · 无人登录")
        session.send(badge_of(tech), "Enter")
        session.wait_for("请输入密码")
        session.send("1234", "Enter")
        session.wait_for("我的工单")
        session.wait_for(f"RO{job.id:06d}")
        session.wait_for("已确认")  # the whole status, not cut to the header's width
        session.wait_for("退出登录")
        screen = session.screen()
        lines = screen.rstrip("\n").splitlines()
        assert f"RO{job.id:06d}" in screen and "维修工单" in screen and "已确认" in screen
        assert all(cell_len(line) <= 80 for line in lines)
        assert all(key in lines[-1] for key in ("收工", "标签", "刷新", "退出登录")), screen
    finally:
        session.close()


async def test_a_manager_sets_an_employees_language_on_the_staff_screen(floor_staff, settings):
    manager, tech = floor_staff["manager"], floor_staff["technician"]
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(manager))
        table = app.screen.query_one("#staff")
        while table.selected_key() != badge_of(tech):
            await pilot.press("down")
        await pilot.press("f7")
        await settle(pilot)
        assert f"Badge {badge_of(tech)}: English from the next sign-in." in screen_text(app)
        await pilot.press("f7")
        await settle(pilot)
        text = screen_text(app)
        assert f"Badge {badge_of(tech)}: 中文 from the next sign-in." in text, text
    assert Employee.get_by_id(tech.employee_id).language == "zh_CN"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_staff_screens_footer_keeps_every_key_at_80_columns(floor_staff, settings, language):
    app = kiosk_app(in_language(settings, language))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["manager"]))
        assert footer_keys_all_shown(app) == []
        assert ("f7 语言" if language == "zh_CN" else "f7 Language") in screen_text(app).splitlines()[-1]
