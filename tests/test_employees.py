"""Badge numbers and scan codes: a badge a scanner would read as a job card, part, tag, shelf label or VIN is not
made; a real badge that is already exactly a part's or tag's number still signs in (issue 13)."""

import pytest

from kiosk import auth, employees
from kiosk.errors import InvalidInput, SignInRefused
from kiosk.store.models import AuditEvent, Employee

from .conftest import DEMO_PIN, add_employee
from .factories import make_job_card, make_part, make_tag
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text

VIN = "LSVAU033512345678"


def test_a_badge_a_scanner_would_read_as_something_else_is_not_made(staff):
    manager = staff["manager"]
    job = make_job_card(staff["technician"].employee_id, payers=("warranty",))
    make_part("VW000555", "Oil filter 机油滤清器")
    tag = make_tag(job, staff["technician"].employee_id)
    events = AuditEvent.select().count()
    for badge, kind in (("vw000555", "part"), (tag.tag_number, "warranty tag"), ("RO000123", "job card"),
                        ("LOC-A3", "shelf label"), (VIN, "VIN"), ("W0009999", "warranty tag")):
        with pytest.raises(InvalidInput) as refused:
            employees.add_employee(manager, badge, "Li Qiang 李强", "technician", "1234")
        assert refused.value.message == (f"Badge {badge.upper()} would be read as a {kind} when scanned: "
                                         "choose another badge number.")
    assert not Employee.select().where(Employee.name == "Li Qiang 李强").exists()
    assert AuditEvent.select().count() == events  # nothing written
    # The shop's own tag prefix: its tag shape is refused, another letter with seven digits is a badge.
    with pytest.raises(InvalidInput):
        employees.add_employee(manager, "T0001234", "Li Qiang 李强", "technician", "1234", tag_prefix="T")
    made = employees.add_employee(manager, "T0001234", "Li Qiang 李强", "technician", "1234")
    assert made.badge == "T0001234"


def test_a_real_badge_that_is_exactly_a_part_number_still_goes_on_to_its_pin(staff):
    make_part("VW000777", "Spark plug 火花塞")
    add_employee("technician", name="Old badge 旧工牌", badge="VW000777")  # made before the rule, or the part after
    assert auth.badge_scanned("vw000777") == "VW000777"
    actor = auth.sign_in("VW000777", DEMO_PIN, terminal="bay-1")
    assert actor.name == "Old badge 旧工牌"
    # A part number that is nobody's badge is still a scan for a screen that has gone.
    make_part("VW000778", "Spark plug 火花塞")
    with pytest.raises(SignInRefused) as refused:
        auth.badge_scanned("VW000778")
    assert refused.value.message == "Signed out: scan your badge first (VW000778 is a part)."
    # An inactive employee's badge is no one's at the badge step: the same refusal as for any part number.
    gone = add_employee("technician", badge="VW000779")
    make_part("VW000779", "Spark plug 火花塞")
    Employee.update(active=False).where(Employee.id == gone.employee_id).execute()
    with pytest.raises(SignInRefused, match="scan your badge first"):
        auth.badge_scanned("VW000779")
    # Any other unknown badge goes on to the PIN, and is refused there as a wrong PIN is.
    assert auth.badge_scanned("NOBODY-1") == "NOBODY-1"
    with pytest.raises(SignInRefused, match="Badge or PIN not accepted"):
        auth.sign_in("NOBODY-1", DEMO_PIN, terminal="bay-1")


async def test_at_the_sign_in_screen_a_badge_numbered_like_a_part_signs_in(floor_staff, settings):
    make_part("VW000777", "Spark plug 火花塞")
    add_employee("technician", name="Zhou Min 周敏", badge="VW000777")
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "VW000777")
        text = screen_text(app)
        assert "My jobs" in text and "scan your badge first" not in text


async def test_the_staff_screen_refuses_a_badge_numbered_like_a_part(floor_staff, settings):
    make_part("VW000555", "Oil filter 机油滤清器")
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["manager"]))
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "VW000555")
        await pilot.press("enter")
        await type_text(pilot, "Li Qiang")
        await pilot.press("f10")
        await settle(pilot)
        text = " ".join(screen_text(app).replace("│", " ").split())
        assert "Badge VW000555 would be read as a part when scanned" in text
        assert "Register an employee" in text  # the dialog stays open for another number
    assert not Employee.select().where(Employee.badge == "VW000555").exists()
