"""Warranty reports against known data: day and week boundaries, void tags, the claim list and its reminder,
major faults, safety approvals, the settlement, bad periods, and the CSV and PDF exports."""

import csv
import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from kiosk import claims, report_export, reports, warranty
from kiosk.errors import InvalidInput, NotAllowed
from kiosk.store.models import AuditEvent, MajorFault, WarrantyTag

from .factories import make_job_card, make_tag

T = dt.datetime
# The week of Monday 2026-10-12 to Sunday 2026-10-18.
TIMES = {
    "sun_before": T(2026, 10, 11, 23, 59, 59),
    "monday": T(2026, 10, 12, 0, 0, 0),
    "wed_morning": T(2026, 10, 14, 10, 30),
    "wed_last_second": T(2026, 10, 14, 23, 59, 59),
    "thursday": T(2026, 10, 15, 0, 0, 0),
    "sunday": T(2026, 10, 18, 23, 59, 59),
    "next_monday": T(2026, 10, 19, 0, 0, 0),
    "refused": T(2026, 10, 20, 9, 0),
    "september": T(2026, 9, 30, 23, 59, 59),
    "november": T(2026, 11, 1, 0, 0, 0),
}


@pytest.fixture
def shop(store_url, staff, settings):
    """Tags across the week of 12 October 2026 and around the month, one voided on the Wednesday."""
    tech = staff["technician"].employee_id
    jobs = [make_job_card(tech), make_job_card(tech)]
    made = {}
    for number, (name, at) in enumerate(TIMES.items()):
        made[name] = make_tag(jobs[number % 2], tech, tagged_at=at, part_number=f"VW{number:06d}")
    WarrantyTag.update(quantity=2, causal=True, labour_operation="BR1001", complaint="刹车异响\nnoise when braking",
                       cause="Pads glazed 刹车片釉化").where(WarrantyTag.id == made["wed_morning"].id).execute()
    WarrantyTag.update(approval="refused").where(WarrantyTag.id == made["refused"].id).execute()
    void = make_tag(jobs[0], tech, tagged_at=T(2026, 10, 14, 12, 0), part_number="VW999999")
    WarrantyTag.update(approval="needed").where(WarrantyTag.id == void.id).execute()
    warranty.void_tag(staff["advisor"], void.tag_number, "tagged the wrong part")
    tags = {name: WarrantyTag.get_by_id(t.id) for name, t in made.items()}
    return {"jobs": jobs, "tags": tags, "void": void, "settings": settings, **staff}


def numbers(rows) -> list[str]:
    return [cells[0] for _, cells in rows]


def claim(shop, name, number, status, paid_on=None, amount=None, debited=None):
    claims.record_claim(shop["parts_clerk"], claims.Claim(shop["tags"][name].tag_number, number, status, paid_on,
                                                          amount, debited), shop["settings"])


# ---------------------------------------------------------------- fault reports


def test_the_daily_fault_report_holds_the_days_tags_to_the_last_second_and_no_void_tag(shop):
    t, tech = shop["tags"], shop["technician"]
    report = reports.daily_fault_report(shop["advisor"], dt.date(2026, 10, 14))
    rows = reports.report_rows(report)
    assert numbers(rows) == [t["wed_morning"].tag_number, t["wed_last_second"].tag_number]
    assert rows[0][1] == (t["wed_morning"].tag_number, f"RO{t['wed_morning'].job_id:06d}", "2026-10-14 10:30",
                          t["wed_morning"].vin, "42000", "VW000002", "Front brake pad set 前刹车片", "2", "yes",
                          "BR1001", "刹车异响 noise when braking", "Pads glazed 刹车片釉化", tech.name)
    assert report.columns == reports.FAULT_COLUMNS
    assert report.title == "Daily fault report 2026-10-14"
    assert report.totals == ("2 warranty part(s), quantity 3, on 2 job card(s)",)


def test_the_weekly_fault_report_runs_monday_to_sunday_whichever_day_is_given(shop):
    t = shop["tags"]
    expected = [t[n].tag_number for n in ("monday", "wed_morning", "wed_last_second", "thursday", "sunday")]
    for day in (dt.date(2026, 10, 12), dt.date(2026, 10, 14), dt.date(2026, 10, 18)):
        report = reports.weekly_fault_report(shop["advisor"], day)
        assert numbers(reports.report_rows(report)) == expected
        assert report.title == "Weekly fault report 2026-10-12 to 2026-10-18"
    assert report.totals == ("5 warranty part(s), quantity 6, on 2 job card(s)",)
    assert report.file_stem == "weekly-fault-report-2026-10-12-to-2026-10-18"


