"""The service advisor's side of job cards: the workshop's job-card board (reception and delivery build on it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, Tuple, fn

from .store.models import Customer, Employee, JobCard, Vehicle

OPEN_STATES = ("draft", "awaiting_approval", "approved", "in_progress", "work_done", "quality_checked")
FAR_FUTURE = dt.datetime(9999, 1, 1)


@dataclass(frozen=True)
class BoardRow:
    job_id: int
    status: str
    promised_at: dt.datetime | None
    plate: str
    model: str
    customer: str
    advisor: str
    complaint: str


def job_board(after: tuple | None = None, limit: int = 50) -> list[tuple[tuple, BoardRow]]:
    """Open job cards, those promised soonest first, a page at a time (keyset on promised time, id)."""
    due = fn.COALESCE(JobCard.promised_at, FAR_FUTURE)
    query = (JobCard.select(JobCard, Vehicle.plate, Vehicle.model, Customer.name, Employee.name.alias("adv"))
             .join(Vehicle).switch(JobCard).join(Customer).switch(JobCard)
             .join(Employee, on=(JobCard.advisor == Employee.id), join_type=JOIN.LEFT_OUTER)
             .where(JobCard.status.in_(OPEN_STATES))
             .order_by(due, JobCard.id).limit(limit))
    if after is not None:
        query = query.where(Tuple(due, JobCard.id) > Tuple(after[0] or FAR_FUTURE, after[1]))
    return [((job.promised_at, job.id),
             BoardRow(job.id, job.status, job.promised_at, job.plate, job.model, job.name, job.adv or "",
                      job.complaint))
            for job in query.objects()]
