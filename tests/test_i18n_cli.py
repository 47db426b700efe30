"""The last English-only corners said in both languages: VINs at reception, job-card printing, reports, the audit
pack, backups, settings, first run, the database, files, printers, SSH, the keymap and the `kiosk` command itself.
A Chinese run of the command prints no English words (the values it names aside)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import auditpack, backup, customers, firstrun, i18n, jobcard_print, reports, ssh, vin
from kiosk.config import Settings, load_settings
from kiosk.errors import ConfigError, InvalidInput, StoreError
from kiosk.files import write_bytes
from kiosk.printers import PrintedTestLabel
from kiosk.store import open_database

ROOT = Path(__file__).resolve().parent.parent


def said(language: str, call, error=Exception) -> str:
    with i18n.use_language(language):
        with pytest.raises(error) as caught:
            call()
        return caught.value.message


def both(call, error=Exception) -> tuple[str, str]:
    return said("en", call, error), said("zh_CN", call, error)


def english_words(text: str, *values: str) -> list[str]:
    """Latin words left once the values a message names (paths, codes, the command's name) are taken out."""
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, " ")
    return re.findall(r"[A-Za-z]{2,}", text)


def kiosk(*args: str, tmp_path: Path, language: str = "zh_CN", config: Path | None = None):
    if config is None:
        config = tmp_path / "kiosk.toml"
        config.write_text('shop_name = "测试汽修"\n', encoding="utf-8")
    env = {**os.environ, "USER": "nightly", "KIOSK_LANGUAGE": language, "KIOSK_CONFIG": str(config),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)


# --- VINs at reception ---------------------------------------------------------------------------------------

def test_a_bad_vin_at_reception_is_refused_in_both_languages():
    assert both(lambda: vin.validate("LSVAU2180N2I83527", check_required=True), InvalidInput) == (
        "VIN character 12 is 'I': the letters I, O and Q never appear in a VIN.",
        "车架号第 12 位是“I”：车架号中不会出现字母 I、O 和 Q。")
    assert both(lambda: vin.validate("LSVAU2180N218352", check_required=True), InvalidInput) == (
        "A VIN has 17 characters; this one has 16.", "车架号应为 17 位；此车架号有 16 位。")
    assert both(lambda: vin.validate("  ", check_required=True), InvalidInput)[1] == "必须填写车架号：17 位。"
    assert both(lambda: vin.validate("LSVAU2180N21835#", check_required=True), InvalidInput)[1] == (
        "车架号第 16 位是“#”：只能是字母和数字。")
    with i18n.use_language("zh_CN"):
        assert vin.validate("WVWZZZ1KZAW000000", check_required=False).warning == (
            "车架号校验位（第 9 位）是“Z”，应为“9”：请检查是否输错。")


def test_a_check_digit_that_does_not_match_when_putting_a_vehicle_on_file(staff):
    advisor = staff["advisor"]
    customer_id = customers.create_customer(advisor, "王小明", "13800138000")
    english, chinese = both(lambda: customers.create_vehicle(advisor, customer_id, "LSVAU2180N2183527",
                                                             check_required=True), vin.CheckDigitMismatch)
    assert english.startswith("VIN check digit (character 9) is '0' but should be ")
    assert chinese.startswith("车架号校验位（第 9 位）是“0”，应为“")
    assert chinese.endswith("没有校验位的车架号（多数欧洲车辆）需填写原因后建档。")
    with i18n.use_language("zh_CN"):
        added = customers.create_vehicle(advisor, customer_id, "LSVAU2180N2183527", check_required=True,
                                         vin_override_reason="欧洲进口车")
    assert added.warning.startswith("车架号 LSVAU2180N2183527 已在校验位不符的情况下建档")
    assert added.warning.endswith("原因：欧洲进口车")


# --- Documents, reports, the audit pack, printers, SSH, first run -------------------------------------------

