"""Advisors over SSH: a real sshd forces the kiosk; the client address is in every audit event; no shell."""

import shutil
import subprocess

import pytest

from kiosk.store.models import AuditEvent

from .conftest import add_employee
from .sshd import KioskSshd
from .tmux import TmuxSession

pytestmark = pytest.mark.skipif(not shutil.which("tmux"), reason="SSH tests drive ssh through tmux (apt-get install tmux)")


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