def test_rows_page_by_keyset_and_all_rows_reads_in_chunks(shop):
    report = reports.weekly_fault_report(shop["advisor"], dt.date(2026, 10, 14))
    seen, after = [], None
    while True:
        page = reports.report_rows(report, after, 2)
        seen += numbers(page)
        if len(page) < 2:
            break
        after = page[-1][0]
    assert seen == numbers(reports.report_rows(report))
    assert [cells[0] for cells in reports.all_rows(report, chunk=2)] == seen


def test_an_empty_day_is_an_empty_report_not_an_error(shop):
    report = reports.daily_fault_report(shop["advisor"], dt.date(2026, 10, 13))
    assert reports.report_rows(report) == []
    assert report.totals == ("0 warranty part(s), quantity 0, on 0 job card(s)",)


def test_reports_need_report_view(shop):
    with pytest.raises(NotAllowed, match="report.view"):
        reports.daily_fault_report(shop["technician"], dt.date(2026, 10, 14))
    with pytest.raises(NotAllowed, match="report.view"):
        reports.build(shop["technician"], "settlement", "2026-10")
    assert reports.claim_list(shop["parts_clerk"], dt.date(2026, 10, 1), today=dt.date(2026, 11, 3))


# ---------------------------------------------------------------- claim list and its reminder


def test_the_claim_list_is_the_months_tags_without_void_or_refused_ones(shop):
    t = shop["tags"]
    claim(shop, "monday", "C-1", "submitted")
    report = reports.claim_list(shop["advisor"], dt.date(2026, 10, 1), today=dt.date(2026, 11, 3))
    rows = reports.report_rows(report)
    assert numbers(rows) == [t[n].tag_number for n in ("sun_before", "monday", "wed_morning", "wed_last_second",
                                                          "thursday", "sunday", "next_monday")]
    assert rows[1][1][11:15] == ("VW", "", "C-1", "submitted")
    assert rows[0][1][13:15] == ("", "not yet claimed")
    assert rows[0][1][1].endswith("problems")  # a tag made behind the rules' back (kiosk.readiness)
    assert report.title == "Claim list 2026-10 (due 2026-11-10)"
    assert report.totals == ("7 tag(s) to claim, 6 not yet claimed; due in 7 day(s), by 2026-11-10",)


@pytest.mark.parametrize("today, expected", [
    (dt.date(2026, 10, 31), "Claim list 2026-09: 1 tag(s) not yet claimed, overdue by 21 day(s): it was due "
                            "2026-10-10."),  # October's list is not due yet
    (dt.date(2026, 11, 1), "Claim list 2026-10: 7 tag(s) not yet claimed, due in 9 day(s), by 2026-11-10."),
    (dt.date(2026, 11, 10), "Claim list 2026-10: 7 tag(s) not yet claimed, due today."),
    (dt.date(2026, 11, 11), "Claim list 2026-10: 7 tag(s) not yet claimed, overdue by 1 day(s): it was due "
                            "2026-11-10."),
])
def test_the_claim_list_reminder_from_the_first_of_the_following_month(shop, today, expected):
    assert reports.claim_list_reminder(today) == expected


def test_the_reminder_goes_once_every_tag_of_the_month_is_claimed(shop):
    for number, name in enumerate(("sun_before", "monday", "wed_morning", "wed_last_second", "thursday", "sunday")):
        claim(shop, name, f"C-{number}", "submitted")
    assert "1 tag(s) not yet claimed" in reports.claim_list_reminder(dt.date(2026, 11, 12))
    claim(shop, "next_monday", "C-9", "submitted")
    assert reports.claim_list_reminder(dt.date(2026, 11, 12)) is None
    report = reports.claim_list(shop["advisor"], dt.date(2026, 10, 1), today=dt.date(2026, 11, 12))
    assert report.totals == ("7 tag(s) to claim, 0 not yet claimed; all claimed",)


