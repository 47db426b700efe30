"""Without a terminal the kiosk refuses in one line instead of spinning a CPU; when its terminal goes away in
the middle of a session it signs out and exits."""

import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from kiosk.store.models import AuditEvent

from .tmux import TmuxSession
from .ui import badge_of

ROOT = Path(__file__).resolve().parents[1]
UI_COMMANDS = [[], ["run"], ["demo"], ["ssh"]]


def kiosk_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"), TERM="xterm-256color",
               LANG="C.UTF-8")
    return env


def terminal() -> tuple[int, int]:
    """A pseudo-terminal of 80x24: (the kiosk's side, the person's side)."""
    person, kiosk = pty.openpty()
    fcntl.ioctl(kiosk, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return kiosk, person


def closed_pipe() -> int:
    read, write = os.pipe()
    os.close(write)
    return read


@pytest.mark.parametrize("command", UI_COMMANDS, ids=lambda c: " ".join(["kiosk", *c]))
@pytest.mark.parametrize("stdin", ["/dev/null", "closed pipe", "terminal, output piped"])
def test_every_command_that_opens_the_kiosk_refuses_without_a_terminal(command, stdin, sqlite_url, tmp_path):
    env = kiosk_env(tmp_path) | ({} if command == ["demo"] else {"KIOSK_DB": sqlite_url})  # a shop to open
    tty, person = terminal()
    if stdin == "/dev/null":
        given_in, given_out = subprocess.DEVNULL, tty  # output to a real terminal: only the input is wrong
    elif stdin == "closed pipe":
        given_in, given_out = closed_pipe(), tty
    else:
        given_in, given_out = tty, subprocess.PIPE
    try:
        started = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "kiosk", *command], stdin=given_in, stdout=given_out,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env, timeout=20)
        assert time.monotonic() - started < 10
    finally:
        for fd in (tty, person) + ((given_in,) if isinstance(given_in, int) and given_in > 2 else ()):
            try:
                os.close(fd)
            except OSError:
                pass
    assert run.returncode != 0
    assert len(run.stderr.splitlines()) == 1 and "needs a terminal" in run.stderr
    assert not (tmp_path / "data" / "kiosk" / "demo.sqlite").exists()  # refused before doing anything


def read_until(fd: int, text: str, timeout: float = 30.0) -> None:
    seen, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if text.encode() in seen:
                return
    raise AssertionError(f"{text!r} never appeared")


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def sign_outs() -> list[str]:
    return [e.detail for e in AuditEvent.select().where(AuditEvent.action == "auth.sign_out")]


def test_a_terminal_closed_mid_session_ends_the_kiosk_and_signs_out(floor_staff, sqlite_url, tmp_path):
    # The terminal is not the kiosk's controlling terminal, so no hang-up signal comes: the kiosk must notice
    # that its input has ended by itself.
    tty, person = terminal()
    kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", "--db", sqlite_url], stdin=tty, stdout=tty, stderr=tty,
                             cwd=ROOT, env=kiosk_env(tmp_path))
    os.close(tty)
    try:
        read_until(person, "Scan your badge")
        os.write(person, badge_of(floor_staff["technician"]).encode() + b"\r")
        read_until(person, "type your PIN")
        os.write(person, b"1234\r")
        read_until(person, "My jobs")
        os.close(person)  # the window is closed
        assert wait_for(lambda: kiosk.poll() is not None), "the kiosk kept running without its terminal"
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
    assert kiosk.returncode == 129
    assert sign_outs() and '"terminal gone"' in sign_outs()[-1]


def descendants(pid: int) -> list[int]:
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.tmux
@pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux")
def test_a_killed_tmux_pane_takes_the_kiosk_with_it(floor_staff, sqlite_url, tmp_path):
    env = {k: v for k, v in kiosk_env(tmp_path).items() if k.startswith("XDG_")}
    session = TmuxSession(f"{sys.executable} -m kiosk --db {sqlite_url}", env=env)
    try:
        session.sign_in(badge_of(floor_staff["advisor"]), "Job-card board")
        pane = session.pid()
        kiosks = [pid for pid in [pane, *descendants(pane)]
                  if b"kiosk" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert kiosks
    finally:
        session.close()
    assert wait_for(lambda: not any(alive(pid) for pid in kiosks)), "the kiosk outlived its tmux pane"
    assert wait_for(lambda: sign_outs() and '"terminal gone"' in sign_outs()[-1])
