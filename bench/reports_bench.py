"""The warranty reports at real size (1,000,000 tags over seven years, about 12,000 a month): each report's
totals and first screen page as the advisor opens it, a month's claim list written to CSV and PDF, the month's
claim readiness, an audit pack of 100 job cards, and the claim-list reminder the advisor's home screen asks for."""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import data  # noqa: E402

ROUNDS = 5


def _median_ms(work, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _export_times(actor, report) -> tuple[float, float]:
    """Seconds to write the report's CSV, then its PDF, into a folder thrown away afterwards."""
    import os

    from kiosk import report_export

    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_DATA_HOME"] = folder
        times = []
        for export in (report_export.export_csv, report_export.export_pdf):
            started = time.perf_counter()
            export(actor, report)
            times.append(time.perf_counter() - started)
    return times[0], times[1]


def bench_reports() -> list[str]:
    from kiosk import reports
    from kiosk.audit import Actor
    from kiosk.store import close_database, open_database
    from kiosk.store.models import Employee, WarrantyTag

    url = data.room_store()
    open_database(url)
    try:
        clerk = Employee.get(Employee.role == "parts_clerk")  # the warranty clerk runs the reports too
        actor = Actor(clerk.id, clerk.name, clerk.role, "bench")
        latest = WarrantyTag.select(WarrantyTag.tagged_at).order_by(WarrantyTag.tagged_at.desc()).limit(1).get()
        today = latest.tagged_at.date()
        periods = {"daily": today.isoformat(), "weekly": today.isoformat(),
                   "claims": f"{reports.previous_month(today):%Y-%m}", "major": f"{today:%Y-%m}",
                   "safety": "", "settlement": f"{reports.previous_month(today):%Y-%m}"}
        lines = []
        for kind, period in periods.items():
            def open_report(kind=kind, period=period):
                report = reports.build(actor, kind, period, today=today)
                reports.report_rows(report, None, 50)
            lines.append(f"report_open_{kind}_ms: {_median_ms(open_report):.1f} median, totals and first page "
                         f"(1,000,000 tags; goal 150)")
        claims = reports.build(actor, "claims", periods["claims"], today=today)
        rows = sum(1 for _ in reports.all_rows(claims))
        csv_s, pdf_s = _export_times(actor, claims)
        lines.append(f"claim_list_csv_s: {csv_s:.2f} s for {rows:,} rows ({rows / csv_s:,.0f} rows/s)")
        lines.append(f"claim_list_pdf_s: {pdf_s:.2f} s for {rows:,} rows ({rows / pdf_s:,.0f} rows/s, every row)")
        lines.append(f"claim_list_pdf_to_csv_ratio: {csv_s / pdf_s:.2f} (PDF rows/s over CSV rows/s, same run; "
                     f"goal 0.25; both read the claims' readiness)")
        # The same pair on a report without the readiness check: what drawing the PDF itself costs.
        weekly = reports.build(actor, "weekly", (today - dt.timedelta(days=7)).isoformat(), today=today)
        weekly_csv, weekly_pdf = _export_times(actor, weekly)
        count = sum(1 for _ in reports.all_rows(weekly))
        lines.append(f"weekly_report_pdf_to_csv_ratio: {weekly_csv / weekly_pdf:.2f} ({count:,} rows: CSV "
                     f"{count / weekly_csv:,.0f} rows/s, PDF {count / weekly_pdf:,.0f} rows/s)")
        started = time.perf_counter()
        total, not_ready = reports.readiness_counts(reports.parse_month(periods["claims"]))
        lines.append(f"claim_readiness_month_s: {time.perf_counter() - started:.2f} s for {total:,} claims "
                     f"({not_ready:,} not ready), checked 500 at a time (the board's count, in a worker)")
        from kiosk.auditpack import write_pack
        from kiosk.store.models import JobCard

        numbers = [f"RO{j:06d}" for (j,) in JobCard.select(JobCard.id).order_by(JobCard.id.desc()).limit(100).tuples()]
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            pack = write_pack(actor, numbers, Path(folder) / "pack")
            lines.append(f"audit_pack_100_s: {time.perf_counter() - started:.2f} s for {pack.cards} job cards "
                         f"(about 10 tags each, with their history; one PDF each and the index)")
        reminder_day = reports.next_month(today.replace(day=1)) + dt.timedelta(days=2)
        lines.append(f"claim_list_reminder_ms: "
                     f"{_median_ms(lambda: reports.claim_list_reminder(reminder_day)):.1f} median (goal 150)")
        return lines
    finally:
        close_database()


if __name__ == "__main__":
    for line in bench_reports():
        print(line)
