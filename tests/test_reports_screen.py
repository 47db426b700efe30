"""The warranty reports screen at 80x24: each report against known data, by keys only, and its exports."""

import csv
import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest

from kiosk import claims, reports, warranty
from kiosk.screens.reports import ReportsScreen
from kiosk.store.models import MajorFault, WarrantyTag

from .factories import make_job_card, make_tag
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text

T = dt.datetime


@pytest.fixture
def documents(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "kiosk" / "reports"


@pytest.fixture
def week(floor_staff, settings):
    """Tags around the week of Monday 2024-10-14, one of them voided (long before any test run's last month)."""
    tech = floor_staff["technician"].employee_id
    job = make_job_card(tech)
    at = {"wed": T(2024, 10, 16, 10, 30), "wed_late": T(2024, 10, 16, 23, 59, 59), "thu": T(2024, 10, 17),
          "next_mon": T(2024, 10, 21), "void": T(2024, 10, 16, 12, 0)}
    made = {name: make_tag(job, tech, tagged_at=when) for name, when in at.items()}
    warranty.void_tag(floor_staff["advisor"], made["void"].tag_number, "wrong part")
    return {"job": job, "tags": {n: t.tag_number for n, t in made.items()}, "settings": settings, **floor_staff}


async def open_reports(pilot, app, actor) -> None:
    await settle(pilot)
    await sign_in(pilot, badge_of(actor))
    app.push_screen(ReportsScreen())
    await settle(pilot)


async def period(pilot, text: str) -> None:
    """Clear the period field and type a period, as a person would."""
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def choose(pilot, key: str, text: str | None = None) -> str:
    """Press a report's key, type its period if given; what the screen shows then."""
    await pilot.press(key)
    await settle(pilot)
    if text is not None:
        await period(pilot, text)
    return screen_text(pilot.app)


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_daily_fault_report_on_screen_and_as_csv(week, documents):
    app = kiosk_app(week["settings"])
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app, week["advisor"])
        assert "Daily fault report" in screen_text(app)
        assert all(k in footer(app) for k in ("f2 Day", "f3 Week", "f4 Claims", "f5 Major", "f6 Safety", "f7 Paid",
                                              "f8 CSV", "f10 PDF", "f12 Sign out"))
        assert "Esc: back" in screen_text(app)
        await period(pilot, "2024-10-16")
        text = screen_text(app)
        assert "Daily fault report 2024-10-16" in text
        assert "2 warranty part(s), quantity 2, on 1 job card(s)" in text
        assert week["tags"]["wed"] in text and week["tags"]["wed_late"] in text
        assert week["tags"]["thu"] not in text and week["tags"]["void"] not in text
        await pilot.press("f8")
        await settle(pilot)
        path = documents / "daily-fault-report-2024-10-16.csv"
        assert "Saved" in screen_text(app) and "daily-fault-report-2024-10-16.csv" in screen_text(app)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [r[0] for r in rows] == ["Tag", week["tags"]["wed"], week["tags"]["wed_late"]]


async def test_weekly_fault_report_and_its_pdf(week, documents):
    app = kiosk_app(week["settings"])
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app, week["advisor"])
        text = await choose(pilot, "f3", "2024-10-20")
        assert "Weekly fault report 2024-10-14 to 2024-10-20" in text
        assert "3 warranty part(s)" in text
        assert all(week["tags"][n] in text for n in ("wed", "wed_late", "thu"))
        assert week["tags"]["next_mon"] not in text
        await pilot.press("f10")
        await settle(pilot)
        assert "weekly-fault-report-2024-10-14-to-2024-10-20.pdf" in screen_text(app).replace("\n ", "")
    pdf = documents / "weekly-fault-report-2024-10-14-to-2024-10-20.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Weekly fault report 2024-10-14 to 2024-10-20" in text and week["tags"]["thu"] in text


