"""How long `kiosk db backup` and `kiosk db restore` take on a shop of 200,000 parts, and how long a terminal's
stock move waits while a backup runs (the terminals must keep working)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import tempfile
import time
from pathlib import Path

from data import catalogue_store


def _writer(url: str, stop, latencies) -> None:
    from kiosk import parts
    from kiosk.audit import Actor
    from kiosk.store import open_database
    from kiosk.store.models import Employee, Part

    open_database(url)
    boss = Employee.select().first()
    actor = Actor(boss.id, boss.name, "manager", "bench-writer")
    number = Part.select(Part.part_number).order_by(Part.id).first().part_number
    worst, count = 0.0, 0
    while not stop.is_set():
        started = time.perf_counter()
        parts.receive_stock(actor, number, 1, delivery_note="BENCH")
        worst = max(worst, time.perf_counter() - started)
        count += 1
    latencies.put((worst, count))


def bench_backup() -> list[str]:
    from kiosk import backup
    from kiosk.audit import Actor
    from kiosk.config import sqlite_file
    from kiosk.store import close_database, open_database

    cached = sqlite_file(catalogue_store())
    with tempfile.TemporaryDirectory() as folder:
        shop = Path(folder) / "shop.sqlite"
        with sqlite3.connect(cached) as src, sqlite3.connect(shop) as dst:
            src.backup(dst)  # the cached store stays as it was
        url = f"sqlite:///{shop}"
        open_database(url)
        actor = Actor(None, "bench", "manager", "bench", "cli bench")
        ctx = multiprocessing.get_context("spawn")
        stop, latencies = ctx.Event(), ctx.Queue()
        writer = ctx.Process(target=_writer, args=(url, stop, latencies))
        writer.start()
        time.sleep(2.0)  # the writer is up and writing
        started = time.perf_counter()
        copy = backup.backup(actor, url, Path(folder) / "backups", keep=3)
        took = time.perf_counter() - started
        stop.set()
        worst, moves = latencies.get(timeout=60)
        writer.join()
        started = time.perf_counter()
        backup.restore(actor, url, copy.path, force=True, folder=Path(folder) / "backups")
        restore_took = time.perf_counter() - started
        close_database()
        size = copy.path.stat().st_size / 2**20
    return [f"backup_s: {took:.2f} s for {sum(copy.counts.values()):,} rows ({size:.0f} MiB, checked)",
            f"stock_move_worst_ms_during_backup: {worst * 1000:.1f} ms ({moves} moves by another process meanwhile)",
            f"restore_s: {restore_took:.2f} s (with the safety copy of the database first)"]


if __name__ == "__main__":
    for line in bench_backup():
        print(line)
