"""Quotes and approval: estimates priced from the catalogue and labour rate, the customer's approval recorded
before work starts, and further work found on the floor waiting for its own approval."""

from decimal import Decimal

import pytest

from kiosk import quotes, reception
from kiosk.approval import line_is_approved
from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.reception import MileageBelowLast, NewLine
from kiosk.store.models import Approval, EstimateLine, JobCard, JobLine, Vehicle

from .conftest import add_employee
from .desk import approved_card, customer_with_vehicle, events, line_ids, open_card
from .factories import make_part


@pytest.fixture
def quote_desk(staff):
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=5)  # unit price 120
    return staff


def test_part_and_labour_estimates_are_priced_and_totalled_by_payer(quote_desk):
    advisor = quote_desk["advisor"]
    job_id = open_card(advisor, payers=("customer", "warranty"))
    customer_line, warranty_line = line_ids(job_id)
    parts = quotes.add_part_estimate(advisor, customer_line, " vw000123 ", "2")
    quotes.add_labour_estimate(advisor, customer_line, "1.5", "180.00")
    quotes.add_labour_estimate(advisor, warranty_line, Decimal("0.75"), 95, "BR1001 replace pads")
    assert EstimateLine.get_by_id(parts).amount == Decimal("240.00")
    quote = quotes.quote(job_id)
    assert [(r.position, r.kind, r.part_number, r.quantity, r.unit_price, r.amount, r.state) for r in quote.rows] == [
        (1, "part", "VW000123", Decimal("2.00"), Decimal("120.00"), Decimal("240.00"), "pending"),
        (1, "labour", "", Decimal("1.50"), Decimal("180.00"), Decimal("270.00"), "pending"),
        (2, "labour", "", Decimal("0.75"), Decimal("95.00"), Decimal("71.25"), "pending")]
    assert (quote.total, quote.customer_total, quote.pending_total) == (
        Decimal("581.25"), Decimal("510.00"), Decimal("581.25"))
    assert quote.by_payer == (("customer", Decimal("510.00")), ("warranty", Decimal("71.25")))
    assert [e.action for e in events("job.estimate")] == ["job.estimate"] * 3


@pytest.mark.parametrize("hours, rate, words", [
    ("0", "100", "more than 0"), ("-1", "100", "more than 0"), ("1.555", "100", "two decimals"),
    ("abc", "100", "a number"), ("100", "100", "too large"), ("1", "-5", "negative"), ("1", "1000000000", "too large"),
    ("1", "1e9", "a number"),
    ("", "100", "required"), (True, "100", "a number"), ("NaN", "100", "a number"), ("1", "10.001", "two decimals"),
])
def test_bad_hours_or_rates_are_refused_and_nothing_is_written(quote_desk, hours, rate, words):
    job_id = open_card(quote_desk["advisor"])
    with pytest.raises(InvalidInput, match=words):
        quotes.add_labour_estimate(quote_desk["advisor"], line_ids(job_id)[0], hours, rate)
    assert EstimateLine.select().count() == 0 and not events("job.estimate")


def test_unknown_parts_bad_quantities_and_other_roles_are_refused(quote_desk):
    advisor = quote_desk["advisor"]
    line_id = line_ids(open_card(advisor))[0]
    with pytest.raises(NotFound, match="search the catalogue"):
        quotes.add_part_estimate(advisor, line_id, "NOPE42", 1)
    for quantity in (0, "-1", "x", "1000"):
        with pytest.raises(InvalidInput):
            quotes.add_part_estimate(advisor, line_id, "VW000123", quantity)
    with pytest.raises(NotAllowed, match="job.estimate"):
        quotes.add_part_estimate(quote_desk["technician"], line_id, "VW000123", 1)
    with pytest.raises(NotFound):
        quotes.add_part_estimate(advisor, 99999, "VW000123", 1)
    assert EstimateLine.select().count() == 0 and not events("job.estimate")


def test_approval_records_who_how_and_when_and_approves_the_card_its_lines_and_estimates(quote_desk):
    advisor = quote_desk["advisor"]
    job_id = open_card(advisor, payers=("customer", "customer"))
    first, second = line_ids(job_id)
    quotes.add_part_estimate(advisor, first, "VW000123", 1)
    quotes.submit_for_approval(advisor, job_id)
    assert JobCard.get_by_id(job_id).status == "awaiting_approval"
    approval_id = quotes.record_approval(advisor, job_id, "phone", " 王先生 (owner's son) ", "called 14:05")
    approval = Approval.get_by_id(approval_id)
    assert (approval.customer_name, approval.how, approval.recorded_by_id, approval.note) == (
        "王先生 (owner's son)", "phone", advisor.employee_id, "called 14:05")
    assert approval.at is not None and JobCard.get_by_id(job_id).status == "approved"
    assert {ln.approval_id for ln in JobLine.select().where(JobLine.job == job_id)} == {approval_id}
    assert all(line_is_approved(JobLine.get_by_id(i)) for i in (first, second))
    assert quotes.quote(job_id).pending_total == 0 and quotes.quote(job_id).rows[0].state == "approved"
    event = events("job.approve")[-1]
    assert (event.subject, event.subject_id) == ("job_card", job_id) and "王先生" in event.detail


