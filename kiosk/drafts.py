"""What a person had typed and not saved when signed out idle or when the terminal went away: kept in a file per
terminal and person (so it outlives the kiosk process), given back when they open that form again there."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path

from .config import data_dir, sqlite_file
from .files import write_atomically

log = logging.getLogger("kiosk")

# (screen, field id) -> the text typed there
Fields = dict[tuple[str, str], str]


def _path(db_url: str, terminal: str, employee_id: int) -> Path:
    # Employee ids are a database's own: one machine may run the demo and the shop, or two shops, so the drafts
    # of each database are kept apart (a short hash of its URL; a SQLite file by its full path).
    path = sqlite_file(db_url)
    shop = hashlib.sha256(str(Path(path).expanduser().resolve() if path else db_url).encode()).hexdigest()[:16]
    folder = re.sub(r"[^A-Za-z0-9._-]", "_", terminal).strip(".") or "terminal"
    return data_dir() / "drafts" / shop / folder / f"{int(employee_id)}.json"


def save(db_url: str, terminal: str, employee_id: int, fields: Fields) -> None:
    """Keep this person's typed text on this terminal (none: forget it). Written whole, then renamed, readable by
    the kiosk's user only (it may hold a customer's words). Never raises: a terminal going away must still end."""
    path = _path(db_url, terminal, employee_id)
    try:
        if not fields:
            path.unlink(missing_ok=True)
            return
        data = json.dumps([[screen, field, text] for (screen, field), text in fields.items()],
                          ensure_ascii=False).encode("utf-8")
        write_atomically(path, lambda out: out.write(data), what="the typed drafts", binary=True)
    except Exception:  # noqa: BLE001 - losing a draft is logged, never a crash
        log.exception("could not keep the typed drafts in %s", path)


def load(db_url: str, terminal: str, employee_id: int) -> Fields:
    """This person's typed text kept on this terminal, or nothing (also for an unreadable file, which is logged)."""
    path = _path(db_url, terminal, employee_id)
    try:
        rows = json.loads(path.read_bytes().decode("utf-8"))
        return {(str(screen), str(field)): str(text) for screen, field, text in rows}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError) as exc:
        log.warning("typed drafts in %s not read: %s", path, exc)
        return {}

