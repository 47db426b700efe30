"""Shared fixtures: a real store (SQLite file, and PostgreSQL when KIOSK_TEST_PG is set) and a staff."""

from __future__ import annotations

import fcntl
import functools
import inspect
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

import pytest


def _cache_bytecode() -> None:
    """Compiled modules kept between processes, outside the checkout. A machine with PYTHONDONTWRITEBYTECODE set
    (this one, and so CI) made every xdist worker compile the kiosk and rewrite every test module again, and every
    kiosk the terminal tests start (tmux, sshd, the CLI) compile the kiosk again: about 0.8 s of CPU each, hundreds
    of times. Set here, before the kiosk is imported, so this process, the workers xdist starts after it and their
    subprocesses all read and write one cache in the temporary folder. PYTHONPYCACHEPREFIX given wins."""
    prefix = os.environ.get("PYTHONPYCACHEPREFIX") or os.path.join(tempfile.gettempdir(),
                                                                   f"kiosk-tests-pycache-{os.getuid()}")
    os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix = prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False


_cache_bytecode()

from kiosk import auth
from kiosk.audit import Actor
from kiosk.config import Settings
from kiosk.store import close_database, db, open_database
from kiosk.store import schema as store_schema
from kiosk.store.models import Employee

PG_URL = os.environ.get("KIOSK_TEST_PG", "")
DEMO_PIN = "1234"
# scrypt's cost in this test process only: every sign-in checks a PIN, and at production's N (2^14, about 0.1 s a
# PIN here, more on a busy machine) those checks were minutes of the suite. Each hash records its own N, so a PIN
# hashed here is checked cheaply too. Nothing outside the tests can lower it (no setting, no environment
# variable): `kiosk` started as a subprocess hashes at production's cost (test_cli checks it).
PRODUCTION_SCRYPT_N = auth.SCRYPT_N
TEST_SCRYPT_N = 2**4

# Tests that need a real server or terminal; `slow` is all of them, so `-m "not slow"` is the quick loop.
SERVER_MARKS = ("postgres", "sshd", "tmux", "cups")
CUPS_LOCK = "/tmp/kiosk-cups-tests.lock"


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker more than the cores. The tmux, sshd and CUPS tests spend much of their time waiting on
    another process (the kiosk in its terminal, a print queue), which leaves a core idle otherwise: on 2 cores the
    suite took 4 min 27 s with 2 workers and 3 min 20 s to 4 min 38 s with 3, all passing."""
    return (os.cpu_count() or 1) + 1


def pytest_configure(config):
    # The tests' temporary folders (their SQLite files above all) on tmpfs when the machine has room there:
    # a commit's fsync (synchronous=FULL) then costs nothing, and the kiosk's thousands of commits in the suite
    # took minutes on a busy disk. Still real files, real locks and real WAL; only a power cut is not tested.
    # TMPDIR or --basetemp, when given, win; passed tests' folders are removed as they pass (pyproject).
    if os.environ.get("TMPDIR") or config.option.basetemp or not os.path.isdir("/dev/shm"):
        return
    try:
        free = os.statvfs("/dev/shm")
    except OSError:
        return
    if free.f_bavail * free.f_frsize > 4 * 2**30 and os.access("/dev/shm", os.W_OK):
        tempfile.tempdir = "/dev/shm"


def pytest_collection_modifyitems(items):
    for item in items:
        if "cups" in item.fixturenames:
            item.add_marker(pytest.mark.cups)
        if any(item.get_closest_marker(name) for name in SERVER_MARKS):
            item.add_marker(pytest.mark.slow)
    items.sort(key=_long_first)


def _long_first(item) -> int:
    """The long tests first, each group in file order: the screen tests that drive the app (async, seconds of CPU
    each) and those in a real terminal (tmux, sshd), then the rules' and the store's tests (hundredths of a second).
    The two xdist workers then end on short tests and finish together (pyproject: --dist worksteal), instead of
    one waiting while the other runs a long journey that came last. No test's fixtures are wider than the session,
    so the order changes nothing else."""
    function = getattr(item, "function", None)
    if item.get_closest_marker("tmux") or item.get_closest_marker("sshd"):
        return 0
    return 0 if function is not None and inspect.iscoroutinefunction(function) else 1


@pytest.fixture(autouse=True)
def _one_cups_test_at_a_time(request):
    """The CUPS tests share one queue, kiosk-pdf, and some of them pause it: they take turns, across xdist workers
    and across checkouts on this machine, by a lock file. (xdist's own xdist_group does not group here.)"""
    if request.node.get_closest_marker("cups") is None:
        yield
        return
    with open(CUPS_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def _cheap_pins(monkeypatch):
    monkeypatch.setattr(auth, "SCRYPT_N", TEST_SCRYPT_N)
    # an unknown badge's PIN is checked with the same work as a known one's, here too
    nobody = auth._NOBODY_HASH.replace(f"${PRODUCTION_SCRYPT_N}$", f"${TEST_SCRYPT_N}$", 1)
    monkeypatch.setattr(auth, "_NOBODY_HASH", nobody)


@pytest.fixture(autouse=True)
def _quick_pilot(monkeypatch):
    """Pilot waits for the app to go idle after every key it presses, watching the process's CPU time in slices of
    Textual's SLEEP_GRANULARITY (20 ms): at least 40 ms a key, so typing a line took a second. Slices of 2 ms say
    the same thing (no CPU used during a slice: idle) ten times sooner."""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.002)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.002 / 20)


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
    # Commits in tests do not wait for the server's disk (synchronous_commit off, this session only): each
    # transaction is still whole and seen by the next one; only a server crash could lose the last of them.
    return (f"{PG_URL}{sep}options=-csearch_path%3D{name}%20-csynchronous_commit%3Doff",
            lambda: _pg_schema("DROP", name))


