"""Claim readiness: a claim made through the real rules is ready; each rule, broken one at a time, makes it
'N problems' with words saying who fixes it and where; the rules are settings per manufacturer; the claim list
carries the readiness in its rows; labour operations import line by line."""

import datetime as dt
from decimal import Decimal

import pytest

from kiosk import clocking, delivery, holding, jobs, labourops, parts, readiness, reports, warranty
from kiosk.config import Settings
from kiosk.csvimport import ImportHasErrors
from kiosk.errors import ConfigError, InvalidInput, NotAllowed
from kiosk.store.models import Approval, ClockEntry, JobCard, JobLine, LabourOperation, WarrantyTag, now

from .conftest import add_employee
from .desk import approved_card, open_card
from .factories import make_part

CAUSE = "Front pads glazed, squeal when braking 刹车片釉化"
CORRECTION = "Replaced front brake pads VW000123 更换前刹车片"
OPS_CSV = "code,standard_hours,manufacturer,description\nBR1001,1.0,,Brake pads front 更换前刹车片\n"


@pytest.fixture
def shop(staff, settings):
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=5)
    labourops.import_labour_ops(staff["advisor"], OPS_CSV)
    return {**staff, "checker": add_employee("technician", "Quality 质检"), "settings": settings}


def ready_claim(shop, *, deliver: bool = True) -> WarrantyTag:
    """A warranty repair done by the book: approved, clocked an hour (the standard), the causal part tagged,
    the three Cs written, checked, delivered, the tag scanned into the room."""
    advisor, tech = shop["advisor"], shop["technician"]
    job_id, (line_id,) = approved_card(advisor, tech, payers=("warranty",))
    clocking.clock_on(tech, line_id)
    clocking.clock_off(tech)
    # The hour of work, and the approval before it, as if it happened this morning.
    start = now() - dt.timedelta(hours=3)
    Approval.update(at=start - dt.timedelta(minutes=10)).where(Approval.job == job_id).execute()
    ClockEntry.update(started_at=start, stopped_at=start + dt.timedelta(hours=1)).where(
        ClockEntry.job_line == line_id).execute()
    JobLine.update(seconds_worked=3600).where(JobLine.id == line_id).execute()
    removed = parts.record_removed_part(tech, line_id, "VW000123", 1, True)
    tag = warranty.tag_part(tech, removed, shop["settings"])
    jobs.record_three_cs(tech, line_id, CAUSE, CORRECTION)
    jobs.complete_line(tech, line_id)
    jobs.complete_job(tech, job_id)
    holding.scan_in(shop["parts_clerk"], tag.tag_number, shop["settings"])
    if deliver:
        delivery.quality_check(shop["checker"], job_id, True, "Road test fine 路试正常")
        delivery.deliver(advisor, job_id)
    return WarrantyTag.get_by_id(tag.id)


def check(tag: WarrantyTag, settings: Settings | None = None) -> readiness.ClaimReadiness:
    return readiness.check_tags([WarrantyTag.get_by_id(tag.id)], settings)[tag.id]


def problems(tag, settings=None) -> list[str]:
    return [str(p) for p in check(tag, settings).problems]


def test_a_claim_done_by_the_book_is_ready(shop):
    result = check(ready_claim(shop))
    assert (result.ready, result.state, result.problems) == (True, "ready", ())


# ---------------------------------------------------------------- three Cs


def test_three_cs_a_trivial_or_vague_correction_is_a_problem_for_a_correction_note(shop):
    tag = ready_claim(shop)
    JobLine.update(correction="ok").where(JobLine.id == tag.job_line_id).execute()
    [text] = problems(tag)
    assert "The correction of line 1 ('ok') is too short" in text and "Advisor: F10 on RO" in text
    JobLine.update(correction="Adjusted everything until the noise stopped").where(
        JobLine.id == tag.job_line_id).execute()
    [text] = problems(tag)
    assert "names neither the part replaced (VW000123) nor the labour operation (BR1001)" in text
    JobLine.update(correction="按工时BR1001处理").where(JobLine.id == tag.job_line_id).execute()
    assert check(tag).ready