async def test_claim_list_a_bad_month_and_the_reminder(week):
    tech, clerk = week["technician"].employee_id, week["parts_clerk"]
    claims.record_claim(clerk, claims.Claim(week["tags"]["wed"], "C-77", "submitted"), week["settings"])
    last_month = reports.previous_month(dt.date.today())
    make_tag(week["job"], tech, tagged_at=T.combine(last_month, dt.time(9)))
    app = kiosk_app(week["settings"])
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app, week["advisor"])
        assert f"Claim list {last_month:%Y-%m}: 1 tag(s) not yet claimed" in screen_text(app)
        await pilot.press("f4")
        await settle(pilot)
        await period(pilot, "2026-13")
        assert "there is no month 13; months run from 1 to 12." in screen_text(app)
        await period(pilot, "10/2024")
        text = screen_text(app)
        assert "Claim list 2024-10 (due 2024-11-10)" in text
        assert "4 tag(s) to claim, 3 not yet claimed" in text
        assert week["tags"]["wed"] in text and week["tags"]["void"] not in text


async def test_major_faults_of_a_month(week):
    fault = warranty.raise_major_fault(week["advisor"], week["job"].id, "Engine seized 发动机抱死",
                                       week["tags"]["wed"])
    MajorFault.update(raised_at=T(2024, 10, 22, 8, 15)).where(MajorFault.id == fault).execute()
    app = kiosk_app(week["settings"])
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app, week["advisor"])
        text = await choose(pilot, "f5", "2024-10")
        assert "Major faults 2024-10" in text and "1 major fault report(s)" in text
        assert "2024-10-22 08:15" in text and f"RO{week['job'].id:06d}" in text and week["tags"]["wed"] in text
        await period(pilot, "2024-11")
        assert "0 major fault report(s)" in screen_text(app)


async def test_safety_parts_awaiting_approval_flag_the_overdue(week):
    tech = week["technician"].employee_id
    old = make_tag(week["job"], tech, tagged_at=dt.datetime.now() - dt.timedelta(days=10))
    new = make_tag(week["job"], tech)
    WarrantyTag.update(approval="needed").where(WarrantyTag.id.in_([old.id, new.id])).execute()
    app = kiosk_app(week["settings"])
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app, week["advisor"])
        text = await choose(pilot, "f6")
        assert "Safety parts awaiting approval on" in text
        assert "2 safety part(s) waiting for the manufacturer's approval, 1 overdue" in text
        assert old.tag_number in text and new.tag_number in text
        assert app.screen.query_one("#report-period").disabled
        table = app.screen.query_one("#report-table")
        assert [table.get_row_at(i)[-1] for i in range(table.row_count)] == ["OVERDUE", ""]


async def test_settlement_totals_per_manufacturer(week):
    clerk, settings = week["parts_clerk"], week["settings"]
    claims.record_claim(clerk, claims.Claim(week["tags"]["wed"], "C-1", "paid", dt.date(2024, 11, 20),
                                            Decimal("120.00")), settings)
    claims.record_claim(clerk, claims.Claim(week["tags"]["thu"], "C-2", "debited", dt.date(2024, 11, 20),
                                            Decimal("80.00"), Decimal("80.00")), settings)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app, week["advisor"])
        text = await choose(pilot, "f7", "2024-10")
        assert "Settlement 2024-10" in text
        assert "VW: 2 claim(s), claimed 200.00, paid 200.00, debited 80.00, net 120.00" in text
        assert "Total: 2 claim(s), claimed 200.00, paid 200.00, debited 80.00, net 120.00" in text
        assert "C-1" in text and "C-2" in text


async def test_a_technician_is_told_the_reports_are_not_for_him(week):
    app = kiosk_app(week["settings"])
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app, week["technician"])
        assert "may not do this (report.view)" in screen_text(app)
        await pilot.press("f8")
        await settle(pilot)
        assert "Choose a report with a period that reads first." in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReportsScreen)


async def test_the_screen_says_where_exports_go_and_the_full_path_of_each(week, tmp_path):
    import dataclasses

    folder = tmp_path / "shared-exports"
    app = kiosk_app(dataclasses.replace(week["settings"], exports_dir=str(folder)))
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app, week["advisor"])
        await period(pilot, "2024-10-16")
        joined = "".join(screen_text(app).split())  # a long path wraps
        assert f"Exportsgoto{folder / 'reports'}" in joined
        for key, name in (("f8", "daily-fault-report-2024-10-16.csv"), ("f10", "daily-fault-report-2024-10-16.pdf")):
            await pilot.press(key)
            await settle(pilot)
            joined = "".join(screen_text(app).split())
            assert f"Saved{folder / 'reports' / name}" in joined
            assert (folder / "reports" / name).exists()
