"""A service advisor's day at 80x24, pressing the keys they would press: reception, the quote and the
customer's approval, quality check, delivery, the follow-up call; and what bad input gets on the way."""

import datetime as dt
from contextlib import asynccontextmanager

import pytest

from kiosk import clocking, followups, jobs, parts, warranty
from kiosk.store.models import (Approval, AuditEvent, Complaint, Customer, CustomerNote, EstimateLine, FollowUp,
                                JobCard, JobLine, QualityCheck, Vehicle)

from .desk import approved_card, customer_with_vehicle, delivered_card, finish_work, open_card
from .factories import make_part, make_vin
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text


async def enter_text(pilot, text: str) -> None:
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


@asynccontextmanager
async def advisor_at_desk(settings, advisor, job_id: int | None = None):
    """The kiosk at 80x24 with the advisor signed in: on the board, or on the job card typed there."""
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(advisor))
        if job_id is not None:
            await enter_text(pilot, jobs.job_number(job_id))
        yield app, pilot


def footer_fits(app) -> bool:
    return all(len(line.rstrip()) <= 80 for line in screen_text(app).splitlines())


async def test_reception_to_delivery_to_follow_up(floor_staff, settings):
    advisor, tech = floor_staff["advisor"], floor_staff["technician"]
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=4)
    customer_id, vehicle_id = customer_with_vehicle(advisor, name="王小明", plate="沪A12345", mileage=42000)
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        text = screen_text(app)
        assert "Job-card board" in text and "Calls due 0" in text and "f2 Reception f3 Calls" in text
        assert "f12 Sign out" in text

        await press(pilot, "f2")  # reception: search by plate, with a separator and lower case
        assert "Reception" in screen_text(app)
        await enter_text(pilot, "沪a·123")
        text = screen_text(app)
        assert "Found by plate" in text and "王小明" in text and "沪A12345" in text
        assert app.focused.id == "find" and "tab Results" in text  # the cursor stays in the search

        await press(pilot, "down")  # into the results, which say what Enter does
        assert "Enter opens a job card" in screen_text(app) and "shift+tab Search" in screen_text(app)
        await press(pilot, "enter")  # the vehicle: a new job card
        assert "last recorded 42,000 km" in screen_text(app)
        await enter_text(pilot, "41000")  # mileage below last time
        await enter_text(pilot, "")  # no promised time
        await type_text(pilot, "刹车时有异响 noise when braking")
        await press(pilot, "f10")
        text = screen_text(app)
        assert "below the 42,000 recorded last time" in text
        assert JobCard.select().count() == 0  # nothing written

        await enter_text(pilot, "Odometer replaced 仪表更换")  # the reason field, then Enter opens the card
        text = screen_text(app)
        job = JobCard.get()
        assert job.status == "draft" and job.mileage_in == 41000 and job.mileage_override_reason.startswith("Odo")
        assert jobs.job_number(job.id) in text and "a draft" in text and "刹车时有异响" in text
        assert footer_fits(app)

        await press(pilot, "f5")  # the technician for line 1, by badge
        await enter_text(pilot, badge_of(tech))
        assert JobLine.get().technician_id == tech.employee_id

        await press(pilot, "f3")  # estimate: a part on line 1
        await enter_text(pilot, "VW000123")
        await enter_text(pilot, "2")
        assert "Part estimate added" in screen_text(app)
        assert EstimateLine.select().count() == 1

        await press(pilot, "f4")  # the customer's approval, in person
        await press(pilot, "f10")
        text = screen_text(app)
        assert "approval is recorded" in text and "approved" in JobCard.get().status
        approval = Approval.get()
        assert (approval.customer_name, approval.how, approval.recorded_by_id) == ("王小明", "in_person",
                                                                                   advisor.employee_id)

        finish_work(tech, job.id)  # on the floor
        await press(pilot, "escape")
        await press(pilot, "f9")
        await enter_text(pilot, jobs.job_number(job.id))  # typed on the board
        text = screen_text(app)
        assert "work done" in text and "Before delivery: The quality check has not passed yet." in text

        await press(pilot, "f8")  # deliver is not offered before the check: nothing happens
        assert JobCard.get().status == "work_done"
        await press(pilot, "f7")  # quality check by the advisor, who did not work on it
        await type_text(pilot, "Road test OK 路试正常")
        await press(pilot, "f10")
        assert "Ready to deliver" in screen_text(app)
        assert QualityCheck.get().checked_by_id == advisor.employee_id

        await press(pilot, "f8")
        text = screen_text(app)
        assert "delivered and closed" in text
        assert JobCard.get().status == "delivered"
        followup = FollowUp.get()
        assert followup.due_at - JobCard.get().closed_at == dt.timedelta(days=2)

        await press(pilot, "escape")  # the follow-up queue: the call is due
        await press(pilot, "f3")
        assert jobs.job_number(job.id) in screen_text(app)
        await press(pilot, "enter")
        await press(pilot, "enter", "down", "enter")  # outcome: a problem
        await press(pilot, "tab")
        await type_text(pilot, "Noise is back 又有异响")
        await press(pilot, "f10")
        text = screen_text(app)
        rework = JobCard.get(JobCard.rework_of == job.id)
        assert f"Rework booked as draft {jobs.job_number(rework.id)}" in text
        assert FollowUp.get().outcome == "problem"
        assert CustomerNote.get(CustomerNote.customer == customer_id).kind == "followup"
    events = {e.action for e in AuditEvent.select()}
    assert {"job.open", "job.assign", "job.estimate", "job.approve", "job.quality_check", "job.deliver",
            "followup.record"} <= events


