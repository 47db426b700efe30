"""A real OpenSSH server on a loopback port whose forced command is the kiosk, for SSH tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class KioskSshd:
    """sshd -D with its own config, host key and authorized key; the client logs in as the current user."""

    def __init__(self, workdir: Path, db_url: str, config_path: Path):
        if not os.path.exists(SSHD) or not shutil.which("ssh"):
            pytest.skip("SSH tests need openssh-server and openssh-client (apt-get install openssh-server)")
        if os.geteuid() != 0:
            pytest.skip("SSH tests start sshd, which needs root here")
        self.dir = workdir
        self.user = os.environ.get("USER") or "root"
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(workdir / name)], check=True)
        (workdir / "authorized_keys").write_text((workdir / "client_key.pub").read_text())
        os.chmod(workdir / "authorized_keys", 0o600)
        Path("/run/sshd").mkdir(exist_ok=True)
        self.command = f"{sys.executable} -m kiosk --config {config_path} --db {db_url} ssh"
        self.log = workdir / "sshd.log"
        # A port the system has just handed out; another test (another xdist worker, another checkout on this
        # machine) may take it before sshd binds it, so a refused bind tries the next free port.
        for _ in range(5):
            if self._start(free_port()):
                return
        raise RuntimeError("sshd did not start: " + self.log.read_text())

    def _start(self, port: int) -> bool:
        workdir = self.dir
        self.port = port
        (workdir / "sshd_config").write_text("\n".join([
            f"Port {self.port}", "ListenAddress 127.0.0.1", f"HostKey {workdir / 'host_key'}",
            f"PidFile {workdir / 'sshd.pid'}", f"AuthorizedKeysFile {workdir / 'authorized_keys'}",
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password",
            "StrictModes no", "UsePAM no", "PrintMotd no", "PrintLastLog no",
            f"SetEnv LANG=C.UTF-8 PYTHONPATH={Path(__file__).resolve().parent.parent}",
            f"ForceCommand {self.command}", "AllowTcpForwarding no", "X11Forwarding no", "",
        ]))
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(workdir / "sshd_config")],
                                     stderr=open(self.log, "w"))
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False  # the port was taken first: sshd could not bind it
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            except OSError:
                time.sleep(0.05)
                continue
            if "Server listening" in self.log.read_text() and self.proc.poll() is None:
                return True
            time.sleep(0.05)
        self.proc.terminate()
        return False

    def ssh_args(self, *extra: str) -> list[str]:
        return ["ssh", "-p", str(self.port), "-i", str(self.dir / "client_key"), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes",
                *extra, f"{self.user}@127.0.0.1"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
