"""Quality check, delivery and closing: checked by someone who did not work on the card, delivered only when
nothing is left running, open or untagged, and read-only from then on (corrections are notes)."""

import datetime as dt

import pytest

from kiosk import clocking, complaints, delivery, followups, jobs, parts, quotes, reception, warranty
from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.reception import NewLine
from kiosk.store.models import (ClockEntry, CorrectionNote, FollowUp, JobCard, JobLine, QualityCheck, WarrantyTag,
                                now)

from .conftest import add_employee
from .desk import approved_card, delivered_card, events, finish_work, line_ids, open_card
from .factories import make_part


@pytest.fixture
def floor(staff):
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=5)
    return {**staff, "checker": add_employee("technician", "Quality 质检")}


def state(job_id: int) -> str:
    return JobCard.get_by_id(job_id).status


def test_a_card_goes_from_reception_to_delivery_through_the_quality_check(floor):
    advisor, tech, checker = floor["advisor"], floor["technician"], floor["checker"]
    job_id, _ = approved_card(advisor, tech)
    finish_work(tech, job_id)
    assert delivery.delivery_blockers(job_id) == ["The quality check has not passed yet."]
    check_id = delivery.quality_check(checker, job_id, True, "路试正常 road test fine")
    assert state(job_id) == "quality_checked" and QualityCheck.get_by_id(check_id).checked_by_id == checker.employee_id
    assert delivery.delivery_blockers(job_id) == []
    followup_id = delivery.deliver(advisor, job_id)
    job = JobCard.get_by_id(job_id)
    followup = FollowUp.get_by_id(followup_id)
    assert job.status == "delivered" and job.closed_at is not None
    assert (followup.job_id, followup.status, followup.due_at) == (job_id, "open", job.closed_at + dt.timedelta(days=2))
    [event] = events("job.deliver")
    assert (event.subject_id, f'"followup": {followup_id}' in event.detail) == (job_id, True)
    assert reception.advisor_view(job_id).quality_checks[0].passed


def test_nobody_who_worked_on_the_card_checks_it(floor):
    advisor, tech, helper = floor["advisor"], floor["technician"], add_employee("technician")
    job_id, (line_id,) = approved_card(advisor, tech)
    # A helper who clocked on the line (before it was handed back) counts as having worked on it too.
    reception.assign_technician(advisor, line_id, helper.employee_id)
    clocking.clock_on(helper, line_id)
    clocking.clock_off(helper)
    reception.assign_technician(advisor, line_id, tech.employee_id)
    finish_work(tech, job_id)
    for worker in (tech, helper):
        with pytest.raises(NotAllowed, match="someone else does its quality check"):
            delivery.quality_check(worker, job_id, True)
    assert QualityCheck.select().count() == 0 and state(job_id) == "work_done"
    with pytest.raises(NotAllowed, match="job.quality_check"):
        delivery.quality_check(floor["parts_clerk"], job_id, True)
    delivery.quality_check(floor["manager"], job_id, True)


def test_a_failed_check_sends_the_card_back_into_work_with_its_lines_reopened(floor):
    advisor, tech, checker = floor["advisor"], floor["technician"], floor["checker"]
    job_id, (first, second) = approved_card(advisor, tech, payers=("customer", "customer"))
    finish_work(tech, job_id)
    with pytest.raises(InvalidInput, match="what failed"):
        delivery.quality_check(checker, job_id, False, " ")
    with pytest.raises(InvalidInput, match="only lines of this card"):
        delivery.quality_check(checker, job_id, False, "noise still there", [99999])
    delivery.quality_check(checker, job_id, False, "Noise still there 仍有异响", [second])
    assert state(job_id) == "in_progress"
    assert [JobLine.get_by_id(i).status for i in (first, second)] == ["done", "open"]
    with pytest.raises(NotAllowed, match="not done yet"):
        delivery.deliver(advisor, job_id)
    finish_work(tech, job_id)
    delivery.quality_check(checker, job_id, True)
    assert [c.passed for c in reception.advisor_view(job_id).quality_checks] == [False, True]


def test_delivery_is_refused_with_a_running_clock_and_nothing_is_written(floor):
    advisor, tech = floor["advisor"], floor["technician"]
    job_id, (line_id,) = approved_card(advisor, tech)
    clocking.clock_on(tech, line_id)
    with pytest.raises(NotAllowed, match="clock is still running on line 1"):
        delivery.deliver(advisor, job_id)
    # Even on a card marked checked by some other path, a running clock blocks delivery.
    JobCard.update(status="quality_checked").where(JobCard.id == job_id).execute()
    JobLine.update(status="done").where(JobLine.id == line_id).execute()
    with pytest.raises(NotAllowed) as refused:
        delivery.deliver(advisor, job_id)
    assert "clock is still running" in refused.value.message and "not done" not in refused.value.message
    assert state(job_id) == "quality_checked" and FollowUp.select().count() == 0 and not events("job.deliver")
    ClockEntry.update(stopped_at=now()).execute()
    delivery.deliver(advisor, job_id)


