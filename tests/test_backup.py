"""`kiosk db backup` while terminals write, and `kiosk db restore`, on SQLite and PostgreSQL (through the CLI)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk import backup, parts
from kiosk.errors import InvalidInput, StoreError
from kiosk.store.models import AuditEvent, StockMovement

from .conftest import add_employee
from .factories import make_part

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import os, sys
from kiosk import parts
from kiosk.audit import Actor
from kiosk.errors import Busy
from kiosk.store import open_database
url, clerk, stop, ready = sys.argv[1:]
open_database(url)
actor = Actor(int(clerk), "writer", "parts_clerk", "writer-" + str(os.getpid()))
n = 0
while not os.path.exists(stop):
    try:
        parts.receive_stock(actor, ("VW000123", "9912345678")[n % 2], 1, delivery_note=f"DN-{n}")
        n += 1
    except Busy:
        pass
    if n == 20:
        open(ready, "w").close()
print(n)
"""


def kiosk(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "USER": "nightly", **(env or {})}, timeout=300)


@pytest.fixture
def shop(staff):
    make_part("VW000123", on_hand=5)
    make_part("9912345678", "Oil filter 机油滤清器", on_hand=5)
    return staff


def moves() -> int:
    return StockMovement.select().count()


def test_a_backup_taken_while_four_processes_write_stock_moves_is_whole_and_restores(shop, store_url, tmp_path):
    stop, folder = tmp_path / "stop", tmp_path / "backups"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(shop["parts_clerk"].employee_id),
                                 str(stop), str(tmp_path / f"ready-{i}")], cwd=ROOT, stdout=subprocess.PIPE,
                                text=True) for i in range(4)]
    try:
        deadline = time.monotonic() + 60
        while not all((tmp_path / f"ready-{i}").exists() for i in range(4)) and time.monotonic() < deadline:
            time.sleep(0.05)
        made = kiosk("--db", store_url, "db", "backup", str(folder))
        assert made.returncode == 0, made.stderr
        time.sleep(0.3)  # the terminals go on writing after the copy
    finally:
        stop.touch()
        written = [int(w.communicate(timeout=60)[0] or 0) for w in writers]
    assert all(n >= 20 for n in written)
    [copy] = backup.backups_in(folder)
    assert f"Backup written to {copy} (" in made.stdout and "checked" in made.stdout
    event = AuditEvent.select().where(AuditEvent.action == "db.backup").get()
    assert event.client == "cli nightly" and event.employee_id is None
    total = moves()
    assert parts.check_stock() == []
    if copy.suffix == ".sqlite":
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            in_copy = conn.execute("SELECT count(*) FROM stock_movement").fetchone()[0]
        checked = kiosk("--db", f"sqlite:///{copy}", "check", "stock")
        assert checked.returncode == 0 and "on-hand equals the ledger" in checked.stdout, checked.stdout
    else:
        in_copy = backup.dump_counts(copy)["stock_movement"]
    assert 2 + 4 * 20 <= in_copy < total  # taken in the middle of the writing
    # Restoring it over the database that went on changing needs --force, then the stock check holds.
    refused = kiosk("--db", store_url, "db", "restore", str(copy))
    assert refused.returncode == 1 and "newer than this backup's" in refused.stderr and "--force" in refused.stderr
    restored = kiosk("--db", store_url, "db", "restore", str(copy), "--force")
    assert restored.returncode == 0, restored.stderr
    assert "on-hand equals the ledger for every part" in restored.stdout
    assert "The database as it was is kept in" in restored.stdout
    assert moves() == in_copy and parts.check_stock() == []
    assert AuditEvent.select().where(AuditEvent.action == "db.restore").count() == 1