def test_job_card_printing_refusals_in_both_languages(tmp_path):
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'k.sqlite'}", config_path="",
                        printers={"labels": {"backend": "folder", "path": str(tmp_path)}})
    assert both(lambda: jobcard_print.document_printer(settings, "office"), InvalidInput) == (
        "No printer named 'office' in the settings; printers: labels.",
        "设置中没有名为“office”的打印机；已有打印机：labels。")
    assert both(lambda: jobcard_print.document_printer(settings, "labels"), InvalidInput)[1] == (
        "打印机 labels 只把标签文件写入文件夹；打印维修工单需要 CUPS 打印机。")
    assert both(lambda: jobcard_print._job_id(10 ** 12), InvalidInput) == (
        "That is not a job-card number (like RO000123).", "这不是维修工单号（应如 RO000123）。")


def test_a_month_that_is_no_month_in_both_languages():
    assert both(lambda: reports.parse_month("13/2026"), InvalidInput) == (
        "Month '13/2026': there is no month 13; months run from 1 to 12.",
        "月份 '13/2026'：没有 13 月；月份为 1 到 12。")
    assert both(lambda: reports.parse_month("soon"), InvalidInput)[1] == (
        "月份应写成 2026-10 或 10/2026，而不是 'soon'。")


def test_the_audit_pack_refusals_in_both_languages(tmp_path):
    assert both(lambda: auditpack.write_pack(None, [], tmp_path), InvalidInput) == (
        "Give at least one VIN or job-card number.", "请至少给出一个车架号或维修工单号。")
    # A file column's name stands apart from the Chinese around it.
    assert both(lambda: auditpack.keys_from_csv(b"plate\n\xe6\xb2\xaaA12345\n"), InvalidInput)[1] == (
        "CSV 的第一行必须有“vin”或“job_card”列（找到的是：plate）。")


def test_printers_ssh_and_first_run_in_both_languages(tmp_path):
    printed = PrintedTestLabel("TEST-1202", "labels", "/tmp/labels/TEST-1202.png")
    with i18n.use_language("zh_CN"):
        assert printed.message == ("测试标签已发送到 labels（/tmp/labels/TEST-1202.png）。"
                                   "请扫描它：扫描枪应读出 TEST-1202。")
    assert printed.message.startswith("Test label sent to labels")
    assert both(lambda: ssh.sshd_snippet(Settings(config_path=""), account="bad name"), InvalidInput) == (
        "The SSH account name must be letters, digits, '-' or '_'.", "SSH 账户名只能包含字母、数字、“-”或“_”。")
    assert both(lambda: firstrun.dealer_code("D 01"), InvalidInput)[1] == (
        "经销商代码只能包含字母、数字和“-”（它会印在每张条码标签上）。")
    assert both(lambda: firstrun.choice(["a", "b"], "Printer")("7"), InvalidInput) == (
        "Type a number from 1 to 2.", "请输入 1 到 2 之间的数字。")


def test_a_file_that_cannot_be_written_says_why_in_both_languages(tmp_path):
    (tmp_path / "a-file").write_text("x")
    target = tmp_path / "a-file" / "job-cards" / "RO000001.pdf"
    english, chinese = both(lambda: write_bytes(target, b"%PDF", what=jobcard_print.N_("the job card")),
                            InvalidInput)
    assert english == f"Cannot write the job card to {target.parent}: Not a directory." or english.startswith(
        "Cannot write the job card to ")
    assert chinese.startswith("无法将维修工单写入 ") and chinese.endswith("路径中有一部分是文件而不是文件夹。")


# --- Settings, the database, the keymap -----------------------------------------------------------------------

def test_a_bad_settings_file_in_both_languages(tmp_path):
    bad = tmp_path / "kiosk.toml"
    bad.write_text('shop = "测试"\n', encoding="utf-8")
    assert both(lambda: load_settings(bad, env={}), ConfigError) == (
        f"Unknown setting(s) in {bad}: shop", f"{bad} 中有未知设置：shop")
    assert both(lambda: load_settings(tmp_path / "none.toml", env={}), ConfigError)[1] == (
        f"设置文件 {tmp_path / 'none.toml'} 不存在。")
    assert both(lambda: load_settings(None, env={"KIOSK_CONFIG": str(bad), "KIOSK_LANGUAGE": "fr"}),
                ConfigError)[1].startswith(f"{bad} 中有未知设置")
    bad.write_text('language = "fr"\n', encoding="utf-8")
    assert both(lambda: load_settings(bad, env={}), ConfigError)[1] == (
        f"{bad} 或 KIOSK_LANGUAGE 中的设置“language”有误：'fr' 不是本终端支持的语言（en, zh_CN）。")


