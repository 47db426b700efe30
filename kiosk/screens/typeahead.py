"""Type-ahead: keys typed while a screen or dialog opens or closes reach the field that will have focus.

Textual hands a key to whatever has focus when the key is taken from the app's queue; the effect of the
key before it (an Enter that opens the board, an F5 that opens a dialog, a Tab that moves on) happens a
little later, in the widget's own queue. A fast typist's next keys then land on the old screen. So after
every key that may change where keys go (Enter, Tab, Escape, F-keys, Ctrl combinations), and while a
screen waits for something that will open a screen (the PIN check), later keys are held; once every
message that key caused has been handled and the screen stack is still, they are given, in order, to the
field that has focus then. A held key that itself may move focus starts the same wait again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

from textual import events

# Keys that only edit the field or move within it: they never change which widget gets the next key.
_IN_PLACE = frozenset({"backspace", "delete", "left", "right", "up", "down", "home", "end", "pageup",
                       "pagedown", "space"})
_MAX_ROUNDS = 200  # a screen that never goes quiet (an endless stream of messages) still gets its keys


def moves_focus(event: events.Key) -> bool:
    """May this key open or close a screen, or move focus, before the next key is handled?"""
    return not (event.is_printable or event.key in _IN_PLACE)


class TypeAhead:
    """Holds keys during a transition and replays them through deliver(key) once the app is quiet."""

    def __init__(self, app, deliver: Callable[[events.Event], Awaitable[None]],
                 on_quiet: Callable[[], None] | None = None) -> None:
        self.app = app
        self.deliver = deliver
        self.on_quiet = on_quiet  # a screen has just settled (opened, closed): e.g. give back a draft
        self.held: deque[events.Event] = deque()
        self._waiting = False
        self._expected = 0
        self._token: object | None = None

    @property
    def holding(self) -> bool:
        return bool(self._waiting or self._expected or self.held)

    async def take(self, event: events.Event) -> None:
        """A key (or paste) from the terminal: hold it, or give it now."""
        if self.holding:
            self.held.append(event)
            return
        await self._give(event)

    async def _give(self, event: events.Event) -> None:
        await self.deliver(event)
        # A paste may be a scan that opens a screen: what is typed after it waits for that, as after Enter.
        if isinstance(event, events.Paste) or moves_focus(event):
            self.wait()

    # A screen that starts something which will open a screen (a PIN checked in a worker) says so:
    def expect(self, timeout: float = 30.0) -> None:
        """A screen change is coming (from a worker): hold every key until arrived() or refused()."""
        self._expected += 1
        self._token = token = object()
        # A worker that never answers must not swallow the keyboard for good.
        self.app.set_timer(timeout, lambda: self._expected and self._token is token and self.refused())

    def arrived(self) -> None:
        """What was expected happened (its screen was pushed): give the held keys once it has focus."""
        self._expected = max(0, self._expected - 1)
        self.wait()

    def refused(self) -> None:
        """What was expected did not happen: the held keys were meant for a screen that never came."""
        self._expected = max(0, self._expected - 1)
        self.held.clear()
        self.wait()

    def wait(self) -> None:
        """Hold keys until the app is quiet, then give them."""
        if self._waiting:
            return
        self._waiting = True
        self._round(None, 0)

    def _round(self, before, rounds: int) -> None:
        """Let every widget of the current screen handle what it has queued; then see if all is still."""
        app = self.app
        try:
            screen = app.screen
        except Exception:  # noqa: BLE001 - no screen yet (starting) or any more (closing)
            self.app.set_timer(0.01, lambda: self._round(None, rounds + 1))
            return
        pumps = self._pumps(screen)
        state = (screen, len(app.screen_stack), len(pumps), app.focused)
        pending = [0]

        def one_done() -> None:
            pending[0] -= 1
            if pending[0] == 0:
                self._after_round(before, state, pumps, rounds)

        for pump in pumps:
            if pump.call_later(one_done):
                pending[0] += 1
        if pending[0] == 0:
            self._after_round(before, state, pumps, rounds)

    def _pumps(self, screen) -> list:
        """Where a key's consequences travel: the app, the screen, the focused widget and the widgets its
        messages bubble through, and the screen's scan field (a routed scan's Enter). Not every widget: a busy
        list elsewhere on the screen never holds the keys up."""
        pumps = [self.app, screen]
        node = self.app.focused
        while node is not None and node is not screen and node not in pumps:
            pumps.append(node)
            node = node.parent
        try:
            field = getattr(screen, "scan_field", None)
        except Exception:  # noqa: BLE001 - a screen still composing has no scan field yet
            field = None
        while field is not None and field is not screen and field not in pumps:
            pumps.append(field)
            field = field.parent
        return pumps

    def _after_round(self, before, state, pumps, rounds: int) -> None:
        app = self.app
        try:
            screen = app.screen
        except Exception:  # noqa: BLE001
            screen = None
        quiet = (before == state and screen is state[0] and len(app.screen_stack) == state[1]
                 and app.focused is state[3] and screen is not None and screen.is_mounted
                 and all(_idle(pump) for pump in pumps))
        reading = quiet and _list_reading(screen)
        if (reading or not quiet) and rounds < _MAX_ROUNDS:
            if reading:
                # A list is reading its rows (a search just typed): a Tab or Enter typed next is meant for them.
                app.set_timer(0.01, lambda: self._round(state, rounds + 1))
            else:
                # Something moved (a screen came or went, focus changed, messages still flow): once more.
                self._round(state, rounds + 1)
            return
        self._waiting = False
        if self._expected:
            return  # arrived() or refused() will start the next wait
        if self.on_quiet is not None:
            self.on_quiet()
        app.call_later(self._replay)

    async def _replay(self) -> None:
        while self.held and not self._waiting and not self._expected:
            await self._give(self.held.popleft())


def _idle(pump) -> bool:
    """Has this pump nothing left to handle? Its queue being empty is not enough: before Textual handles a
    message it takes the next one out of the queue (`_pending_message`, to see whether it supersedes the
    current one). So while a widget handled our round's callback, the badge's `Input.Submitted` right behind
    it was already out of the queue: the round looked quiet, the held PIN went to the badge field, and the
    focus moved to the PIN field a moment later (seen under load, issue 13). Callbacks for after the current
    message wait in `_next_callbacks`."""
    return (pump._message_queue.empty() and getattr(pump, "_pending_message", None) is None
            and not getattr(pump, "_next_callbacks", None))


def _list_reading(screen) -> bool:
    """Is a list of this screen reading a page from the database (PagedTable.reading)?"""
    return any(getattr(table, "reading", False) for table in screen.query("DataTable"))