def test_three_cs_on_an_open_card_the_technician_fixes_them_with_f5(shop):
    tag = ready_claim(shop, deliver=False)
    JobLine.update(cause="").where(JobLine.id == tag.job_line_id).execute()
    texts = problems(tag)
    assert any("Line 1 has no cause. Technician: F5 on RO" in t and "(My jobs)" in t for t in texts)


def test_three_cs_rule_off_for_a_manufacturer_that_does_not_ask(shop):
    tag = ready_claim(shop)
    JobLine.update(correction="ok").where(JobLine.id == tag.job_line_id).execute()
    assert check(tag, Settings(manufacturers={"VW": {"three_cs": False}})).ready
    assert not check(tag, Settings(manufacturers={"GM": {"three_cs": False}})).ready


# ---------------------------------------------------------------- causal part


def test_causal_part_none_or_two_on_one_repair_is_a_problem(shop):
    tag = ready_claim(shop)
    WarrantyTag.update(causal=False).where(WarrantyTag.id == tag.id).execute()
    [text] = problems(tag)
    assert "Line 1 names no causal part" in text
    WarrantyTag.update(causal=True).where(WarrantyTag.id == tag.id).execute()
    other = WarrantyTag.create(**{**{k: v for k, v in tag.__data__.items() if k != "id"}, "tag_number": "W9999999"})
    result = check(tag)
    assert [p.rule for p in result.problems] == ["causal_part"]
    assert "names 2 causal parts" in str(result.problems[0])
    WarrantyTag.update(causal=False).where(WarrantyTag.id == other.id).execute()
    assert check(tag).ready and check(other).ready  # the related part is tied to the line's causal part


# ---------------------------------------------------------------- mileage


def test_mileage_missing_or_below_the_last_visit_without_a_reason(shop):
    tag = ready_claim(shop)
    JobCard.update(mileage_in=0).where(JobCard.id == tag.job_id).execute()
    assert "has no mileage in" in problems(tag)[0]
    JobCard.update(mileage_in=42000).where(JobCard.id == tag.job_id).execute()
    vehicle = JobCard.get_by_id(tag.job_id).vehicle_id
    later = JobCard.create(customer=JobCard.get_by_id(tag.job_id).customer_id, vehicle=vehicle, status="delivered",
                           mileage_in=30000, complaint="noise")
    WarrantyTag.update(job=later.id).where(WarrantyTag.id == tag.id).execute()
    JobLine.update(job=later.id).where(JobLine.id == tag.job_line_id).execute()
    assert any("Mileage in 30000 km is below 42000 km of the earlier visit" in p for p in problems(tag))
    JobCard.update(mileage_override_reason="odometer replaced 更换仪表").where(JobCard.id == later.id).execute()
    assert not any("Mileage" in p for p in problems(tag))


# ---------------------------------------------------------------- approval before work


def test_approval_recorded_after_the_first_clock_on_is_a_problem(shop):
    tag = ready_claim(shop)
    Approval.update(at=now()).where(Approval.job == tag.job_id).execute()
    [text] = problems(tag)
    assert "Work on line 1 started" in text and "before the customer's approval at" in text


# ---------------------------------------------------------------- technician and clock


def test_technician_and_clock_within_the_standard_hours_and_tolerance(shop):
    tag = ready_claim(shop)
    JobLine.update(seconds_worked=3 * 3600).where(JobLine.id == tag.job_line_id).execute()
    [text] = problems(tag)
    assert "Line 1: 3:00 clocked against 1:00 standard for BR1001 (± 50%)" in text
    assert check(tag, Settings(readiness={"clock_tolerance_percent": 200})).ready
    assert not check(tag, Settings(readiness={"clock_tolerance_percent": 200},
                                   manufacturers={"VW": {"clock_tolerance_percent": 10}})).ready
    JobLine.update(seconds_worked=3600, technician=None).where(JobLine.id == tag.job_line_id).execute()
    assert problems(tag) == [readiness.Problem("technician_and_clock", "Line 1 has no technician.", "advisor",
                                               check(tag).problems[0].where).__str__()]


