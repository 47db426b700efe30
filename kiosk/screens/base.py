"""What every kiosk screen shares: calling a rule and showing its error in place, never a traceback."""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import functools
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static
from textual.widgets._footer import FooterKey

from ..errors import KioskError, SignInRefused
from ..i18n import N_, gettext as _

log = logging.getLogger("kiosk")


def promised_cell(promised_at: dt.datetime | None, at: dt.datetime) -> str:
    """A promised time in a list cell (11 columns): "30/11 16:00"; one already past says LATE instead of its
    minutes, so an overdue car shows without colour."""
    if promised_at is None:
        return "-"
    if promised_at < at:
        return f"{promised_at:%d/%m} " + _("LATE")
    return f"{promised_at:%d/%m %H:%M}"


class SignedOut(SignInRefused):
    """A screen outlived its session (idle sign-out while something was loading)."""


class Feedback(Static):
    """One line of feedback under a form: green for done, red for refused."""

    DEFAULT_CSS = """
    Feedback { height: auto; min-height: 1; padding: 0 1; }
    Feedback.error { color: $error; text-style: bold; }
    Feedback.ok { color: $success; }
    Feedback.warn { color: $warning; }
    """

    def show(self, text: str, kind: str = "ok") -> None:
        self.remove_class("error", "ok", "warn")
        self.add_class(kind)
        self.update(text)

    def clear(self) -> None:
        self.remove_class("error", "ok", "warn")
        self.update("")