def test_a_database_that_cannot_be_opened_in_both_languages(tmp_path):
    (tmp_path / "shop.sqlite").mkdir()
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    assert both(lambda: open_database(url), StoreError) == (
        f"Cannot open database {tmp_path / 'shop.sqlite'}: it is a folder.",
        f"无法打开数据库 {tmp_path / 'shop.sqlite'}：这是一个文件夹。")
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all, just text" * 100)
    assert both(lambda: open_database(f"sqlite:///{tmp_path / 'junk.sqlite'}"), StoreError)[1] == (
        f"无法打开数据库 sqlite:///{tmp_path / 'junk.sqlite'}：该文件不是数据库")


def test_a_keymap_that_would_fire_on_a_scan_in_both_languages():
    from kiosk.app import KioskApp
    from kiosk.screens.keymap import check_keymap

    assert both(lambda: check_keymap({"sign-outt": "f12"}, KioskApp), ConfigError) == (
        'keymap in the settings: no key has the id "sign-outt" (did you mean "sign-out"?).',
        '设置中的“keymap”：没有编号为“sign-outt”的按键（您是不是指“sign-out”？）。')
    assert both(lambda: check_keymap(["f12"], KioskApp, "kiosk.toml"), ConfigError)[1].startswith(
        "kiosk.toml中的“keymap”必须是")
    assert "扫描时会误触发" in both(lambda: check_keymap({"sign-out": "x"}, KioskApp), ConfigError)[1]


# --- The kiosk command, run in Chinese --------------------------------------------------------------------------

def test_a_backup_in_process_and_its_folder_refused_in_both_languages(staff, store_url, tmp_path):
    (tmp_path / "a-file").write_text("x")
    folder = tmp_path / "a-file" / "backups"
    english, chinese = both(lambda: backup.backup(staff["manager"], store_url, folder), InvalidInput)
    assert english.startswith(f"Cannot create the backup folder {folder}: ")
    assert chinese == f"无法创建备份文件夹 {folder}：路径中有一部分是文件而不是文件夹。"
    assert both(lambda: backup.backup(staff["manager"], store_url, folder, keep=0), InvalidInput)[1] == (
        "“backup_keep”必须是至少为 1 的整数，而不是 0。")
    assert both(lambda: backup.restore(staff["manager"], store_url, tmp_path / "none.sqlite"), InvalidInput)[1] == (
        f"{tmp_path / 'none.sqlite'} 处没有备份。")


