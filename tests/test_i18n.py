"""Chinese and English: the catalogue matches the code, errors speak the reader's language, the language is
chosen by the shop, the environment and each employee, and dates and money read as each language writes them."""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk import auth, employees, i18n
from kiosk.config import load_settings
from kiosk.errors import BadgeLocked, ConfigError, InvalidInput, KioskError, NotFound, SignInRefused
from kiosk.store.models import Employee
from kiosk.text import clean, parse_date, parse_quantity


ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "kiosk" / "locale" / "zh_CN" / "LC_MESSAGES" / "kiosk.po"
MO = PO.with_suffix(".mo")
HOW_TO = ("see README 'Languages': pybabel extract -F babel.cfg ... && pybabel update ... && "
          "pybabel compile -d kiosk/locale -D kiosk")


def _source_messages() -> set:
    with open(ROOT / "babel.cfg") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    return {(context, message) for _file, _line, message, _comments, context
            in extract_from_dir(str(ROOT), method_map, options_map, comment_tags=("Translators:",))}


def _catalogue():
    with open(PO, "rb") as fh:
        return read_po(fh, locale="zh_CN")


def test_every_message_in_the_code_is_in_the_chinese_catalogue_and_nothing_else():
    in_code = _source_messages()
    in_po = {(message.context, message.id) for message in _catalogue() if message.id}
    assert in_code - in_po == set(), f"messages new in the code, not in kiosk.po ({HOW_TO})"
    assert in_po - in_code == set(), f"messages in kiosk.po that the code no longer has ({HOW_TO})"


def test_every_chinese_message_is_translated_and_keeps_its_values():
    for message in _catalogue():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy, check the translation: {message.id!r}"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(re.findall(r"\{[^}]*\}", ids[-1]))
        for text in strings:
            assert set(re.findall(r"\{[^}]*\}", text)) == wanted, f"values differ in {message.id!r}: {text!r}"


def test_the_compiled_catalogue_is_the_one_the_po_file_makes():
    import io

    compiled = io.BytesIO()
    write_mo(compiled, _catalogue())
    assert MO.read_bytes() == compiled.getvalue(), f"kiosk.mo is stale against kiosk.po ({HOW_TO})"


def test_english_is_the_message_itself_and_chinese_comes_from_the_catalogue():
    with i18n.use_language("en"):
        assert i18n.gettext("Sign out") == "Sign out"
        assert i18n.ngettext("Clocked off after {minutes} minute.", "Clocked off after {minutes} minutes.", 1) \
            == "Clocked off after {minutes} minute."
    with i18n.use_language("zh-CN"):
        assert i18n.gettext("Sign out") == "退出登录"
        assert i18n.gettext("Job card") == "维修工单"
        assert i18n.ngettext("Clocked off after {minutes} minute.", "Clocked off after {minutes} minutes.", 5) \
            .format(minutes=5) == "已收工，计时 5 分钟。"
        assert i18n.gettext("A sentence nobody has marked.") == "A sentence nobody has marked."


