"""Issue 13 at the floor and the desk, typed as people type: empty saves, scans after an idle sign-out,
cursors that stay, unlocks, 80 columns, lists that stay true, estimates, unknown parts, exports."""

from kiosk import complaints, reception
from kiosk.jobs import job_number
from kiosk.screens.paged import MARKER
from kiosk.store.models import AuditEvent, JobLine

from .desk import customer_with_vehicle, line_ids, open_card
from .factories import make_job_card, make_part, make_tag
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text


async def scan(pilot, code: str) -> None:
    await type_text(pilot, code)
    await pilot.press("enter")
    await settle(pilot)


async def test_three_cs_saved_with_nothing_new_says_nothing_changed(floor_staff, settings):
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        await scan(pilot, f"RO{job.id:06d}")
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("f10")  # nothing typed
        await settle(pilot)
        text = screen_text(app)
        assert "Nothing changed" in text and "saved" not in text
        assert "Cause (what was wrong)" in text  # the dialog stays open
    assert not AuditEvent.select().where(AuditEvent.action == "job.record_three_cs").exists()
    line = job.lines.first()
    assert (JobLine.get_by_id(line.id).cause, JobLine.get_by_id(line.id).correction) == ("", "")


async def test_a_scan_after_an_idle_sign_out_asks_for_the_badge_first(floor_staff, settings):
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("warranty",))
    make_part("VW000034", "Brake disc 刹车盘", on_hand=3)
    tag = make_tag(job, tech.employee_id)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        app.sign_out("idle")
        await settle(pilot)
        for code, what in (("VW000034", "a part"), (f"RO{job.id:06d}", "a job card"),
                           (tag.tag_number, "a warranty tag"), ("NOBODY-77", None)):
            await scan(pilot, code)
            text = " ".join(screen_text(app).replace("│", " ").split())  # the message wraps in the sign-in box
            if what:
                assert f"Signed out: scan your badge first ({code} is {what})" in text
            else:  # what may be a badge goes on to the PIN (whether it is anyone's is answered only there)
                assert "Badge NOBODY-77: type your PIN" in text
        await pilot.press("escape")
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))  # the badge field still takes the badge
        assert "My jobs" in screen_text(app)


def marked_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip("│ ").startswith(MARKER)]


def marked_line(text: str) -> str:
    """The table row that carries the cursor's marker (visible without colour)."""
    rows = marked_rows(text)
    assert len(rows) == 1, text
    return rows[0]


async def test_after_an_action_the_cursor_stays_on_the_complaint_acted_on(floor_staff, settings):
    advisor = floor_staff["advisor"]
    customer_id, _ = customer_with_vehicle(advisor)
    numbers = [complaints.register_complaint(advisor, customer_id, f"Complaint number {n}") for n in (1, 2, 3)]
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(advisor))
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert f"#{numbers[1]}" in marked_line(screen_text(app))
        await pilot.press("f4")  # start the second complaint
        await settle(pilot)
        text = screen_text(app)
        assert f"Complaint #{numbers[1]} is being worked on." in text
        assert f"#{numbers[1]}" in marked_line(text) and "in work" in marked_line(text)
        assert f"#{numbers[1]} in work" in text  # the detail pane shows the same complaint
        await pilot.press("down", "up")
        await settle(pilot)
        await pilot.press("f5")  # resolve the highlighted one: still #2
        await settle(pilot)
        assert f"Resolve complaint #{numbers[1]}" in screen_text(app)


async def test_the_manager_sees_a_lock_as_it_happens_and_unlocks_only_locked_badges(floor_staff, settings,
                                                                                     monkeypatch):
    from kiosk import auth
    from kiosk.screens.staff import StaffScreen

    monkeypatch.setattr(StaffScreen, "LIST_REFRESH_SECONDS", 0.5)
    tech_badge = badge_of(floor_staff["technician"])
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["manager"]))
        refused = f"Badge {tech_badge} is not locked: there is nothing to unlock."
        for _ in range(100):  # down to the technician's row, and F3 (the list is read again every half second)
            rows = marked_rows(screen_text(app))
            if rows and tech_badge in rows[0]:
                await pilot.press("f3")
                await settle(pilot)
                if refused in screen_text(app):
                    break
            elif rows:
                await pilot.press("down")
            await settle(pilot)
        assert refused in screen_text(app)
        assert "LOCKED" not in screen_text(app)
        for _ in range(5):  # someone at the floor terminal gets the PIN wrong five times
            try:
                auth.sign_in(tech_badge, "0000", terminal="bay-2")
            except Exception:  # noqa: BLE001 - wrong PINs are refused, as they should be
                pass
        await pilot.pause(1.0)
        await settle(pilot)
        for _ in range(50):  # shown without a key, the cursor still on the row
            rows = marked_rows(screen_text(app))
            if rows and "LOCKED" in rows[0] and tech_badge in rows[0]:
                break
            await pilot.pause(0.1)
        else:
            raise AssertionError(screen_text(app))
        await pilot.press("f3")
        await settle(pilot)
        text = screen_text(app)
        assert f"Badge {tech_badge} unlocked." in text and "LOCKED" not in text


