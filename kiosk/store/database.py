"""Opening SQLite or PostgreSQL from one URL, with the pragmas and the busy handling the kiosk relies on."""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import urlparse

import peewee

from ..config import sqlite_file
from ..errors import Busy, DiskFull, StoreError
from ..i18n import N_, os_reason

MIGRATIONS_DIR = str(Path(__file__).with_name("migrations"))

# synchronous=FULL: in WAL mode this fsyncs the WAL at every commit, so a committed
# stock move survives a power cut (NORMAL would only survive an application crash).
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -32000,
}

db = peewee.DatabaseProxy()


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def open_database(url: str, *, create_dir: bool = False, busy_timeout_ms: int | None = None) -> peewee.Database:
    """Open the database named by url and bind the models to it.

    Raises StoreError with one clear line when the URL is malformed or the database
    cannot be reached. A missing folder is created only when create_dir is set (by
    `kiosk db upgrade` and `kiosk demo`), so a mistyped path is an error, not a new shop.
    """
    scheme = url.split("://", 1)[0] if "://" in url else "sqlite"
    try:
        if scheme == "sqlite":
            path = sqlite_file(url) or ""
            if not path or path == ":memory:":
                raise StoreError(N_("The kiosk needs a database file, not an in-memory database."))
            folder = Path(path).resolve().parent
            if create_dir:
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(N_("Cannot create the folder for {path}: {error}."), path=path,
                                     error=os_reason(exc)) from None
            if not folder.is_dir():
                raise StoreError(N_("Cannot open database {path}: folder {folder} does not exist."), path=path,
                                 folder=str(folder))
            if Path(path).is_dir():
                raise StoreError(N_("Cannot open database {path}: it is a folder."), path=path)
            pragmas = dict(SQLITE_PRAGMAS)
            if busy_timeout_ms is not None:
                pragmas["busy_timeout"] = busy_timeout_ms
            # IMMEDIATE takes the write lock when the transaction begins, so two terminals
            # never deadlock half-way through a read-then-write.
            database = peewee.SqliteDatabase(path, pragmas=pragmas, lock_type="IMMEDIATE",
                                             check_same_thread=False)
        elif scheme in ("postgres", "postgresql"):
            from playhouse import db_url  # it imports psycopg2 (0.1 s): only for a PostgreSQL URL

            database = db_url.connect(url)
        else:
            raise StoreError(N_("Unknown database URL {url}: use sqlite:///path or postgresql://..."),
                             url=repr(describe(url)))
        database.connect(reuse_if_open=True)
        if scheme == "sqlite":
            # Fail now, not on the first screen, when the file is not a database or unreadable.
            database.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except StoreError:
        raise
    except (peewee.DatabaseError, peewee.InterfaceError, peewee.ImproperlyConfigured, OSError, ValueError) as exc:
        raise StoreError(N_("Cannot open database {url}: {error}"), url=describe(url), error=_reason(exc)) from None
    db.initialize(database)
    return database


# What SQLite says when a file cannot be opened, in the kiosk's words (SQLite's own are English only).
_OPEN_REASONS = {"file is not a database": N_("the file is not a database"),
                 "unable to open database file": N_("the file cannot be opened"),
                 "attempt to write a readonly database": N_("the database is read-only")}


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_reason(exc)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _OPEN_REASONS.get(first.lower(), first)


def close_database() -> None:
    if db.obj is not None and not db.is_closed():
        db.close()


def is_sqlite() -> bool:
    return isinstance(db.obj, peewee.SqliteDatabase)


# SQLite says SQLITE_FULL, PostgreSQL "could not extend file ...: No space left on device".
_DISK_FULL = ("database or disk is full", "no space left on device", "could not extend file")


def _disk_full(exc: BaseException | None) -> bool:
    # SQLite rolls a transaction back itself when the disk fills, so peewee's own rollback then fails with
    # "cannot rollback - no transaction is active": the real cause is the error it happened during.
    while exc is not None:
        if any(words in str(exc).lower() for words in _DISK_FULL):
            return True
        exc = exc.__context__
    return False


@contextlib.contextmanager
def write_transaction():
    """One atomic write; a lock held too long by another terminal becomes Busy, a full disk DiskFull: one line
    for the person at the terminal, not a traceback. Either way the whole change is rolled back."""
    try:
        with db.atomic():
            yield
    except peewee.OperationalError as exc:
        text = str(exc).lower()
        if _disk_full(exc):
            raise DiskFull() from exc
        if "cannot rollback - no transaction is active" in text:
            # SQLite already rolled the change back (an I/O error, out of memory): nothing was saved.
            cause = str(exc.__context__ or exc).strip().splitlines()[0]
            raise StoreError(N_("The database refused the change ({cause}); nothing was saved."), cause=cause) from exc
        if "locked" in text or "busy" in text or "could not serialize" in text or "deadlock" in text:
            raise Busy(N_("The database is busy with another terminal; please try again.")) from None
        raise