def test_delivery_is_refused_while_a_removed_warranty_part_has_no_tag(floor, settings):
    advisor, tech = floor["advisor"], floor["technician"]
    job_id, (line_id,) = approved_card(advisor, tech, payers=("warranty",))
    removed = parts.record_removed_part(tech, line_id, "VW000123", 1, True)
    # Marked done and checked behind the rules' back: delivery still looks for the tag.
    JobLine.update(status="done", cause="worn", correction="replaced").where(JobLine.id == line_id).execute()
    JobCard.update(status="quality_checked").where(JobCard.id == job_id).execute()
    with pytest.raises(NotAllowed, match="Warranty part\\(s\\) not tagged yet: VW000123"):
        delivery.deliver(advisor, job_id)
    assert FollowUp.select().count() == 0 and state(job_id) == "quality_checked"
    JobCard.update(status="in_progress").where(JobCard.id == job_id).execute()
    warranty.tag_part(tech, removed, settings)
    JobCard.update(status="quality_checked").where(JobCard.id == job_id).execute()
    assert WarrantyTag.select().count() == 1
    delivery.deliver(advisor, job_id)
    assert state(job_id) == "delivered"


def test_delivery_names_everything_still_in_the_way(floor):
    advisor, tech = floor["advisor"], floor["technician"]
    job_id, _ = approved_card(advisor, tech)
    extra = quotes.add_further_work(tech, job_id, "Found a leak")
    quotes.add_labour_estimate(advisor, extra, 1, 100)
    blockers = delivery.delivery_blockers(job_id)
    assert blockers == ["Line(s) 2 wait for the customer's approval: record it or decline them.",
                        "Line(s) 1 not done yet.",
                        "Estimate lines wait for the customer's approval: record it or remove them.",
                        "The card is approved: the work is not done."]
    with pytest.raises(NotAllowed, match="cannot be delivered yet"):
        delivery.deliver(advisor, job_id)
    with pytest.raises(NotAllowed, match="job.deliver"):
        delivery.deliver(tech, job_id)
    with pytest.raises(NotFound):
        delivery.deliver(advisor, 99999)


def test_declined_further_work_does_not_hold_up_delivery(floor):
    advisor, tech, checker = floor["advisor"], floor["technician"], floor["checker"]
    job_id, _ = approved_card(advisor, tech)
    extra = quotes.add_further_work(tech, job_id, "Found a leak")
    quotes.decline_line(advisor, extra, "not now")
    # kiosk.jobs.complete_job does not know declined lines yet; the card is moved on as it would be.
    jobs.record_three_cs(tech, line_ids(job_id)[0], "worn", "replaced")
    jobs.complete_line(tech, line_ids(job_id)[0])
    JobCard.update(status="work_done").where(JobCard.id == job_id).execute()
    delivery.quality_check(checker, job_id, True)
    delivery.deliver(advisor, job_id)
    assert state(job_id) == "delivered"


def test_a_delivered_card_is_read_only_and_corrections_are_notes(floor):
    advisor, tech, checker = floor["advisor"], floor["technician"], floor["checker"]
    job_id, _ = delivered_card(advisor, tech, checker)
    (line_id,) = line_ids(job_id)
    before = (len(events()), JobLine.select().count(), JobCard.get_by_id(job_id).__data__)
    attempts = [
        lambda: reception.update_job(advisor, job_id, promised_at=None),
        lambda: reception.update_job(advisor, job_id, complaint="x"),
        lambda: reception.add_line(advisor, job_id, NewLine("more")),
        lambda: reception.update_line(advisor, line_id, payer="warranty"),
        lambda: reception.remove_line(advisor, line_id),
        lambda: reception.assign_technician(advisor, line_id, tech.employee_id),
        lambda: quotes.add_part_estimate(advisor, line_id, "VW000123", 1),
        lambda: quotes.add_labour_estimate(advisor, line_id, 1, 100),
        lambda: quotes.record_approval(advisor, job_id, "phone", "王小明"),
        lambda: quotes.submit_for_approval(advisor, job_id),
        lambda: quotes.decline_line(advisor, line_id, "no"),
        lambda: quotes.add_further_work(tech, job_id, "more"),
        lambda: delivery.quality_check(checker, job_id, True),
        lambda: delivery.deliver(advisor, job_id),
        lambda: jobs.record_three_cs(tech, line_id, "a", "b"),
        lambda: jobs.reopen_line(advisor, line_id, "oops"),
        lambda: clocking.clock_on(tech, line_id),
        lambda: parts.issue_part(tech, line_id, "VW000123", 1),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed, match="delivered"):
            attempt()
    assert (len(events()), JobLine.select().count(), JobCard.get_by_id(job_id).__data__) == before
    note_id = delivery.add_correction_note(advisor, job_id, "Cause was the caliper, not the pads\n原因是卡钳")
    assert CorrectionNote.get_by_id(note_id).job_id == job_id
    assert reception.advisor_view(job_id).corrections[0].text == "Cause was the caliper, not the pads\n原因是卡钳"
    with pytest.raises(InvalidInput, match="Correction is required"):
        delivery.add_correction_note(advisor, job_id, "\x00 ")
    with pytest.raises(NotAllowed, match="job.correct"):
        delivery.add_correction_note(tech, job_id, "x")
    with pytest.raises(NotFound):
        delivery.add_correction_note(advisor, 99999, "x")
    assert delivery.delivery_blockers(job_id) == [f"Job card RO{job_id:06d} is already delivered."]


