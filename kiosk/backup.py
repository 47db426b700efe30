"""Backups of the shop's database while terminals keep working, and restoring one.

SQLite: the online backup API run inside one read transaction, so the copy is the database as of one moment
(never a file copy, which can catch half a write). PostgreSQL: pg_dump with a snapshot exported by a
transaction that counts the rows of the same moment. Every copy is checked (integrity, row counts against the
source) before it gets its final name (kiosk-YYYYMMDD-HHMMSS), and only the last N are kept.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse, urlunparse

from .audit import Actor, change
from .config import data_dir, sqlite_file
from .errors import Conflict, InvalidInput, StoreError
from .i18n import N_, os_reason
from .i18n import gettext as _
from .store.database import MIGRATIONS_DIR, describe
from .store.schema import NEWER_SCHEMA

NAME = re.compile(r"^kiosk-\d{8}-\d{6}(-\d+)?\.(sqlite|pgdump)$")
BUSY_MS = 30000


@dataclass(frozen=True)
class BackupCopy:
    path: Path
    counts: dict[str, int]
    newest: str  # the newest audit event in the copy ("" when none)
    removed: list[Path] = field(default_factory=list)  # older copies let go (keep the last N)

    @property
    def message(self) -> str:
        rows = sum(self.counts.values())
        text = _("Backup written to {path} ({tables} tables, {rows} rows, checked).").format(
            path=self.path, tables=len(self.counts), rows=rows)
        if self.removed:
            text += _(" Removed {count} older backup(s); the last ones are kept.").format(count=len(self.removed))
        return text


def default_folder() -> Path:
    return data_dir() / "backups"


def _is_pg(url: str) -> bool:
    return url.split("://", 1)[0] in ("postgres", "postgresql")


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _new_path(folder: Path, suffix: str) -> Path:
    stamp = _stamp()
    path, n = folder / f"kiosk-{stamp}.{suffix}", 1
    while path.exists() or path.with_name(path.name + ".part").exists():
        n += 1
        path = folder / f"kiosk-{stamp}-{n}.{suffix}"
    return path


def backups_in(folder: Path) -> list[Path]:
    """The kiosk's own backups in a folder, oldest first (by the date and time in their names)."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if NAME.match(p.name)),
                  key=lambda p: (p.name.split(".")[0][6:21], int((p.stem.split("-") + ["1"])[3] or 1)))


def _prune(folder: Path, keep: int, suffix: str) -> list[Path]:
    mine = [p for p in backups_in(folder) if p.suffix == f".{suffix}"]
    gone = mine[:-keep] if keep > 0 else []
    for path in gone:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".json").unlink(missing_ok=True)
    return gone


def _path(text: str | os.PathLike, what: str) -> Path:
    """A path as typed: control characters and lone surrogates refused, not made into odd file names."""
    raw = os.fspath(text)
    if any(ord(ch) < 32 or ord(ch) == 127 or 0xD800 <= ord(ch) <= 0xDFFF for ch in raw):
        raise InvalidInput(N_("The {what} has control characters or broken text in its name; type it again."),
                           what=what)
    if len(raw) > 1024:
        raise InvalidInput(N_("The {what}'s name is too long ({count} characters)."), what=what, count=len(raw))
    return Path(raw).expanduser()


def _folder(path: str | os.PathLike | None) -> Path:
    folder = _path(path, N_("backup folder")) if path else default_folder()
    try:
        if folder.exists() and not folder.is_dir():
            raise InvalidInput(N_("{folder} is a file; give the folder the backups go into."), folder=str(folder))
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        shown = str(folder) if len(str(folder)) <= 120 else str(folder)[:117] + "..."
        raise InvalidInput(N_("Cannot create the backup folder {folder}: {error}."), folder=shown,
                           error=os_reason(exc)) from None
    if not os.access(folder, os.W_OK):
        raise InvalidInput(N_("Cannot write into the backup folder {folder}."), folder=str(folder))
    return folder


