"""Schema versions: numbered migration scripts applied by peewee's own runner.

The kiosk refuses to run on a database older or newer than the migrations it ships.
"""

from __future__ import annotations

from playhouse.migrations import Runner

from ..errors import StoreError
from ..i18n import N_
from .database import MIGRATIONS_DIR, db


NEWER_SCHEMA = N_("This database has schema {schema}, newer than this kiosk knows; install the newer kiosk.")


def _runner() -> Runner:
    return Runner(db.obj, MIGRATIONS_DIR)


def status():
    """Every migration, shipped or found in the database, with when it was applied (None = pending)."""
    return _runner().status()


def upgrade() -> list[str]:
    """Apply every pending migration; returns the names applied."""
    runner = _runner()
    newer = [m.name for m in runner.status() if m.path is None]
    if newer:
        raise StoreError(NEWER_SCHEMA, schema=newer[-1])
    return runner.up()


def check() -> None:
    """Raise StoreError unless the database schema is exactly the one this kiosk knows."""
    status = _runner().status()
    newer = [m.name for m in status if m.path is None]
    pending = [m.name for m in status if m.path is not None and not m.applied]
    if newer:
        raise StoreError(NEWER_SCHEMA, schema=newer[-1])
    if pending and len(pending) == len(status) and "employee" not in db.obj.get_tables():
        raise StoreError(N_("This database has no kiosk tables yet; run `kiosk db upgrade` first."))
    if pending:
        raise StoreError(N_("This database is at an older schema ({count} migration(s) behind); "
                            "run `kiosk db upgrade` first."), count=len(pending))
