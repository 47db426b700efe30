"""What leaves the kiosk on paper or in a file speaks the right language: a tag label's captions follow its
printer (or the shop), bilingual when asked; the job card, the claim list (PDF and CSV) in the language of whoever
asked; the command line in the shop's language."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess
import sys
from dataclasses import replace

import pytest
from PIL import Image

from kiosk import i18n, jobcard_print, labelqueue, report_export, reports
from kiosk.config import load_settings
from labels import STOCKS
from labels.data import CAPTIONS
from labels.render import ELLIPSIS, layout, render

from .factories import make_job_card, make_tag
from .labels.conftest import read_barcodes
from .test_jobcard_print import text_of, three_line_card


@pytest.fixture
def tag(store_url, staff):
    job = make_job_card(staff["technician"].employee_id)
    made = make_tag(job, staff["technician"].employee_id, part_number="VW000123")
    from kiosk.store.models import WarrantyTag

    WarrantyTag.update(causal=True, labour_operation="BR1001", complaint="刹车异响 noise when braking",
                       description="前刹车片 Front brake pads").where(WarrantyTag.id == made.id).execute()
    return made.tag_number


def printers(tmp_path, **languages) -> dict:
    return {name: {"backend": "folder", "path": str(tmp_path / name), "language": language}
            for name, language in languages.items()}


def captions_drawn_whole(label, stock, dpi=300) -> list[str]:
    """Each caption on the label, checked to stand whole at the start of its cell (a value may be cut, never it)."""
    plan = layout(label, stock, dpi)
    found = []
    for key in ("order", "vin", "odometer", "part", "operation", "complaint", "causal"):
        caption = label.caption(key)
        cells = [c.text for c in plan.cells if c.text.startswith(caption)]
        if cells:
            assert ELLIPSIS not in cells[0][:len(caption)], (caption, cells[0])
            found.append(caption)
    return found


def test_a_chinese_shop_prints_chinese_captions_that_fit_and_the_tag_still_scans(tag, settings, tmp_path):
    shop = replace(settings, language="zh_CN")
    label = labelqueue.label_data(labelqueue.find_tag(tag), shop)
    assert label.captions["causal"] == "主因件" and label.captions["part"] == "零件号"
    for stock in ("brother-62x29", "2x1in", "4x2in", "brother-62"):  # small, large and continuous stock
        shown = captions_drawn_whole(label, STOCKS[stock])
        assert {"主因件", "维修工单", "零件号"} <= set(shown), (stock, shown)
    image = labelqueue.render_tag(tag, shop)
    assert read_barcodes(image) == [tag]


def test_a_printers_own_language_wins_and_zh_cn_plus_en_makes_a_bilingual_tag(tag, settings, tmp_path):
    shop = replace(settings, language="zh_CN", printers=printers(tmp_path, returns="en", both="zh_CN+en", labels=""),
                   default_printer="labels")
    assert shop.document_language("returns") == "en"
    assert shop.document_language("both") == "zh_CN+en"
    assert shop.document_language("labels") == "zh_CN"
    english = labelqueue.label_data(labelqueue.find_tag(tag), shop, "returns")
    assert english.captions == CAPTIONS
    both = labelqueue.label_data(labelqueue.find_tag(tag), shop, "both")
    assert both.captions["odometer"] == "里程/ODO" and both.captions["causal"] == "主因件/CAUSAL"
    assert "维修工单/RO" in captions_drawn_whole(both, STOCKS["brother-62x29"])
    assert read_barcodes(labelqueue.render_tag(tag, shop, printer="both")) == [tag]


def test_an_english_label_reads_as_it_always_did(tag, settings):
    label = labelqueue.label_data(labelqueue.find_tag(tag), settings)
    texts = [c.text for c in layout(label, STOCKS["brother-62x29"], 300).cells]
    assert "CAUSAL" in texts and any(t.startswith("RO") for t in texts) and any(t.startswith("P/N ") for t in texts)
    assert isinstance(render(label, STOCKS["brother-62x29"], 300), Image.Image)


def test_a_job_card_asked_for_in_chinese_has_the_chinese_heads_and_dates(staff, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    job_id = three_line_card(staff)
    with i18n.use_language("zh_CN"):
        path = jobcard_print.job_card_pdf(staff["advisor"], job_id, settings)
    text = text_of(path)
    for expected in ("维修工单 RO", "客户：张伟", "车牌：粤B 6C2J8", "故障现象（客户原话）", "维修措施",
                     "报价（与客户确认的价格）", "旧件", "客户签字", "服务顾问签字", "付款方：保修", "年",
                     "客户确认"):  # the customer's approval, not the manufacturer's (批准)
        assert expected in text, expected
    assert "第1页/共1" in "".join(text.split())
    assert "Job card" not in text and "Customer pays" not in text
    # the same card asked for in English stays English
    path = jobcard_print.job_card_pdf(staff["advisor"], job_id, settings)
    assert "Job card RO" in text_of(path)


@pytest.fixture
def claims_month(store_url, staff):
    tech = staff["technician"].employee_id
    job = make_job_card(tech)
    for day in (3, 14):
        make_tag(job, tech, tagged_at=dt.datetime(2026, 10, day, 9, 30))
    return dt.date(2026, 10, 1)


def test_a_claim_list_exported_by_a_chinese_reader_has_chinese_heads_in_pdf_and_csv(claims_month, staff, tmp_path,
                                                                                     monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    advisor = staff["advisor"]
    with i18n.use_language("zh_CN"):  # the advisor's session language, as the Reports screen runs it
        report = reports.claim_list(advisor, claims_month, today=dt.date(2026, 11, 3))
        pdf = report_export.export_pdf(advisor, report, "Test Motors")
        table = report_export.export_csv(advisor, report)
    text = text_of(pdf)
    for expected in ("索赔申请单 2026-10（截止 2026年11月10日）", "标签号", "维修工单", "车架号", "就绪", "索赔单号",
                     "2 个索赔件待申请索赔", "打印于 20"):
        assert expected in text, expected
    with table.open(encoding="utf-8-sig", newline="") as handle:
        heads = next(csv.reader(handle))
        rows = list(csv.reader(handle))
    assert heads[:4] == ["标签号", "就绪", "维修工单", "挂签时间"]
    assert len(heads) == len(reports.CLAIM_COLUMNS)
    # each claim's readiness and its problems, said in the language of whoever exported the list
    for row in rows:
        cells = dict(zip(reports.CLAIM_COLUMNS, row))
        assert cells["Readiness"].endswith(" 个问题") and cells["Claim status"] == "尚未申请索赔"
        assert cells["Problems"].startswith("第 1 行") and "。 " not in cells["Problems"]
        assert re.findall(r"[A-Za-z]{2,}", re.sub(r"\b(?:RO\d{6}|F\d{1,2}|W\d{7}|VW000123|BR1001)\b", "",
                                                  cells["Problems"])) == [], cells["Problems"]
    # the same export in English keeps the English heads
    english = report_export.export_csv(advisor, reports.claim_list(advisor, claims_month, today=dt.date(2026, 11, 3)))
    with english.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == list(reports.CLAIM_COLUMNS)


def kiosk(*args, language="", cwd=None):
    env = {**os.environ, "KIOSK_LANGUAGE": language}
    env.pop("KIOSK_DB", None)
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120)


def test_the_command_line_speaks_the_shops_language(tmp_path):
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite'}"
    assert kiosk("--db", url, "db", "upgrade", cwd=tmp_path).returncode == 0
    chinese = kiosk("--db", url, "check", "stock", language="zh_CN", cwd=tmp_path)
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.strip() == "库存：每个零件的现有数量均与台账一致"
    english = kiosk("--db", url, "check", "stock", language="en", cwd=tmp_path)
    assert english.stdout.strip() == "stock: on-hand equals the ledger for every part"
    upgraded = kiosk("--db", url, "db", "upgrade", language="zh_CN", cwd=tmp_path)
    assert upgraded.stdout.strip().endswith("已是最新")


def test_the_demo_badge_list_and_backup_lines_in_chinese(tmp_path):
    from kiosk.backup import BackupCopy
    from kiosk.demo_badges import badge_sheet

    with i18n.use_language("zh_CN"):
        sheet = badge_sheet().splitlines()
        copy = BackupCopy(tmp_path / "b.sqlite", {"part": 3}, "").message
    assert sheet[0] == "演示工牌（扫描或输入工牌号，再输入 PIN）："
    assert "技师" in sheet[1] and "配件员" in "\n".join(sheet)
    assert copy.startswith("备份已写入") and "1 张表，3 行" in copy
    assert load_settings(os.devnull, env={"KIOSK_LANGUAGE": "zh_CN"}).language == "zh_CN"


def test_an_audit_pack_asked_for_in_chinese(store_url, staff, tmp_path):
    from kiosk import auditpack

    job = make_job_card(staff["technician"].employee_id)
    make_tag(job, staff["technician"].employee_id, part_number="VW000123")
    number = f"RO{job.id:06d}"
    with i18n.use_language("zh_CN"):
        pack = auditpack.write_pack(staff["advisor"], [number, "RO999999"], tmp_path / "pack")
    text = text_of(pack.folder / f"{number}.pdf")
    for expected in ("审核资料 · 维修工单", "客户：王小明", "工时记录", "拆下的零件", "零件 VW000123", "质检与交车",
                     "安全件批准"):
        assert expected in text, expected
    with pack.index.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle))[:3] == ["查询内容", "类型", "维修工单"]