def backup(actor: Actor, url: str, folder: str | os.PathLike | None = None, keep: int = 14) -> BackupCopy:
    """Copy the database at url into folder (default: the kiosk's data folder/backups), check the copy, keep
    the last `keep` copies, and record it as an audit event. Raises InvalidInput (folder), StoreError."""
    if not isinstance(keep, int) or isinstance(keep, bool) or keep < 1:
        raise InvalidInput(N_("backup_keep must be a whole number, at least 1, not {value}."), value=repr(keep))
    target = _folder(folder)
    try:
        copy = _pg_backup(url, target) if _is_pg(url) else _sqlite_backup(url, target)
    except OSError as exc:  # a full disk, a folder taken away meanwhile
        raise StoreError(N_("The backup into {folder} failed: {error}; nothing was kept."), folder=str(target),
                         error=os_reason(exc)) from None
    removed = _prune(target, keep, copy.path.suffix[1:])
    with change(actor, "db.backup") as record:
        record.about("database", None, path=str(copy.path), rows=sum(copy.counts.values()), removed=len(removed))
    return BackupCopy(copy.path, copy.counts, copy.newest, removed)


# --- SQLite ----------------------------------------------------------------------------------------------

def _sqlite_path(url: str) -> str:
    path = sqlite_file(url)
    if not path:
        raise StoreError(N_("Cannot back up {url}: not a SQLite or PostgreSQL database."), url=describe(url))
    return path


def _connect(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    # Virtual tables (the catalogue's FTS5 index) are counted through their shadow tables.
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in _tables(conn)}


# The last change of a database: its newest audit event (every change writes one), as "time #id" so that two
# changes in the same second still compare. A backup's own event comes after its copy and is no change.
NEWEST = "SELECT at, id FROM {}audit_event WHERE action <> 'db.backup' ORDER BY id DESC LIMIT 1"


def _last_change(row) -> str:
    return f"{row[0]} #{row[1]:012d}" if row else ""


def _when(last_change: str) -> str:
    return last_change.split(" #")[0] or _("none")


def _newest(conn) -> str:
    try:
        return _last_change(conn.execute(NEWEST.format("")).fetchone())
    except sqlite3.Error:
        return ""


