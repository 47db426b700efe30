"""Sign-in: scan or type a badge, then the PIN. The first screen of every terminal."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label

from .. import i18n
from ..errors import BadgeLocked, KioskError, NotFound
from ..i18n import N_, gettext as _
from .base import KioskFooter, Feedback, attempt, log


class SignInScreen(Screen):
    BINDINGS = [
        # Translators: the key that switches the sign-in screen to the other language, so it is named in that
        # language: "中文" on the English screen, "English" on the Chinese one.
        Binding("f2", "switch_language", N_("中文"), id="signin-language"),
        Binding("escape", "restart", N_("Start again"), id="signin-restart"),
    ]
    AUTO_FOCUS = "#badge"
    PROMPT = N_("Scan your badge, or type its number and press Enter")
    PIN_PROMPT = N_("Badge {badge}: type your PIN and press Enter")

    def __init__(self, preset_badge: str = "") -> None:
        super().__init__()
        # Over SSH the key may already say whose session this is: only the PIN is asked.
        self.preset_badge = preset_badge
        # The language chosen with the key for the next session ("" = the badge's own, else the shop's).
        self.chosen_language = ""
        self._prompt: tuple[str, dict] = (self.PROMPT, {})

    def on_mount(self) -> None:
        if self.preset_badge:
            self.query_one("#badge", Input).value = self.preset_badge
            self.badge_given(Input.Submitted(self.query_one("#badge", Input), self.preset_badge))

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signin-box"):
            yield Label(_(self.PROMPT), id="signin-prompt")
            yield Input(placeholder=_("Badge"), id="badge", max_length=64)
            yield Input(placeholder=_("PIN"), id="pin", password=True, max_length=8, disabled=True)
            yield Feedback(id="signin-message")
        yield KioskFooter()

    def refuse(self, text: str) -> None:
        """The store cannot be opened: say so, and take no badge."""
        for field in self.query(Input):
            field.disabled = True
        self.query_one(Feedback).show(text, "error")

    def action_restart(self) -> None:
        self.reset()

    def action_switch_language(self) -> None:
        """The key in the footer: this screen, and the session of whoever signs in next, in the other language."""
        self.chosen_language = i18n.set_session_language(i18n.next_language())
        self.show_language()

    def show_language(self) -> None:
        self._show_prompt(*self._prompt)
        self.query_one("#badge", Input).placeholder = _("Badge")
        self.query_one("#pin", Input).placeholder = _("PIN")
        self.query_one(Feedback).clear()
        self.app.show_clock()
        # The footer recomposes itself on a change of bindings only while the terminal reports focus.
        footer = self.query_one(KioskFooter)
        footer.call_later(footer.recompose)

    def _show_prompt(self, msgid: str, values: dict) -> None:
        self._prompt = (msgid, values)
        self.query_one("#signin-prompt", Label).update(i18n.render(msgid, values))

    def next_person(self, note: str, signed_out: bool = False) -> None:
        """After a sign-out: the shop's language again, and note (a msgid) said in it."""
        self.chosen_language = ""
        i18n.set_session_language(self.app.settings.language)
        self.show_language()
        self.reset(_(note), signed_out=signed_out)

    def reset(self, note: str = "", signed_out: bool = False) -> None:
        badge, pin = self.query_one("#badge", Input), self.query_one("#pin", Input)
        badge.value, pin.value = "", ""
        pin.disabled = True
        if self.preset_badge:
            badge.value = self.preset_badge
        badge.disabled = False
        self._show_prompt(self.PROMPT, {})
        badge.focus()
        if self.preset_badge and signed_out:
            # An SSH session stays open after a sign-out: its person is asked only for the PIN again.
            self.badge_given(Input.Submitted(badge, self.preset_badge))
        message = self.query_one(Feedback)
        message.show(note, "warn") if note else message.clear()

    @on(Input.Submitted, "#badge")
    def badge_given(self, event: Input.Submitted) -> None:
        from .. import auth  # the store loads after the first paint: a quick sign-in screen

        if not self.app.ensure_store():
            return
        feedback = self.query_one(Feedback)
        # Only the badge's form is checked here: whether it is anyone's is answered with the PIN, in the same
        # words and time as a wrong PIN (kiosk.auth.sign_in).
        ok, badge = attempt(feedback, auth.badge_scanned, event.value, bell=self.app.bell)
        if not ok:
            event.input.value = ""
            return
        feedback.clear()
        self._show_prompt(self.PIN_PROMPT, {"badge": badge})
        pin = self.query_one("#pin", Input)
        pin.disabled = False
        event.input.disabled = True
        pin.focus()

    @on(Input.Submitted, "#pin")
    def pin_given(self, event: Input.Submitted) -> None:
        badge, pin = self.query_one("#badge", Input).value, event.value
        event.input.value = ""
        event.input.disabled = True
        self.app.type_ahead.expect()  # keys typed from now on are for the home screen
        self.check_pin(badge, pin)

    @work(thread=True, exclusive=True, group="signin")
    def check_pin(self, badge: str, pin: str) -> None:
        # scrypt is deliberately slow: keep it off the event loop.
        from .. import auth  # the store's modules load after the sign-in screen is painted
        from ..store import db

        settings = self.app.settings
        try:
            with db.connection_context():
                actor = auth.sign_in(badge, pin, terminal=settings.terminal, client=self.app.client,
                                     attempts=settings.pin_attempts, lock_minutes=settings.pin_lock_minutes)
        except (BadgeLocked, NotFound) as exc:
            self.app.call_from_thread(self._refused, exc.message, True)
        except KioskError as exc:
            self.app.call_from_thread(self._refused, exc.message, False)
        except Exception:  # noqa: BLE001
            log.exception("sign-in failed")
            self.app.call_from_thread(self._refused, _("Sign-in failed unexpectedly; see the kiosk log."), True)
        else:
            self.app.call_from_thread(self.app.signed_in, actor)

    def _refused(self, text: str, start_over: bool) -> None:
        self.app.type_ahead.refused()
        self.app.bell()
        if start_over:
            self.reset(text)
            self.query_one(Feedback).show(text, "error")
            return
        self.query_one(Feedback).show(text, "error")
        pin = self.query_one("#pin", Input)
        pin.disabled = False
        pin.focus()
