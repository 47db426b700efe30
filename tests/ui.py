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
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
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