async def test_a_new_customer_and_vehicle_at_reception_and_a_second_open_card_warning(floor_staff, settings):
    advisor = floor_staff["advisor"]
    vin = make_vin()
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        await press(pilot, "f2")
        assert "Nobody found" not in screen_text(app)  # not before a search
        await enter_text(pilot, "李雷")
        assert "Nobody found" in screen_text(app)

        await press(pilot, "f2")  # new customer: a bad phone first
        await enter_text(pilot, "李雷")
        await enter_text(pilot, "call me")
        assert "Phone" in screen_text(app) and Customer.select().count() == 0
        await pilot.press(*["backspace"] * 7)
        await enter_text(pilot, "139 1234 5678")
        assert Customer.get().name == "李雷"
        assert "New vehicle of 李雷" in screen_text(app)

        await enter_text(pilot, vin[:-1] + "I")  # a VIN with an I in it
        await pilot.press("enter", "enter", "enter", "enter")
        await settle(pilot)
        assert "I, O and Q" in screen_text(app) or "VIN" in screen_text(app)
        assert Vehicle.select().count() == 0

        vehicle_input = app.screen.query_one("#vehicle-vin")
        vehicle_input.value = vin
        app.screen.query_one("#vehicle-plate").value = "京B 54321"
        app.screen.query_one("#vehicle-mileage").value = "12,000"
        await press(pilot, "f10")
        assert Vehicle.get().vin == vin and "last recorded 12,000 km" in screen_text(app)

        await enter_text(pilot, "12500")
        await enter_text(pilot, "")
        await type_text(pilot, "Service 保养")
        await press(pilot, "f10")
        first = JobCard.get()
        await press(pilot, "escape")  # back to the board from the card

        await press(pilot, "f2")
        await enter_text(pilot, vin[-6:])  # the end of the VIN
        assert "京B 54321" in screen_text(app) or "京B54321" in screen_text(app)
        await press(pilot, "tab", "enter")
        assert f"already has an open job card: {jobs.job_number(first.id)}" in screen_text(app)
        await enter_text(pilot, "12600")
        await enter_text(pilot, "")
        await type_text(pilot, "Wipers")
        await press(pilot, "f10")
        assert "F10 again opens it" in screen_text(app) and JobCard.select().count() == 1
        await press(pilot, "f10")
        assert JobCard.select().count() == 2