def _run(call: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[bool, Any]:
    """(True, what the rule returned) or (False, the exception it raised); an unexpected one is logged here,
    with its traceback, in whichever thread ran it."""
    try:
        return True, call(*args, **kwargs)
    except KioskError as exc:
        return False, exc
    except Exception as exc:  # noqa: BLE001 - the screen must survive anything a rule raises
        log.exception("unexpected error in %s", getattr(call, "__name__", call))
        return False, exc


def _said(feedback: Feedback, outcome: tuple[bool, Any], bell: Callable[[], None] | None) -> tuple[bool, Any]:
    """Show a refusal in the feedback line (a KioskError's own words; anything else never raw)."""
    ok, value = outcome
    if ok:
        return True, value
    if isinstance(value, KioskError):
        feedback.show(value.message, "error")
    else:
        feedback.show(_("Something went wrong and nothing was saved. The error is in the kiosk log."), "error")
    if bell:
        bell()
    return False, None


def attempt(feedback: Feedback, call: Callable[..., Any], *args, bell: Callable[[], None] | None = None,
            **kwargs) -> tuple[bool, Any]:
    """Run a rule here and now; show its KioskError in feedback. Unexpected errors are logged, never shown raw.
    A rule that writes goes through KioskScreen.attempt_write instead, so the screen never waits on the
    database."""
    return _said(feedback, _run(call, args, kwargs), bell)


def returns_refusals(rule: Callable[..., Any], *kinds: type[KioskError]) -> Callable[..., Any]:
    """The rule, with the refusals of these kinds returned instead of raised: for a write whose refusal the screen
    answers itself (shows a field for the reason, asks for F10 again), once it is back on the event loop."""

    @functools.wraps(rule)
    def call(*args, **kwargs):
        try:
            return rule(*args, **kwargs)
        except kinds as refusal:
            return refusal

    return call


class Writer:
    """The session's one thread for the rules that write. They run there one at a time, in the order they were
    asked for, so the event loop (painting, keys, scans, the clock, idle sign-out) never waits on a database
    that another terminal holds busy (up to its busy timeout)."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._unawaited = 0  # later() writes not yet done

    def _thread(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="kiosk-write")
            return self._pool

    def run(self, call: Callable[..., Any], args: tuple, kwargs: dict) -> Awaitable[tuple[bool, Any]]:
        """The rule's outcome (as _run gives it), awaited on the event loop. The language and other context of
        the caller go with it (contextvars), as asyncio.to_thread does."""
        context = contextvars.copy_context()
        return asyncio.get_running_loop().run_in_executor(self._thread(), context.run, _run, call, args, kwargs)

    def later(self, call: Callable[..., Any], *args, **kwargs) -> None:
        """A write nobody waits for (the record of a sign-out): it runs after the writes asked for before it; a
        refusal is logged, since nobody is there to read it."""
        def done(future) -> None:
            with self._lock:
                self._unawaited -= 1
            ok, value = future.result()
            if not ok and isinstance(value, KioskError):
                log.error("%s refused: %s", getattr(call, "__name__", call), value.message)

        with self._lock:
            self._unawaited += 1
        future = self._thread().submit(contextvars.copy_context().run, _run, call, args, kwargs)
        future.add_done_callback(done)

    @property
    def waiting(self) -> bool:
        """A later() write is queued or running (tests wait for it)."""
        return self._unawaited > 0

    def close(self) -> None:
        """At the end of the session: let the writes asked for finish, then close the thread's own database
        connection (peewee keeps one per thread), so nothing is left open on the server."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        from ..store import close_database  # only a session that wrote has a writer thread to close

        try:
            pool.submit(close_database).result(timeout=30)
        except Exception:  # noqa: BLE001 - closing must never fail the exit
            log.exception("could not close the writer thread's database connection")
        pool.shutdown(wait=False)


# A write that takes longer than this says on its feedback line that it is waiting.
WAIT_SHOWN_AFTER = 0.3


def writes(method: Callable[..., Awaitable[None]] | None = None, *, moves_on: bool = False, once: bool = False):
    """For an action or message handler (an async method) that writes through attempt_write: calling it starts
    it as a worker on the event loop, so while it waits on the database the screen paints, keys and scans go on
    arriving, and its writes keep their order (the Writer's one thread).

    moves_on: the handler ends by opening or closing a screen or moving focus; keys typed meanwhile are held
    (type-ahead) and given to the field that has focus after it, as for any key that opens a screen.
    once: a key pressed again while this handler's write still waits is ignored (with the bell), so an F-key
    pressed twice at a busy database writes once and never answers the second press with a refusal."""

    def wrap(method: Callable[..., Awaitable[None]]):
        @functools.wraps(method)
        def start(self, *args, **kwargs) -> None:
            waiting = self.__dict__.setdefault("_writes_waiting", set())  # this screen's `once` handlers
            if once:
                if method.__name__ in waiting:
                    self.app.bell()
                    return
                waiting.add(method.__name__)
            if moves_on:
                self.app.type_ahead.expect()

            async def body() -> None:
                try:
                    await method(self, *args, **kwargs)
                except SignInRefused:
                    pass  # signed out (idle, F12) while it waited: the sign-in screen says so
                except Exception:  # noqa: BLE001 - a worker's error must never reach the screen raw
                    log.exception("unexpected error in %s", method.__name__)
                    try:
                        self.feedback.show(_("Something went wrong. The error is in the kiosk log."), "error")
                    except Exception:  # noqa: BLE001 - the screen may be gone
                        pass
                finally:
                    if once:
                        waiting.discard(method.__name__)
                    if moves_on:
                        self.app.type_ahead.arrived()

            self.run_worker(body(), group="write", name=method.__name__, exit_on_error=False)

        return start

    return wrap(method) if method is not None else wrap


class FromThread:
    """A Feedback shown from a worker thread (a printer or an export that may take seconds): each message goes
    to the screen through the event loop. Has the Feedback's show(), so attempt() takes it."""

    def __init__(self, app, message: Feedback) -> None:
        self.app, self.message = app, message

    def show(self, text: str, kind: str = "ok") -> None:
        self.app.call_from_thread(self.message.show, text, kind)

    def bell(self) -> None:
        self.app.call_from_thread(self.app.bell)


# F12 is the app's own key and works everywhere; a modal screen's footer shows only its own keys, so each
# modal screen lists it too (the app's priority binding still does the signing out). It has the app binding's
# id, so one keymap entry ("sign-out") moves both.
SIGN_OUT_SHOWN = Binding("f12", "app.sign_out", N_("Sign out"), id="sign-out")


class KioskFooter(Footer):
    """The footer of every screen: compact, so the keys of a busy screen still fit 80 columns. Each key's
    description is a msgid (N_() in BINDINGS), said here in the current language."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._shown: tuple | None = None  # what the footer shows now (_keys_to_show), None before it shows any

    def compose(self):
        self._shown = self._keys_to_show() if self._bindings_ready else None  # (not ready: Footer shows none)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
            yield widget

    async def recompose(self) -> None:
        """Textual's footer builds its keys again whenever the bindings are checked (each focus change, each
        refresh_bindings): a dozen widgets made, styled and laid out for every key typed that moves the focus. This
        one builds them again only when what it shows would change. (A footer taken down with its screen is left
        alone before its keys are asked for: the screen's own checks may need widgets already gone.)"""
        if self.is_attached and not self._pruning and self._keys_to_show() == self._shown:
            return
        await super().recompose()

    def _keys_to_show(self) -> tuple:
        """Each key shown: its key, how it is written, its words in the current language, whether it works now."""
        return tuple((binding.key, self.app.get_key_display(binding), _(binding.description), enabled, tooltip,
                      binding.group)
                     for _node, binding, enabled, tooltip in self.screen.active_bindings.values() if binding.show)


class WritesInWorker:
    """attempt_write, for any screen or dialog whose @writes handlers write (KioskScreen, the dialogs' base)."""

    async def attempt_write(self, feedback: Feedback, call: Callable[..., Any], *args,
                            bell: Callable[[], None] | None = None, **kwargs) -> tuple[bool, Any]:
        """attempt() for a rule that writes: it runs in the app's writer thread while the event loop goes on.
        Past WAIT_SHOWN_AFTER the feedback line says it is waiting for the database; the outcome replaces it.
        Await it from a handler marked @writes."""
        shown, answered = [], []

        def say_waiting() -> None:
            # A busy event loop may run the timer's callback after the outcome came: then there is no wait to say.
            if not answered:
                feedback.show(_("Saving… waiting for the database."), "warn")
                shown.append(True)

        timer = self.set_timer(WAIT_SHOWN_AFTER, say_waiting)
        try:
            # Shielded: a screen closed while its write waits (Escape after a scan) never cancels the write.
            outcome = await asyncio.shield(self.app.writer.run(call, args, kwargs))
        finally:
            answered.append(True)
            timer.stop()
        if shown and outcome[0]:
            feedback.clear()  # the handler says what was done, or nothing needs saying
        return _said(feedback, outcome, bell)


class KioskScreen(WritesInWorker, Screen):
    """A screen used by a signed-in person; knows the actor and the settings through the app."""

    _shown = False
    # Lists other terminals change are read again at least this often (seconds; 0: only on return or a key).
    LIST_REFRESH_SECONDS = 30.0

    def _on_mount(self) -> None:
        if self.LIST_REFRESH_SECONDS:
            self.set_interval(self.LIST_REFRESH_SECONDS, self._refresh_if_shown)

    def _refresh_if_shown(self) -> None:
        if self.app.actor is not None and self.app.screen is self:
            self.on_return()

    def on_screen_resume(self) -> None:
        # Textual resumes a screen when it is first pushed too; that first showing is on_mount's work, so
        # only a return (a dialog or a pushed screen closed) re-reads, and never while signing out.
        if self._shown and self.app.actor is not None:
            self.on_return()
        self._shown = True

    def on_return(self) -> None:
        """Shown again after another screen or a dialog (and every LIST_REFRESH_SECONDS): re-read what may have
        changed meanwhile. By default every paged list of the screen, each keeping its cursor on its row."""
        from .paged import PagedTable

        for table in self.query(PagedTable):
            if table.refresh_with_screen:
                table.reload()

    @property
    def actor(self):
        actor = self.app.actor
        if actor is None:
            raise SignedOut(N_("Signed out: sign in again."))
        return actor

    @property
    def settings(self):
        return self.app.settings

    @property
    def feedback(self) -> Feedback:
        """The screen's line of feedback (a Feedback with id "feedback")."""
        return self.query_one("#feedback", Feedback)

    @property
    def thread_feedback(self) -> FromThread:
        """The screen's feedback line, for a worker thread (take it on the event loop, use it in the thread)."""
        return FromThread(self.app, self.feedback)


class HomeScreen(KioskScreen):
    """A role's landing screen: a title line, its main list, feedback, and the footer of keys."""

    TITLE_TEXT = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_(self.TITLE_TEXT), classes="screen-title")
        yield from self.compose_body()
        yield Feedback(id="feedback")
        yield KioskFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()
