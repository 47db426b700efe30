"""Quality check, delivery and closing: the check by someone who did not work on the card, delivery that
closes the card for good (and books the follow-up call), cancelling a card the customer never approved, and
corrections written afterwards as notes."""

from __future__ import annotations

from .approval import line_is_approved
from .audit import Actor, change
from .errors import InvalidInput, NotAllowed, NotFound
from .i18n import N_, Said, render
from .followups import schedule_followup
from .jobcard import (CANCELLED, DELIVERED, IN_PROGRESS, QUALITY_CHECKED, STATE_WORDS, WORK_DONE, allows,
                      job_for_change, job_number)
from .jobs import untagged_warranty_parts
from .store.models import ClockEntry, CorrectionNote, Employee, EstimateLine, JobCard, JobLine, QualityCheck, now
from .text import clean

NOTE_MAX = 2000


def _positions(lines) -> str:
    return ", ".join(str(ln.position) for ln in lines)


def _blockers(job: JobCard) -> Said:
    """What stands between this card and delivery, each as a sentence for the advisor (message id, values)."""
    lines = list(JobLine.select().where(JobLine.job == job.id).order_by(JobLine.position, JobLine.id))
    line_ids = [ln.id for ln in lines]
    live = [ln for ln in lines if ln.status != "declined"]
    found = []
    for clock in (ClockEntry.select(ClockEntry.id, JobLine.position, Employee.name).join(JobLine)
                  .switch(ClockEntry).join(Employee, on=(ClockEntry.technician == Employee.id))
                  .where(ClockEntry.job_line.in_(line_ids) & ClockEntry.stopped_at.is_null())
                  .order_by(JobLine.position).objects()):
        found.append((N_("{name}'s clock is still running on line {position} "
                         "(clock off, or close the forgotten clock)."),
                      {"name": clock.name, "position": clock.position}))
    untagged = untagged_warranty_parts(line_ids) if line_ids else []
    if untagged:
        found.append((N_("Warranty part(s) not tagged yet: {parts}."), {"parts": ", ".join(untagged)}))
    waiting = [ln for ln in live if not line_is_approved(ln)]
    if waiting:
        found.append((N_("Line(s) {lines} wait for the customer's approval: record it or decline them."),
                      {"lines": _positions(waiting)}))
    not_done = [ln for ln in live if ln.status != "done" and line_is_approved(ln)]
    if not_done:
        found.append((N_("Line(s) {lines} not done yet."), {"lines": _positions(not_done)}))
    declined = JobLine.select(JobLine.id).where((JobLine.job == job.id) & (JobLine.status == "declined"))
    if EstimateLine.select().where((EstimateLine.job == job.id) & EstimateLine.approval.is_null()
                                   & EstimateLine.job_line.not_in(declined)).exists():
        found.append((N_("Estimate lines wait for the customer's approval: record it or remove them."), {}))
    if not live:
        found.append((N_("The card has no lines."), {}))
    if job.status == WORK_DONE:
        found.append((N_("The quality check has not passed yet."), {}))
    elif not allows(job.status, "deliver"):
        found.append((N_("The card is {state}: the work is not done."), {"state": STATE_WORDS[job.status]}))
    return Said(found)


def delivery_blockers(job_id: int) -> list[str]:
    """What still stands in the way of delivering the card (empty: ready), in the reader's language.
    Raises NotFound."""
    job = JobCard.get_or_none(JobCard.id == job_id)
    if job is None:
        raise NotFound(N_("There is no job card {job}."), job=job_number(job_id))
    if job.status == DELIVERED:
        return [render(N_("Job card {job} is already delivered."), {"job": job_number(job.id)})]
    if job.status == CANCELLED:
        return [render(N_("Job card {job} was cancelled."), {"job": job_number(job.id)})]
    return [render(message, values) for message, values in _blockers(job)]


def worked_on(job_id: int) -> set[int]:
    """Everyone who worked on the card: the technicians of its lines and anyone who clocked on one."""
    assigned = {t for (t,) in JobLine.select(JobLine.technician).where(
        (JobLine.job == job_id) & JobLine.technician.is_null(False)).tuples()}
    clocked = {t for (t,) in ClockEntry.select(ClockEntry.technician).join(JobLine)
               .where(JobLine.job == job_id).distinct().tuples()}
    return assigned | clocked