async def test_a_draft_left_behind_is_reopened_and_finished(floor_staff, settings):
    advisor = floor_staff["advisor"]
    job_id = open_card(advisor, payers=())  # a session that dropped after opening the card
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        await press(pilot, "f2", "f4")  # reception, its drafts
        assert jobs.job_number(job_id) in screen_text(app)
        await press(pilot, "enter")
        assert "This card has no lines" not in screen_text(app)
        await press(pilot, "f4", "f10")  # approval refused: no line yet
        assert "Add at least one line" in screen_text(app)
        await press(pilot, "escape")
        await press(pilot, "f2")
        await type_text(pilot, "Brake noise 刹车异响")
        await press(pilot, "f10")
        assert JobLine.get().complaint == "Brake noise 刹车异响"
        await press(pilot, "f4", "f10")
        assert JobCard.get_by_id(job_id).status == "approved"


async def test_bad_input_on_the_card_shows_in_place_and_writes_nothing(floor_staff, settings):
    advisor = floor_staff["advisor"]
    job_id = open_card(advisor)
    before = AuditEvent.select().count()
    async with advisor_at_desk(settings, advisor, job_id) as (app, pilot):
        after_sign_in = AuditEvent.select().count()
        for badge, said in [("NOBODY", "Nobody has badge NOBODY"), ("王", "not a badge"),
                            (badge_of(advisor), "not a technician")]:
            await press(pilot, "f5")
            await enter_text(pilot, badge)
            assert said in screen_text(app), badge
            await press(pilot, "escape")
        await press(pilot, "f3")
        await enter_text(pilot, "NOPART")
        await enter_text(pilot, "1")
        assert "Unknown part number NOPART" in screen_text(app)
        await press(pilot, "escape", "f3", "tab", "tab")
        await enter_text(pilot, "1.5\x07")
        await type_text(pilot, "-3")
        await press(pilot, "f10")
        assert "Labour rate" in screen_text(app)
        await press(pilot, "escape", "f11")
        app.screen.query_one("#edit-promised").value = "yesterday"
        await press(pilot, "f10")
        assert "Promised time must be a time like 17:30" in screen_text(app)
        app.screen.query_one("#edit-promised").value = ""
        app.screen.query_one("#edit-complaint").text = "x" * 5000
        await press(pilot, "f10")
        assert "Complaint" in screen_text(app) and "2000" in screen_text(app)
        assert AuditEvent.select().count() == after_sign_in
        assert JobCard.get_by_id(job_id).complaint.startswith("刹车时有异响")
        await press(pilot, "escape", "f7", "f8", "f10")  # not offered on a draft: nothing happens
        assert JobCard.get_by_id(job_id).status == "draft"
    assert before <= AuditEvent.select().count()
    assert not any(e.action.startswith("job.") for e in AuditEvent.select().where(AuditEvent.id > after_sign_in))


async def test_a_delivered_card_is_read_only_and_takes_a_correction_note(floor_staff, settings):
    advisor, tech, manager = floor_staff["advisor"], floor_staff["technician"], floor_staff["manager"]
    job_id, _ = delivered_card(advisor, tech, manager)
    async with advisor_at_desk(settings, advisor, job_id) as (app, pilot):
        text = screen_text(app)
        assert "delivered and closed" in text and "read-only" in text
        await press(pilot, "f2", "f5", "f11")  # none offered: nothing opens
        assert "read-only" in screen_text(app)
        await press(pilot, "f10")
        await type_text(pilot, "Mileage out was 41,210 里程更正")
        await press(pilot, "f10")
        assert "Correction note added" in screen_text(app)
        assert "1 so far" in screen_text(app)


@pytest.mark.parametrize("outcome_keys, outcome, note", [
    ((), "satisfied", ""),
    (("down", "down"), "complaint", "Waited too long 等太久"),
    (("down", "down", "down"), "no_answer", ""),
])
async def test_each_follow_up_outcome_from_the_queue(floor_staff, settings, outcome_keys, outcome, note):
    advisor, tech, manager = floor_staff["advisor"], floor_staff["technician"], floor_staff["manager"]
    job_id, followup_id = delivered_card(advisor, tech, manager)
    FollowUp.update(due_at=dt.datetime.now() - dt.timedelta(hours=1)).execute()
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        assert "Calls due 1 (1 overdue)" in screen_text(app)
        await press(pilot, "f3")
        assert "OVERDUE" in screen_text(app)
        await press(pilot, "enter", "enter", *outcome_keys, "enter", "tab")
        await type_text(pilot, note)
        await press(pilot, "f10")
        followup = FollowUp.get_by_id(followup_id)
        if outcome == "no_answer":
            assert followup.status == "open" and followup.attempts == 1
            assert "stays in the queue" in screen_text(app)
        else:
            assert (followup.status, followup.outcome) == ("done", outcome)
        if outcome == "complaint":
            complaint = Complaint.get()
            assert complaint.text == note and complaint.owner_id == advisor.employee_id
            await press(pilot, "escape")
            assert "Waited too long" in screen_text(app) and "open complaints 1" in screen_text(app)