def test_follow_up_and_complaints_still_work_on_a_delivered_card(floor):
    advisor, tech, checker = floor["advisor"], floor["technician"], floor["checker"]
    job_id, followup_id = delivered_card(advisor, tech, checker)
    customer_id = JobCard.get_by_id(job_id).customer_id
    complaints.register_complaint(advisor, customer_id, "Still noisy", job_id=job_id)
    followups.record_followup(advisor, followup_id, "satisfied")
    assert state(job_id) == "delivered"


def test_a_draft_cannot_be_quality_checked_or_delivered(floor):
    advisor = floor["advisor"]
    job_id = open_card(advisor)
    with pytest.raises(NotAllowed, match="a draft"):
        delivery.quality_check(floor["checker"], job_id, True)
    with pytest.raises(NotAllowed, match="the work is not done"):
        delivery.deliver(advisor, job_id)


def test_a_card_the_customer_never_approved_is_cancelled_with_a_reason_and_stays_on_file(floor):
    advisor, tech = floor["advisor"], floor["technician"]
    job_id = open_card(advisor, tech.employee_id)
    (line_id,) = line_ids(job_id)
    with pytest.raises(InvalidInput, match="Reason is required"):
        delivery.cancel(advisor, job_id, " \x1b ")
    with pytest.raises(NotAllowed, match="job.cancel"):
        delivery.cancel(tech, job_id, "mine")
    assert state(job_id) == "draft" and not events("job.cancel")

    note_id = delivery.cancel(advisor, job_id, "Customer went to another dealer 客户去了别家")
    job = JobCard.get_by_id(job_id)
    assert job.status == "cancelled" and job.closed_at is not None
    assert CorrectionNote.get_by_id(note_id).text == "Cancelled: Customer went to another dealer 客户去了别家"
    (event,) = events("job.cancel")
    assert (event.employee_id, event.subject_id) == (advisor.employee_id, job_id)
    # Off the board and the drafts, no longer an open card for the vehicle; still in the customer's file.
    assert job_id not in [row.job_id for _, row in reception.job_board()]
    assert job_id not in [key for key, _ in reception.list_drafts(advisor)]
    assert reception.open_jobs_for_vehicle(job.vehicle_id) == []
    assert delivery.delivery_blockers(job_id) == [f"Job card RO{job_id:06d} was cancelled."]
    before = (len(events()), JobCard.get_by_id(job_id).__data__)
    for attempt in [lambda: reception.update_job(advisor, job_id, promised_at=None),
                    lambda: reception.add_line(advisor, job_id, NewLine("more")),
                    lambda: quotes.record_approval(advisor, job_id, "phone", "王小明"),
                    lambda: delivery.cancel(advisor, job_id, "again"),
                    lambda: clocking.clock_on(tech, line_id)]:
        with pytest.raises(NotAllowed, match="cancelled"):
            attempt()
    assert (len(events()), JobCard.get_by_id(job_id).__data__) == before
    delivery.add_correction_note(advisor, job_id, "Customer rang back: call them in spring")


def test_an_approved_card_is_not_cancelled(floor):
    advisor, tech = floor["advisor"], floor["technician"]
    job_id, _ = approved_card(advisor, tech)
    with pytest.raises(NotAllowed, match="only a card the customer has not approved is cancelled"):
        delivery.cancel(advisor, job_id, "changed their mind")
    assert state(job_id) == "approved" and not events("job.cancel")
