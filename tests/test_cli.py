"""The `kiosk` command as a newcomer meets it: help, db upgrade, demo, and bad databases."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PRODUCTION_SCRYPT_N
from .tmux import TmuxSession

ROOT = Path(__file__).resolve().parent.parent


def kiosk(*args, env=None, cwd=None, input_text=None):
    full_env = {**os.environ, "XDG_DATA_HOME": str(cwd or ROOT), "XDG_CONFIG_HOME": str(cwd or ROOT)}
    full_env.pop("KIOSK_DB", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, env=full_env,
                          cwd=cwd or ROOT, input=input_text, timeout=120)


def test_help_lists_the_commands_and_where_the_database_is(tmp_path):
    result = kiosk("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("demo", "db", "check", "ssh-config", "employee"):
        assert command in result.stdout
    assert f"sqlite:///{tmp_path}/kiosk/kiosk.sqlite" in result.stdout
    assert "KIOSK_DB" in result.stdout


def test_kiosk_db_upgrade_creates_a_fresh_database_where_kiosk_db_says(tmp_path):
    result = kiosk("db", "upgrade", env={"KIOSK_DB": "sqlite:///some/path.sqlite"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tables = {r[0] for r in sqlite3.connect(tmp_path / "some" / "path.sqlite").execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"employee", "job_card", "warranty_tag", "audit_event", "schema_migration"} <= tables
    again = kiosk("db", "upgrade", env={"KIOSK_DB": "sqlite:///some/path.sqlite"}, cwd=tmp_path)
    assert "already up to date" in again.stdout


@pytest.mark.parametrize("url, words", [
    ("sqlite:////no/such/folder/k.sqlite", "does not exist"),
    ("oracle://x", "Unknown database URL"),
    ("postgresql://nobody:secret@127.0.0.1:1/none", "Cannot open database"),
])
def test_a_database_that_cannot_be_opened_gives_one_line_and_status_1(tmp_path, url, words):
    result = kiosk("--db", url, cwd=tmp_path)
    assert result.returncode == 1
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and "secret" not in result.stderr


def test_an_empty_database_is_refused_until_upgraded(tmp_path):
    result = kiosk("--db", f"sqlite:///{tmp_path / 'new.sqlite'}", cwd=tmp_path)
    assert result.returncode == 1 and "kiosk db upgrade" in result.stderr


@pytest.mark.tmux
@pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux")
def test_at_a_terminal_a_database_not_upgraded_still_ends_the_kiosk_in_one_line(tmp_path):
    """At a terminal the sign-in screen is painted before the database opens: one the kiosk cannot use still
    ends it with one line and status 1, left on the terminal it gives back."""
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    sqlite3.connect(tmp_path / "new.sqlite").close()
    session = TmuxSession(f"sh -c '{sys.executable} -m kiosk --db {url}; echo status $?; sleep 30'",
                          env={"XDG_DATA_HOME": str(tmp_path)})
    try:
        session.wait_for("status 1", timeout=60)
        lines = [line for line in session.screen().splitlines() if line.strip()]
    finally:
        session.close()
    assert lines == ["kiosk: This database has no kiosk tables yet; run `kiosk db upgrade` first.", "status 1"]


def test_a_bad_settings_file_is_one_clear_line(tmp_path):
    bad = tmp_path / "kiosk.toml"
    bad.write_text("shop_name = [unclosed\n")
    result = kiosk("--config", str(bad), "db", "status", cwd=tmp_path)
    assert result.returncode == 1 and "Cannot read settings file" in result.stderr


def test_demo_no_open_builds_once_and_prints_the_badges(tmp_path):
    first = kiosk("demo", "--no-open", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Created the demo shop" in first.stdout and "T101  PIN 1111" in first.stdout
    second = kiosk("demo", "--no-open", cwd=tmp_path)
    assert "Reusing the demo shop" in second.stdout
    db = sqlite3.connect(tmp_path / "kiosk" / "demo.sqlite")
    roles = dict(db.execute("SELECT role, count(*) FROM employee GROUP BY role").fetchall())
    assert set(roles) == {"technician", "parts_clerk", "advisor", "manager"} and sum(roles.values()) >= 12
    states = {r[0] for r in db.execute("SELECT DISTINCT status FROM job_card")}
    assert states >= {"draft", "awaiting_approval", "approved", "in_progress", "work_done", "quality_checked",
                      "delivered"}
    assert db.execute("SELECT count(*) FROM part").fetchone()[0] >= 300
    assert db.execute("SELECT count(*) FROM part WHERE wear_part").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM part WHERE safety_part").fetchone()[0] > 0
    # Every delivered card has its follow-up call: some made (a complaint, a rework booked), some still due.
    outcomes = {r[0] for r in db.execute("SELECT outcome FROM follow_up")}
    assert outcomes >= {"", "satisfied", "complaint", "problem"}
    assert db.execute("SELECT count(*) FROM follow_up").fetchone()[0] == db.execute(
        "SELECT count(*) FROM job_card WHERE status = 'delivered'").fetchone()[0]
    assert db.execute("SELECT count(*) FROM complaint WHERE status = 'open'").fetchone()[0] == 1
    # The floor tools have work: a clock forgotten since yesterday and a safety part awaiting approval.
    assert db.execute("SELECT count(*) FROM clock_entry WHERE stopped_at IS NULL").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM warranty_tag WHERE approval = 'needed'").fetchone()[0] == 1


def test_the_first_manager_is_registered_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    kiosk("--db", url, "db", "upgrade", cwd=tmp_path)
    result = kiosk("--db", url, "employee", "add", "--badge", "m1", "--name", "黄经理", cwd=tmp_path,
                   input_text="4321\n")
    assert result.returncode == 0, result.stderr
    assert "Registered 黄经理 (manager) with badge M1" in result.stdout
    # the kiosk itself hashes at production's cost, whatever the tests use in their own process
    stored = sqlite3.connect(tmp_path / "shop.sqlite").execute("SELECT pin_hash FROM employee").fetchone()[0]
    assert stored.startswith(f"scrypt${PRODUCTION_SCRYPT_N}$8$1$") and PRODUCTION_SCRYPT_N == 2**14
    again = kiosk("--db", url, "employee", "add", "--badge", "m2", "--name", "Other", cwd=tmp_path,
                  input_text="4321\n")
    assert again.returncode == 1 and "signed-in manager" in again.stderr


def test_ssh_config_prints_a_forced_command_match_block(tmp_path):
    result = kiosk("--db", "sqlite:////srv/kiosk/shop.sqlite", "ssh-config", "--account", "advisors",
                   cwd=tmp_path)
    assert result.returncode == 0
    assert "Match User advisors" in result.stdout
    assert "ForceCommand" in result.stdout and "-m kiosk" in result.stdout and " ssh" in result.stdout
    assert "sqlite:////srv/kiosk/shop.sqlite" in result.stdout and "AllowTcpForwarding no" in result.stdout


def test_ssh_config_says_where_an_advisors_exports_go(tmp_path):
    result = kiosk("--db", "sqlite:////srv/kiosk/shop.sqlite", "ssh-config", "--account", "advisors", cwd=tmp_path)
    assert "~advisors/.local/share/kiosk" in result.stdout and "exports_dir" in result.stdout
    config = tmp_path / "kiosk.toml"
    config.write_text('exports_dir = "/srv/kiosk/exports"\n', encoding="utf-8")
    result = kiosk("--config", str(config), "--db", "sqlite:////srv/kiosk/shop.sqlite", "ssh-config", cwd=tmp_path)
    assert result.returncode == 0 and "written on THIS server" in result.stdout
    assert "in /srv/kiosk/exports (the setting exports_dir)" in result.stdout
