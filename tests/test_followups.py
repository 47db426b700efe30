"""Follow-up calls: due within two days of delivery, the queue most overdue first, outcomes on the
customer's file, a problem booking a rework draft, a complaint opening a complaint."""

import datetime as dt

import pytest

from kiosk import complaints, followups, reception
from kiosk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kiosk.store.models import Complaint, CustomerNote, FollowUp, JobCard, now

from .conftest import add_employee
from .desk import delivered_card, events


@pytest.fixture
def calls(staff):
    checker = add_employee("technician", "Quality 质检")
    return {**staff, "checker": checker,
            "deliver": lambda: delivered_card(staff["advisor"], staff["technician"], checker)}


def due_in(followup_id: int, hours: float) -> None:
    FollowUp.update(due_at=now() + dt.timedelta(hours=hours)).where(FollowUp.id == followup_id).execute()


def test_every_delivery_books_a_call_due_within_two_days(calls):
    job_id, followup_id = calls["deliver"]()
    followup = FollowUp.get_by_id(followup_id)
    closed = JobCard.get_by_id(job_id).closed_at
    assert followup.due_at - closed == dt.timedelta(days=2) and followup.customer_id == JobCard.get_by_id(
        job_id).customer_id
    [(key, row)] = followups.followup_queue()
    assert (row.id, row.job_id, row.customer, row.plate, row.overdue, row.delivered_at) == (
        followup_id, job_id, "王小明", "沪A12345", False, closed)


def test_the_queue_shows_the_most_overdue_first_then_due_then_later_a_page_at_a_time(calls):
    made = [calls["deliver"]()[1] for _ in range(4)]
    due_in(made[0], 30)
    due_in(made[1], -50)
    due_in(made[2], -2)
    due_in(made[3], 1)
    rows = [r for _, r in followups.followup_queue()]
    assert [r.id for r in rows] == [made[1], made[2], made[3], made[0]]
    assert [r.overdue for r in rows] == [True, True, False, False]
    seen, after = [], None
    while page := followups.followup_queue(after=after, limit=3):
        seen += [r.id for _, r in page]
        after = page[-1][0]
    assert seen == [r.id for r in rows]
    assert [r.overdue for _, r in followups.followup_queue(at=now() + dt.timedelta(days=3))] == [True] * 4


def test_a_satisfied_customer_goes_on_their_file_and_leaves_the_queue(calls):
    advisor = calls["advisor"]
    job_id, followup_id = calls["deliver"]()
    result = followups.record_followup(advisor, followup_id, "Satisfied", "很满意 very happy")
    assert (result.outcome, result.rework_job_id, result.complaint_id) == ("satisfied", None, None)
    followup = FollowUp.get_by_id(followup_id)
    assert (followup.status, followup.outcome, followup.done_by_id) == ("done", "satisfied", advisor.employee_id)
    assert followups.followup_queue() == []
    file = followups.customer_file(JobCard.get_by_id(job_id).customer_id)
    assert [(n.kind, n.text, n.by) for n in file.notes] == [
        ("followup", f"Follow-up call on RO{job_id:06d}: satisfied. 很满意 very happy", advisor.name)]
    [event] = events("followup.record")
    assert (event.subject, event.subject_id) == ("followup", followup_id)


def test_a_problem_books_a_rework_draft_for_the_same_vehicle_linked_to_the_original(calls):
    advisor = calls["advisor"]
    job_id, followup_id = calls["deliver"]()
    with pytest.raises(InvalidInput, match="Note is required"):
        followups.record_followup(advisor, followup_id, "problem", "")
    result = followups.record_followup(advisor, followup_id, "problem", "刹车还是有点响\nstill squeaks when cold")
    original, rework = JobCard.get_by_id(job_id), JobCard.get_by_id(result.rework_job_id)
    assert (rework.status, rework.vehicle_id, rework.customer_id, rework.rework_of_id, rework.advisor_id) == (
        "draft", original.vehicle_id, original.customer_id, job_id, advisor.employee_id)
    assert rework.complaint == "刹车还是有点响\nstill squeaks when cold"
    assert [d.job_id for _, d in reception.list_drafts(advisor)] == [rework.id]
    assert reception.advisor_view(rework.id).rework_of == job_id
    assert FollowUp.get_by_id(followup_id).rework_job_id == rework.id
    file = followups.customer_file(original.customer_id)
    assert f"rework booked (RO{rework.id:06d})" in file.notes[0].text
    assert [(j.job_id, j.rework_of) for j in file.jobs] == [(rework.id, job_id), (job_id, None)]


