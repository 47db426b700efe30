"""Complaints: registered in the customer's words with an owner, worked, resolved with a resolution, reopened;
the open ones on the advisor's home, each step on the customer's file."""

import pytest

from kiosk import complaints, followups
from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.store.models import AuditEvent, Complaint, CustomerNote, Employee

from .conftest import add_employee
from .desk import customer_with_vehicle, events, open_card


@pytest.fixture
def customer(staff):
    customer_id, _ = customer_with_vehicle(staff["advisor"])
    return customer_id


def test_a_complaint_is_registered_in_the_customers_words_owned_by_whoever_registers_it(staff, customer):
    advisor = staff["advisor"]
    complaint_id = complaints.register_complaint(advisor, customer, "服务态度差\x07\n前台让我等了很久")
    row = complaints.complaint_view(complaint_id)
    assert (row.text, row.owner_id, row.status, row.customer, row.job_id) == (
        "服务态度差\n前台让我等了很久", advisor.employee_id, "open", "王小明", None)
    [event] = events("complaint.register")
    assert (event.subject, event.subject_id) == ("complaint", complaint_id)
    assert [n.kind for n in followups.customer_file(customer).notes] == ["complaint"]


def test_a_complaint_about_a_job_card_names_it_and_may_go_to_another_owner(staff, customer):
    advisor, boss = staff["advisor"], staff["manager"]
    job_id = open_card(advisor, customer_vehicle=(customer, customer_with_vehicle(advisor)[1]))
    complaint_id = complaints.register_complaint(advisor, customer, "Car came back dirty", job_id=job_id,
                                                 owner_id=boss.employee_id)
    row = complaints.complaint_view(complaint_id)
    assert (row.job_id, row.job_number, row.owner) == (job_id, f"RO{job_id:06d}", boss.name)


@pytest.mark.parametrize("text, options, error, words", [
    ("", {}, InvalidInput, "Complaint is required"),
    ("\x00\x1b ", {}, InvalidInput, "Complaint is required"),
    ("投" * 2001, {}, InvalidInput, "too long"),
    ("x", {"owner_id": "technician"}, InvalidInput, "cannot own a complaint"),
    ("x", {"owner_id": 99999}, NotFound, "no such employee"),
    ("x", {"job_id": 99999}, NotFound, "no job card"),
    ("x", {"job_id": "someone else's"}, InvalidInput, "another customer"),
])
def test_bad_complaints_are_refused_and_nothing_is_written(staff, customer, text, options, error, words):
    options = dict(options)  # the parameters are shared by the SQLite and PostgreSQL runs
    if options.get("owner_id") == "technician":
        options["owner_id"] = staff["technician"].employee_id
    if options.get("job_id") == "someone else's":
        options["job_id"] = open_card(staff["advisor"])
    before = (AuditEvent.select().count(), CustomerNote.select().count())
    with pytest.raises(error, match=words):
        complaints.register_complaint(staff["advisor"], customer, text, **options)
    assert Complaint.select().count() == 0
    assert (AuditEvent.select().count(), CustomerNote.select().count()) == before


def test_an_unknown_customer_or_the_wrong_role_is_refused(staff, customer):
    with pytest.raises(NotFound, match="customer"):
        complaints.register_complaint(staff["advisor"], 99999, "x")
    with pytest.raises(NotAllowed, match="complaint.register"):
        complaints.register_complaint(staff["technician"], customer, "x")
    assert Complaint.select().count() == 0


def test_a_complaint_is_worked_resolved_and_reopened_and_each_step_is_on_the_file(staff, customer):
    advisor = staff["advisor"]
    complaint_id = complaints.register_complaint(advisor, customer, "Invoice wrong 发票有误")
    complaints.start_complaint(advisor, complaint_id, "called accounts")
    assert complaints.complaint_view(complaint_id).status == "in_progress"
    with pytest.raises(NotAllowed, match="being worked on, not open"):
        complaints.start_complaint(advisor, complaint_id)
    with pytest.raises(InvalidInput, match="Resolution is required"):
        complaints.resolve_complaint(advisor, complaint_id, " ")
    complaints.resolve_complaint(advisor, complaint_id, "Invoice corrected and sent 已重开发票")
    row = complaints.complaint_view(complaint_id)
    assert (row.status, row.resolution) == ("resolved", "Invoice corrected and sent 已重开发票")
    assert row.resolved_at is not None
    with pytest.raises(NotAllowed, match="already resolved"):
        complaints.resolve_complaint(advisor, complaint_id, "again")
    with pytest.raises(NotAllowed, match="reopen it first"):
        complaints.assign_complaint(advisor, complaint_id, staff["manager"].employee_id)
    complaints.reopen_complaint(advisor, complaint_id, "Second invoice wrong too")
    row = complaints.complaint_view(complaint_id)
    assert (row.status, row.resolution, row.resolved_at) == ("open", "", None)
    with pytest.raises(NotAllowed, match="only a resolved one"):
        complaints.reopen_complaint(advisor, complaint_id, "x")
    texts = [n.text for n in followups.customer_file(customer).notes][::-1]
    assert texts == [f"Complaint #{complaint_id} registered: Invoice wrong 发票有误",
                     f"Complaint #{complaint_id}: called accounts",
                     f"Complaint #{complaint_id} resolved: Invoice corrected and sent 已重开发票",
                     f"Complaint #{complaint_id} reopened: Second invoice wrong too"]
    assert [e.action for e in events()][-4:] == ["complaint.register"] + ["complaint.manage"] * 3


def test_ownership_moves_only_to_active_advisors_and_managers(staff, customer):
    advisor, other = staff["advisor"], add_employee("advisor", "Emma Brown")
    complaint_id = complaints.register_complaint(advisor, customer, "Scratch on the door")
    complaints.assign_complaint(advisor, complaint_id, other.employee_id)
    assert complaints.complaint_view(complaint_id).owner == "Emma Brown"
    Employee.update(active=False).where(Employee.id == other.employee_id).execute()
    with pytest.raises(InvalidInput, match="cannot own"):
        complaints.assign_complaint(advisor, complaint_id, other.employee_id)
    with pytest.raises(InvalidInput, match="cannot own"):
        complaints.assign_complaint(advisor, complaint_id, staff["parts_clerk"].employee_id)
    with pytest.raises(NotFound):
        complaints.assign_complaint(advisor, 99999, advisor.employee_id)
    with pytest.raises(NotAllowed, match="complaint.manage"):
        complaints.assign_complaint(staff["technician"], complaint_id, advisor.employee_id)


def test_open_complaints_oldest_first_a_page_at_a_time_resolved_ones_gone(staff, customer):
    advisor, boss = staff["advisor"], staff["manager"]
    made = [complaints.register_complaint(advisor, customer, f"complaint {i}",
                                          owner_id=boss.employee_id if i % 2 else None) for i in range(5)]
    complaints.start_complaint(advisor, made[1])
    complaints.resolve_complaint(advisor, made[2], "done")
    assert [r.id for _, r in complaints.open_complaints()] == [made[0], made[1], made[3], made[4]]
    assert [r.id for _, r in complaints.open_complaints(owner_id=boss.employee_id)] == [made[1], made[3]]
    page = complaints.open_complaints(limit=3)
    assert [r.id for _, r in complaints.open_complaints(after=page[-1][0], limit=3)] == [made[4]]
    assert [r.status for _, r in page] == ["open", "in_progress", "open"]