async def test_a_part_scanned_in_leaves_the_end_of_day_list_at_once(floor_staff, settings):
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("warranty",))
    numbers = [make_tag(job, tech.employee_id).tag_number for _ in range(2)]
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["parts_clerk"]))
        await scan(pilot, numbers[0])
        shown = screen_text(app).split("end of day")[-1]
        assert numbers[0] not in shown and numbers[1] in shown  # no F9 needed


def box_after(text: str, label: str) -> str:
    """The first line of the box drawn under a label (its top border)."""
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if label in line)
    return lines[index + 1]


async def test_the_complaint_dialog_shows_which_field_has_focus_without_colour(floor_staff, settings):
    advisor = floor_staff["advisor"]
    customer_with_vehicle(advisor, name="Yang Yang")
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(advisor))
        await pilot.press("f4", "f2")
        await settle(pilot)
        await type_text(pilot, "Yang")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # pick the customer: the text box has focus
        await settle(pilot)
        text = screen_text(app)
        assert "╔" in box_after(text, "in the customer's words") and text.count("╔") == 1
        await type_text(pilot, "Rude on the phone")
        await pilot.press("tab")  # on to the owner's badge
        await settle(pilot)
        text = screen_text(app)
        assert "╭" in box_after(text, "in the customer's words") and text.count("╔") == 1
        assert "Rude on the phone" in text


async def test_an_unknown_part_scanned_at_the_job_card_opens_the_search_saying_so(floor_staff, settings):
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("customer",))
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=4)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        await scan(pilot, f"RO{job.id:06d}")
        await scan(pilot, "vw99999")
        text = screen_text(app)
        assert "Find a part" in text and "No part VW99999" in text
        await pilot.press(*["backspace"] * 7)
        await type_text(pilot, "brake")
        await settle(pilot)
        text = screen_text(app)
        assert "VW000123" in text and "No part VW99999" not in text


def fits_80(text: str) -> bool:
    return all(len(line.rstrip()) <= 80 for line in text.splitlines())


async def test_at_80_columns_the_complaint_shows_and_late_cards_say_late(floor_staff, settings):
    import datetime as dt

    from kiosk import quotes
    from kiosk.store.models import JobCard, now

    advisor, tech = floor_staff["advisor"], floor_staff["technician"]
    job_id = open_card(advisor, tech.employee_id)
    reception.update_line(advisor, line_ids(job_id)[0], complaint="brakes squeak when cold in the morning")
    reception.update_job(advisor, job_id, complaint="brakes squeak when cold in the morning")
    quotes.record_approval(advisor, job_id, "in_person", "王小明")
    JobCard.update(promised_at=now() - dt.timedelta(hours=2)).where(JobCard.id == job_id).execute()
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(advisor))
        text = screen_text(app)
        row = next(line for line in text.splitlines() if job_number(job_id) in line)
        assert "brakes squeak when" in row and "LATE" in row and fits_80(text)
        await scan(pilot, job_number(job_id))  # the advisor's card
        text = screen_text(app)
        vehicle = next(line for line in text.splitlines() if "VIN" in line)
        assert "km" in vehicle and "LATE" in vehicle  # one line: the vehicle does not wrap
        assert "Complaint: brakes squeak when cold in the morning" in text
        assert "Line 1: brakes squeak when cold in the morning" in text and fits_80(text)
        await pilot.press("f12")
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        text = screen_text(app)
        row = next(line for line in text.splitlines() if job_number(job_id) in line)
        assert "brakes squeak when" in row and "LATE" in row and fits_80(text)


async def test_estimates_show_per_line_and_warn_when_missing_or_never_issued(floor_staff, settings):
    from kiosk import quotes

    advisor, tech = floor_staff["advisor"], floor_staff["technician"]
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=4)
    job_id = open_card(advisor, tech.employee_id, payers=("customer", "customer"))
    first, second = line_ids(job_id)
    quotes.add_part_estimate(advisor, first, "VW000123", 2)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(advisor))
        await scan(pilot, job_number(job_id))
        assert "Estimate: 2× VW000123 240.00 (pending)" in screen_text(app)
        await pilot.press("down")
        await settle(pilot)
        assert "Estimate: none (F3 adds one)" in screen_text(app)
        await pilot.press("f4")
        await settle(pilot)
        assert "No estimate on line 2" in " ".join(screen_text(app).split())
        await pilot.press("f10")  # the advisor goes ahead: the customer approved
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        await scan(pilot, job_number(job_id))
        assert "estimate: 2× VW000123" in screen_text(app)
        await pilot.press("f5")
        await settle(pilot)
        await type_text(pilot, "Pads worn")
        await pilot.press("tab")
        await type_text(pilot, "Replaced pads")
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "Line 1 done. Estimated but never issued: VW000123 (2 of 2); tell the advisor." in text
