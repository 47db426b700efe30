"""The one role x action table, walked cell by cell through the mechanism every rule uses."""

import re
from pathlib import Path

import pytest

import kiosk
from kiosk import permissions
from kiosk.audit import change
from kiosk.errors import NotAllowed
from kiosk.store.models import AuditEvent

CELLS = [(action, role) for action in permissions.PERMISSIONS for role in permissions.ROLES]


@pytest.mark.parametrize("action, role", CELLS, ids=[f"{a}:{r}" for a, r in CELLS])
def test_every_cell_allows_or_refuses_and_writes_only_when_allowed(sqlite_url, floor_staff, action, role):
    actor = floor_staff[role]
    before = AuditEvent.select().count()
    if role in permissions.PERMISSIONS[action]:
        with change(actor, action) as record:
            record.about("test", None)
        assert AuditEvent.select().count() == before + 1
        event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
        assert (event.action, event.employee_id, event.terminal) == (action, actor.employee_id, "test-terminal")
    else:
        with pytest.raises(NotAllowed, match=f"may not do this \\({re.escape(action)}\\)"):
            with change(actor, action):
                pytest.fail("the body of a refused change must never run")
        assert AuditEvent.select().count() == before


def test_every_action_in_the_table_is_used_by_a_rule_and_every_rule_action_is_in_the_table():
    root = Path(kiosk.__file__).parent
    rules = "\n".join(p.read_text() for p in root.glob("*.py") if p.name != "permissions.py")
    screens = "\n".join(p.read_text() for p in root.glob("screens/*.py"))
    used = set(re.findall(r'(?:change|require|allowed)\([^)]*?"([a-z_]+\.[a-z_]+)"', rules))
    # Screens the command palette offers are gated by an action of the table (kiosk/screens/home.py).
    used |= set(re.findall(r'"([a-z_]+\.[a-z_]+)"\)', screens)) & set(permissions.PERMISSIONS)
    missing = used - set(permissions.PERMISSIONS)
    assert not missing, f"actions missing from the table: {missing}"
    unused = set(permissions.PERMISSIONS) - used
    assert not unused, f"actions no rule checks: {unused}"


def test_an_unknown_action_is_a_programming_error_not_a_silent_yes():
    with pytest.raises(KeyError):
        permissions.allowed("manager", "no.such_action")
