"""A full disk under the database: one clear line on the screen and from the CLI, and nothing half-written.

SQLite's own page limit (PRAGMA max_page_count) makes the database file full in place; where the test may
mount a tiny tmpfs (root), the disk itself fills up under a real `kiosk` process."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cli, labelqueue
from kiosk.config import Settings
from kiosk.errors import DiskFull
from kiosk.store import close_database, database, db, open_database, schema
from kiosk.store.models import ALL_MODELS

from .conftest import add_employee
from .factories import make_job_card, make_tag
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text

FULL = "The disk holding the database is full; nothing was saved."
ROOT = Path(__file__).resolve().parents[1]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.select().count() for model in ALL_MODELS}


def fill_the_database(tech, tag_number: str, settings: Settings) -> int:
    """Stop the file from growing, then reprint until there is no room: the failing reprint changes no row.
    Returns the file's page count (its size when full)."""
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")
    for _ in range(10_000):
        before = row_counts()
        try:
            labelqueue.reprint(tech, tag_number, settings)
        except DiskFull as exc:
            assert str(exc) == FULL
            assert row_counts() == before  # not the print job without its event, nor the event without its audit
            return pages
    raise AssertionError("the database never filled up")


@pytest.fixture
def shop(floor_staff):
    tech = floor_staff["technician"]
    tag = make_tag(make_job_card(tech.employee_id), tech.employee_id)
    return {"tech": tech, "badge": badge_of(tech), "tag": tag.tag_number, **floor_staff}


def test_a_full_database_refuses_the_change_whole_and_takes_it_once_there_is_room(shop, settings):
    fill_the_database(shop["tech"], shop["tag"], settings)
    before = row_counts()
    with pytest.raises(DiskFull, match="disk holding the database is full"):
        labelqueue.reprint(shop["tech"], shop["tag"], settings)
    assert row_counts() == before
    assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.execute_sql("PRAGMA max_page_count = 1073741823")  # the disk has room again
    labelqueue.reprint(shop["tech"], shop["tag"], settings)
    after = row_counts()
    assert {name: after[name] - before[name] for name in after if after[name] != before[name]} == {
        "PrintJob": 1, "TagEvent": 1, "AuditEvent": 1}


def test_the_cli_says_the_disk_is_full_in_one_line(shop, settings, monkeypatch, capsys):
    pages = fill_the_database(shop["tech"], shop["tag"], settings)
    path = db.obj.database
    close_database()
    monkeypatch.setitem(database.SQLITE_PRAGMAS, "max_page_count", pages)  # the kiosk's own connection: full
    code = cli.main(["--db", f"sqlite:///{path}", "label", shop["tag"], "--print", "--badge", shop["badge"]])
    assert (code, capsys.readouterr().err) == (1, f"kiosk: {FULL}\n")


async def test_the_screen_says_the_disk_is_full_in_place(shop, settings):
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, shop["badge"])
        pages = fill_the_database(app.actor, shop["tag"], settings)  # the disk fills while the technician works
        # The page limit is a connection's own: the screen's writes run on the writer thread's connection.
        await app.writer.run(db.execute_sql, (f"PRAGMA max_page_count = {pages}",), {})
        before = row_counts()
        await pilot.press("f7", "f3")
        await settle(pilot)
        await type_text(pilot, shop["tag"])
        await pilot.press("enter")
        await settle(pilot)
        assert FULL in screen_text(app)
        assert row_counts() == before


@pytest.fixture
def tiny_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True,
                             text=True)
    if mounted.returncode != 0:
        pytest.skip(f"needs to mount a small tmpfs (as root): {mounted.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def fill_the_disk(folder: Path) -> None:
    filler = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 16, 4096, 1):
            try:
                while os.write(filler, b"\0" * size):
                    pass
            except OSError:
                pass
    finally:
        os.close(filler)


def test_a_real_full_disk_under_a_running_kiosk_command(tiny_disk, tmp_path):
    path = tiny_disk / "kiosk.sqlite"
    open_database(f"sqlite:///{path}")
    schema.upgrade()
    tech = add_employee("technician")
    tag = make_tag(make_job_card(tech.employee_id), tech.employee_id)
    badge, before = badge_of(tech), row_counts()
    close_database()
    # Another terminal has the database open (its shared memory file stays), the log is empty, and the disk
    # fills up with something else.
    other = sqlite3.connect(path)
    other.execute("SELECT count(*) FROM employee").fetchone()
    other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fill_the_disk(tiny_disk)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("KIOSK_CONFIG", None)
    env.pop("KIOSK_DB", None)
    run = subprocess.run([sys.executable, "-m", "kiosk", "--db", f"sqlite:///{path}", "label", tag.tag_number,
                          "--print", "--badge", badge], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert (run.returncode, run.stderr) == (1, f"kiosk: {FULL}\n")
    other.close()
    (tiny_disk / "filler").unlink()
    open_database(f"sqlite:///{path}")
    try:
        assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert row_counts() == before
    finally:
        close_database()
