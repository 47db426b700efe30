"""Advisors over SSH: the sshd_config snippet that forces the kiosk, and who an SSH session is."""

from __future__ import annotations

import getpass
import os
import shlex
import sys
from dataclasses import dataclass

from .audit import Actor
from .config import Settings
from .errors import InvalidInput
from .i18n import N_
from .i18n import gettext as _
from .text import printable


@dataclass(frozen=True)
class SshSession:
    """The SSH client and OS user of this session, and the badge they map to (if any)."""

    client: str
    user: str
    badge: str = ""
    key_is_enough: bool = False

    @property
    def label(self) -> str:
        return f"ssh {self.client} {self.user}".strip()


def session_from_env(settings: Settings, env: dict | None = None, as_badge: str = "") -> SshSession:
    """Read the client address from SSH_CONNECTION and map the OS user to a badge.

    SSH_ORIGINAL_COMMAND (what the client asked to run) is deliberately ignored: an advisor
    gets the kiosk and nothing else.
    """
    env = os.environ if env is None else env
    # The environment may hold anything (undecodable bytes arrive as lone surrogates): made fit to store.
    connection = printable(env.get("SSH_CONNECTION") or env.get("SSH_CLIENT") or "", 200).split()
    client = connection[0] if connection else "local"
    user = printable(env.get("USER") or env.get("LOGNAME") or "", 32)
    mapping = settings.ssh_users.get(user, {}) if isinstance(settings.ssh_users, dict) else {}
    if isinstance(mapping, str):
        mapping = {"badge": mapping}
    badge = as_badge or mapping.get("badge", "")
    return SshSession(client=client[:45], user=user[:32], badge=badge,
                      key_is_enough=bool(mapping.get("key_is_enough", False)) and bool(badge))


def cli_actor(settings: Settings, badge: str = "", env: dict | None = None) -> Actor:
    """Who runs a command on the server (`kiosk db backup`, `kiosk setup`): the OS user, recorded as the client
    of the audit event, with the manager's rights that a shell on the server gives anyway. A --badge, or the
    badge the settings map the OS user to, must name a manager, who is then the employee of the event."""
    from .auth import find_badge  # auth loads the store: `kiosk ssh` and `ssh-config` start without it

    env = dict(os.environ if env is None else env)
    if not (env.get("USER") or env.get("LOGNAME")):
        try:
            env["USER"] = getpass.getuser()
        except (KeyError, OSError):
            env["USER"] = f"uid{os.getuid()}"
    session = session_from_env(settings, env, as_badge=badge)
    employee_id, name = None, f"os user {session.user}"
    if session.badge:
        employee = find_badge(session.badge)
        if employee.role != "manager":
            raise InvalidInput(N_("Badge {badge} is not a manager's; leave --badge out to act as the OS user "
                                  "{user}."), badge=employee.badge, user=session.user)
        employee_id, name = employee.id, employee.name
    return Actor(employee_id, name, "manager", settings.terminal, f"cli {session.user}".strip())


def sshd_snippet(settings: Settings, *, account: str = "kiosk", kiosk_command: str | None = None) -> str:
    """A Match block for sshd_config: the account gets the kiosk as its only command."""
    if not account or not account.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput(N_("The SSH account name must be letters, digits, '-' or '_'."))
    command = kiosk_command or " ".join(shlex.quote(p) for p in (sys.executable, "-m", "kiosk"))
    if settings.config_path and os.path.exists(settings.config_path):
        command += f" --config {shlex.quote(settings.config_path)}"
    command += f" --db {shlex.quote(settings.db_url)}"
    return "\n".join([
        "# " + _("Workshop kiosk: users of account '{account}' get the kiosk, never a shell.").format(account=account),
        "# " + _("Add to /etc/ssh/sshd_config (or /etc/ssh/sshd_config.d/kiosk.conf) and reload sshd."),
        f"Match User {account}",
        f"    ForceCommand {command} ssh",
        "    PermitTTY yes",
        "    SetEnv LANG=C.UTF-8",
        "    AllowTcpForwarding no",
        "    AllowStreamLocalForwarding no",
        "    AllowAgentForwarding no",
        "    X11Forwarding no",
        "    PermitTunnel no",
        "    PermitUserRC no",
        "",
        "# " + _("Advisors' exports (reports as CSV or PDF), job-card PDFs and packing lists are written on THIS "
                 "server,"),
        "# " + (_("not on the advisor's PC: in {folder} (the setting exports_dir).").format(folder=settings.exports_dir)
                if settings.exports_dir else
                _("not on the advisor's PC: in ~{account}/.local/share/kiosk of the account '{account}'").format(
                    account=account)),
        *(() if settings.exports_dir else
          ("# " + _("(set exports_dir in the settings file to choose a shared folder)."),)),
        "# " + _("The kiosk shows the full path on screen after every export."),
        "",
        "# " + _("Map each advisor's key or OS user to a badge in the kiosk settings file, e.g."),
        "#   [ssh_users]",
        '#   alice = { badge = "A301", key_is_enough = false }',
        "# " + _("or give each key its own command in authorized_keys:"),
        f'#   command="{command} ssh --as A301",restrict,pty ssh-ed25519 AAAA... alice',
    ])
