"""The acting person and the one way every state change is made: permission, transaction, audit event."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import permissions
from .store import write_transaction
from .store import fast
from .store.models import timestamp
from .text import printable

TERMINAL_MAX, CLIENT_MAX = 60, 80


@dataclass(frozen=True)
class Actor:
    """Who is signed in, at which terminal, and (over SSH) from which client."""

    employee_id: int
    name: str
    role: str
    terminal: str
    client: str = ""
    # The employee's own language ("" = the shop's), which their session speaks after sign-in.
    language: str = ""

    def __post_init__(self) -> None:
        # Both come from settings and the environment (an SSH client's address), not from the keyboard, and
        # go into every event: made fit to store here, once.
        object.__setattr__(self, "terminal", printable(self.terminal, TERMINAL_MAX))
        object.__setattr__(self, "client", printable(self.client, CLIENT_MAX))


@dataclass
class Change:
    """Filled in by a workflow function inside change(); written as the audit event on success."""

    action: str
    subject: str = ""
    subject_id: int | None = None
    detail: dict = field(default_factory=dict)
    changed: bool = True

    def skip(self) -> None:
        """Nothing changed after all: no audit event (the transaction wrote nothing)."""
        self.changed = False

    def about(self, subject: str, subject_id: int | None, **detail) -> None:
        self.subject, self.subject_id = subject, subject_id
        self.detail.update(detail)


@contextlib.contextmanager
def change(actor: Actor, action: str) -> Iterator[Change]:
    """Check the actor's role, open one transaction, and record the audit event in it.

    If the body raises, the transaction rolls back and no audit event is written.
    """
    permissions.require(actor.role, action)
    record = Change(action)
    with write_transaction():
        yield record
        if record.changed:
            write_event(actor.employee_id, actor.terminal, actor.client, record)


def write_event(employee_id: int | None, terminal: str, client: str, record: Change) -> None:
    fast.execute(
        "INSERT INTO audit_event (at, employee_id, terminal, client, action, subject, subject_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (timestamp(), employee_id, printable(terminal, TERMINAL_MAX), printable(client, CLIENT_MAX),
         record.action, record.subject, record.subject_id,
         json.dumps(record.detail, ensure_ascii=False, default=str) if record.detail else ""))
