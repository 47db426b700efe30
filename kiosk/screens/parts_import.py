"""The manager's parts catalogue import: pick a price file from the shop's import folder, import it in a worker
with a progress bar, and read the bad lines when it is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Label, ProgressBar

from ..catalogue_import import import_parts
from ..csvimport import ImportHasErrors
from ..errors import KioskError
from ..i18n import N_, gettext as _, os_reason
from ..store.database import db
from .base import KioskFooter, KioskScreen, Feedback, log

SHOWN_FILES = 200
SHOWN_BAD = 200
PHASES = {"checking": N_("Checking {file}…"), "writing": N_("Writing {file}…")}


def price_files(folder: Path) -> list[tuple[Path, int, float]]:
    """The CSV files in the import folder, newest first: (path, size, modified)."""
    found = []
    try:
        for path in folder.iterdir():
            if path.suffix.lower() == ".csv":
                try:
                    stat = path.stat()
                except OSError:  # gone since the folder was listed
                    continue
                if path.is_file():
                    found.append((path, stat.st_size, stat.st_mtime))
    except OSError:
        return []
    return sorted(found, key=lambda f: f[2], reverse=True)[:SHOWN_FILES]


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.1f} kB"


class PartsImportScreen(KioskScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="parts-import-back"),
        Binding("f2", "import_file", N_("Import"), id="parts-import-run"),
        Binding("f3", "import_good", N_("Import good lines"), id="parts-import-good"),
        Binding("f5", "refresh", N_("Refresh"), id="parts-import-refresh"),
    ]
    DEFAULT_CSS = """
    PartsImportScreen #import-files { height: 8; }
    PartsImportScreen #import-bad { height: 1fr; }
    PartsImportScreen ProgressBar { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.files: list[Path] = []
        self.running = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Parts catalogue: import a price file (CSV, UTF-8 or GBK)"), classes="screen-title")
        yield Label("", id="import-folder")
        yield DataTable(id="import-files", cursor_type="row")
        yield ProgressBar(total=100, show_eta=False, id="import-progress")
        yield Feedback(id="feedback")
        yield DataTable(id="import-bad", cursor_type="row")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.query_one("#import-files", DataTable).add_columns(_("File"), _("Size"), _("Saved"))
        self.query_one("#import-bad", DataTable).add_columns(_("Line"), _("Why it was refused"))
        self.action_refresh()

    def action_refresh(self) -> None:
        folder = self.settings.import_path
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.feedback.show(_("Cannot open the import folder {folder}: {error}.").format(
                folder=folder, error=_(os_reason(exc))), "error")
        self.query_one("#import-folder", Label).update(" " + _("Folder: {folder}").format(folder=folder))
        found = price_files(folder)
        self.files = [path for path, _size_, _modified in found]
        table = self.query_one("#import-files", DataTable)
        table.clear()
        for path, size, modified in found:
            table.add_row(path.name[:48], _size(size), f"{dt.datetime.fromtimestamp(modified):%Y-%m-%d %H:%M}")
        if not self.files:
            self.feedback.show(_("No CSV files in {folder}: copy the price file there, then F5.").format(folder=folder),
                               "warn")
        table.focus()

    def _chosen(self) -> Path | None:
        table = self.query_one("#import-files", DataTable)
        if not self.files or table.cursor_row is None or not 0 <= table.cursor_row < len(self.files):
            self.feedback.show(_("Choose a file first."), "error")
            return None
        return self.files[table.cursor_row]

    def action_import_file(self) -> None:
        self._start(skip_bad=False)

    def action_import_good(self) -> None:
        self._start(skip_bad=True)

    def _start(self, *, skip_bad: bool) -> None:
        if self.running:
            self.feedback.show(_("An import is running: wait for it to finish."), "warn")
            return
        path = self._chosen()
        if path is None:
            return
        self.running = True
        self.query_one("#import-bad", DataTable).clear()
        self.query_one(ProgressBar).update(total=100, progress=0)
        self.feedback.show(_("Checking {file}…").format(file=path.name))
        self._import(self.actor, path, skip_bad)

    @work(thread=True, exclusive=True, group="parts-import")
    def _import(self, actor, path: Path, skip_bad: bool) -> None:
        def progress(phase: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, phase, path.name, done, total)

        try:
            with db.connection_context():
                result = import_parts(actor, path, skip_bad=skip_bad, progress=progress)
        except ImportHasErrors as exc:
            self.app.call_from_thread(self._refused, exc)
        except KioskError as exc:
            self.app.call_from_thread(self._done, exc.message, "error")
        except Exception:  # noqa: BLE001 - the screen must survive anything the import raises
            log.exception("unexpected error importing %s", path)
            self.app.call_from_thread(self._done, _("Something went wrong; the parts written so far are kept and "
                                                    "importing the same file again finishes it. The error is in the "
                                                    "kiosk log."), "error")
        else:
            self.app.call_from_thread(self._done, result.summary(), "ok")

    def _progress(self, phase: str, name: str, done: int, total: int) -> None:
        if not self.is_attached:  # left while the import goes on: it finishes without a screen
            return
        self.query_one(ProgressBar).update(total=100, progress=done * 100 // max(total, 1))
        self.feedback.show(_(PHASES[phase]).format(file=name) if phase in PHASES else f"{phase.capitalize()} {name}…")

    def _refused(self, exc: ImportHasErrors) -> None:
        if not self.is_attached:
            return
        self._done(_("{count} bad line(s): nothing imported. Fix them, or F3 to import the good "
                     "lines and list the bad ones in a report file.").format(count=exc.report.bad_count), "error")
        table = self.query_one("#import-bad", DataTable)
        for number, message in sorted(exc.report.bad)[:SHOWN_BAD]:
            table.add_row(str(number), message[:70])
        self.app.bell()

    def _done(self, text: str, kind: str) -> None:
        self.running = False
        if not self.is_attached:
            return
        if kind == "ok":
            self.query_one(ProgressBar).update(total=100, progress=100)
        self.feedback.show(text, kind)
