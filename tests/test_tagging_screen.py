"""From a warranty line to a tagged part and a printed label, with an advisor's override, at 80x24."""

import zxingcpp
from PIL import Image

from kiosk.store.models import AuditEvent, PrintJob, WarrantyTag

from .factories import make_job_card, make_part
from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in, type_text, wait_until


async def test_a_wear_part_is_tagged_with_an_advisors_override_and_its_label_prints(floor_staff, settings, tmp_path):
    tech, advisor = floor_staff["technician"], floor_staff["advisor"]
    make_job_card(tech.employee_id, payers=("warranty",))
    make_part("VW000777", "Front brake pad set 前刹车片", wear_part=True)
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        await pilot.press("enter")  # open the job
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert "Record the old part first" in screen_text(app)

        await pilot.press("f6")  # the old part that came off
        await settle(pilot)
        await type_text(pilot, "VW000777")
        await pilot.press("enter", "tab", "space", "shift+tab", "enter")  # causal, quantity 1
        await settle(pilot)
        assert "Old parts: 1× VW000777 CAUSAL (NOT TAGGED)" in screen_text(app)

        await pilot.press("f9")
        await settle(pilot)
        text = screen_text(app)
        assert "is a wear part" in text and "Advisor's override" in text
        await pilot.press("f10")  # no signature yet
        await settle(pilot)
        assert "Scan your badge or type its number" in screen_text(app)
        text = screen_text(app)  # the whole form fits 80x24: the override's fields are on screen
        assert "Advisor badge" in text and "Why the manufacturer should pay" in text
        await type_text(pilot, badge_of(advisor))  # the refusal put the cursor in the badge field
        await pilot.press("enter")
        await type_text(pilot, "1234")
        await pilot.press("enter")
        await type_text(pilot, "Pads cracked at 3000 km, material defect")
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Tagged W" in text and "(tagged)" in text
        assert app.actor.employee_id == tech.employee_id  # the technician stays signed in

    tag = WarrantyTag.get()
    assert tag.override_by_id == advisor.employee_id and tag.override_reason.startswith("Pads cracked")
    assert PrintJob.get(PrintJob.tag == tag.id).status == "printed"
    png = sorted((tmp_path / "labels").glob("*.png"))[0]
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png).convert("L"))] == [tag.tag_number]
    assert AuditEvent.select().where(AuditEvent.action == "auth.override_signature").count() == 1


async def test_the_labels_screen_shows_a_failed_label_with_its_error(floor_staff, settings):
    import dataclasses

    from kiosk import parts, warranty
    tech = floor_staff["technician"]
    job = make_job_card(tech.employee_id, payers=("warranty",))
    make_part("VW000123", "Water pump 水泵")
    removed = parts.record_removed_part(tech, job.lines.first().id, "VW000123", 1, True)
    broken = dataclasses.replace(settings, printers={"labels": {"backend": "cups", "queue": "no-such-printer",
                                                                "stock": "brother-62x29", "dpi": 300}})
    tag = warranty.tag_part(tech, removed, broken)
    app = kiosk_app(broken)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(tech))
        await pilot.press("f7")
        await pilot.press("f2")  # retry: the printer is still missing
        # the print worker tries again and the list re-reads on the screen's own timer
        await wait_until(pilot, lambda: "no printer queue" in screen_text(app), "the retried label's error")
        await settle(pilot)
        text = screen_text(app)
        assert tag.tag_number in text and "failed" in text and "no printer queue" in text, text
        assert "Void a tag" not in text  # technicians do not void tags
    assert PrintJob.get(PrintJob.tag == tag.id).attempts >= 1