async def test_further_work_waits_for_the_customer_who_may_decline_it(floor_staff, settings):
    advisor, tech = floor_staff["advisor"], floor_staff["technician"]
    job_id, _ = approved_card(advisor, tech)
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        assert "further work to approve 0" in screen_text(app)
        await enter_text(pilot, jobs.job_number(job_id))
        assert footer_fits(app) and "f12 Sign out" in screen_text(app)
        await press(pilot, "f2")
        assert "further work, it waits" in screen_text(app)
        await enter_text(pilot, "Wiper blades worn 雨刮片老化")
        await pilot.press("tab")  # past the payer: the customer pays
        await enter_text(pilot, "")
        await enter_text(pilot, "")
        line = JobLine.get(JobLine.position == 2)
        assert line.further_work and line.approval_id is None
        await press(pilot, "down", "f4")
        assert "F6 declines line 2" in screen_text(app)
        await press(pilot, "f6")
        assert "Reason is required" in screen_text(app)
        assert JobLine.get_by_id(line.id).status == "open"
        await pilot.press("tab", "tab")
        await type_text(pilot, "Not today 下次再换")
        await press(pilot, "f6")
        assert "Line 2 declined" in screen_text(app)
        assert JobLine.get_by_id(line.id).status == "declined"


async def test_the_customer_file_shows_jobs_outcomes_and_complaints_and_takes_a_note(floor_staff, settings):
    advisor, tech, manager = floor_staff["advisor"], floor_staff["technician"], floor_staff["manager"]
    job_id, followup_id = delivered_card(advisor, tech, manager)
    followups.record_followup(advisor, followup_id, "complaint", "Car was dirty 车没洗")
    notes = CustomerNote.select().count()
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        await press(pilot, "f2")
        await enter_text(pilot, "138 0013")  # by phone
        await press(pilot, "f5")
        text = screen_text(app)
        assert "Customer file: 王小明" in text and jobs.job_number(job_id) in text
        assert "followup" in text and "complaint open" in text and "Car was dirty" in text
        await press(pilot, "f2")
        await press(pilot, "f10")  # an empty note is refused in place
        assert "Note" in screen_text(app) and CustomerNote.select().count() == notes
        await type_text(pilot, "Prefers WeChat 微信联系")
        await press(pilot, "f10")
        assert "Prefers WeChat" in screen_text(app)
        assert CustomerNote.select().count() == notes + 1
        await press(pilot, "enter")  # the job card from the file
        assert "delivered and closed" in screen_text(app)


async def test_f9_prints_the_job_card_or_says_where_its_pdf_is(floor_staff, settings, tmp_path):
    advisor = floor_staff["advisor"]
    job_id = open_card(advisor)
    async with advisor_at_desk(settings, advisor, job_id) as (app, pilot):
        await press(pilot, "f9")  # this shop has a label printer only: the PDF is kept
        text = screen_text(app)
        assert "No document printer is set up" in text
    pdf = tmp_path / "xdg-data" / "kiosk" / "job-cards" / f"{jobs.job_number(job_id)}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert AuditEvent.get(AuditEvent.action == "job.print").subject_id == job_id


