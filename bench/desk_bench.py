"""The advisor's desk at real size (200,000 customers, 500,000 job cards): reception search as the advisor
types, the job-card board, the follow-up queue and the home screen's counts, each first page."""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import data  # noqa: E402

ROUNDS = 60


def _timed(call, rounds: int = ROUNDS) -> list[float]:
    times = []
    for i in range(rounds):
        started = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


def bench_desk():
    from kiosk import customers, reception
    from kiosk.audit import Actor
    from kiosk.followups import followup_queue
    from kiosk.screens.board import desk_summary
    from kiosk.store import close_database, open_database
    from kiosk.store.models import Employee

    url = data.desk_store()
    open_database(url)
    try:
        rng = random.Random(3)
        # (what is typed, the kind asked for: "" lets find() guess, as the screen does). Digits alone are
        # a phone first, so the VIN's serial is asked for as a VIN.
        queries = {
            "plate": (lambda i: f"沪a{rng.randrange(100000):05d}"[:3 + i % 4], ""),
            "vin_tail": (lambda i: f"{rng.randrange(250000):07d}"[-(4 + i % 3):], "vin"),
            "phone": (lambda i: f"13{rng.randrange(200000):09d}"[:5 + i % 6], ""),
            "phone_tail": (lambda i: f"{rng.randrange(200000):06d}"[-(4 + i % 3):], ""),
            "name": (lambda i: rng.choice(["王", "李伟", "张芳", "smith", "customer12", "刘"]), ""),
        }
        for kind, (make, asked) in queries.items():
            times = _timed(lambda i, make=make, asked=asked: customers.find(make(i), check_required=True, kind=asked,
                                                                            limit=20))
            yield (f"reception_find_{kind}_ms: {statistics.median(times):.1f} median, {data.p95(times):.1f} p95 "
                   "(200,000 customers, 250,000 vehicles; goal 50)")
        times = _timed(lambda i: reception.job_board(limit=50), 20)
        yield f"job_board_first_page_ms: {statistics.median(times):.1f} median (500,000 job cards; goal 150)"
        times = _timed(lambda i: followup_queue(limit=50), 20)
        yield f"followup_queue_first_page_ms: {statistics.median(times):.1f} median (goal 150)"
        times = _timed(lambda i: desk_summary(), 20)
        yield f"advisor_home_counts_ms: {statistics.median(times):.1f} median (goal 150)"
        advisor = Employee.select().first()
        actor = Actor(advisor.id, advisor.name, "advisor", "bench")
        times = _timed(lambda i: reception.list_drafts(actor, limit=20), 20)
        yield f"drafts_first_page_ms: {statistics.median(times):.1f} median (goal 150)"
    finally:
        close_database()


if __name__ == "__main__":
    for line in bench_desk():
        print(line, flush=True)