def test_a_context_speaks_its_own_language_and_a_worker_thread_the_sessions():
    i18n.set_session_language("zh_CN")
    seen = {}

    def worker(name, language=None):
        if language:
            with i18n.use_language(language):
                seen[name] = i18n.gettext("Sign out")
        else:
            seen[name] = i18n.gettext("Sign out")

    with i18n.use_language("en"):
        threads = [threading.Thread(target=worker, args=("session",)),
                   threading.Thread(target=worker, args=("own", "en"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert i18n.gettext("Sign out") == "Sign out"  # this context asked for English
    assert seen == {"session": "退出登录", "own": "Sign out"}
    assert i18n.gettext("Sign out") == "退出登录"


def test_unknown_language_names_the_known_ones():
    assert [i18n.normalise_language(v) for v in ("zh", "zh-CN", "zh_CN.UTF-8", "en", "EN_us", "")] == \
        ["zh_CN", "zh_CN", "zh_CN", "en", "en", ""]
    with pytest.raises(ValueError, match="en, zh_CN"):
        i18n.normalise_language("klingon")


def test_dates_numbers_and_money_as_each_language_writes_them():
    day = dt.date(2026, 12, 1)
    moment = dt.datetime(2026, 12, 1, 9, 30)
    with i18n.use_language("zh_CN"):
        assert i18n.format_date(day) == "2026年12月1日"
        assert i18n.format_datetime(moment) == "2026年12月1日 09:30"
        assert i18n.format_short_datetime(moment) == "12月1日 09:30"
        assert i18n.format_money("1234.5") == "¥1,234.50"
        assert i18n.format_number(1234567) == "1,234,567"
    with i18n.use_language("en"):
        assert i18n.format_date(day) == "2026-12-01"
        assert i18n.format_short_datetime(moment) == "01 Dec 09:30"
        assert i18n.format_money(1234.5).endswith("1,234.50")
    assert i18n.format_date(None) == "" and i18n.format_short_datetime(None) == ""


# --- errors carry a message id and their values --------------------------------------------------------------

def test_an_error_keeps_its_message_id_and_values_and_says_itself_in_the_readers_language():
    with pytest.raises(InvalidInput) as caught:
        clean("", i18n.N_("Quantity"), max_len=10, required=True)
    error = caught.value
    assert error.msgid == "{field} is required." and error.values == {"field": "Quantity"}
    assert error.message == str(error) == "Quantity is required."
    with i18n.use_language("zh_CN"):
        assert error.message == str(error) == "数量必须填写。"  # the same error, read by someone else


def test_an_error_made_from_a_finished_sentence_reads_as_before():
    error = KioskError("Job card RO000001 is in work.")
    assert error.message == str(error) == "Job card RO000001 is in work."
    with i18n.use_language("zh_CN"):
        assert error.message == "Job card RO000001 is in work."
    assert NotFound("x").args == ("x",)
    error.message = "Replaced {braces} stay as typed."
    assert str(error) == "Replaced {braces} stay as typed." and error.args == ("Replaced {braces} stay as typed.",)
    # a value the message does not name, or a message with stray braces, never turns into a traceback
    assert str(InvalidInput("Bad row {'a': 1}", row=3)) == "Bad row {'a': 1}"


@pytest.mark.parametrize("language, expected", [
    ("en", ["Scan your badge or type its number.",
            "That is not a badge number: use letters, digits and '-' only, at most 32.",
            "Badge is too long: 65 characters, at most 64.",
            "Type your PIN.", "A PIN is 4 to 8 digits.",
            "Quantity must be a whole number, not '三'.", "Quantity must be at least 1 (got 0).",
            "Quantity 10000 is too large; at most 9999 at a time.",
            "Promised must be a date like 2026-11-23, not 'nan'."]),  # a field name not marked with N_() stays
    ("zh_CN", ["请扫描工牌或输入工牌号。",
               "这不是工牌号：只能使用字母、数字和“-”，最多 32 个。",
               "工牌太长：65 个字符，最多 64 个。",
               "请输入密码。", "密码为 4 到 8 位数字。",
               "数量必须是整数，而不是 '三'。", "数量至少为 1（输入的是 0）。",
               "数量 10000 太大；一次最多 9999。",
               "Promised必须是日期，如 2026-11-23，而不是 'nan'。"]),
])
def test_bad_input_is_refused_in_the_readers_language(language, expected):
    calls = [lambda: auth.normalise_badge("\x00\u200b "), lambda: auth.normalise_badge("维修"),
             lambda: auth.normalise_badge("A" * 65), lambda: auth.check_pin_format(""),
             lambda: auth.check_pin_format("12\ud800"), lambda: parse_quantity("三"), lambda: parse_quantity("0"),
             lambda: parse_quantity("10000"), lambda: parse_date("nan", "Promised")]
    said = []
    with i18n.use_language(language):
        for call in calls:
            with pytest.raises(InvalidInput) as caught:
                call()
            said.append(caught.value.message)
    assert said == expected


@pytest.mark.parametrize("language, refused, locked", [
    ("en", "Badge or PIN not accepted.", "Wrong PIN. Badge {badge} is now locked for 15 min."),
    ("zh_CN", "工牌或密码不正确。", "密码错误。工牌 {badge} 已锁定 15 分钟。"),
])
def test_sign_in_refusals_in_both_languages(staff, language, refused, locked):
    badge = Employee.get_by_id(staff["technician"].employee_id).badge
    with i18n.use_language(language):
        for typed in ("NOBODY1", badge):
            with pytest.raises(SignInRefused) as caught:
                auth.sign_in(typed, "9999", terminal="bay-1", attempts=2)
            assert str(caught.value) == refused
        with pytest.raises(BadgeLocked) as caught:
            auth.sign_in(badge, "9999", terminal="bay-1", attempts=2)
        assert str(caught.value) == locked.format(badge=badge)
        with pytest.raises(BadgeLocked) as caught:
            auth.sign_in(badge, "1234", terminal="bay-1")
        assert badge in str(caught.value) and ("min" in str(caught.value) or "分钟" in str(caught.value))


# --- the language chosen by the shop, the environment and the employee ---------------------------------------

def test_the_shops_language_from_the_settings_file_and_the_environment_over_it(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('shop_name = "Riverside"\n')
    assert load_settings(config, env={}).language == "en"
    config.write_text('language = "zh-CN"\n')
    assert load_settings(config, env={}).language == "zh_CN"
    assert load_settings(config, env={"KIOSK_LANGUAGE": "en"}).language == "en"
    with pytest.raises(ConfigError, match="language"):
        load_settings(config, env={"KIOSK_LANGUAGE": "fr\x00"})


def test_labels_and_documents_follow_a_printers_own_language_else_the_shops(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('language = "zh_CN"\ndefault_printer = "bay"\n'
                      '[printers.bay]\nbackend = "folder"\n'
                      '[printers.returns]\nbackend = "folder"\nlanguage = "en"\n')
    settings = load_settings(config, env={})
    assert settings.document_language() == "zh_CN"
    assert settings.document_language("returns") == "en"


def test_an_employees_language_follows_their_badge(staff):
    manager = staff["manager"]
    employees.add_employee(manager, "T900", "王师傅", "technician", "1234", language="zh-CN")
    actor = auth.sign_in("T900", "1234", terminal="bay-1")
    assert actor.language == "zh_CN"
    employees.set_language(manager, "t900", "")
    assert auth.sign_in("T900", "1234", terminal="bay-1").language == ""
    employees.set_language(manager, "T900", "en")
    assert auth.sign_in("T900", "1234", terminal="bay-1").language == "en"
    with i18n.use_language("zh_CN"):
        with pytest.raises(InvalidInput, match="语言必须是以下之一：en, zh_CN。"):
            employees.set_language(manager, "T900", "日本語")
        with pytest.raises(NotFound, match="未知工牌 NOBODY。"):
            employees.set_language(manager, "NOBODY", "en")
    assert Employee.get(Employee.badge == "T900").language == "en"  # the refused changes wrote nothing


def test_only_a_manager_sets_someones_language(staff):
    from kiosk.errors import NotAllowed

    with pytest.raises(NotAllowed):
        employees.set_language(staff["technician"], "T900", "en")


def test_the_first_manager_from_the_command_line_with_a_language(sqlite_url, capsys, monkeypatch):
    import io

    from kiosk import cli
    from kiosk.store import close_database

    close_database()
    monkeypatch.setattr("sys.stdin", io.StringIO("4321\n"))
    assert cli.main(["--db", sqlite_url, "employee", "add", "--badge", "M1", "--name", "李经理",
                     "--language", "zh-CN"]) == 0
    from kiosk.store import open_database

    open_database(sqlite_url)
    assert Employee.get(Employee.badge == "M1").language == "zh_CN"


def test_the_command_line_says_its_errors_in_the_shops_language(sqlite_url, capsys, monkeypatch):
    import io

    from kiosk import cli
    from kiosk.store import close_database

    close_database()
    monkeypatch.setenv("KIOSK_LANGUAGE", "zh_CN")
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert cli.main(["--db", sqlite_url, "employee", "add", "--badge", "M1", "--name", "李经理"]) == 1
    assert capsys.readouterr().err.strip() == "kiosk: 密码为 4 到 8 位数字。"


def test_the_compiled_catalogues_are_package_data_so_pip_install_has_them():
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as fh:
        package_data = tomllib.load(fh)["tool"]["setuptools"]["package-data"]["kiosk"]
    assert "locale/*/LC_MESSAGES/*.mo" in package_data
    assert "Babel" in " ".join(tomllib.load(open(ROOT / "pyproject.toml", "rb"))["project"]["dependencies"])
    assert i18n.catalogue("zh_CN").gettext("Sign out") == "退出登录"  # found beside the installed module