def test_kiosk_db_backup_into_a_folder_it_cannot_make_says_so_in_chinese(sqlite_url, tmp_path):
    (tmp_path / "a-file").write_text("x")
    folder = tmp_path / "a-file" / "backups"
    done = kiosk("--db", sqlite_url, "db", "backup", str(folder), tmp_path=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == f"kiosk: 无法创建备份文件夹 {folder}：路径中有一部分是文件而不是文件夹。"
    assert english_words(done.stderr, "kiosk", str(folder)) == []
    english = kiosk("--db", sqlite_url, "db", "backup", str(folder), tmp_path=tmp_path, language="en")
    assert english.stderr.startswith(f"kiosk: Cannot create the backup folder {folder}: ")
    written = kiosk("--db", sqlite_url, "db", "backup", str(tmp_path / "backups"), tmp_path=tmp_path)
    assert written.returncode == 0, written.stderr
    assert english_words(written.stdout, "kiosk", str(tmp_path / "backups"), ".sqlite") == []
    assert "已校验" in written.stdout


def test_kiosk_with_a_bad_settings_file_says_so_in_the_environments_language(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('shop = "x"\nregion = "CN"\n', encoding="utf-8")
    done = kiosk("check", "stock", tmp_path=tmp_path, config=bad)
    assert done.returncode == 1
    assert done.stderr.strip() == f"kiosk: {bad} 中有未知设置：shop"
    assert english_words(done.stderr, "kiosk", str(bad), "shop") == []
    assert kiosk("check", "stock", tmp_path=tmp_path, config=bad, language="en").stderr.strip() == (
        f"kiosk: Unknown setting(s) in {bad}: shop")


def test_kiosk_commands_and_their_mistakes_in_chinese(sqlite_url, tmp_path):
    missing = kiosk("--db", sqlite_url, "label", tmp_path=tmp_path)
    assert missing.returncode == 2
    usage, *_, error = missing.stderr.strip().splitlines()
    assert usage.startswith("用法：kiosk label")
    assert error == "kiosk label：错误：缺少以下参数：tag"
    assert english_words(error, "kiosk label", "tag") == []
    restore = kiosk("--db", sqlite_url, "db", "restore", tmp_path=tmp_path)
    assert restore.stderr.strip() == "kiosk: 请指定要恢复的备份文件：kiosk db restore 文件。"
    stock = kiosk("--db", sqlite_url, "check", "stock", tmp_path=tmp_path)
    assert stock.returncode == 0 and english_words(stock.stdout) == []
    month = kiosk("--db", sqlite_url, "claims", "check", "--month", "13/2026", tmp_path=tmp_path)
    assert month.stderr.strip() == "kiosk: 月份 '13/2026'：没有 13 月；月份为 1 到 12。"
    folder_db = tmp_path / "shop.sqlite"
    folder_db.mkdir()
    opened = kiosk("--db", f"sqlite:///{folder_db}", "check", "stock", tmp_path=tmp_path)
    assert opened.stderr.strip() == f"kiosk: 无法打开数据库 {folder_db}：这是一个文件夹。"
    helped = kiosk("--help", tmp_path=tmp_path)
    assert "位置参数" in helped.stdout and "显示此帮助信息并退出" in helped.stdout
    assert "车间终端：维修工单、发料、索赔件标签和打印。" in helped.stdout


def test_a_price_files_column_names_stand_apart_in_chinese(sqlite_url, tmp_path):
    from kiosk.catalogue_import import parse_line

    assert both(lambda: parse_line({"part_number": "A1", "unit_price": "abc"}), InvalidInput) == (
        "unit_price must be an amount like 123.45, not 'abc'.", "“unit_price”必须是金额，如 123.45，而不是 'abc'。")
    assert both(lambda: parse_line({"part_number": ""}), InvalidInput)[1] == "“part_number”必须填写。"
    prices = tmp_path / "prices.csv"
    prices.write_text("part_number,description,unit_price\nVW000123,机油滤清器,12,5\nVW000124,刹车片,abc\n",
                      encoding="utf-8")
    done = kiosk("--db", sqlite_url, "parts", "import", str(prices), tmp_path=tmp_path)
    assert done.returncode == 1
    assert "“unit_price”必须是金额，如 123.45，而不是 'abc'。" in done.stderr
    assert english_words(done.stderr, "kiosk", str(prices), "unit_price", "abc", "--skip-bad") == []


def test_the_sshd_snippet_explains_itself_in_chinese(tmp_path):
    with i18n.use_language("zh_CN"):
        snippet = ssh.sshd_snippet(Settings(config_path="", db_url="sqlite:////srv/kiosk.sqlite"), account="desk")
    comments = [line[2:] for line in snippet.splitlines() if line.startswith("# ")]
    assert comments[0] == "车间终端：账户“desk”的用户只能使用终端，不能进入命令行。"
    sentences = "\n".join(c for c in comments if not c.startswith(" "))  # not the settings' example lines
    assert english_words(sentences, "desk", "/etc/ssh/sshd_config.d/kiosk", "/etc/ssh/sshd_config", "conf", "sshd",
                         "exports_dir", "authorized_keys", "~desk/.local/share/kiosk", "CSV", "PDF") == []
    assert "Match User desk" in snippet and "ForceCommand" in snippet
