"""Eight advisors connecting over SSH at the same moment on this machine: seconds to the sign-in screen (p95)
beside eight bare Textual apps forced by the same sshd at the same moment, and seconds from the PIN to the board."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from tests.tmux import TmuxSession  # noqa: E402

from startup_bench import BARE_APP  # noqa: E402 - the same bare app as the single start-up figure

AT_ONCE = 8


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _all_show(sessions: list[TmuxSession], text: str, since: list[float], timeout: float = 120.0) -> list[float]:
    """Seconds from each moment in since until text was on that session's screen (all polled together)."""
    seen: dict[int, float] = {}
    deadline = time.perf_counter() + timeout
    while len(seen) < len(sessions) and time.perf_counter() < deadline:
        for i, session in enumerate(sessions):
            if i not in seen and text in session.screen():
                seen[i] = time.perf_counter() - since[i]
        time.sleep(0.01)
    if len(seen) < len(sessions):
        raise TimeoutError(f"{text!r} did not appear on {len(sessions) - len(seen)} session(s)")
    return [seen[i] for i in range(len(sessions))]


def _burst(command: list[str]) -> list[TmuxSession]:
    return [TmuxSession(" ".join(command)) for _ in range(AT_ONCE)]


def bench_ssh_burst() -> list[str]:
    from tests.sshd import KioskSshd

    os.system(f"{sys.executable} -m compileall -q {ROOT / 'kiosk'} {ROOT / 'labels'} >/dev/null")
    work = Path(tempfile.mkdtemp(prefix="kiosk-ssh-bench-"))
    db = f"sqlite:///{work / 'demo.sqlite'}"
    os.system(f"KIOSK_DB={db} XDG_DATA_HOME={work} {sys.executable} -m kiosk demo --no-open >/dev/null")
    config = work / "kiosk.toml"
    config.write_text('shop_name = "Bench Motors"\n')
    (work / "bare.py").write_text(BARE_APP)
    try:
        sshd = KioskSshd(work, db, config)
    except BaseException as exc:  # noqa: BLE001 - pytest.skip when sshd cannot run here
        return [f"ssh_burst_signin_p95_s: skipped ({exc})"]
    sessions: list[TmuxSession] = []
    try:
        sessions = _burst(sshd.ssh_args("-tt"))
        signin = _all_show(sessions, "Scan your badge", [s.started for s in sessions])
        for session in sessions:
            session.send("A301", "Enter")
        _all_show(sessions, "type your PIN", [time.perf_counter()] * AT_ONCE)
        pressed = []
        for session in sessions:
            pressed.append(time.perf_counter())
            session.send("3333", "Enter")
        board = _all_show(sessions, "Job-card board", pressed)
        for session in sessions:
            session.close()
        # The same sshd, the same burst, a bare Textual app as the forced command.
        sshd.stop()
        conf = (work / "sshd_config").read_text().splitlines()
        conf = [f"ForceCommand {sys.executable} {work / 'bare.py'}" if line.startswith("ForceCommand") else line
                for line in conf]
        (work / "sshd_config").write_text("\n".join(conf) + "\n")
        sshd.proc = subprocess.Popen([sshd_binary(), "-D", "-e", "-f", str(work / "sshd_config")],
                                     stderr=open(work / "sshd-bare.log", "w"))
        time.sleep(0.5)
        sessions = _burst(sshd.ssh_args("-tt"))
        bare = _all_show(sessions, "Scan your badge", [s.started for s in sessions])
    finally:
        for session in sessions:
            session.close()
        sshd.stop()
    kiosk_p95, bare_p95 = _p95(signin), _p95(bare)
    return [
        f"ssh_burst_signin_p95_s: {kiosk_p95:.2f} s to the sign-in screen, {AT_ONCE} SSH sessions at once "
        f"(median {sorted(signin)[AT_ONCE // 2]:.2f} s)",
        f"ssh_burst_bare_p95_s: {bare_p95:.2f} s for {AT_ONCE} bare Textual apps over the same sshd at once "
        f"(kiosk/bare = {kiosk_p95 / bare_p95:.2f}x; goal under 1.5x)",
        f"ssh_burst_pin_to_board_p95_s: {_p95(board):.2f} s from the PIN's Enter to the board, {AT_ONCE} at once",
    ]


def sshd_binary() -> str:
    from tests.sshd import SSHD
    return SSHD


if __name__ == "__main__":
    print("\n".join(bench_ssh_burst()))