async def test_a_running_clock_and_an_untagged_warranty_part_keep_the_car_from_delivery(floor_staff, settings):
    advisor, tech = floor_staff["advisor"], floor_staff["technician"]
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=4)
    job_id, (line_id,) = approved_card(advisor, tech, payers=("warranty",))
    clocking.clock_on(tech, line_id)
    removed = parts.record_removed_part(tech, line_id, "VW000123", 1, True)
    async with advisor_at_desk(settings, advisor, job_id) as (app, pilot):
        text = screen_text(app)
        assert "Before delivery:" in text and "clock is still running on line 1" in text and " 2. " in text
        assert "Deliver" not in text  # F8 is not offered
        await press(pilot, "f8")
        assert JobCard.get_by_id(job_id).status == "in_progress"

        clocking.clock_off(tech)  # on the floor; the advisor looks again
        await press(pilot, "escape")
        await enter_text(pilot, jobs.job_number(job_id))
        assert "Warranty part(s) not tagged yet: VW000123" in screen_text(app)

        warranty.tag_part(tech, removed, settings)
        finish_work(tech, job_id)
        await press(pilot, "escape")
        await enter_text(pilot, jobs.job_number(job_id))
        assert "Before delivery: The quality check has not passed yet." in screen_text(app)
        await press(pilot, "f7")
        await type_text(pilot, "Road test OK")
        await press(pilot, "f10")
        await press(pilot, "f8")
        assert "delivered and closed" in screen_text(app)
    assert JobCard.get_by_id(job_id).status == "delivered" and FollowUp.select().count() == 1


async def test_the_customer_declines_a_line_of_the_quote_and_approves_the_rest(floor_staff, settings):
    advisor, tech = floor_staff["advisor"], floor_staff["technician"]
    job_id = open_card(advisor, tech.employee_id, payers=("customer", "customer"))
    async with advisor_at_desk(settings, advisor, job_id) as (app, pilot):
        assert "yes" not in screen_text(app)  # nothing is approved before the customer says so
        await press(pilot, "down", "f4")
        assert "F6 declines line 2" in screen_text(app)
        await pilot.press("tab", "tab")
        await type_text(pilot, "Too dear 太贵了")
        await press(pilot, "f6")
        assert "Line 2 declined" in screen_text(app)
        await press(pilot, "up", "f4")
        await press(pilot, "f10")
        assert "approval is recorded" in screen_text(app)
    first, second = (JobLine.get((JobLine.job == job_id) & (JobLine.position == n)) for n in (1, 2))
    assert (first.status, second.status, JobCard.get_by_id(job_id).status) == ("open", "declined", "approved")


async def test_labour_is_priced_at_the_shops_rate_unless_the_advisor_types_another(floor_staff, settings):
    from dataclasses import replace

    advisor, tech = floor_staff["advisor"], floor_staff["technician"]
    job_id = open_card(advisor, tech.employee_id)
    async with advisor_at_desk(replace(settings, labour_rate="380"), advisor, job_id) as (app, pilot):
        await press(pilot, "f3", "tab", "tab")
        await enter_text(pilot, "1.5")
        await enter_text(pilot, "")  # the shop's rate, as offered
        await enter_text(pilot, "Diagnose rattle 诊断异响")
        assert "Labour estimate added" in screen_text(app)
    estimate = EstimateLine.get()
    assert (estimate.quantity, estimate.unit_price, estimate.amount) == (1.5, 380, 570)


async def test_a_card_opened_by_mistake_is_cancelled_from_its_edit_dialog(floor_staff, settings):
    advisor, tech = floor_staff["advisor"], floor_staff["technician"]
    job_id = open_card(advisor, tech.employee_id)
    async with advisor_at_desk(settings, advisor) as (app, pilot):
        assert jobs.job_number(job_id) in screen_text(app)  # on the board
        await enter_text(pilot, jobs.job_number(job_id))
        await press(pilot, "f11")
        assert "f6 Cancel job card" in screen_text(app) and footer_fits(app)
        await press(pilot, "f6")
        await press(pilot, "enter")  # no reason
        assert "Reason is required" in screen_text(app)
        assert JobCard.get_by_id(job_id).status == "draft"
        await enter_text(pilot, "Opened twice by mistake 重复开单")
        text = screen_text(app)
        assert "cancelled; it stays on file" in text and "Cancelled: Opened twice by mistake" in text
        assert "f10 Note" in text and "f2 Line" not in text and "f11 Edit" not in text and "f9 Print" not in text
        assert "yes" not in text  # the customer never agreed to its line
        await press(pilot, "escape")
        assert jobs.job_number(job_id) not in screen_text(app)  # off the board
    assert JobCard.get_by_id(job_id).status == "cancelled"
