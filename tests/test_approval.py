"""approval.line_is_approved (Python, for one line) and approval.APPROVED_LINE_SQL (for the lists and reports
that filter in SQL) say the same for every kind of line, on both databases."""

import itertools

from kiosk import approval
from kiosk.store import db
from kiosk.store.models import Approval, JobLine

from .factories import make_job_card


def test_the_sql_and_the_python_agree_on_every_kind_of_line(store_url, staff):
    job = make_job_card(staff["technician"].employee_id, payers=())
    consent = Approval.create(job=job, customer_name="王小明", how="phone", recorded_by=staff["advisor"].employee_id,
                              terminal="desk-1")
    kinds = list(itertools.product(("open", "done", "declined"), (False, True), (None, consent)))
    for position, (status, further_work, given) in enumerate(kinds, start=1):
        JobLine.create(job=job, position=position, status=status, further_work=further_work, approval=given)
    lines = list(JobLine.select().where(JobLine.job == job).order_by(JobLine.id))
    by_python = {line.id for line in lines if approval.line_is_approved(line)}
    by_sql = {row[0] for row in db.execute_sql(
        f"SELECT l.id FROM job_line l WHERE l.job_id = {job.id} AND {approval.APPROVED_LINE_SQL}").fetchall()}
    assert by_sql == by_python
    # and they say what the rule is: declined never; further work only with its own approval
    assert {(ln.status, ln.further_work, ln.approval_id is not None) for ln in lines if ln.id in by_python} == {
        ("open", False, False), ("open", False, True), ("open", True, True),
        ("done", False, False), ("done", False, True), ("done", True, True)}
