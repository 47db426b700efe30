"""Start-up and memory of the kiosk in a real terminal: sign-in screen time against a bare Textual app,
and the memory of one signed-in kiosk process; both again in Chinese (zh_CN) beside English."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.tmux import TmuxSession  # noqa: E402

BARE_APP = '''
from textual.app import App
from textual.widgets import Footer, Header, Label
class Bare(App):
    BINDINGS = [("f12", "quit", "Sign out")]
    def compose(self):
        yield Header()
        yield Label("Scan your badge")
        yield Footer()
Bare().run()
'''


def _rss_mib(pid: int) -> float:
    """Resident memory of the process tree under pid (the shell tmux started, and the kiosk in it)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if entry == str(pid) or fields.get("PPid", "").strip() == str(pid):
            if "python" in fields.get("Name", "") or "kiosk" in fields.get("Name", ""):
                total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def bench_startup(runs: int = 5) -> list[str]:
    # Installed packages carry compiled bytecode; compile ours too (this machine sets PYTHONDONTWRITEBYTECODE).
    root = Path(__file__).resolve().parent.parent
    os.system(f"{sys.executable} -m compileall -q {root / 'kiosk'} {root / 'labels'} >/dev/null")
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    db = f"sqlite:///{work / 'demo.sqlite'}"
    env = {"KIOSK_DB": db, "XDG_DATA_HOME": str(work)}
    os.system(f"KIOSK_DB={db} {sys.executable} -m kiosk demo --no-open >/dev/null")
    bare_file = work / "bare.py"
    bare_file.write_text(BARE_APP)
    kiosk_times, bare_times, zh_times, run_times = [], [], [], []
    zh_env = {**env, "KIOSK_LANGUAGE": "zh_CN"}
    for _ in range(runs):
        for command, times, first_words, environment in (
                (f"{sys.executable} {bare_file}", bare_times, "Scan your badge", env),
                (f"{sys.executable} -m kiosk demo", kiosk_times, "Scan your badge", env),
                (f"{sys.executable} -m kiosk --db {db}", run_times, "Scan your badge", env),
                (f"{sys.executable} -m kiosk demo", zh_times, "请扫描工牌", zh_env)):
            session = TmuxSession(command, env=environment)
            try:
                times.append(session.wait_for(first_words) * 1000)
            finally:
                session.close()
    session = TmuxSession(f"{sys.executable} -m kiosk demo", env=env)
    try:
        session.wait_for("Scan your badge")
        session.send("A301", "Enter")
        session.wait_for("type your PIN")
        session.send("3333", "Enter")
        session.wait_for("Job-card board")
        rss = _rss_mib(session.pid())
    finally:
        session.close()
    kiosk_ms, bare_ms = statistics.median(kiosk_times), statistics.median(bare_times)
    zh_ms, run_ms = statistics.median(zh_times), statistics.median(run_times)
    technician = {language: _technician_rss(language, env) for language in ("en", "zh_CN")}
    return [
        f"signin_screen_ms: {kiosk_ms:.0f} ms to the sign-in screen in tmux (median of {runs})",
        f"bare_textual_ms: {bare_ms:.0f} ms for a bare Textual app with header and footer "
        f"(kiosk/bare = {kiosk_ms / bare_ms:.2f}x; goal under 1.3x)",
        f"signin_screen_run_ms: {run_ms:.0f} ms for `kiosk` on an existing shop (kiosk/bare = "
        f"{run_ms / bare_ms:.2f}x; goal under 1.3x)",
        f"session_rss_mib: {rss:.1f} MiB for one signed-in kiosk process (goal under 80 MiB)",
        f"signin_screen_zh_ms: {zh_ms:.0f} ms to the sign-in screen in Chinese beside {kiosk_ms:.0f} ms in English "
        f"(zh/en = {zh_ms / kiosk_ms:.2f}x; goal within 1.1x)",
        f"session_rss_zh_mib: {technician['zh_CN']:.1f} MiB for a technician on My jobs in Chinese beside "
        f"{technician['en']:.1f} MiB in English (zh/en = {technician['zh_CN'] / technician['en']:.2f}x; "
        f"goal within 1.1x)",
    ]


def _technician_rss(language: str, env: dict) -> float:
    """Memory of a technician's kiosk on My jobs with its rows (dates through Babel in Chinese)."""
    session = TmuxSession(f"{sys.executable} -m kiosk demo", env={**env, "KIOSK_LANGUAGE": language})
    try:
        session.wait_for("f2 ")
        session.send("T101", "Enter")
        session.wait_for("T101：" if language == "zh_CN" else "T101:")  # the PIN step
        session.send("1111", "Enter")
        session.wait_for("RO0")
        session.wait_for("f12")
        return _rss_mib(session.pid())
    finally:
        session.close()


if __name__ == "__main__":
    print("\n".join(bench_startup()))