def test_claim_list_state_words():
    month = dt.date(2026, 10, 1)
    assert reports.claim_list_state(month, 3, dt.date(2026, 10, 20)) == "the month is still running; due 2026-11-10"
    assert reports.claim_list_state(month, 3, dt.date(2026, 11, 9)) == "due in 1 day(s), by 2026-11-10"
    assert reports.claim_list_state(month, 0, dt.date(2026, 12, 9)) == "all claimed"
    assert reports.claim_due_on(dt.date(2026, 12, 1)) == dt.date(2027, 1, 10)


# ---------------------------------------------------------------- major faults, safety approvals


def test_major_faults_of_a_month_to_the_last_second(shop):
    advisor, job = shop["advisor"], shop["jobs"][0]
    tag = shop["tags"]["monday"]
    ids = {}
    for at in (T(2026, 9, 30, 23, 59, 59), T(2026, 10, 1), T(2026, 10, 31, 23, 59, 59), T(2026, 11, 1)):
        ids[at] = warranty.raise_major_fault(advisor, job.id, f"Engine seized 发动机抱死 {at:%d}",
                                             tag.tag_number if at.day == 1 and at.month == 10 else "")
        MajorFault.update(raised_at=at).where(MajorFault.id == ids[at]).execute()
    report = reports.major_faults(advisor, dt.date(2026, 10, 1))
    rows = reports.report_rows(report)
    assert [cells for _, cells in rows] == [
        ("2026-10-01 00:00", f"RO{job.id:06d}", job.vehicle.vin, tag.tag_number, "Engine seized 发动机抱死 01",
         advisor.name),
        ("2026-10-31 23:59", f"RO{job.id:06d}", job.vehicle.vin, "", "Engine seized 发动机抱死 31", advisor.name)]
    assert report.totals == ("2 major fault report(s)",)


def test_working_days_leave_out_weekends():
    friday = dt.date(2026, 10, 16)
    assert reports.working_days_between(friday, friday) == 0
    assert reports.working_days_between(friday, dt.date(2026, 10, 18)) == 0
    assert reports.working_days_between(friday, dt.date(2026, 10, 19)) == 1
    assert reports.working_days_between(friday, dt.date(2026, 10, 23)) == 5
    assert reports.working_days_between(friday, dt.date(2026, 10, 30)) == 10
    for today in (dt.date(2026, 10, 20) + dt.timedelta(days=n) for n in range(14)):
        last = reports.approval_overdue_through(today)
        assert reports.working_days_between(last, today) > 2
        assert reports.working_days_between(last + dt.timedelta(days=1), today) <= 2


def test_safety_parts_awaiting_approval_with_their_age_in_working_days(shop):
    t = shop["tags"]
    for name, approval in (("wed_last_second", "needed"), ("sunday", "needed"), ("thursday", "approved")):
        WarrantyTag.update(approval=approval).where(WarrantyTag.id == t[name].id).execute()
    report = reports.safety_awaiting_approval(shop["advisor"], today=dt.date(2026, 10, 20))
    rows = [cells for _, cells in reports.report_rows(report)]
    assert [(r[0], r[2], r[-2], r[-1]) for r in rows] == [
        (t["wed_last_second"].tag_number, "2026-10-14", "4", "OVERDUE"),
        (t["sunday"].tag_number, "2026-10-18", "2", "")]
    assert report.totals == ("2 safety part(s) waiting for the manufacturer's approval, 1 overdue "
                             "(the answer is due within 2 working days)",)


# ---------------------------------------------------------------- settlement


