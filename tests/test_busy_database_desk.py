"""The advisor's screens while another terminal holds the database busy (issue 12, point 10): each says it is
waiting, keeps taking keys, and its write lands once, when the other terminal lets go."""

import asyncio
import datetime as dt

import pytest

from kiosk import complaints, delivery, jobs
from kiosk.screens.complaints import ComplaintsScreen
from kiosk.store.models import Complaint, Customer, CustomerNote, FollowUp, JobCard, Vehicle

from .desk import customer_with_vehicle, delivered_card, events, finish_work, approved_card
from .factories import make_vin
from .test_busy_database_floor import WAITING, another_terminal_writing, waits
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text, wait_until

pytestmark = pytest.mark.usefixtures("patient_database")

TOMORROW = dt.date.today() + dt.timedelta(days=1)


async def signed_in(pilot, advisor, job_id: int | None = None) -> None:
    """Signed in on the board, or on the job card typed there."""
    await settle(pilot)
    await sign_in(pilot, badge_of(advisor))
    if job_id is not None:
        await type_text(pilot, jobs.job_number(job_id))
        await pilot.press("enter")
        await settle(pilot)


async def test_a_new_customer_waits_and_the_vin_typed_meanwhile_lands_in_the_vehicle_dialog(floor_staff, settings):
    advisor = floor_staff["advisor"]
    vin = make_vin()
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot, advisor)
        await pilot.press("f2", "f2")  # reception, a new customer
        await settle(pilot)
        await type_text(pilot, "王小明")
        await pilot.press("tab")
        await type_text(pilot, "138 0013 8000")
        with another_terminal_writing(settings):
            await pilot.press("f10")
            await waits(pilot)
            assert "New customer" in screen_text(app)  # the dialog stays until the customer is on file
            await type_text(pilot, vin)  # the advisor goes on with the vehicle's VIN
            await asyncio.sleep(0.5)
            assert not Customer.select().exists()
        await settle(pilot)
        assert "New vehicle of 王小明" in screen_text(app)
        assert app.focused.id == "vehicle-vin" and app.focused.value == vin  # nothing lost, nothing elsewhere
        assert Customer.select().count() == 1 and len(events("customer.create")) == 1


async def test_a_new_job_card_waits_then_opens_with_every_value(floor_staff, settings):
    advisor = floor_staff["advisor"]
    customer_with_vehicle(advisor, plate="沪A12345", mileage=42000)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot, advisor)
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "沪A12345")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        await type_text(pilot, "42100")
        await pilot.press("enter")
        await type_text(pilot, f"{TOMORROW} 17:30")
        await pilot.press("enter")
        await type_text(pilot, "Brake noise")
        await settle(pilot)
        with another_terminal_writing(settings):
            await pilot.press("f10")
            await pilot.press("f10")  # pressed again while it waits: held, never a second card
            await waits(pilot)
            assert "New job card" in screen_text(app)
            await asyncio.sleep(0.5)
            assert not JobCard.select().exists()
        await settle(pilot)
        card = JobCard.get()
        assert (card.mileage_in, card.complaint, f"{card.promised_at:%Y-%m-%d %H:%M}") == (42100, "Brake noise",
                                                                                    f"{TOMORROW} 17:30")
        assert JobCard.select().count() == 1 and len(events("job.open")) == 1
        text = screen_text(app)
        assert jobs.job_number(card.id) in text and WAITING not in text


async def test_delivery_waits_pressed_twice_and_delivers_once(floor_staff, settings):
    advisor, tech, checker = floor_staff["advisor"], floor_staff["technician"], floor_staff["manager"]
    job_id, _lines = approved_card(advisor, tech)
    finish_work(tech, job_id)
    delivery.quality_check(checker, job_id, True, "Road test OK")
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot, advisor, job_id)
        assert "Ready to deliver (F8)" in screen_text(app)
        with another_terminal_writing(settings):
            await pilot.press("f8")
            await waits(pilot)
            await pilot.press("f8")  # again, impatient: ignored while the first one waits
            await pilot.press("down", "up")  # the screen still takes keys
            await asyncio.sleep(0.5)
            assert JobCard.get_by_id(job_id).status != "delivered"
        await settle(pilot)
        text = screen_text(app)
        assert "delivered and closed" in text and WAITING not in text and "cannot be delivered" not in text
        assert JobCard.get_by_id(job_id).status == "delivered" and len(events("job.deliver")) == 1
        assert FollowUp.select().count() == 1