def test_a_labour_operation_without_standard_hours_sends_the_manager_to_the_import(shop):
    tag = ready_claim(shop)
    JobLine.update(labour_operation="XX9").where(JobLine.id == tag.job_line_id).execute()
    JobLine.update(correction=CORRECTION).where(JobLine.id == tag.job_line_id).execute()
    [text] = problems(tag)
    assert "Labour operation XX9 has no standard hours. Manager: kiosk labour-ops import" in text


# ---------------------------------------------------------------- safety parts, the tag, the card


def test_a_safety_part_needs_the_manufacturers_approval(shop):
    tag = ready_claim(shop)
    WarrantyTag.update(approval="needed").where(WarrantyTag.id == tag.id).execute()
    [text] = problems(tag)
    assert "waits for the manufacturer's approval. Advisor: board F6 floor tools" in text
    warranty.set_approval(shop["advisor"], tag.tag_number, True, "GM-APP-1")
    assert check(tag).ready


def test_the_tag_must_be_held_or_shipped_on_request(shop):
    tag = ready_claim(shop)
    WarrantyTag.update(status="tagged").where(WarrantyTag.id == tag.id).execute()
    assert "never scanned into the warranty-parts room. Parts clerk" in problems(tag)[0]
    WarrantyTag.update(status="missing").where(WarrantyTag.id == tag.id).execute()
    assert "is marked missing: the part cannot be produced" in problems(tag)[0]
    WarrantyTag.update(status="shipped").where(WarrantyTag.id == tag.id).execute()
    assert "shipped without a return request" in problems(tag)[0]


def test_the_card_must_be_quality_checked_and_closed(shop):
    tag = ready_claim(shop, deliver=False)
    texts = problems(tag)
    assert any("has no passed quality check. Advisor: F7 on RO" in t for t in texts)
    assert any("is not delivered and closed. Advisor: F8 on RO" in t for t in texts)
    delivery.quality_check(shop["checker"], tag.job_id, True)
    assert [p.rule for p in check(tag).problems] == ["card_closed"]
    delivery.deliver(shop["advisor"], tag.job_id)
    assert check(tag).ready


def test_a_repair_with_everything_wrong_lists_each_problem_once_in_rule_order(shop):
    advisor, tech = shop["advisor"], shop["technician"]
    job_id = open_card(advisor, None, payers=("warranty",))
    line_id = JobLine.get(JobLine.job == job_id).id
    tag = WarrantyTag.create(job=job_id, job_line=line_id, status="tagged", part_number="VW000123", vin="X",
                             technician=tech.employee_id, tag_number="W7777777", approval="needed")
    result = check(tag)
    assert [p.rule for p in result.problems] == [
        "three_cs", "three_cs", "causal_part", "approval_before_clock", "technician_and_clock",
        "technician_and_clock", "safety_approval", "tag", "card_closed", "card_closed"]
    assert result.state == "10 problems"
    assert all(p.who in ("technician", "advisor", "parts clerk", "manager") and p.where for p in result.problems)


# ---------------------------------------------------------------- the claim list, settings, import