def _check_sqlite(path: Path, counts: dict[str, int] | None = None) -> tuple[dict[str, int], str]:
    """integrity_check, and the row counts of the copy against the source's at the same moment."""
    try:
        conn = _connect(path)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise StoreError(N_("{path} fails SQLite's integrity check: {problems}"), path=str(path),
                                 problems="; ".join(problems[:3]))
            if "schema_migration" not in _tables(conn):
                raise StoreError(N_("{path} is not a kiosk database (no migration history)."), path=str(path))
            found = _counts(conn)
            newest = _newest(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(N_("{path} is not a readable SQLite database: {error}."), path=str(path),
                         error=str(exc)) from None
    if counts is not None:
        _same_rows(counts, found)
    return found, newest


def _same_rows(counts: dict[str, int], found: dict[str, int]) -> None:
    wrong = [f"{t} {counts.get(t, 0)} -> {found.get(t, 0)}" for t in sorted(set(counts) | set(found))
             if counts.get(t, 0) != found.get(t, 0)]
    if wrong:
        raise StoreError(N_("The copy's rows differ from the database's: {tables}."), tables=", ".join(wrong[:5]))


def _sqlite_backup(url: str, folder: Path) -> BackupCopy:
    source = _sqlite_path(url)
    if not Path(source).is_file():
        raise StoreError(N_("There is no database at {path} to back up."), path=source)
    final = _new_path(folder, "sqlite")
    part = final.with_name(final.name + ".part")
    src = _connect(source)
    try:
        # One read transaction: the counts and the pages copied are the same moment, while the terminals
        # go on writing to the WAL.
        src.execute("BEGIN")
        counts = _counts(src)
        dst = sqlite3.connect(str(part))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
        src.execute("COMMIT")
    except sqlite3.Error as exc:
        part.unlink(missing_ok=True)
        raise StoreError(N_("Backup of {path} failed: {error}."), path=source, error=str(exc)) from None
    finally:
        src.close()
    try:
        _counted, newest = _check_sqlite(part, counts)
        _fsync(part)
        os.replace(part, final)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return BackupCopy(final, counts, newest)


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


# --- PostgreSQL -------------------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if not tool:
        raise StoreError(N_("{tool} is not installed on this machine: apt-get install postgresql-client "
                            "(the same major version as the server)."), tool=name)
    return tool


def _pg_env(url: str) -> tuple[str, dict]:
    """The URL without its password (so `ps` never shows it) and the environment carrying it."""
    parsed = urlparse(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = unquote(parsed.password)
        netloc = parsed.netloc.replace(f":{parsed.password}@", "@")
        url = urlunparse(parsed._replace(netloc=netloc))
    return url, env


def _pg_connect(url: str):
    try:
        import psycopg2  # only a PostgreSQL shop has it (the postgres extra)
    except ImportError:
        raise StoreError(N_("PostgreSQL needs psycopg2: pip install -e '.[postgres]'.")) from None
    try:
        return psycopg2.connect(url)
    except psycopg2.Error as exc:
        raise StoreError(N_("Cannot open database {url}: {error}"), url=describe(url),
                         error=str(exc).strip().splitlines()[0]) from None


def _pg_counts(cur, schema: str) -> dict[str, int]:
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "AND table_type = 'BASE TABLE' ORDER BY table_name", (schema,))
    tables = [name for (name,) in cur.fetchall()]
    counts = {}
    for name in tables:
        cur.execute(f'SELECT count(*) FROM "{schema}"."{name}"')
        counts[name] = cur.fetchone()[0]
    return counts


def dump_counts(path: Path) -> dict[str, int]:
    """Rows per table in a pg_dump archive, read from pg_restore's COPY blocks (the archive is readable whole)."""
    listing = subprocess.run([_pg_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise StoreError(N_("pg_restore cannot read {path}: {error}"), path=str(path),
                         error=listing.stderr.strip()[:300])
    counts: dict[str, int] = {}
    proc = subprocess.Popen([_pg_tool("pg_restore"), "--data-only", "-f", "-", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    table = None
    for line in proc.stdout:
        if table is None:
            found = re.match(r'COPY (?:"?[\w]+"?\.)?"?(\w+)"? .* FROM stdin;', line)
            if found:
                table = found.group(1)
                counts[table] = 0
        elif line.rstrip("\n") == "\\.":
            table = None
        else:
            counts[table] += 1
    err = proc.stderr.read()
    if proc.wait() != 0:
        raise StoreError(N_("pg_restore cannot read the data in {path}: {error}"), path=str(path),
                         error=err.strip()[:300])
    return counts


def _pg_backup(url: str, folder: Path) -> BackupCopy:
    pg_dump = _pg_tool("pg_dump")
    _pg_tool("pg_restore")
    final = _new_path(folder, "pgdump")
    part = final.with_name(final.name + ".part")
    plain_url, env = _pg_env(url)
    conn = _pg_connect(url)
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot(), current_schema()")
            snapshot, schema = cur.fetchone()
            counts = _pg_counts(cur, schema)
            cur.execute(NEWEST.format(f'"{schema}".'))
            newest = _last_change(cur.fetchone())
            # pg_dump reads the same snapshot while this transaction holds it open.
            done = subprocess.run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--schema={schema}",
                                   "--no-owner", "-f", str(part), f"--dbname={plain_url}"],
                                  capture_output=True, text=True, env=env)
        conn.rollback()
    finally:
        conn.close()
    try:
        if done.returncode != 0:
            raise StoreError(N_("pg_dump failed: {error}"), error=done.stderr.strip()[:300])
        _same_rows(counts, dump_counts(part))
        _fsync(part)
        os.replace(part, final)
        final.with_name(final.name + ".json").write_text(
            json.dumps({"schema": schema, "newest": newest, "counts": counts}), encoding="utf-8")
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return BackupCopy(final, counts, newest)


# --- Restoring --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Restored:
    source: Path
    newest: str
    safety_copy: Path | None  # the database as it was before the restore

    @property
    def message(self) -> str:
        text = _("Restored {source} (its newest change: {newest}).").format(source=self.source,
                                                                          newest=_when(self.newest))
        if self.safety_copy:
            text += _(" The database as it was is kept in {path}.").format(path=self.safety_copy)
        return text


def _current_newest(url: str) -> str:
    if _is_pg(url):
        conn = _pg_connect(url)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT to_regclass('audit_event') IS NOT NULL")
                if not cur.fetchone()[0]:
                    return ""
                cur.execute(NEWEST.format(""))
                return _last_change(cur.fetchone())
        finally:
            conn.close()
    path = _sqlite_path(url)
    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        return ""
    conn = _connect(path)
    try:
        return _newest(conn)
    finally:
        conn.close()


def _known_schema(names: list[str]) -> None:
    shipped = {p.stem for p in Path(MIGRATIONS_DIR).glob("[0-9]*.py")}
    newer = sorted(set(names) - shipped)
    if newer:
        raise StoreError(NEWER_SCHEMA, schema=newer[-1])


def restore(actor: Actor, url: str, source: str | os.PathLike, *, force: bool = False,
            folder: str | os.PathLike | None = None) -> Restored:
    """Put a backup back as the database at url. A database with changes newer than the backup's newest is
    refused unless force; before anything is overwritten the database as it is goes into the backup folder.
    The caller reopens the store and runs the stock check. Raises InvalidInput, Conflict, StoreError."""
    path = _path(source, N_("backup file"))
    try:
        found = path.is_file()
    except OSError:  # a name too long for the file system
        found = False
    if not found:
        raise InvalidInput(N_("There is no backup at {path}."), path=str(path)[:120])
    pg = _is_pg(url)
    if pg != (path.suffix == ".pgdump"):
        raise InvalidInput(N_("{file} is a {kind} backup; the database is {database}."), file=path.name,
                           kind="PostgreSQL" if path.suffix == ".pgdump" else "SQLite",
                           database="PostgreSQL" if pg else "SQLite")
    if pg:
        meta_file = path.with_name(path.name + ".json")
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
        dump_counts(path)
        newest = meta.get("newest", "")
    else:
        _counted, newest = _check_sqlite(path)
        conn = _connect(path)
        try:
            _known_schema([n for (n,) in conn.execute("SELECT name FROM schema_migration")])
        finally:
            conn.close()
    current = _current_newest(url)
    if current and current > newest and not force:
        raise Conflict(N_("The database has changes up to {current}, newer than this backup's ({newest}); restoring "
                          "would lose them. Add --force to restore anyway (the database as it is now is backed up "
                          "first)."), current=_when(current), newest=_when(newest))
    safety = None
    if current:
        safety = backup(actor, url, folder, keep=10**6).path
    if pg:
        _pg_restore(url, path)
    else:
        _sqlite_restore(url, path)
    return Restored(path, newest, safety)


def record_restore(actor: Actor, done: Restored) -> None:
    """The restore as an audit event in the restored database (call once it is open again)."""
    with change(actor, "db.restore") as record:
        record.about("database", None, source=str(done.source), newest=done.newest,
                     safety_copy=str(done.safety_copy or ""))


def _sqlite_restore(url: str, path: Path) -> None:
    target = _sqlite_path(url)
    src, dst = _connect(path), _connect(target)
    try:
        # The backup API writes every page under the database's own lock: terminals wait, then see the backup.
        src.backup(dst)
    except sqlite3.Error as exc:
        raise StoreError(N_("Restore into {path} failed: {error}."), path=target, error=str(exc)) from None
    finally:
        src.close()
        dst.close()


def _pg_restore(url: str, path: Path) -> None:
    plain_url, env = _pg_env(url)
    done = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                           f"--dbname={plain_url}", str(path)], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise StoreError(N_("pg_restore failed: {error}"), error=done.stderr.strip()[:300])
