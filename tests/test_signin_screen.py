"""A person at the floor terminal signs in with badge and PIN, lands on their home screen, and signs out."""

import dataclasses

import pytest

from kiosk.store.models import AuditEvent

from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text, wait_until

HOME_TITLES = {
    "technician": "My jobs",
    "parts_clerk": "Warranty-parts room",
    "advisor": "Job-card board",
    "manager": "Staff",
}


@pytest.mark.parametrize("role", list(HOME_TITLES))
async def test_each_role_lands_on_its_own_home_screen(floor_staff, settings, role):
    actor = floor_staff[role]
    badge = badge_of(actor)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Scan your badge" in screen_text(app)
        await sign_in(pilot, badge)
        text = screen_text(app)
        assert HOME_TITLES[role] in text
        assert actor.name in text and "bay-1" in text  # header: who and which terminal
        assert "Sign out" in text  # footer shows the sign-out key
        await pilot.press("f12")
        await settle(pilot)
        text = screen_text(app)
        assert "Scan your badge" in text and actor.name not in text
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions[-2:] == ["auth.sign_in", "auth.sign_out"]


async def test_unknown_badge_and_wrong_pin_get_the_same_message_in_place(floor_staff, settings):
    advisor = floor_staff["advisor"]
    badge = badge_of(advisor)
    nobody = "NOB" + badge[3:]  # as long as the advisor's badge, so the two screens can be compared
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        async def try_badge(typed: str) -> tuple[str, str]:
            """The screen asking for the PIN, and the screen after a wrong one."""
            await type_text(pilot, typed)
            await pilot.press("enter")
            await settle(pilot)
            asked = screen_text(app)
            await type_text(pilot, "9999")
            await pilot.press("enter")
            await settle(pilot)
            return asked, screen_text(app)

        await settle(pilot)
        asked_unknown, unknown = await try_badge(nobody)
        await pilot.press("escape")
        await settle(pilot)
        asked_known, known = await try_badge(badge)
    # Nothing on the screen tells a known badge from an unknown one: not the PIN prompt, not the answer.
    assert f"Badge {nobody}: type your PIN" in asked_unknown and advisor.name not in asked_known
    assert asked_known.replace(badge, nobody) == asked_unknown
    assert "Badge or PIN not accepted." in unknown and known.replace(badge, nobody) == unknown
    assert "Job-card board" not in known


async def test_five_wrong_pins_lock_the_badge_on_screen(floor_staff, settings):
    badge = badge_of(floor_staff["technician"])
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge, "0000")
        for _ in range(4):
            await type_text(pilot, "0000")
            await pilot.press("enter")
            await settle(pilot)
        assert "is now locked for 15 min" in screen_text(app)
        await sign_in(pilot, badge)  # the right PIN, too late
        assert "is locked after too many wrong PINs" in screen_text(app)
        assert "My jobs" not in screen_text(app)


async def test_idle_floor_terminal_signs_out_and_hides_the_previous_screen(floor_staff, settings):
    badge = badge_of(floor_staff["advisor"])
    app = kiosk_app(dataclasses.replace(settings, idle_signout_seconds=1))  # the idle check runs every 0.25 s
    async with app.run_test(size=SIZE) as pilot:
        # Signing in takes its time on a busy machine: the terminal goes idle only once the advisor is in. (The
        # App reads its idle time when it starts: changing app.settings afterwards changed nothing.)
        app.idle_seconds = 3600
        await settle(pilot)
        await sign_in(pilot, badge)
        assert "Job-card board" in screen_text(app)
        app.idle_seconds = 1
        await wait_until(pilot, lambda: app.actor is None, "the idle sign-out")  # about a second after the last key
        await settle(pilot)
        text = screen_text(app)
        assert "Signed out after being idle" in text and "Job-card board" not in text
        assert app.actor is None
    reasons = [e.detail for e in AuditEvent.select().where(AuditEvent.action == "auth.sign_out")]
    assert reasons and '"idle"' in reasons[-1]
