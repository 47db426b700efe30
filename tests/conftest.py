"""Shared fixtures: a real store (SQLite file, and PostgreSQL when KIOSK_TEST_PG is set) and a staff."""

from __future__ import annotations

import functools
import os
import uuid

import pytest

from kiosk.audit import Actor
from kiosk.config import Settings
from kiosk.store import close_database, open_database
from kiosk.store import schema as store_schema
from kiosk.store.models import Employee

PG_URL = os.environ.get("KIOSK_TEST_PG", "")
DEMO_PIN = "1234"


@pytest.fixture(autouse=True)
def _own_data_dir(monkeypatch, tmp_path):
    """Files the kiosk keeps (PDFs, reports, its log) go to the test's own folder, never the tester's home."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture(autouse=True)
def _shop_language():
    """Every test starts, and leaves the next one, speaking English (a session's language is process-wide)."""
    from kiosk import i18n

    i18n.set_session_language("en")
    yield
    i18n.set_session_language("en")


def _pg_schema(action: str, name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(PG_URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"{action} SCHEMA {name}" + (" CASCADE" if action == "DROP" else ""))
    conn.close()


def make_url(kind: str, tmp_path) -> tuple[str, callable]:
    """A fresh, empty database of the given kind, and how to throw it away."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'kiosk.sqlite'}", lambda: None
    if not PG_URL:
        pytest.skip("PostgreSQL store tests need KIOSK_TEST_PG=postgresql://... (.ci/run starts a server and sets it)")
    name = "t_" + uuid.uuid4().hex[:12]
    _pg_schema("CREATE", name)
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{name}", lambda: _pg_schema("DROP", name)


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    """URL of an upgraded, empty store; the models are bound to it for the test."""
    url, drop = make_url(request.param, tmp_path)
    open_database(url)
    store_schema.upgrade()
    yield url
    close_database()
    drop()


@pytest.fixture
def sqlite_url(tmp_path):
    """An upgraded SQLite file only (screen tests, which do not need to run twice)."""
    url, _ = make_url("sqlite", tmp_path)
    open_database(url)
    store_schema.upgrade()
    yield url
    close_database()


@functools.lru_cache(maxsize=None)
def pin_hash(pin: str = DEMO_PIN) -> str:
    from kiosk.auth import hash_pin

    return hash_pin(pin)


def add_employee(role: str, name: str | None = None, badge: str | None = None, pin: str = DEMO_PIN) -> Actor:
    badge = badge or f"{role[:3].upper()}{uuid.uuid4().hex[:6].upper()}"
    employee = Employee.create(badge=badge, name=name or f"{role.title()} {badge}", role=role,
                               pin_hash=pin_hash(pin))
    return Actor(employee.id, employee.name, employee.role, terminal="test-terminal")


@pytest.fixture
def staff(store_url):
    """One employee of each role, as Actors; on the parametrised store."""
    return {role: add_employee(role) for role in ("technician", "parts_clerk", "advisor", "manager")}


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(shop_name="Test Motors", terminal="bay-1", db_url=f"sqlite:///{tmp_path / 'kiosk.sqlite'}",
                    config_path="", printers={"labels": {"backend": "folder", "path": str(tmp_path / "labels")}},
                    default_printer="labels")


@pytest.fixture
def floor_staff(sqlite_url):
    """One employee of each role on the SQLite store, for screen tests."""
    return {role: add_employee(role) for role in ("technician", "parts_clerk", "advisor", "manager")}
