"""Catalogue search as typed against 200,000 parts, and stock moves per second from 4 processes on one
SQLite file: the kiosk's own functions, and the same statements in plain sqlite3 as the ceiling.

Run as `python bench/stock_bench.py` (or through bench/run.py). Each function returns printable lines.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import data  # noqa: E402

PROCESSES = 4
MOVES = 400  # per process: issue and return alternately
PART = "BENCH-1"


def _typed(text: str) -> list[str]:
    """Every prefix of the text, as the search box sees it while someone types."""
    return [text[:i] for i in range(1, len(text) + 1)]


def catalogue_search_ms() -> list[str]:
    """Each keystroke of description words (English, Chinese, two words in any order) and of part numbers,
    against the 200,000-part catalogue: one search_parts call per keystroke, first page of 20."""
    from kiosk.parts import search_parts
    from kiosk.store import close_database, open_database
    from kiosk.store.models import Part

    open_database(data.catalogue_store())
    rng = random.Random(3)
    numbers = [p.part_number for p in Part.select(Part.part_number).order_by(Part.id)
               .offset(rng.randrange(190_000)).limit(5)]
    texts = (["brake pad", "pad brake", "filter oil", "oxygen sensor left", "刹车片", "rear 机油滤清器",
              "water pump 水泵", "zzz-no-such-part"] + numbers)
    searches = [prefix for text in texts for prefix in _typed(text)]
    search_parts("warm up")
    times = []
    for _ in range(3):
        for text in searches:
            started = time.perf_counter()
            search_parts(text, limit=20)
            times.append((time.perf_counter() - started) * 1000)
    close_database()
    return [f"catalogue_search_ms: {statistics.median(times):.1f} ms median, {data.p95(times):.1f} ms p95, "
            f"{max(times):.1f} ms max per keystroke at 200000 parts ({len(times)} searches; goal under 30)"]


def _kiosk_terminal(url: str, employee_id: int, line_id: int, start, done) -> None:
    from kiosk import parts
    from kiosk.audit import Actor
    from kiosk.store import open_database

    open_database(url)
    actor = Actor(employee_id, "bench", "technician", f"bay-{employee_id}")
    start.wait()
    for _ in range(MOVES // 2):
        parts.issue_part(actor, line_id, PART, 1)
        parts.return_part(actor, line_id, PART, 1, "bench")
    done.put(MOVES)


def _raw_terminal(path: str, employee_id: int, line_id: int, start, done) -> None:
    """The kiosk's statements for an issue and a return, in plain sqlite3 with the kiosk's pragmas."""
    from kiosk.store.database import SQLITE_PRAGMAS

    conn = sqlite3.connect(path, isolation_level=None, timeout=SQLITE_PRAGMAS["busy_timeout"] / 1000)
    for name, value in SQLITE_PRAGMAS.items():
        conn.execute(f"PRAGMA {name}={value}")
    line_sql = ("SELECT l.id, l.position, l.technician_id, j.id, j.status, l.status FROM job_line l "
                "JOIN job_card j ON j.id = l.job_id WHERE l.id = ?")
    terminal = f"raw-{employee_id}"
    start.wait()
    for i in range(MOVES):
        issue = i % 2 == 0
        at = time.strftime("%Y-%m-%d %H:%M:%S")
        conn.execute(line_sql, (line_id,)).fetchone()
        part_id = conn.execute("SELECT id, part_number, bin FROM part WHERE part_number = ?", (PART,)).fetchone()[0]
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(line_sql, (line_id,)).fetchone()
        if not issue:
            conn.execute("SELECT COALESCE(SUM(quantity), 0) FROM stock_movement WHERE job_line_id = ? AND part_id = ?",
                         (line_id, part_id)).fetchone()
        delta = -1 if issue else 1
        cur = conn.execute("UPDATE part SET on_hand = on_hand + ? WHERE id = ? AND on_hand + ? >= 0",
                           (delta, part_id, delta))
        assert cur.rowcount == 1
        conn.execute("INSERT INTO stock_movement (part_id, quantity, kind, job_line_id, reason, employee_id, "
                     "terminal, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (part_id, delta, "issue" if issue else "return", line_id, "" if issue else "bench",
                      employee_id, terminal, at))
        detail = {"job": 1, "part": PART, "quantity": 1} if issue else {"job": 1, "part": PART, "quantity": 1,
                                                                         "reason": "bench"}
        conn.execute("INSERT INTO audit_event (at, employee_id, terminal, client, action, subject, subject_id, "
                     "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (at, employee_id, terminal, "", "part.issue" if issue else "part.return", "job_line", line_id,
                      json.dumps(detail, ensure_ascii=False)))
        conn.execute("COMMIT")
        conn.execute("SELECT on_hand FROM part WHERE id = ?", (part_id,)).fetchone()
    done.put(MOVES)


def _moves_store(folder: Path) -> tuple[str, list[tuple[int, int]]]:
    """A fresh SQLite file with one part, four technicians and a job card with a line for each."""
    from kiosk.audit import Actor
    from kiosk.parts import load_catalogue
    from kiosk.store import close_database, open_database, schema
    from kiosk.store.models import Customer, Employee, JobCard, JobLine, Vehicle
    from kiosk.vin import with_check_digit

    url = f"sqlite:///{folder / 'moves.sqlite'}"
    open_database(url)
    schema.upgrade()
    techs = [Employee.create(badge=f"T{i}", name=f"T{i}", role="technician", pin_hash="x") for i in range(PROCESSES)]
    load_catalogue(Actor(techs[0].id, "bench", "manager", "bench"),
                   [dict(part_number=PART, description="bench part", on_hand=1000, unit_price=1)])
    customer = Customer.create(name="Bench")
    vehicle = Vehicle.create(vin=with_check_digit("LSVAU2180N2000001"), customer=customer)
    job = JobCard.create(customer=customer, vehicle=vehicle, status="in_progress")
    lines = [JobLine.create(job=job, position=i + 1, payer="customer", technician=tech.id)
             for i, tech in enumerate(techs)]
    close_database()
    return url, [(t.id, ln.id) for t, ln in zip(techs, lines)]


def _rate(target, args_list) -> float:
    context = multiprocessing.get_context("spawn")
    start, done = context.Event(), context.Queue()
    procs = [context.Process(target=target, args=(*args, start, done)) for args in args_list]
    for p in procs:
        p.start()
    time.sleep(1.5)  # every process imported and connected before the clock starts
    started = time.perf_counter()
    start.set()
    total = sum(done.get(timeout=300) for _ in procs)
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join()
    return total / elapsed


def _measure(target) -> float:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as folder:
        url, pairs = _moves_store(Path(folder))
        path = url.split(":///", 1)[1]
        args = [(url if target is _kiosk_terminal else path, emp, line) for emp, line in pairs]
        return _rate(target, args)


def stock_moves_per_s() -> list[str]:
    rate = _measure(_kiosk_terminal)
    return [f"stock_moves_per_s: {rate:.0f} issue/return transactions per second from {PROCESSES} processes on "
            "one SQLite file (kiosk.parts with ledger row and audit event, synchronous=FULL)"]


def raw_sqlite_moves_per_s() -> list[str]:
    rate = _measure(_raw_terminal)
    return [f"raw_sqlite_moves_per_s: {rate:.0f} per second, the same statements in plain sqlite3 with the "
            "same pragmas (the ceiling)"]


def peewee_build_vs_database() -> list[str]:
    """kiosk.store.fast's reason to be: building an issue's small statements through peewee's query objects
    costs more than the database running them. Both halves of one issue (find the part, move the stock with
    its ledger row and audit event), timed apart on one SQLite file: peewee building the SQL, and the database
    running fast's hand-written SQL, without the commit (many in one transaction, rolled back) and as a whole
    committed transaction (synchronous=FULL, as the kiosk runs)."""
    from kiosk.store import close_database, db, fast, open_database
    from kiosk.store.models import AuditEvent, Part, StockMovement, timestamp

    runs = 2000
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as folder:
        url, [(employee_id, line_id), *_] = _moves_store(Path(folder))
        open_database(url)
        part_id = Part.get(Part.part_number == PART).id

        def build() -> None:
            Part.select(Part.id, Part.part_number, Part.bin).where(Part.part_number == PART).sql()
            Part.update(on_hand=Part.on_hand - 1).where((Part.id == part_id) & (Part.on_hand - 1 >= 0)).sql()
            StockMovement.insert(part=part_id, quantity=-1, kind="issue", job_line=line_id, reason="",
                                 employee=employee_id, terminal="bench", at=timestamp()).sql()
            AuditEvent.insert(at=timestamp(), employee=employee_id, terminal="bench", client="", action="part.issue",
                              subject="job_line", subject_id=line_id, detail="").sql()

        def run() -> None:
            fast.one("SELECT id, part_number, bin FROM part WHERE part_number = ?", (PART,))
            fast.rowcount("UPDATE part SET on_hand = on_hand + ? WHERE id = ? AND on_hand + ? >= 0", (-1, part_id, -1))
            fast.execute("INSERT INTO stock_movement (part_id, quantity, kind, job_line_id, reason, employee_id, "
                         "terminal, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (part_id, -1, "issue", line_id, "", employee_id, "bench", timestamp()))
            fast.execute("INSERT INTO audit_event (at, employee_id, terminal, client, action, subject, subject_id, "
                         "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (timestamp(), employee_id, "bench", "", "part.issue", "job_line", line_id, ""))

        times = {}
        for name, step in (("build", build), ("run", run)):
            with db.atomic() as transaction:
                step()  # warm: statement caches, the page cache
                started = time.perf_counter()
                for _ in range(runs):
                    step()
                times[name] = (time.perf_counter() - started) / runs * 1e6
                transaction.rollback()
        started = time.perf_counter()
        for _ in range(runs // 10):
            with db.atomic():
                run()
        times["commit"] = (time.perf_counter() - started) / (runs // 10) * 1e6
        close_database()
    return [f"peewee_build_vs_database: {times['build'] / times['run']:.1f} x the statements, "
            f"{times['build'] / times['commit']:.1f} x a committed transaction (peewee builds an issue's four "
            f"statements in {times['build']:.0f} us; SQLite runs them in {times['run']:.0f} us, "
            f"{times['commit']:.0f} us with the commit)"]


def bench_stock() -> list[str]:
    """Every figure of this module, with the kiosk's share of the ceiling (goal: 0.5 or better)."""
    kiosk, raw = stock_moves_per_s(), raw_sqlite_moves_per_s()
    share = float(kiosk[0].split()[1]) / float(raw[0].split()[1])
    return (catalogue_search_ms() + kiosk + [raw[0] + f"; kiosk/raw = {share:.2f}, goal 0.5 or better"]
            + peewee_build_vs_database())


if __name__ == "__main__":
    print("\n".join(bench_stock()), flush=True)
