"""Files the kiosk writes for people (report exports, job cards, packing lists): each is written whole under a
temporary name in its folder and then renamed, so a file under its real name is never half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

from .errors import InvalidInput
from .i18n import N_, os_reason

T = TypeVar("T")


def write_atomically(path: Path, write: Callable[[IO], T], *, what: str, binary: bool = False) -> T:
    """Create the folder if needed, call write() with the open temporary file, then rename it to path; returns
    what write() returns. Text is UTF-8 with a BOM (Excel reads Chinese then) and newlines as written. A
    failure says what could not be written where (InvalidInput; `what` marked with N_() is said in the reader's
    language) and leaves nothing behind."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    except OSError as exc:
        raise InvalidInput(N_("Cannot write {what} to {folder}: {error}."), what=what, folder=str(path.parent),
                           error=os_reason(exc)) from None
    try:
        mode = {"mode": "wb"} if binary else {"mode": "w", "encoding": "utf-8-sig", "newline": ""}
        with open(handle, **mode) as out:
            result = write(out)
        os.replace(temporary, path)
    except OSError as exc:
        raise InvalidInput(N_("Cannot write {what} to {path}: {error}."), what=what, path=str(path),
                           error=os_reason(exc)) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return result


def write_bytes(path: Path, data: bytes, *, what: str) -> Path:
    """A whole binary file (a PDF) written as write_atomically does; returns the path."""
    write_atomically(path, lambda out: out.write(data), what=what, binary=True)
    return path
