"""The warranty-parts room at real size (1,000,000 tags, 100,000 job cards): one scan to its result on the
screen, and the first page of the held list."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import data  # noqa: E402

SCANS = 200


def _tagged(count: int) -> list[str]:
    from kiosk.store.models import WarrantyTag

    return [t.tag_number for t in WarrantyTag.select(WarrantyTag.tag_number)
            .where(WarrantyTag.status == "tagged").order_by(WarrantyTag.id.desc()).limit(count)]


async def _scan_through_the_screen(codes: list[str]) -> list[float]:
    """Type each code as a scanner does and time until its result line is on the parts-room screen."""
    from textual import events

    from kiosk.app import KioskApp
    from kiosk.audit import Actor
    from kiosk.config import Settings
    from kiosk.store.models import Employee

    clerk = Employee.get(Employee.role == "parts_clerk")
    app = KioskApp(Settings(terminal="bench", idle_signout_seconds=0))
    timings = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.signed_in(Actor(clerk.id, clerk.name, clerk.role, "bench"))
        await pilot.pause(0.5)
        screen = app.screen
        for code in codes:
            before = screen.count
            started = time.perf_counter()
            for ch in code:
                app.post_message(events.Key(ch, ch))
            app.post_message(events.Key("enter", "\r"))
            while screen.count == before and time.perf_counter() - started < 5:
                await asyncio.sleep(0.0005)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def bench_room() -> list[str]:
    from kiosk import holding
    from kiosk.store import close_database, open_database

    url = data.room_store()
    open_database(url)
    codes = _tagged(SCANS)
    timings = asyncio.run(_scan_through_the_screen(codes))
    searches = {"all held": holding.HeldQuery(), "shelf": holding.HeldQuery(shelf="BIN-3"),
                "manufacturer": holding.HeldQuery(manufacturer="GM"), "age 60": holding.HeldQuery(min_age_days=60),
                "part number": holding.HeldQuery(text="VW00012"),
                "VIN": holding.HeldQuery(text=data.with_check_digit("LSVAU2180N0004241"))}
    pages = {}
    for name, search in searches.items():
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            holding.held_parts(search, limit=50)
            runs.append((time.perf_counter() - started) * 1000)
        pages[name] = statistics.median(runs)
    close_database()
    detail = ", ".join(f"{name} {ms:.1f}" for name, ms in pages.items())
    return [f"scan_to_result_p95_ms: {data.p95(timings):.1f} ms p95 (median {statistics.median(timings):.1f}) "
            f"from keys to the result line, {len(timings)} scans, 1000000 tags / 100000 job cards",
            f"held_list_first_page_ms: {max(pages.values()):.1f} ms worst first page of 50 ({detail})"]


if __name__ == "__main__":
    print("\n".join(bench_room()))