@pytest.mark.parametrize("how, name, words", [("fax", "王", "One of: in_person, phone, message"),
                                              ("phone", "", "Who approved is required"),
                                              ("phone", "名" * 81, "too long")])
def test_approval_needs_how_and_who(quote_desk, how, name, words):
    job_id = open_card(quote_desk["advisor"])
    with pytest.raises(InvalidInput, match=words):
        quotes.record_approval(quote_desk["advisor"], job_id, how, name)
    assert JobCard.get_by_id(job_id).status == "draft" and Approval.select().count() == 0


def test_a_card_goes_to_the_customer_only_with_its_complaint_and_a_line(quote_desk):
    advisor = quote_desk["advisor"]
    customer_id, vehicle_id = customer_with_vehicle(advisor)
    bare = reception.open_job(advisor, customer_id, vehicle_id, 42000)
    with pytest.raises(InvalidInput, match="complaint"):
        quotes.record_approval(advisor, bare, "in_person", "王小明")
    reception.update_job(advisor, bare, complaint="noise")
    with pytest.raises(InvalidInput, match="at least one line"):
        quotes.submit_for_approval(advisor, bare)
    assert JobCard.get_by_id(bare).status == "draft" and not events("job.approve")


def test_the_mileage_becomes_the_vehicles_last_only_when_the_card_goes_to_the_customer(quote_desk):
    advisor = quote_desk["advisor"]
    customer_id, vehicle_id = customer_with_vehicle(advisor, mileage=42000)
    abandoned = open_card(advisor, customer_vehicle=(customer_id, vehicle_id), mileage=99000)
    assert Vehicle.get_by_id(vehicle_id).last_mileage == 42000
    later = open_card(advisor, customer_vehicle=(customer_id, vehicle_id), mileage=45000, confirm_duplicate=True)
    quotes.record_approval(advisor, later, "in_person", "王小明")
    assert Vehicle.get_by_id(vehicle_id).last_mileage == 45000
    # The abandoned draft's 99,000 was never recorded; a draft below the new reading cannot go out unexplained.
    JobCard.update(mileage_in=44000).where(JobCard.id == abandoned).execute()
    with pytest.raises(MileageBelowLast):
        quotes.submit_for_approval(advisor, abandoned)
    reception.update_job(advisor, abandoned, mileage_in=44000, mileage_override_reason="clocked back? checked")
    quotes.submit_for_approval(advisor, abandoned)
    assert Vehicle.get_by_id(vehicle_id).last_mileage == 44000


def test_further_work_found_by_the_technician_waits_for_its_own_approval(quote_desk):
    advisor, tech = quote_desk["advisor"], quote_desk["technician"]
    job_id, (first,) = approved_card(advisor, tech)
    extra = quotes.add_further_work(tech, job_id, "Rear pads worn too 后刹车片也磨损", "customer", "BR2002")
    line = JobLine.get_by_id(extra)
    assert (line.further_work, line.approval_id, line.technician_id, line.position) == (
        True, None, tech.employee_id, 2)
    assert not line_is_approved(line) and line_is_approved(JobLine.get_by_id(first))
    assert [(r.line_id, r.number, r.technician) for _, r in quotes.further_work_waiting()] == [
        (extra, f"RO{job_id:06d}", tech.name)]
    quotes.add_part_estimate(advisor, extra, "VW000123", 1)
    assert quotes.quote(job_id).pending_total == Decimal("120.00")
    assert not reception.advisor_view(job_id).lines[1].approved
    approval_id = quotes.record_approval(advisor, job_id, "message", "王小明", "WeChat OK")
    assert JobLine.get_by_id(extra).approval_id == approval_id and line_is_approved(JobLine.get_by_id(extra))
    assert JobLine.get_by_id(first).approval_id != approval_id  # the first approval stays with the first line
    assert quotes.further_work_waiting() == [] and quotes.quote(job_id).pending_total == 0
    assert JobCard.get_by_id(job_id).status == "approved"
    with pytest.raises(InvalidInput, match="Nothing on RO"):
        quotes.record_approval(advisor, job_id, "phone", "王小明")