def test_the_claim_list_shows_each_claims_readiness_and_the_reminder_counts_them(shop):
    good = ready_claim(shop)
    bad = ready_claim(shop)
    WarrantyTag.update(status="missing").where(WarrantyTag.id == bad.id).execute()
    month = good.tagged_at.date().replace(day=1)
    report = reports.claim_list(shop["advisor"], month, settings=shop["settings"])
    rows = {cells[0]: cells for _, cells in reports.report_rows(report)}
    assert (report.columns[1], report.columns[-1]) == ("Readiness", "Problems")
    assert (rows[good.tag_number][1], rows[good.tag_number][-1]) == ("ready", "")
    assert rows[bad.tag_number][1] == "1 problem" and "marked missing" in rows[bad.tag_number][-1]
    assert reports.readiness_counts(month, shop["settings"]) == (2, 1)
    first_of_next = reports.next_month(month)
    assert reports.readiness_reminder(shop["settings"], first_of_next) == (
        f"Claim readiness {month:%Y-%m}: 1 of 2 not ready (F5 then F4 says why).")
    WarrantyTag.update(status="held").where(WarrantyTag.id == bad.id).execute()
    assert reports.readiness_reminder(shop["settings"], first_of_next) is None


def test_a_readiness_setting_of_the_wrong_kind_is_named():
    with pytest.raises(ConfigError, match="manufacturers.GM.clock_tolerance_percent must be a whole number"):
        readiness.readiness_rules(Settings(manufacturers={"GM": {"clock_tolerance_percent": "lots"}}), "GM")


def test_labour_operations_import_reports_bad_lines_by_number_and_updates_known_codes(shop):
    text = ("code,standard_hours,manufacturer,description\n"
            "EN2002,2.5,GM,Water pump 水泵\n"
            "EN2003,NaN,GM,x\n"
            "EN2004,1e308,,x\n"
            ",1,,no code\n"
            "EN2002,3,GM,again\n"
            "BR1001,0,5,x\n"
            "BR1001,1.2\n")
    with pytest.raises(ImportHasErrors) as caught:
        labourops.import_labour_ops(shop["advisor"], text)
    assert [n for n, _ in caught.value.report.bad] == [3, 4, 5, 6, 7]
    assert LabourOperation.select().count() == 1
    assert labourops.import_labour_ops(shop["advisor"], text, accept_good=True) == 2
    assert labourops.standard_hours(["BR1001", "EN2002"]) == {("", "BR1001"): Decimal("1.2"),
                                                              ("GM", "EN2002"): Decimal("2.5")}
    with pytest.raises(NotAllowed):
        labourops.import_labour_ops(shop["technician"], OPS_CSV)
    with pytest.raises(InvalidInput, match="missing: standard_hours"):
        labourops.import_labour_ops(shop["advisor"], "code\nBR1\n")


@pytest.mark.parametrize("text, trivial", [("ok", True), ("同上", True), ("刹车片磨损", False),
                                           ("Pads worn out", False),
                                           ("fixed.", True), ("abc", True)])
def test_trivially_short_text(text, trivial):
    assert readiness.trivially_short(text, 8) is trivial


def test_the_claim_lists_csv_and_pdf_carry_each_claims_readiness_and_problems(shop):
    import csv
    import shutil
    import subprocess

    from kiosk import report_export

    good, bad = ready_claim(shop), ready_claim(shop)
    WarrantyTag.update(status="missing").where(WarrantyTag.id == bad.id).execute()
    report = reports.claim_list(shop["advisor"], good.tagged_at.date(), settings=shop["settings"])
    with open(report_export.export_csv(shop["advisor"], report), encoding="utf-8-sig", newline="") as fh:
        rows = {r["Tag"]: r for r in csv.DictReader(fh)}
    assert rows[good.tag_number]["Readiness"] == "ready" and rows[good.tag_number]["Problems"] == ""
    assert rows[bad.tag_number]["Readiness"] == "1 problem"
    assert "marked missing: the part cannot be produced. Parts clerk: find the part" in rows[bad.tag_number]["Problems"]
    if shutil.which("pdftotext"):
        pdf = report_export.export_pdf(shop["advisor"], report, "Test Motors")
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Readiness" in text and "1 problem" in text and "ready" in text and bad.tag_number in text
