"""Helpers for screen tests: read the 80x24 screen as text, and type like a person at the terminal."""

from __future__ import annotations

import asyncio
import time

from textual.worker import WorkerState

from kiosk.app import KioskApp
from kiosk.i18n import gettext
from kiosk.store.models import Employee

SIZE = (80, 24)


def screen_text(app) -> str:
    """What a person sees right now, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def screen_as_one_line(app) -> str:
    """The screen as one line, for a message that wraps where the width puts it (a file's path in it)."""
    return " ".join(line.strip() for line in screen_text(app).splitlines())


def _busy(app) -> bool:
    """Work still under way: a worker (database pages, PIN checks, printing) or scans waiting to be taken in.
    The parts room's scan-in queue worker runs for the life of its screen, so its count of waiting scans stands
    for it."""
    if any(w.group != "scans" and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
        return True
    if getattr(getattr(app, "writer", None), "waiting", False):
        return True  # a write nobody awaits (a sign-out's record) is still queued
    if getattr(getattr(app, "type_ahead", None), "holding", False):
        return True  # keys held while a screen opened (type-ahead) have yet to reach their field
    return bool(getattr(app.screen, "pending_scans", 0))


async def settle(pilot) -> None:
    """Wait until the app is still: every worker finished, every message it posted handled, and the screen
    repainted. No fixed pauses: it returns as soon as two rounds in a row find nothing left to do."""
    still = 0
    for _ in range(6000):
        await pilot.pause()  # the app's and the screen's queued messages handled, then the process idle
        if _busy(pilot.app):
            still = 0
            await asyncio.sleep(0.005)
            continue
        still += 1
        if still == 2:
            return
    raise AssertionError(f"the app never settled; workers: {list(pilot.app.workers)}")


async def wait_until(pilot, condition, what: str, timeout: float = 30.0) -> None:
    """Wait for something the app does on its own time (a burst of key messages handled, a timer fired)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])


async def sign_in(pilot, badge: str, pin: str = "1234") -> None:
    await type_text(pilot, badge)
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)


def kiosk_app(settings) -> KioskApp:
    return KioskApp(settings)


def badge_of(actor) -> str:
    return Employee.get_by_id(actor.employee_id).badge


def footer_keys_all_shown(app) -> list[str]:
    """Every key the screen shows in its footer, with its description in the current language, as it must
    appear on the bottom line; returns the ones missing from it (cut at 80 columns, or never shown)."""
    bottom = screen_text(app).splitlines()[-1]
    missing = []
    for _node, binding, _enabled, _tooltip in app.screen.active_bindings.values():
        if binding.show:
            shown = f"{app.get_key_display(binding)} {gettext(binding.description)}"
            if shown not in bottom:
                missing.append(shown)
    return missing
