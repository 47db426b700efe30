"""Idle sign-out as it happens at a real terminal (tmux): the countdown, any key stays, the draft kept, and an
SSH session that signs out after its own longer idle time and stays open at the sign-in screen."""

import glob
import os
import shutil
import subprocess
import time

import pytest

from kiosk.jobs import job_number
from kiosk.store.models import AuditEvent, JobLine

from .factories import make_job_card
from .tmux import TmuxSession
from .ui import badge_of

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(not shutil.which("tmux") or not shutil.which("kiosk"),
                                reason="needs tmux and the installed `kiosk` command")]


def kiosk_in_tmux(sqlite_url: str, settings_text: str, *args: str) -> TmuxSession:
    folder = os.path.dirname(sqlite_url.split(":///")[1])
    config = os.path.join(folder, "idle.toml")
    with open(config, "w", encoding="utf-8") as fh:
        fh.write(settings_text)
    return TmuxSession(f"{shutil.which('kiosk')} --config {config} --db {sqlite_url} {' '.join(args)}",
                       env={"XDG_DATA_HOME": os.path.join(folder, "xdg-data")})


def keys(session: TmuxSession, *sent: str) -> None:
    subprocess.run(["tmux", "send-keys", "-t", session.name, *sent], check=True)


def wait_gone(session: TmuxSession, text: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text not in session.screen():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{text!r} stayed; screen was:\n{session.screen()}")


def test_a_floor_terminal_counts_down_any_key_stays_and_the_typed_text_comes_back(floor_staff, sqlite_url):
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    session = kiosk_in_tmux(sqlite_url, "idle_signout_seconds = 8\n", "--terminal", "bay-1")
    try:
        session.wait_for("Scan your badge")
        keys(session, badge_of(tech), "Enter", "1234", "Enter", job_number(job.id), "Enter")  # one burst
        session.wait_for("Parts issued")
        keys(session, "F5", "Pads worn")
        session.wait_for("Pads worn")
        session.wait_for("Signing out in", timeout=10)  # the last seconds are counted down, over the dialog
        keys(session, " at the rear")  # any key stays
        wait_gone(session, "Signing out in")
        assert "Cause (what was wrong)" in session.screen()
        session.wait_for("Signed out after being idle", timeout=20)
        keys(session, badge_of(tech), "Enter", "1234", "Enter", job_number(job.id), "Enter")
        session.wait_for("Parts issued")
        keys(session, "F5")
        session.wait_for("Pads worn at the rear")  # the draft is back in the same field
    finally:
        session.close()
    assert JobLine.get(JobLine.job == job.id).cause == ""  # a draft, never saved on its own
    reasons = [e.detail for e in AuditEvent.select().where(AuditEvent.action == "auth.sign_out")]
    assert reasons and '"idle"' in reasons[0]


def test_an_ssh_session_uses_its_own_idle_time_and_stays_open_after_signing_out(floor_staff, sqlite_url):
    advisor = floor_staff["advisor"]
    session = kiosk_in_tmux(sqlite_url, "idle_signout_seconds = 1\nssh_idle_signout_seconds = 6\n",
                            "ssh", "--as", badge_of(advisor))
    try:
        session.wait_for("type your PIN")  # the session says whose it is: only the PIN
        keys(session, "1234", "Enter")
        session.wait_for("Job-card board")
        time.sleep(2.5)  # past the floor's idle time: an SSH session keeps going
        assert "Job-card board" in session.screen()
        session.wait_for("signing out in", timeout=10)
        session.wait_for("Signed out after being idle", timeout=15)
        assert "type your PIN" in session.screen()  # back at sign-in, the connection still open
        keys(session, "1234", "Enter")
        session.wait_for("Job-card board")
    finally:
        session.close()
    events = [(e.action, e.detail) for e in AuditEvent.select().order_by(AuditEvent.id)]
    # (the pane closed at the end signs the second session out too, "terminal gone", as the kiosk gets to it)
    assert [action for action, _ in events].count("auth.sign_in") == 2
    assert [detail for action, detail in events if action == "auth.sign_out"][0] == '{"reason": "idle"}'
    assert sum('"idle"' in detail for action, detail in events if action == "auth.sign_out") == 1


def test_text_typed_when_the_terminal_goes_away_comes_back_in_the_next_kiosk(floor_staff, sqlite_url):
    """The tmux pane killed (an ssh dropped, a window closed) while the cause is typed and not saved: the kiosk
    keeps it in a file and ends; the next kiosk on this terminal gives it back when the same person opens the
    same dialog."""
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    folder = os.path.dirname(sqlite_url.split(":///")[1])
    # one folder per shop's database, then the terminal, then the person
    kept = os.path.join(folder, "xdg-data", "kiosk", "drafts", "*", "bay-1", f"{tech.employee_id}.json")
    session = kiosk_in_tmux(sqlite_url, "", "--terminal", "bay-1")
    try:
        session.wait_for("Scan your badge")
        keys(session, badge_of(tech), "Enter", "1234", "Enter", job_number(job.id), "Enter")
        session.wait_for("Parts issued")
        keys(session, "F5", "Pads worn 刹车片磨损")
        session.wait_for("Pads worn")
    finally:
        session.close()  # the terminal goes away
    deadline = time.monotonic() + 20
    while not AuditEvent.select().where(AuditEvent.action == "auth.sign_out").exists():
        assert time.monotonic() < deadline, "the kiosk did not sign out when its terminal went away"
        time.sleep(0.1)
    assert len(glob.glob(kept)) == 1
    session = kiosk_in_tmux(sqlite_url, "", "--terminal", "bay-1")
    try:
        session.wait_for("Scan your badge")
        keys(session, badge_of(tech), "Enter", "1234", "Enter", job_number(job.id), "Enter")
        session.wait_for("Parts issued")
        keys(session, "F5")
        session.wait_for("Pads worn 刹车片磨损")  # back in the same field
    finally:
        session.close()
    assert JobLine.get(JobLine.job == job.id).cause == ""  # a draft, never saved on its own
    assert not os.path.exists(kept)  # given back: nothing left to keep
