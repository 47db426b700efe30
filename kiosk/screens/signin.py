"""Sign-in: scan or type a badge, then the PIN. The first screen of every terminal."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label

from ..errors import BadgeLocked, KioskError, NotFound
from .base import KioskFooter, Message, attempt, log


class SignInScreen(Screen):
    BINDINGS = [Binding("escape", "restart", "Start again", id="signin-restart")]
    AUTO_FOCUS = "#badge"

    def __init__(self, preset_badge: str = "") -> None:
        super().__init__()
        # Over SSH the key may already say whose session this is: only the PIN is asked.
        self.preset_badge = preset_badge

    def on_mount(self) -> None:
        if self.preset_badge:
            self.query_one("#badge", Input).value = self.preset_badge
            self.badge_given(Input.Submitted(self.query_one("#badge", Input), self.preset_badge))

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signin-box"):
            yield Label("Scan your badge, or type its number and press Enter", id="signin-prompt")
            yield Input(placeholder="Badge", id="badge", max_length=64)
            yield Input(placeholder="PIN", id="pin", password=True, max_length=8, disabled=True)
            yield Message(id="signin-message")
        yield KioskFooter()

    def refuse(self, text: str) -> None:
        """The store cannot be opened: say so, and take no badge."""
        for field in self.query(Input):
            field.disabled = True
        self.query_one(Message).show(text, "error")

    def action_restart(self) -> None:
        self.reset()

    def reset(self, note: str = "") -> None:
        badge, pin = self.query_one("#badge", Input), self.query_one("#pin", Input)
        badge.value, pin.value = "", ""
        pin.disabled = True
        if self.preset_badge:
            badge.value = self.preset_badge
        badge.disabled = False
        self.query_one("#signin-prompt", Label).update("Scan your badge, or type its number and press Enter")
        message = self.query_one(Message)
        message.show(note, "warn") if note else message.clear()
        badge.focus()

    @on(Input.Submitted, "#badge")
    def badge_given(self, event: Input.Submitted) -> None:
        from .. import auth  # the store loads after the first paint: a quick sign-in screen

        if not self.app.ensure_store():
            return
        feedback = self.query_one(Message)
        # Only the badge's form is checked here: whether it is anyone's is answered with the PIN, in the same
        # words and time as a wrong PIN (kiosk.auth.sign_in).
        ok, badge = attempt(feedback, auth.normalise_badge, event.value, bell=self.app.bell)
        if not ok:
            event.input.value = ""
            return
        feedback.clear()
        self.query_one("#signin-prompt", Label).update(f"Badge {badge}: type your PIN and press Enter")
        pin = self.query_one("#pin", Input)
        pin.disabled = False
        event.input.disabled = True
        pin.focus()

    @on(Input.Submitted, "#pin")
    def pin_given(self, event: Input.Submitted) -> None:
        badge, pin = self.query_one("#badge", Input).value, event.value
        event.input.value = ""
        event.input.disabled = True
        self.check_pin(badge, pin)

    @work(thread=True, exclusive=True, group="signin")
    def check_pin(self, badge: str, pin: str) -> None:
        # scrypt is deliberately slow: keep it off the event loop.
        from .. import auth
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
            self.app.call_from_thread(self._refused, "Sign-in failed unexpectedly; see the kiosk log.", True)
        else:
            self.app.call_from_thread(self.app.signed_in, actor)

    def _refused(self, text: str, start_over: bool) -> None:
        self.app.bell()
        if start_over:
            self.reset(text)
            self.query_one(Message).show(text, "error")
            return
        self.query_one(Message).show(text, "error")
        pin = self.query_one("#pin", Input)
        pin.disabled = False
        pin.focus()
