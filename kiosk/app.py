"""The Textual application: header with shop, terminal and who is signed in; sign-in; idle sign-out."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.widgets import Input

from . import i18n
from .config import Settings
from .errors import KioskError
from .i18n import N_, gettext as _
from .screens.keymap import check_keymap
from .screens.base import Writer
from .screens.signin import SignInScreen
from .terminal import TERMINAL_GONE, hung_up
from .screens.typeahead import TypeAhead

if TYPE_CHECKING:
    from .audit import Actor


log = logging.getLogger("kiosk")


class ScreenCommands(Provider):
    """Command-palette entries for the screens the signed-in role may open."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if app.actor is None:
            return
        matcher = self.matcher(query)
        for title, help_text, factory in app.screens_for_role():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(app.open_screen, factory), help=help_text)


class KioskApp(App):
    CSS_PATH = "kiosk.tcss"
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS = [
        Binding("f12", "sign_out", N_("Sign out"), id="sign-out", priority=True),
    ]

    def __init__(self, settings: Settings, *, client: str = "", ssh_badge: str = "", key_is_enough: bool = False,
                 ssh_session: bool = False, open_store: Callable[[], None] | None = None,
                 refuse_store_exits: bool = False):
        super().__init__()
        if settings.keymap:
            # Refused before anything is drawn: a wrong keymap is a settings error, said in one line.
            check_keymap(settings.keymap, type(self), settings.config_path or "the settings")
        self.settings = settings
        self.client = client
        self.actor: Actor | None = None
        self.title = settings.shop_name
        i18n.set_session_language(settings.language)
        self.show_clock()
        self._last_input = time.monotonic()
        self._ssh_badge = ssh_badge
        self._key_is_enough = key_is_enough
        # An SSH session is one advisor's own: it signs out after longer idle, and signing out (idle or F12)
        # goes back to its sign-in screen; the connection stays open either way.
        self._ssh_session = ssh_session
        self.idle_seconds = (settings.ssh_idle_signout_seconds if ssh_session
                             else settings.idle_signout_seconds if settings.floor_terminal else 0)
        self._counting_down = False
        # What each person had typed when signed out idle: (screen, field) -> text, given back when they
        # open that form again on this terminal.
        self._drafts: dict[int, dict[tuple[str, str], str]] = {}
        # `kiosk demo` on an existing shop opens the database after the sign-in screen is painted.
        self._open_store = open_store
        # `kiosk` itself opens its database after the first paint too, but a database it cannot use ends it
        # with that one line (status 1), as before: `store_refused` is the line for the CLI to print.
        self._refuse_store_exits = refuse_store_exits
        self.store_refused = ""
        # Keys typed while a screen or dialog opens or closes wait for the field that will have focus.
        self.type_ahead = TypeAhead(self, self._deliver_key, self.give_back_drafts)
        # The rules that write run in this one thread, in order, so the screen never waits on the database.
        self.writer = Writer()
        self._terminal_gone = False

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self.push_screen(SignInScreen(preset_badge=self._ssh_badge))
        if self._open_store is not None:
            # After the sign-in screen's first frame: a timer from here fired before it under load, and opening the
            # store (peewee, the models) then held the first paint up.
            self.call_after_refresh(lambda: self.set_timer(0.05, self._store_after_paint))
        if self._ssh_badge and self._key_is_enough:
            from . import auth  # the store's modules load after the sign-in screen is painted

            try:
                actor = auth.sign_in_by_key(self._ssh_badge, terminal=self.settings.terminal, client=self.client)
            except KioskError as exc:
                self.notify(exc.message, severity="error", timeout=10)
            else:
                self.signed_in(actor)
        self.set_interval(30, self.show_clock)
        if not self.is_headless:
            self._watch_terminal()
        if self.idle_seconds > 0:
            self.set_interval(min(1.0, self.idle_seconds / 4), self._check_idle)

    def on_unmount(self) -> None:
        self.writer.close()

    def _watch_terminal(self) -> None:
        # A terminal that goes away (ssh dropped, tmux pane killed, window closed) ends the session instead of
        # leaving a kiosk with nobody on it, or one spinning on an input that has ended.
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.terminal_gone)
        self.set_interval(0.5, lambda: hung_up(0) and self.terminal_gone())

    def terminal_gone(self) -> None:
        """Sign out (drafts are already saved step by step) and exit; a dead terminal never holds the exit up."""
        if self._terminal_gone:
            return
        self._terminal_gone = True
        log.warning("the terminal went away: the kiosk exits")
        watchdog = threading.Timer(5.0, os._exit, (TERMINAL_GONE,))
        watchdog.daemon = True
        watchdog.start()
        actor, self.actor = self.actor, None
        if actor is not None:
            from . import auth  # the store's modules load after the sign-in screen is painted

            try:
                self._keep_drafts(actor)  # what was typed and not saved outlives the process (kiosk.drafts)
            except Exception:  # noqa: BLE001 - leaving must never fail
                log.exception("could not keep the typed drafts")
            self.writer.later(auth.sign_out, actor, "terminal gone")  # after the writes still queued
        self.exit(return_code=TERMINAL_GONE)

    def _store_after_paint(self) -> None:
        self.ensure_store()

    def ensure_store(self) -> bool:
        """Open the store if it was left until after the first paint; False (and said so) if it cannot be."""
        opener, self._open_store = self._open_store, None
        if opener is None:
            return True
        try:
            opener()
        except KioskError as exc:
            self._open_store = opener
            if self._refuse_store_exits:
                self.store_refused = exc.message
                self.exit(return_code=1)
                return False
            self.screen.refuse(exc.message)
            return False
        return True

    async def on_event(self, event) -> None:
        # Every key and click passes here first: the idle clock restarts on any input, and a scan
        # lands in the screen's scan field whatever has focus.
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp,
                              events.Paste)):
            self._last_input = time.monotonic()
            if self._counting_down:
                self._stop_countdown()
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            await self.type_ahead.take(event)
            return
        await super().on_event(event)

    async def _deliver_key(self, event: events.Key | events.Paste) -> None:
        if isinstance(event, events.Key) and self._route_to_scan_field(event):
            return
        if isinstance(event, events.Paste):
            from textual.widgets import TextArea  # not loaded at start: the sign-in screen has none

            field = getattr(self.screen, "scan_field", None)
            if field is not None and self.focused is not field and not isinstance(self.focused, (Input, TextArea)):
                field.take_paste(event.text)  # a paste lands where a scan would
                return
            if isinstance(self.focused, Input) and len(event.text.strip("\r\n").splitlines()) > 1:
                # A one-line field would keep only the first line of it: all of it, the lines joined by spaces.
                event = events.Paste(" ".join(line for line in event.text.splitlines() if line.strip()))
        await super().on_event(event)

    def _route_to_scan_field(self, event: events.Key) -> bool:
        field = getattr(self.screen, "scan_field", None)
        focused = self.focused
        if field is None or focused is field or isinstance(focused, Input) or _is_text_area(focused):
            return False
        if event.key == "enter" and not field.buffer:
            return False  # a plain Enter still opens the highlighted row
        if not (event.is_printable or event.key in ("enter", "backspace")):
            return False
        return field.take_key(event)

    def _check_idle(self) -> None:
        if not self.actor:
            return
        if self.type_ahead.holding:
            # A screen is still opening (its keys are held): nobody is idle until it is there.
            self._last_input = time.monotonic()
            return
        left = self.idle_seconds - (time.monotonic() - self._last_input)
        if left <= 0:
            self._stop_countdown()
            self.sign_out("idle")
        elif left <= min(30, self.idle_seconds / 2):
            # The last seconds are counted down on top of any screen or dialog, and in the header.
            seconds = int(left + 0.99)
            self._counting_down = True
            self.clear_notifications()
            self.notify(f"Signing out in {seconds} s for being idle: press any key to stay signed in.",
                        severity="warning", timeout=2)
            self.show_clock()
            self.sub_title += f" · signing out in {seconds} s"

    def _stop_countdown(self) -> None:
        self._counting_down = False
        self.clear_notifications()
        self.show_clock()

    def _keep_drafts(self, actor: Actor) -> None:
        """What was typed and not saved, field by field, for when this person opens that form again."""
        kept = {}
        for screen in self.screen_stack:
            for field in screen.query("Input, TextArea"):
                text = field.text if _is_text_area(field) else field.value
                if field.id and text.strip() and not getattr(field, "password", False) and not field.disabled:
                    kept[(type(screen).__name__, field.id)] = text
        if kept:
            from . import drafts  # loads with the first draft kept

            kept = self._drafts[actor.employee_id] = {**self._drafts.get(actor.employee_id, {}), **kept}
            # kept in a file too, if the kiosk ends before they return
            drafts.save(self.settings.db_url, self.settings.terminal, actor.employee_id, kept)

    def give_back_drafts(self) -> None:
        """A form this person was typing in when signed out idle is open again: put the text back."""
        kept = self._drafts.get(self.actor.employee_id) if self.actor else None
        if not kept:
            return
        screen = self.screen
        given = []
        for (screen_name, field_id), text in list(kept.items()):
            if screen_name != type(screen).__name__:
                continue
            for field in screen.query(f"#{field_id}"):
                if _is_text_area(field) and not field.text.strip():
                    field.text = text
                elif isinstance(field, Input) and not field.value.strip():
                    field.value = text
                else:
                    continue
                given.append(field_id)
                del kept[(screen_name, field_id)]
        if given:
            from . import drafts  # loads with the first draft kept

            # what is left (none: the file goes)
            drafts.save(self.settings.db_url, self.settings.terminal, self.actor.employee_id, kept)
            if not kept:
                del self._drafts[self.actor.employee_id]
            self.notify("What you had typed before the idle sign-out is back in this form.", timeout=8)

    def signed_in(self, actor: Actor) -> None:
        self.actor = actor
        # The key on the sign-in screen, else the badge's own preference, else the shop's language.
        i18n.set_session_language(getattr(self.screen, "chosen_language", "") or actor.language
                                  or self.settings.language)
        self._last_input = time.monotonic()
        self.refresh_bindings()
        self.show_clock()
        # a role's screens load at its first sign-in, not before the sign-in screen
        from .screens.home import home_screen_for
        if actor.employee_id not in self._drafts:
            from . import drafts  # loads with the first sign-in

            # Typed here before the kiosk last ended (idle, then the terminal went away) and not given back yet.
            if kept := drafts.load(self.settings.db_url, self.settings.terminal, actor.employee_id):
                self._drafts[actor.employee_id] = kept
        self.push_screen(home_screen_for(actor.role))
        self.type_ahead.arrived()  # what was typed after the PIN goes to the home screen's field
        if self._drafts.get(actor.employee_id):
            self.notify("Kept from before the idle sign-out: what you had typed comes back when you open the same "
                        "form again.", timeout=10)

    def check_action(self, action: str, parameters) -> bool | None:
        # The sign-out key shows in the footer only while someone is signed in.
        if action == "sign_out":
            return self.actor is not None
        return True

    @work(thread=True, group="print")
    def print_labels(self, failed_now: bool = False) -> None:
        """Send waiting labels to their printers off the event loop; each outcome is a notification.
        failed_now: a person asked to retry, so failed labels go without waiting for their next try."""
        from . import labelqueue  # the printers' code loads with the first label to print
        from .store import db

        try:
            with db.connection_context():
                results = labelqueue.process(self.settings, failed_now=failed_now)
        except KioskError as exc:  # a full disk, a busy database: the labels stay queued
            results = [("", False, exc.message)]
        except Exception:  # noqa: BLE001 - a printer problem never takes the terminal down
            log.exception("printing labels failed")
            results = [("", False, _("Printing failed unexpectedly; the labels stay queued. See the kiosk log."))]
        for _tag, printed, message in results:
            self.call_from_thread(self.notify, message, severity="information" if printed else "error",
                                  timeout=8 if printed else 20)

    def show_clock(self) -> None:
        """Header: terminal, who is signed in, and a technician's running clock (on every screen)."""
        actor = self.actor
        if actor is None:
            self.sub_title = _("{terminal} · nobody signed in").format(terminal=self.settings.terminal)
            return
        from .text import cell_width, fit_cells

        terminal, clock_text = fit_cells(self.settings.terminal, 12), ""
        if actor.role == "technician":
            from .clocking import running_clock  # the store's modules load after the sign-in screen is painted
            try:
                clock = running_clock(actor.employee_id)
            except Exception:  # noqa: BLE001 - the header must never take the screen down
                clock = None
            clock_text = _(" · clock {clock}").format(clock=clock.short_label()) if clock else _(" · clock off")
        # The header's middle holds about 62 columns at 80: the shop's name and the person's give way, never
        # the clock (its job card, line and running time).
        room = 62 - 3 - 8 - cell_width(terminal) - 3 - cell_width(clock_text)
        text = f"{terminal} · {fit_cells(actor.name, max(10, room))}{clock_text}"
        self.title = fit_cells(self.settings.shop_name, max(6, 62 - 3 - cell_width(text)))
        self.sub_title = text

    def action_sign_out(self) -> None:
        if self.actor is not None:
            self.sign_out("key")

    def sign_out(self, reason: str) -> None:
        """Back to an empty sign-in screen: the next person never sees the previous one's screens."""
        actor = self.actor
        if actor is not None and reason == "idle":
            self._keep_drafts(actor)
        self.actor = None
        if actor is not None:
            from . import auth  # the store's modules load after the sign-in screen is painted

            # Recorded in the writer thread, after the writes the person asked for: the sign-in screen never
            # waits on a busy database.
            self.writer.later(auth.sign_out, actor, reason)
        while not isinstance(self.screen, SignInScreen):
            self.pop_screen()
        self.title = self.settings.shop_name
        self.refresh_bindings()
        self.screen.next_person(N_("Signed out after being idle.") if reason == "idle" else N_("Signed out."),
                                signed_out=True)

    def _fatal_error(self) -> None:
        # Textual would paint the traceback on the terminal; a kiosk writes it to its log instead
        # and leaves one line. (The CLI restarts a floor terminal's kiosk after this.)
        error = self._exception
        log.error("kiosk stopped on an unexpected error", exc_info=(type(error), error, error.__traceback__)
                  if error else None)
        self.bell()
        self._exit_renderables.append(_("The kiosk stopped after an unexpected error; the details are in its log."))
        self._close_messages_no_wait()

    def screens_for_role(self):
        # a role's screens load at its first sign-in, not before the sign-in screen
        from .screens.home import screens_for
        return screens_for(self.actor.role) if self.actor else []

    def open_screen(self, factory) -> None:
        self.push_screen(factory())


def _is_text_area(widget) -> bool:
    # Textual's TextArea takes longer to import than the whole sign-in screen: it loads with the first screen
    # that has one, and until then no widget is one.
    module = sys.modules.get("textual.widgets._text_area")
    return module is not None and isinstance(widget, module.TextArea)