def test_the_monthly_settlement_adds_claimed_paid_and_debited_per_manufacturer(shop):
    t = shop["tags"]
    WarrantyTag.update(manufacturer="GM").where(WarrantyTag.id == t["thursday"].id).execute()
    claim(shop, "monday", "C-1", "paid", dt.date(2026, 11, 20), Decimal("100.00"))
    claim(shop, "wed_morning", "C-2", "submitted", None, Decimal("250.50"))
    claim(shop, "thursday", "C-3", "debited", dt.date(2026, 11, 20), Decimal("300.00"), Decimal("50.00"))
    claim(shop, "november", "C-4", "paid", dt.date(2026, 12, 1), Decimal("999.00"))  # next month's settlement
    report = reports.settlement(shop["advisor"], dt.date(2026, 10, 1))
    assert [cells for _, cells in reports.report_rows(report)] == [
        (t["monday"].tag_number, f"RO{t['monday'].job_id:06d}", "2026-10-12", "VW", "VW000001", "C-1", "paid",
         "100.00", "2026-11-20", "100.00", ""),
        (t["wed_morning"].tag_number, f"RO{t['wed_morning'].job_id:06d}", "2026-10-14", "VW", "VW000002", "C-2",
         "submitted", "250.50", "", "", ""),
        (t["thursday"].tag_number, f"RO{t['thursday'].job_id:06d}", "2026-10-15", "GM", "VW000004", "C-3",
         "debited", "300.00", "2026-11-20", "300.00", "50.00")]
    assert reports.settlement_totals(report) == [
        reports.SettlementTotal("GM", 1, Decimal("300.00"), Decimal("300.00"), Decimal("50.00")),
        reports.SettlementTotal("VW", 2, Decimal("350.50"), Decimal("100.00"), Decimal("0.00")),
        reports.SettlementTotal("", 3, Decimal("650.50"), Decimal("400.00"), Decimal("50.00"))]
    assert report.totals == (
        "GM: 1 claim(s), claimed 300.00, paid 300.00, debited 50.00, net 250.00",
        "VW: 2 claim(s), claimed 350.50, paid 100.00, debited 0.00, net 100.00",
        "Total: 3 claim(s), claimed 650.50, paid 400.00, debited 50.00, net 350.00")


def test_a_month_without_claims_settles_to_zero(shop):
    report = reports.settlement(shop["advisor"], dt.date(2026, 8, 1))
    assert report.totals == ("Total: 0 claim(s), claimed 0.00, paid 0.00, debited 0.00, net 0.00",)


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize("text, month", [
    ("2026-10", dt.date(2026, 10, 1)), ("2026/1", dt.date(2026, 1, 1)), ("10/2026", dt.date(2026, 10, 1)),
    (" 2026-10 ", dt.date(2026, 10, 1)), ("2026年10月", dt.date(2026, 10, 1)),
    ("２０２６－１０", dt.date(2026, 10, 1)),
    ("2026-\x0710", dt.date(2026, 10, 1)), ("", None), ("\x1b", None),
])
def test_months_as_people_type_them(text, month):
    assert reports.parse_month(text) == month


@pytest.mark.parametrize("text, message", [
    ("2026-13", "Month '2026-13': there is no month 13; months run from 1 to 12."),
    ("2026-00", "there is no month 0"),
    ("十月", "Month must look like 2026-10 or 10/2026, not '十月'."),
    ("1999-12", "the year must be between 2000 and 2099"),
    ("October", "Month must look like 2026-10 or 10/2026, not 'October'."),
    ("2026-10" * 1000, "Month is too long: 7000 characters, at most 40."),
    ("\x1b[2J", "Month must look like 2026-10 or 10/2026, not '[2J'."),
])
def test_bad_months_say_what_is_expected(text, message):
    with pytest.raises(InvalidInput) as error:
        reports.parse_month(text)
    assert message in error.value.message
    assert "\x1b" not in error.value.message


def test_build_parses_the_period_and_an_empty_one_is_the_default(shop):
    advisor, today = shop["advisor"], dt.date(2026, 11, 3)
    assert reports.build(advisor, "daily", "", today=today).period == "2026-11-03"
    assert reports.build(advisor, "weekly", "2026-10-14", today=today).period == "2026-10-12 to 2026-10-18"
    assert reports.build(advisor, "weekly", "2026-W42", today=today).period == "2026-10-12 to 2026-10-18"
    assert reports.build(advisor, "claims", " ", today=today).period == "2026-10"
    assert reports.build(advisor, "settlement", "", today=today).period == "2026-10"
    assert reports.build(advisor, "major", "", today=today).period == "2026-11"
    assert reports.build(advisor, "safety", "whatever", today=today).period == "2026-11-03"
    assert [reports.default_period(k, today) for k in reports.KINDS] == [
        "2026-11-03", "2026-11-02", "2026-10", "2026-11", "", "2026-10"]
    for kind, text, message in (("daily", "2026-02-30", "Day must be a date like 2026-11-23, not '2026-02-30'."),
                                ("weekly", "next week", "Week must be a date like 2026-11-23, not 'next week'."),
                                ("daily", "9" * 500, "Day is too long"),
                                ("claims", "2026-13", "there is no month 13"),
                                ("nonsense", "", "There is no report 'nonsense'.")):
        with pytest.raises(InvalidInput, match=message):
            reports.build(advisor, kind, text, today=today)