def test_a_complaint_opens_a_complaint_owned_by_the_caller(calls):
    advisor = calls["advisor"]
    job_id, followup_id = calls["deliver"]()
    result = followups.record_followup(advisor, followup_id, "complaint", "等了三个小时 waited three hours")
    complaint = Complaint.get_by_id(result.complaint_id)
    assert (complaint.job_id, complaint.owner_id, complaint.status, complaint.text) == (
        job_id, advisor.employee_id, "open", "等了三个小时 waited three hours")
    assert [r.id for _, r in complaints.open_complaints()] == [complaint.id]
    kinds = [n.kind for n in followups.customer_file(complaint.customer_id).notes]
    assert kinds == ["followup", "complaint"]


def test_no_answer_keeps_the_call_in_the_queue_and_counts_the_attempt(calls):
    _, followup_id = calls["deliver"]()
    followups.record_followup(calls["advisor"], followup_id, "no answer")
    followups.record_followup(calls["advisor"], followup_id, "no_answer", "voicemail")
    [(_, row)] = followups.followup_queue()
    assert (row.id, row.attempts) == (followup_id, 2)
    followups.record_followup(calls["advisor"], followup_id, "satisfied")
    assert followups.followup_queue() == []


def test_a_call_is_recorded_once_and_bad_input_writes_nothing(calls):
    advisor = calls["advisor"]
    _, followup_id = calls["deliver"]()
    before = (len(events()), CustomerNote.select().count())
    with pytest.raises(InvalidInput, match="Outcome must be one of"):
        followups.record_followup(advisor, followup_id, "angry")
    with pytest.raises(InvalidInput, match="too long"):
        followups.record_followup(advisor, followup_id, "complaint", "太" * 2001)
    with pytest.raises(NotFound):
        followups.record_followup(advisor, 99999, "satisfied")
    with pytest.raises(NotAllowed, match="followup.record"):
        followups.record_followup(calls["technician"], followup_id, "satisfied")
    assert (len(events()), CustomerNote.select().count()) == before
    assert Complaint.select().count() == 0 and JobCard.select().where(JobCard.status == "draft").count() == 0
    followups.record_followup(advisor, followup_id, "satisfied")
    with pytest.raises(Conflict, match="already recorded: satisfied"):
        followups.record_followup(advisor, followup_id, "complaint", "changed their mind")
    assert Complaint.select().count() == 0


def test_notes_go_on_the_customers_file_which_shows_vehicles_jobs_notes_and_complaints(calls):
    advisor = calls["advisor"]
    job_id, _ = calls["deliver"]()
    customer_id = JobCard.get_by_id(job_id).customer_id
    followups.add_customer_note(advisor, customer_id, "喜欢电话联系\nprefers a call, not WeChat", job_id)
    complaints.register_complaint(advisor, customer_id, "Invoice wrong")
    file = followups.customer_file(customer_id)
    assert (file.name, file.phone, [v.plate for v in file.vehicles]) == ("王小明", "138 0013 8000", ["沪A12345"])
    assert [j.status for j in file.jobs] == ["delivered"]
    assert [n.kind for n in file.notes] == ["complaint", "note"]
    assert [c.text for c in file.complaints] == ["Invoice wrong"]
    with pytest.raises(InvalidInput, match="Note is required"):
        followups.add_customer_note(advisor, customer_id, "\x1b")
    with pytest.raises(NotFound):
        followups.add_customer_note(advisor, 99999, "x")
    with pytest.raises(NotFound, match="not this customer's"):
        followups.add_customer_note(advisor, customer_id, "x", job_id=99999)
    with pytest.raises(NotFound):
        followups.customer_file(99999)
