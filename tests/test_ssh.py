"""Advisors over SSH: a real sshd forces the kiosk; the client address is in every audit event; no shell."""

import shutil
import subprocess
import time

import pytest

from kiosk.store.models import AuditEvent, JobCard, JobLine

from .conftest import add_employee
from .desk import customer_with_vehicle, open_card
from .factories import make_vin
from .sshd import KioskSshd
from .tmux import TmuxSession

pytestmark = [pytest.mark.skipif(not shutil.which("tmux"),
                                 reason="SSH tests drive ssh through tmux (apt-get install tmux)"),
              pytest.mark.sshd, pytest.mark.tmux]


@pytest.fixture
def sshd(sqlite_url, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('shop_name = "SSH Motors"\nidle_signout_seconds = 600\n')
    server = KioskSshd(tmp_path, sqlite_url, config)
    yield server
    server.stop()


def test_an_advisor_signs_in_over_ssh_and_the_client_is_recorded(sshd):
    advisor = add_employee("advisor", name="Zhao Lei 赵磊", badge="A301")
    session = TmuxSession(" ".join(sshd.ssh_args("-tt")))
    try:
        session.wait_for("Scan your badge")
        session.send("A301", "Enter")
        session.wait_for("type your PIN")
        session.send("1234", "Enter")
        screen = session.wait_for("Job-card board") and session.screen()
        assert "赵磊" in screen and "SSH Motors" in screen  # Chinese survives the SSH session
        session.send("F12")
        for _ in range(100):
            if AuditEvent.select().where(AuditEvent.action == "auth.sign_out").exists():
                break
            __import__("time").sleep(0.05)
    finally:
        session.close()
    events = list(AuditEvent.select().where(AuditEvent.employee == advisor.employee_id).order_by(AuditEvent.id))
    assert [e.action for e in events] == ["auth.sign_in", "auth.sign_out"]
    assert all(e.client.startswith("ssh 127.0.0.1 ") and e.terminal == "ssh" for e in events)


def test_asking_for_a_shell_command_over_ssh_gets_no_shell(sshd, tmp_path):
    marker = tmp_path / "pwned"
    result = subprocess.run(sshd.ssh_args() + [f"touch {marker}; echo SHELL-RAN"], capture_output=True,
                            text=True, timeout=30)
    assert "SHELL-RAN" not in result.stdout and not marker.exists()
    assert "needs a terminal" in result.stderr
    # With a terminal, the command asked for is ignored: the kiosk's sign-in screen comes up instead.
    session = TmuxSession(" ".join(sshd.ssh_args("-tt")) + f" 'touch {marker}; echo SHELL-RAN'")
    try:
        session.wait_for("Scan your badge")
        assert "SHELL-RAN" not in session.screen() and not marker.exists()
    finally:
        session.close()


def _sign_in(session, badge: str) -> None:
    session.wait_for("Scan your badge")
    session.send(badge, "Enter")
    session.wait_for("type your PIN")
    session.send("1234", "Enter")
    session.wait_for("Job-card board")


def _wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise TimeoutError("the database never showed it")


def test_an_advisor_over_ssh_opens_a_job_card_and_the_client_is_in_its_audit_event(sshd):
    advisor = add_employee("advisor", name="Zhao Lei 赵磊", badge="A301")
    technician = add_employee("technician", badge="T101")
    vin = make_vin()
    customer_with_vehicle(advisor, name="王小明", vin=vin, mileage=42000)
    session = TmuxSession(" ".join(sshd.ssh_args("-tt")))
    try:
        _sign_in(session, "A301")
        session.send("F2")
        session.wait_for("Reception")
        session.send(vin[-6:], "Enter")  # the end of the VIN
        session.wait_for("王小明")
        session.send("Tab", "Enter")  # into the results, then the vehicle
        session.wait_for("last recorded 42,000 km")
        # One field at a time, as a person types: keys arriving in one burst all land in the focused field
        # (Textual hands them to it before the first Tab or Enter has moved the focus).
        for keys, seen in ((["42500"], "42500"), (["Tab"], ""), (["Tab"], ""), (["Brake noise when cold"],
                           "Brake noise when cold"), (["Tab"], ""), (["Tab"], ""), (["BR1001"], "BR1001"),
                           (["Tab"], ""), (["T101"], "T101")):
            session.send(*keys)
            if seen:
                session.wait_for(seen)
            else:
                time.sleep(1.0)
        session.send("F10")
        session.wait_for("a draft")
        screen = session.screen()
        _wait_until(lambda: JobCard.select().exists())
        job = JobCard.get()
        assert f"RO{job.id:06d}" in screen and "Brake noise when cold" in screen
    finally:
        session.close()
    assert (job.advisor_id, job.mileage_in, job.status) == (advisor.employee_id, 42500, "draft")
    line = JobLine.get(JobLine.job == job.id)
    assert (line.labour_operation, line.technician_id) == ("BR1001", technician.employee_id)
    opened = AuditEvent.get((AuditEvent.action == "job.open") & (AuditEvent.subject_id == job.id))
    assert opened.client.startswith("ssh 127.0.0.1 ") and opened.terminal == "ssh"
    assert opened.employee_id == advisor.employee_id


def test_a_session_dropped_mid_edit_leaves_the_draft_to_reopen_and_nothing_half_written(sshd):
    advisor = add_employee("advisor", badge="A301")
    job_id = open_card(advisor)  # opened at the desk a moment ago
    lines_before = JobLine.select().where(JobLine.job == job_id).count()
    session = TmuxSession(" ".join(sshd.ssh_args("-tt")))
    try:
        _sign_in(session, "A301")
        session.send(f"RO{job_id:06d}", "Enter")
        session.wait_for("a draft")
        session.send("F2")
        session.wait_for("New line on")
        session.send("Half a line typed")  # and the network drops
    finally:
        session.close()
    time.sleep(0.5)
    assert JobLine.select().where(JobLine.job == job_id).count() == lines_before
    session = TmuxSession(" ".join(sshd.ssh_args("-tt")))
    try:
        _sign_in(session, "A301")
        session.send("F2")
        session.wait_for("Reception")
        session.send("F4")
        session.wait_for("Draft job cards")
        session.wait_for(f"RO{job_id:06d}")
        session.send("Enter")
        session.wait_for("a draft")
        assert "刹车时有异响" in session.screen()
    finally:
        session.close()
