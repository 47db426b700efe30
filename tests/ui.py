"""Helpers for screen tests: read the 80x24 screen as text, and type like a person at the terminal."""

from __future__ import annotations

from kiosk.app import KioskApp
from kiosk.store.models import Employee

SIZE = (80, 24)


def screen_text(app) -> str:
    """What a person sees right now, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot) -> None:
    """Let workers (database pages, PIN checks) finish and the screen repaint."""
    from textual.worker import WorkerState

    for _ in range(1000):  # keys held while a screen opened (type-ahead) reach their field first
        if not getattr(getattr(pilot.app, "type_ahead", None), "holding", False):
            break
        await pilot.pause(0.01)
    for _ in range(1000):
        # The scan-in queue worker runs for the life of its screen: wait for the others.
        busy = [w for w in pilot.app.workers if w.group != "scans"
                and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            break
        await pilot.pause(0.01)
    await pilot.pause(0.05)
    await pilot.pause()
    screen = pilot.app.screen
    from kiosk.screens.paged import PagedTable
    for _ in range(1000):  # a page read in a worker lands on the screen through the event loop
        if not any(table._loading for table in screen.query(PagedTable)):
            break
        await pilot.pause(0.01)
    for _ in range(2000):
        if not getattr(screen, "pending_scans", 0):
            break
        await pilot.pause(0.01)
    await pilot.pause(0.05)
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