def test_an_advisors_new_line_on_an_approved_card_is_further_work_too(quote_desk):
    advisor = quote_desk["advisor"]
    job_id, _ = approved_card(advisor, quote_desk["technician"])
    extra = reception.add_line(advisor, job_id, NewLine("Wiper blades", "customer"))
    assert not line_is_approved(JobLine.get_by_id(extra))
    reception.update_line(advisor, extra, payer="internal")  # still changeable: not approved yet
    assert JobLine.get_by_id(extra).payer == "internal"


def test_declined_further_work_stays_on_record_never_approved_and_out_of_the_totals(quote_desk):
    advisor, tech = quote_desk["advisor"], quote_desk["technician"]
    job_id, (first,) = approved_card(advisor, tech)
    extra = quotes.add_further_work(tech, job_id, "Tyres near the limit")
    quotes.add_labour_estimate(advisor, extra, 1, 100)
    with pytest.raises(InvalidInput, match="Reason is required"):
        quotes.decline_line(advisor, extra, "")
    quotes.decline_line(advisor, extra, "Customer will do it next month")
    line = JobLine.get_by_id(extra)
    assert line.status == "declined" and not line_is_approved(line)
    assert quotes.quote(job_id).total == 0 and quotes.quote(job_id).rows[0].state == "declined"
    assert quotes.further_work_waiting() == []
    with pytest.raises(InvalidInput, match="Nothing on RO"):
        quotes.record_approval(advisor, job_id, "phone", "王小明")
    with pytest.raises(NotAllowed, match="approved line 1"):
        quotes.decline_line(advisor, first, "changed mind")
    with pytest.raises(NotAllowed, match="already declined"):
        quotes.decline_line(advisor, extra, "again")
    with pytest.raises(NotAllowed, match="declined"):
        quotes.add_labour_estimate(advisor, extra, 1, 100)


def test_a_technician_adds_further_work_only_to_a_card_in_work_with_a_line_of_theirs(quote_desk):
    advisor, tech = quote_desk["advisor"], quote_desk["technician"]
    stranger = add_employee("technician")
    job_id, _ = approved_card(advisor, tech)
    with pytest.raises(NotAllowed, match="no line of yours"):
        quotes.add_further_work(stranger, job_id, "Found a leak")
    draft = open_card(advisor, tech.employee_id)
    with pytest.raises(NotAllowed, match="a draft"):
        quotes.add_further_work(tech, draft, "Found a leak")
    with pytest.raises(NotAllowed, match="job.add_further_work"):
        quotes.add_further_work(quote_desk["parts_clerk"], job_id, "Found a leak")
    with pytest.raises(InvalidInput, match="required"):
        quotes.add_further_work(tech, job_id, " \x00 ")
    assert JobLine.select().where(JobLine.further_work == True).count() == 0  # noqa: E712


def test_approved_estimates_stay_and_pending_ones_can_be_taken_back(quote_desk):
    advisor = quote_desk["advisor"]
    job_id = open_card(advisor)
    (line_id,) = line_ids(job_id)
    kept = quotes.add_labour_estimate(advisor, line_id, 1, 100)
    quotes.record_approval(advisor, job_id, "in_person", "王小明")
    later = quotes.add_part_estimate(advisor, line_id, "VW000123", 1)
    with pytest.raises(NotAllowed, match="approved that estimate"):
        quotes.remove_estimate(advisor, kept)
    quotes.remove_estimate(advisor, later)
    assert [r.id for r in quotes.quote(job_id).rows] == [kept]
    with pytest.raises(NotFound):
        quotes.remove_estimate(advisor, later)


def test_the_floor_refuses_further_work_until_the_customer_approves_it(quote_desk):
    from kiosk import clocking, jobs
    from kiosk.errors import NotAllowed

    advisor, tech = quote_desk["advisor"], quote_desk["technician"]
    job_id, (first,) = approved_card(advisor, tech)
    extra = quotes.add_further_work(tech, job_id, "Rear pads worn too", "customer", "BR2002")
    with pytest.raises(NotAllowed, match="waits for the customer's approval"):
        clocking.clock_on(tech, extra)
    with pytest.raises(NotAllowed, match="waits for the customer's approval"):
        jobs.record_three_cs(tech, extra, "worn", "replaced")
    clocking.clock_on(tech, first)  # the approved line is workable meanwhile
    quotes.record_approval(advisor, job_id, "phone", "王小明")
    clocking.clock_on(tech, extra)
    assert clocking.running_clock(tech.employee_id).line_id == extra
