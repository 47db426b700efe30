"""Driving a real program in a real terminal (tmux) for tests and benchmarks: start it, wait for text, type."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid


class TmuxSession:
    def __init__(self, command: str, *, width: int = 80, height: int = 24, env: dict | None = None,
                 term: str = "xterm-256color"):
        if not shutil.which("tmux"):
            raise RuntimeError("tmux is not installed")
        self.name = "bench-" + uuid.uuid4().hex[:8]
        exports = " ".join(f"{k}={v!r}" for k, v in (env or {}).items())
        self.started = time.perf_counter()
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                        f"env TERM={term} LANG=C.UTF-8 {exports} {command}"], check=True)

    def screen(self) -> str:
        out = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return out.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> float:
        """Seconds from start until text is on the screen."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if text in self.screen():
                return time.perf_counter() - self.started
            time.sleep(0.005)
        raise TimeoutError(f"{text!r} did not appear; screen was:\n{self.screen()}")

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def sign_in(self, badge: str, home: str, pin: str = "1234") -> None:
        """Badge, PIN, and wait for the home screen's title."""
        self.wait_for("Scan your badge")
        self.send(badge, "Enter")
        self.wait_for("type your PIN")
        self.send(pin, "Enter")
        self.wait_for(home)

    def scan(self, code: str) -> None:
        """A wedge scanner: one key at a time, a few milliseconds apart, then Enter."""
        for ch in code:
            subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", ch], check=True)
        subprocess.run(["tmux", "send-keys", "-t", self.name, "Enter"], check=True)

    def pid(self) -> int:
        out = subprocess.run(["tmux", "list-panes", "-t", self.name, "-F", "#{pane_pid}"],
                             capture_output=True, text=True, check=True)
        return int(out.stdout.split()[0])

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