def test_backups_are_named_by_date_and_time_and_only_the_last_n_are_kept(shop, store_url, tmp_path):
    folder = tmp_path / "nightly"
    for _ in range(3):
        done = kiosk("--db", store_url, "db", "backup", str(folder), "--keep", "2")
        assert done.returncode == 0, done.stderr
    kept = backup.backups_in(folder)
    assert len(kept) == 2 and all(backup.NAME.match(p.name) for p in kept)
    assert "Removed 1 older backup(s)" in done.stdout
    # The latest backup restores without --force: nothing changed since.
    restored = kiosk("--db", store_url, "db", "restore", str(kept[-1]))
    assert restored.returncode == 0, restored.stderr


def test_restore_refuses_what_is_not_a_backup(shop, store_url, tmp_path):
    junk = tmp_path / "kiosk-20260101-000000.sqlite"
    junk.write_bytes(b"\x00" * 4096 if store_url.startswith("sqlite") else b"")
    wanted = "not a readable SQLite database" if store_url.startswith("sqlite") else "is a SQLite backup"
    done = kiosk("--db", store_url, "db", "restore", str(junk))
    assert done.returncode == 1 and wanted in done.stderr
    done = kiosk("--db", store_url, "db", "restore", str(tmp_path / "nothing-here"))
    assert done.returncode == 1 and "There is no backup at" in done.stderr
    for keep in (0, -1, "14", 1e308, True):
        with pytest.raises(InvalidInput, match="at least 1"):
            backup.backup(shop["manager"], store_url, tmp_path, keep=keep)
    for bad in ("a\x01b", "\ud800", "x" * 2000, "y" * 900):
        with pytest.raises(InvalidInput):
            backup.backup(shop["manager"], store_url, tmp_path / bad if len(bad) < 1000 else bad)
        with pytest.raises(InvalidInput):
            backup.restore(shop["manager"], store_url, bad)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(InvalidInput, match="is a file"):
        backup.backup(shop["manager"], store_url, tmp_path / "a-file")


def test_a_badge_given_must_be_a_managers(shop, store_url, tmp_path):
    from kiosk.store.models import Employee

    clerk = Employee.get_by_id(shop["parts_clerk"].employee_id).badge
    boss = Employee.get_by_id(shop["manager"].employee_id)
    done = kiosk("--db", store_url, "db", "backup", str(tmp_path), "--badge", clerk)
    assert done.returncode == 1 and "is not a manager's" in done.stderr
    done = kiosk("--db", store_url, "db", "backup", str(tmp_path), "--badge", boss.badge)
    assert done.returncode == 0, done.stderr
    event = AuditEvent.select().where(AuditEvent.action == "db.backup").get()
    assert (event.employee_id, event.client) == (boss.id, "cli nightly")


def test_without_postgresqls_tools_sqlite_backs_up_and_postgresql_says_what_to_install(staff, store_url, tmp_path,
                                                                                       monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    if store_url.startswith("sqlite"):
        assert backup.backup(staff["manager"], store_url, tmp_path / "b").path.is_file()
        return
    with pytest.raises(StoreError, match="pg_dump is not installed on this machine: apt-get install postgresql-client"):
        backup.backup(staff["manager"], store_url, tmp_path / "b")
    assert backup.backups_in(tmp_path / "b") == []


def test_a_backup_restores_onto_a_new_machine_with_no_database(sqlite_url, tmp_path):
    add_employee("manager")
    make_part("VW000123", on_hand=5)
    made = kiosk("--db", sqlite_url, "db", "backup", str(tmp_path / "b"))
    assert made.returncode == 0, made.stderr
    [copy] = backup.backups_in(tmp_path / "b")
    fresh = tmp_path / "new-machine" / "kiosk.sqlite"
    done = kiosk("--db", f"sqlite:///{fresh}", "db", "restore", str(copy))
    assert done.returncode == 0, done.stderr
    assert "The database as it was" not in done.stdout and "on-hand equals the ledger" in done.stdout
    checked = kiosk("--db", f"sqlite:///{fresh}", "check", "stock")
    assert checked.returncode == 0, checked.stderr