# ---------------------------------------------------------------- exports


@pytest.fixture
def documents(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path / "kiosk" / "reports"


def test_csv_export_is_utf8_with_bom_every_row_and_an_audit_event(shop, documents):
    t = shop["tags"]
    WarrantyTag.update(cause="=HYPERLINK(\"http://x\")").where(WarrantyTag.id == t["wed_last_second"].id).execute()
    report = reports.daily_fault_report(shop["advisor"], dt.date(2026, 10, 14))
    path = report_export.export_csv(shop["advisor"], report)
    assert path == documents / "daily-fault-report-2026-10-14.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(reports.FAULT_COLUMNS)
    assert rows[1] == list(reports.report_rows(report)[0][1])
    assert rows[1][6] == "Front brake pad set 前刹车片"
    assert rows[2][11] == "'=HYPERLINK(\"http://x\")"  # Excel shows it as text, never runs it
    assert len(rows) == 3
    event = AuditEvent.select().where(AuditEvent.action == "report.view").get()
    assert (event.employee_id, event.subject) == (shop["advisor"].employee_id, "report")
    assert str(path) in event.detail and '"rows": 2' in event.detail
    assert [p.name for p in documents.iterdir()] == [path.name]  # no temporary file left behind


def test_csv_cells_that_look_like_formulas_are_kept_as_text():
    assert report_export.csv_cell("-12.5") == "-12.5"
    assert report_export.csv_cell("+86 138") == "'+86 138"
    assert report_export.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert report_export.csv_cell("刹车") == "刹车"


def test_an_export_that_cannot_be_written_says_where_and_records_nothing(shop, tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    report = reports.daily_fault_report(shop["advisor"], dt.date(2026, 10, 14))
    with pytest.raises(InvalidInput, match="Cannot write the report to"):
        report_export.export_csv(shop["advisor"], report)
    assert AuditEvent.select().where(AuditEvent.action == "report.view").count() == 0


def pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("needs pdftotext (poppler-utils) to read the PDF back")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_export_carries_the_title_the_totals_and_every_tag(shop, documents):
    t = shop["tags"]
    claim(shop, "monday", "C-1", "paid", dt.date(2026, 11, 20), Decimal("100.00"))
    report = reports.settlement(shop["advisor"], dt.date(2026, 10, 1))
    path = report_export.export_pdf(shop["advisor"], report, "Test Motors")
    assert path == documents / "settlement-2026-10.pdf"
    text = pdf_text(path)
    assert "Settlement 2026-10" in text and "Test Motors" in text
    assert t["monday"].tag_number in text and "C-1" in text
    assert "Total: 1 claim(s), claimed 100.00, paid 100.00" in text
    assert AuditEvent.select().where(AuditEvent.action == "report.view").count() == 1


def test_a_long_pdf_runs_over_pages_with_the_column_heads_on_each_and_chinese_in_its_text(shop, documents):
    tech = shop["technician"].employee_id
    for minute in range(150):
        make_tag(shop["jobs"][0], tech, tagged_at=T(2026, 10, 13, 8 + minute // 60, minute % 60))
    report = reports.daily_fault_report(shop["advisor"], dt.date(2026, 10, 13))
    path = report_export.export_pdf(shop["advisor"], report)
    text = pdf_text(path)
    assert "Page 2 of" in text and "前刹车片" in text
    assert all(n in text for n in numbers(reports.report_rows(report, limit=200)))
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                            text=True).stdout)[1])
    assert pages >= 3
    for page in range(1, pages + 1):
        one = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
                             capture_output=True, text=True, check=True).stdout
        assert re.search(r"Tag\s+Job card\s+Tagged\s+VIN", one), f"no column heads on page {page}"


def test_an_empty_report_prints_as_one_page_saying_so(shop, documents):
    report = reports.major_faults(shop["advisor"], dt.date(2026, 1, 1))
    text = pdf_text(report_export.export_pdf(shop["advisor"], report))
    assert "Major faults 2026-01" in text and "No rows for this period." in text
