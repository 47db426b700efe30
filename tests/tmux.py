"""Driving a real program in a real terminal (tmux) for tests and benchmarks: start it, wait for text, type."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import threading
import time
import uuid


def _quoted(arg: str) -> str:
    """One argument in tmux's command language: single quotes take everything as it is; a text holding a single
    quote goes in double quotes, where \\, " and $ are escaped."""
    if "'" not in arg:
        return f"'{arg}'"
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


QUIET = 0.015  # seconds without output after which the screen is read again


class _Control:
    """One tmux control-mode client (`tmux -C attach`) on a session, for the session's life: commands go down one
    pipe and their answers come back on another, and tmux announces each write of the program (%output). Waiting
    for text is then a capture each time the screen changes, instead of a new `tmux capture-pane` process every
    few milliseconds (on 2 cores those processes took the CPU the program under test needed)."""

    def __init__(self, target: str):
        self.proc = subprocess.Popen(["tmux", "-C", "attach", "-t", target], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.replies: queue.Queue = queue.Queue()
        self.changed = threading.Condition()
        self.outputs = 0  # %output notifications so far
        self.last_output = 0.0  # time.perf_counter() of the latest
        self.closed = False
        self.unanswered = 0  # commands sent without waiting for their answer
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True, name=f"tmux-control-{target}").start()
        self.alive = self._answer(timeout=10) is not None  # the attach command's own (empty) answer

    def _read(self) -> None:
        block, end = None, None
        for raw in self.proc.stdout:
            line = raw.rstrip(b"\n")
            if block is not None:
                if line == end or (line.startswith(b"%error ") and line[7:] == end[5:]):
                    self.replies.put((line == end, block))
                    block = None
                else:
                    block.append(line)
            elif line.startswith(b"%begin "):
                block, end = [], b"%end " + line[7:]
            elif line.startswith((b"%output ", b"%extended-output ")):
                with self.changed:
                    self.outputs += 1
                    self.last_output = time.perf_counter()
                    self.changed.notify_all()
        with self.changed:
            self.closed = True
            self.changed.notify_all()
        self.replies.put(None)

    def _answer(self, timeout: float = 30):
        try:
            reply = self.replies.get(timeout=timeout)
        except queue.Empty:
            return None
        if reply is None:
            self.replies.put(None)  # closed: every later wait sees it too
        return reply

    def send_nowait(self, command: str) -> bool:
        with self.lock:
            if not self.alive or self.closed:
                return False
            try:
                self.proc.stdin.write(command.encode() + b"\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                return False
            self.unanswered += 1
            return True

    def run(self, command: str) -> tuple[bool, list[bytes]] | None:
        """The command's answer: (succeeded, its output lines); None when the client is gone."""
        if not self.send_nowait(command):
            return None
        return self.drain()

    def drain(self) -> tuple[bool, list[bytes]] | None:
        """Wait for every command sent so far to be answered; the last answer."""
        reply = None
        with self.lock:
            while self.unanswered:
                reply = self._answer()
                if reply is None:
                    self.alive = False
                    return None
                self.unanswered -= 1
        return reply

    def wait_for_output(self, seen: int, timeout: float) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.outputs > seen or self.closed, timeout=timeout)

    def wait_quiet(self, quiet: float = QUIET, most: float = 0.5) -> None:
        """Until the program has written nothing for `quiet` seconds (at most `most`): a screen being painted
        comes in several writes, and a capture between two of them shows half of the old screen."""
        until = time.perf_counter() + most
        with self.changed:
            while not self.closed:
                now = time.perf_counter()
                wait = min(self.last_output + quiet, until) - now
                if wait <= 0:
                    return
                self.changed.wait(wait)

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class TmuxSession:
    def __init__(self, command: str, *, width: int = 80, height: int = 24, env: dict | None = None,
                 term: str = "xterm-256color"):
        if not shutil.which("tmux"):
            raise RuntimeError("tmux is not installed")
        self.name = "bench-" + uuid.uuid4().hex[:8]
        # The bytecode cache the tests set (conftest), passed on explicitly: a tmux server started before them
        # (someone's own tmux) would otherwise give the session its own environment.
        prefix = os.environ.get("PYTHONPYCACHEPREFIX")
        cache = {"PYTHONPYCACHEPREFIX": prefix} if prefix else {}
        unset = "-u PYTHONDONTWRITEBYTECODE " if cache else ""
        exports = " ".join(f"{k}={v!r}" for k, v in {**cache, **(env or {})}.items())
        self.started = time.perf_counter()
        new_session = ["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                       f"env {unset}TERM={term} LANG=C.UTF-8 {exports} {command}"]
        for _ in range(20):
            started = subprocess.run(new_session, capture_output=True, text=True)
            # The tmux server quits when its last session closes; a session started in that moment meets a server
            # on its way out, and the next try starts a new one.
            if started.returncode == 0 or "server exited unexpectedly" not in started.stderr:
                break
            time.sleep(0.05)
        if started.returncode:
            raise subprocess.CalledProcessError(started.returncode, new_session, started.stdout, started.stderr)
        self._control = _Control(self.name)

    def screen(self) -> str:
        answer = self._control.run(f"capture-pane -p -t {self.name}")
        if answer is None:  # the session is gone (its program ended): ask tmux as a new process, as before
            out = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
            return out.stdout
        ok, lines = answer
        return "".join(line.decode("utf-8", "replace") + "\n" for line in lines) if ok else ""

    def wait_for(self, text: str, timeout: float = 20.0) -> float:
        """Seconds from start until text is on the screen (until the program's last write before the screen was
        read that showed it). The screen is read again once the program has written to the terminal and gone quiet
        (and every 50 ms besides)."""
        deadline = time.perf_counter() + timeout
        while True:
            self._control.wait_quiet()
            seen, written = self._control.outputs, self._control.last_output
            if text in self.screen():
                return (written if written > self.started else time.perf_counter()) - self.started
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{text!r} did not appear; screen was:\n{self.screen()}")
            if self._control.alive and not self._control.closed:
                self._control.wait_for_output(seen, min(left, 0.05))
            else:
                time.sleep(min(left, 0.005))

    def send(self, *keys: str) -> None:
        command = f"send-keys -t {self.name} " + " ".join(_quoted(key) for key in keys)
        answer = None if any("\n" in key for key in keys) else self._control.run(command)
        if answer is None:
            subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)
        elif not answer[0]:
            raise RuntimeError(f"tmux {command}: {b' '.join(answer[1]).decode('utf-8', 'replace')}")

    def type_like_a_scanner(self, codes: list[str], gap: float = 0.002) -> None:
        """Each code one key at a time, `gap` seconds apart, then Enter, as a wedge scanner types. The keys go
        through the session's tmux control-mode client, so they are milliseconds apart, not a process start
        apart (a `tmux send-keys` per key took 10-20 ms each on a busy machine); returns when tmux has typed them
        all."""
        for code in codes:
            for ch in code:
                if not self._control.send_nowait(f"send-keys -t {self.name} -l {_quoted(ch)}"):
                    raise RuntimeError(f"tmux session {self.name} is gone")
                time.sleep(gap)
            if not self._control.send_nowait(f"send-keys -t {self.name} Enter"):
                raise RuntimeError(f"tmux session {self.name} is gone")
            time.sleep(gap)
        self._control.drain()

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
        self._control.close()