def quality_check(actor: Actor, job_id: int, passed: bool, note: str = "",
                  reopen_line_ids: list[int] | None = None) -> int:
    """The check before the vehicle goes back (质检), by someone who did not work on the card. Passed: work
    done -> quality checked. Failed (the note says why): the card goes back into work with its lines
    reopened (those given, or all done lines). Returns the QualityCheck id.

    Raises InvalidInput (no note on a failure, a line not of this card), NotFound, NotAllowed (the checker
    worked on the card, the work is not done, delivered).
    """
    note = clean(note, N_("Note"), max_len=NOTE_MAX, multiline=True)
    if not passed and not note:
        raise InvalidInput(N_("Say what failed the quality check."))
    with change(actor, "job.quality_check") as record:
        job = job_for_change(job_id, "quality_check", N_("the quality check comes when the work is done."))
        if actor.employee_id in worked_on(job.id):
            raise NotAllowed(N_("You worked on {job}: someone else does its quality check."), job=job_number(job.id))
        check = QualityCheck.create(job=job.id, passed=bool(passed), note=note, checked_by=actor.employee_id, at=now())
        reopened = []
        if passed:
            JobCard.update(status=QUALITY_CHECKED).where(JobCard.id == job.id).execute()
        else:
            done = {ln.id for ln in JobLine.select(JobLine.id).where((JobLine.job == job.id)
                                                                      & (JobLine.status == "done"))}
            reopened = sorted(done if reopen_line_ids is None else set(reopen_line_ids))
            if not set(reopened) <= done:
                raise InvalidInput(N_("Reopen only lines of this card that are done."))
            JobLine.update(status="open").where(JobLine.id.in_(reopened)).execute()
            JobCard.update(status=IN_PROGRESS).where(JobCard.id == job.id).execute()
        record.about("job_card", job.id, quality_check=check.id, passed=bool(passed), reopened=reopened)
    return check.id


def deliver(actor: Actor, job_id: int) -> int:
    """Hand the vehicle back and close the card: from then on it is read-only (corrections are notes).
    The follow-up call, due within two days, is booked in the same transaction; returns its id.

    Raises NotFound, NotAllowed listing everything still in the way: running clocks, warranty parts not
    tagged, lines not done or waiting for approval, estimates waiting, no passed quality check.
    """
    with change(actor, "job.deliver") as record:
        job = job_for_change(job_id)  # any open card: _blockers says what the state is missing
        blockers = _blockers(job)
        if blockers:
            raise NotAllowed(N_("{job} cannot be delivered yet. {blockers}"), job=job_number(job.id), blockers=blockers)
        at = now()
        JobCard.update(status=DELIVERED, closed_at=at).where(JobCard.id == job.id).execute()
        followup_id = schedule_followup(job, at)
        record.about("job_card", job.id, status=DELIVERED, followup=followup_id)
    return followup_id


def cancel(actor: Actor, job_id: int, reason: str) -> int:
    """Cancel a card the customer has not approved (they went elsewhere, or it was opened by mistake): it
    leaves the board and the drafts and stays on file as cancelled, the reason a note on the card. Nothing
    is deleted. Returns the note's id. Raises InvalidInput (no reason), NotFound, NotAllowed (approved)."""
    reason = clean(reason, N_("Reason"), max_len=NOTE_MAX, required=True, multiline=True)
    with change(actor, "job.cancel") as record:
        job = job_for_change(job_id, "cancel", N_("only a card the customer has not approved is cancelled "
                                                   "(decline the lines they do not want)."))
        JobCard.update(status=CANCELLED, closed_at=now()).where(JobCard.id == job.id).execute()
        note = CorrectionNote.create(job=job.id, text=f"Cancelled: {reason}", employee=actor.employee_id,
                                     terminal=actor.terminal[:60], at=now())
        record.about("job_card", job.id, status=CANCELLED, reason=reason, note=note.id)
    return note.id


def add_correction_note(actor: Actor, job_id: int, text: str) -> int:
    """A correction to a closed job card (delivered or cancelled), as a new note beside it (the card itself
    never changes). Returns the note's id. Raises InvalidInput (empty, too long), NotFound, NotAllowed (an open
    card is changed itself)."""
    text = clean(text, N_("Correction"), max_len=NOTE_MAX, required=True, multiline=True)
    with change(actor, "job.correct") as record:
        job_for_change(job_id, "correct", N_("a correction note is for a delivered or cancelled card: "
                                              "change the card itself."))
        note = CorrectionNote.create(job=job_id, text=text, employee=actor.employee_id, terminal=actor.terminal[:60],
                                     at=now())
        record.about("job_card", job_id, correction=note.id)
    return note.id