@pytest.fixture(scope="session")
def _upgraded_sqlite(tmp_path_factory) -> Path:
    """One SQLite file upgraded by the migrations, per worker; each test gets a copy of it (upgrading took longer
    than many a test)."""
    path = tmp_path_factory.mktemp("template") / "kiosk.sqlite"
    open_database(f"sqlite:///{path}")
    store_schema.upgrade()
    close_database()
    assert not os.path.exists(f"{path}-wal") or not os.path.getsize(f"{path}-wal"), "the template's WAL was not merged"
    return path


@pytest.fixture(scope="session")
def _upgraded_pg_schema():
    """One upgraded PostgreSQL schema per worker, emptied before each test: creating every table and index for
    each test was most of a PostgreSQL test's time. Returns its URL and the SQL that empties it (the migrations'
    own record kept)."""
    url, drop = make_url("postgres", None)
    open_database(url)
    store_schema.upgrade()
    emptying = _emptying_sql()
    close_database()
    yield url, emptying
    drop()


def _emptying_sql() -> str:
    """DELETE FROM every table, a table before the tables it refers to, and every table's id sequence back at 1:
    the store as the migrations left it. DELETE, not TRUNCATE: TRUNCATE makes new files for 26 tables and 127
    indexes, 0.4-1 s a test here, where deleting a test's few rows takes milliseconds. (A cycle of foreign keys
    between tables, which DELETE could not order, falls back to TRUNCATE.)"""
    tables = [name for (name,) in db.execute_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migration' "
        "ORDER BY tablename").fetchall()]
    refers_to = {name: set() for name in tables}
    for table, referred in db.execute_sql(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid WHERE c.contype = 'f' "
            "AND t.relnamespace = current_schema()::regnamespace").fetchall():
        if table != referred and table in refers_to:
            refers_to[table].add(referred)
    sequences = [name for (name,) in db.execute_sql(
        "SELECT s.oid::regclass::text FROM pg_class s JOIN pg_depend d ON d.objid = s.oid "
        "AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
        "JOIN pg_class t ON t.oid = d.refobjid WHERE s.relkind = 'S' AND t.relname = ANY(%s) "
        "AND t.relnamespace = current_schema()::regnamespace ORDER BY 1", (tables,)).fetchall()]
    order: list[str] = []  # the referring tables first
    left = dict(refers_to)
    while left:
        referred_by_left = set().union(*left.values())
        free = sorted(name for name in left if name not in referred_by_left)
        if not free:  # a cycle
            return f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"
        order += free
        for name in free:
            del left[name]
    resets = ", ".join(f"setval('{name}', 1, false)" for name in sequences)
    return "; ".join([*(f"DELETE FROM {name}" for name in order), *([f"SELECT {resets}"] if resets else [])])


def _fresh_store(kind: str, request, tmp_path) -> str:
    """Open an upgraded store with nothing in it: a copy of the upgraded SQLite file, or the worker's PostgreSQL
    schema with every table emptied and its ids starting again at 1."""
    if kind == "sqlite":
        path = tmp_path / "kiosk.sqlite"
        shutil.copyfile(request.getfixturevalue("_upgraded_sqlite"), path)
        url = f"sqlite:///{path}"
        open_database(url)
        return url
    if not PG_URL:
        pytest.skip("PostgreSQL store tests need KIOSK_TEST_PG=postgresql://... (.ci/run starts a server and sets it)")
    url, emptying = request.getfixturevalue("_upgraded_pg_schema")
    open_database(url)
    with db.atomic():
        db.execute_sql("SET LOCAL lock_timeout = '60s'")  # a test's leftover session says so instead of hanging
        db.execute_sql(emptying)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """URL of an upgraded, empty store; the models are bound to it for the test."""
    url = _fresh_store(request.param, request, tmp_path)
    yield url
    close_database()


@pytest.fixture
def sqlite_url(request, tmp_path):
    """An upgraded SQLite file only (screen tests, which do not need to run twice)."""
    url = _fresh_store("sqlite", request, tmp_path)
    yield url
    close_database()


@functools.cache
def pin_hash(pin: str = DEMO_PIN) -> str:
    return auth.hash_pin(pin)


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


@pytest.fixture
def patient_database(sqlite_url):
    """For tests where another terminal holds the write lock while the test types: on a loaded machine that can
    outlast the kiosk's 5 s busy timeout, which these tests are not about, so the kiosk's own connections wait
    longer here."""
    close_database()
    open_database(sqlite_url, busy_timeout_ms=60_000)