async def test_a_dialog_on_the_card_waits_then_closes_with_its_message(floor_staff, settings):
    advisor, tech = floor_staff["advisor"], floor_staff["technician"]
    job_id, _lines = approved_card(advisor, tech)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot, advisor, job_id)
        await pilot.press("f11")  # edit: only the promised time once approved
        await settle(pilot)
        promised = app.focused
        assert promised.id == "edit-promised"
        promised.value = ""
        await type_text(pilot, f"{TOMORROW} 18:45")
        with another_terminal_writing(settings):
            await pilot.press("f10")
            await waits(pilot)
            assert "Edit RO" in screen_text(app)
            await asyncio.sleep(0.5)
            assert JobCard.get_by_id(job_id).promised_at is None
        await settle(pilot)
        assert "Promised time saved." in screen_text(app)
        assert f"{JobCard.get_by_id(job_id).promised_at:%Y-%m-%d %H:%M}" == f"{TOMORROW} 18:45"


async def test_complaints_start_waits_while_the_list_still_moves(floor_staff, settings):
    advisor = floor_staff["advisor"]
    customer_id, _vehicle = customer_with_vehicle(advisor)
    first = complaints.register_complaint(advisor, customer_id, "Waited two hours 等了两个小时")
    second = complaints.register_complaint(advisor, customer_id, "Car came back dirty 车没洗")
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot, advisor)
        app.push_screen(ComplaintsScreen())
        await settle(pilot)
        assert f"#{first} open" in screen_text(app)
        with another_terminal_writing(settings):
            await pilot.press("f4")
            await waits(pilot)
            await pilot.press("f4")  # pressed again: ignored while the first waits
            await pilot.press("down")  # the list still moves, the detail follows it (a read)
            await wait_until(pilot, lambda: f"#{second} open" in screen_text(app), "the detail to follow")
            await asyncio.sleep(0.5)
            assert Complaint.get_by_id(first).status == "open"
        await settle(pilot)
        assert f"Complaint #{first} is being worked on." in screen_text(app)
        assert [c.status for c in Complaint.select().order_by(Complaint.id)] == ["in_progress", "open"]
        assert len(events("complaint.manage")) == 1


async def test_a_new_complaint_waits_then_is_registered_once(floor_staff, settings):
    advisor = floor_staff["advisor"]
    customer_with_vehicle(advisor, name="王小明", phone="138 0013 8000")
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot, advisor)
        app.push_screen(ComplaintsScreen())
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "8000")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the one customer found
        await settle(pilot)
        await type_text(pilot, "Nobody called back")
        with another_terminal_writing(settings):
            await pilot.press("f10")
            await pilot.press("f10")
            await waits(pilot)
            await asyncio.sleep(0.5)
            assert not Complaint.select().exists()
        await settle(pilot)
        complaint = Complaint.get()
        assert complaint.text == "Nobody called back" and Complaint.select().count() == 1
        assert f"Complaint #{complaint.id} registered." in screen_text(app)


async def test_the_follow_up_call_and_a_note_wait_then_land(floor_staff, settings):
    advisor, tech, checker = floor_staff["advisor"], floor_staff["technician"], floor_staff["manager"]
    delivered_card(advisor, tech, checker)
    customer = Customer.get()
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot, advisor)
        await pilot.press("f3")  # the calls due
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        with another_terminal_writing(settings):
            await pilot.press("f10")  # satisfied
            await waits(pilot)
            await asyncio.sleep(0.5)
            assert FollowUp.get().outcome == ""
        await settle(pilot)
        assert "Customer satisfied" in screen_text(app)
        assert FollowUp.get().outcome == "satisfied"

        from kiosk.screens.advisor_lists import CustomerFileScreen

        app.push_screen(CustomerFileScreen(customer.id))
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        with another_terminal_writing(settings):
            await type_text(pilot, "Prefers WeChat 喜欢微信")
            await pilot.press("f10")
            await waits(pilot)
            await asyncio.sleep(0.5)
        await settle(pilot)
        assert "Note added to the customer's file." in screen_text(app)
        assert CustomerNote.select().where(CustomerNote.text == "Prefers WeChat 喜欢微信").count() == 1


async def test_a_refused_vehicle_asks_for_the_reason_after_the_wait(floor_staff, settings):
    """A refusal the dialog answers itself (a VIN without its check digit) comes back from the writer thread."""
    advisor = floor_staff["advisor"]
    customer_id, _vehicle = customer_with_vehicle(advisor)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot, advisor)
        from kiosk.screens.reception import NewVehicleDialog

        app.push_screen(NewVehicleDialog(customer_id, "王小明"))
        await settle(pilot)
        await type_text(pilot, "WVWZZZ1JZXW000001")
        with another_terminal_writing(settings):
            await pilot.press("f10")  # refused before it needs the lock: answered at once, the reason asked for
            await wait_until(pilot, lambda: "Type the reason" in screen_text(app), "the refusal")
            assert app.focused.id == "vehicle-reason"
            await type_text(pilot, "European VIN")
            await pilot.press("enter")
            await waits(pilot)
            await asyncio.sleep(0.5)
            assert Vehicle.select().count() == 1
        await settle(pilot)
        assert Vehicle.get(Vehicle.vin == "WVWZZZ1JZXW000001").vin_override_reason == "European VIN"
        assert "New vehicle" not in screen_text(app)  # put on file: the dialog closed
