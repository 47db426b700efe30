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

    def type_like_a_scanner(self, codes: list[str], gap: float = 0.002) -> None:
        """Each code one key at a time, `gap` seconds apart, then Enter, as a wedge scanner types. The keys go
        through one tmux control-mode client (`tmux -C`), so they are milliseconds apart, not a process start
        apart (a `tmux send-keys` per key took 10-20 ms each on a busy machine)."""
        client = subprocess.Popen(["tmux", "-C", "attach", "-t", self.name], stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, text=True)
        try:
            for code in codes:
                for ch in code:
                    quoted = '"\'"' if ch == "'" else f"'{ch}'"
                    client.stdin.write(f"send-keys -t {self.name} -l {quoted}\n")
                    client.stdin.flush()
                    time.sleep(gap)
                client.stdin.write(f"send-keys -t {self.name} Enter\n")
                client.stdin.flush()
                time.sleep(gap)
        finally:
            client.stdin.close()
            client.wait(timeout=10)

    def sign_in(self, badge: str, home: str, pin: str = "1234") -> None:
        """Badge, PIN, and wait for the home screen's title."""
        self.wait_for("Scan your badge")
        self.send(badge, "Enter")
        self.wait_for("type your PIN")
        self.send(pin, "Enter")
        self.wait_for(home)

    def scan(self, code: str) -> None:
        """A wedge scanner: one key at a time, a few milliseconds apart, then Enter."""
        self.type_like_a_scanner([code])

    def pid(self) -> int:
        out = subprocess.run(["tmux", "list-panes", "-t", self.name, "-F", "#{pane_pid}"],
                             capture_output=True, text=True, check=True)
        return int(out.stdout.split()[0])

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
