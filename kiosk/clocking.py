"""Clocking on and off job lines: one running clock per technician, actual time kept per line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from .audit import Actor, change
from .errors import Conflict, InvalidInput, NotFound
from .i18n import N_, render
from .jobs import job_number, start_work, workable_line
from .store.models import ClockEntry, Employee, JobLine, now
from .text import clean, is_time_of_day, parse_when


def hours_minutes(seconds: float) -> str:
    """A span of work as the floor says it: 1:05 (hours and minutes)."""
    minutes = int(seconds // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


@dataclass(frozen=True)
class RunningClock:
    """A technician's running clock, for the header on every screen."""

    entry_id: int
    line_id: int
    job_id: int
    position: int
    started_at: dt.datetime

    def label(self, at: dt.datetime | None = None) -> str:
        """E.g. "on RO000123 line 2 for 1:05"."""
        running = hours_minutes(((at or now()) - self.started_at).total_seconds())
        return render(N_("on {job} line {line} for {running}"), {"job": job_number(self.job_id), "line": self.position,
                                                                  "running": running})

    def short_label(self, at: dt.datetime | None = None) -> str:
        """E.g. "RO000123 L2 1:05": the header's few columns."""
        running = hours_minutes(((at or now()) - self.started_at).total_seconds())
        return f"{job_number(self.job_id)} L{self.position} {running}"


def running_clock(employee_id: int) -> RunningClock | None:
    """The technician's running clock, or None. One indexed query: cheap enough for every screen."""
    entry = (ClockEntry.select(ClockEntry, JobLine.job.alias("line_job"), JobLine.position).join(JobLine)
             .where((ClockEntry.technician == employee_id) & ClockEntry.stopped_at.is_null()).objects().first())
    if entry is None:
        return None
    return RunningClock(entry.id, entry.job_line_id, entry.line_job, entry.position, entry.started_at)


@dataclass(frozen=True)
class ClockRow:
    """A clock running now, for the advisor's floor tools (forgotten clocks)."""

    entry_id: int
    technician_id: int
    technician: str
    job_id: int
    line_id: int
    position: int
    started_at: dt.datetime

    def running_for(self, at: dt.datetime | None = None) -> str:
        """How long it has run, e.g. "19:43"."""
        return hours_minutes(((at or now()) - self.started_at).total_seconds())


def running_clocks(after: int | None = None, limit: int = 50) -> list[tuple[int, ClockRow]]:
    """Every clock running now, the earliest started first, a page at a time (keyset on the entry id)."""
    query = (ClockEntry.select(ClockEntry, Employee.name, JobLine.job.alias("line_job"), JobLine.position)
             .join(Employee, on=ClockEntry.technician == Employee.id).switch(ClockEntry).join(JobLine)
             .where(ClockEntry.stopped_at.is_null()).order_by(ClockEntry.id).limit(limit))
    if after is not None:
        query = query.where(ClockEntry.id > after)
    return [(e.id, ClockRow(e.id, e.technician_id, e.name, e.line_job, e.job_line_id, e.position, e.started_at))
            for e in query.objects()]


def _stop(entry_id: int, line_id: int, started_at: dt.datetime, stopped_at: dt.datetime, by: int) -> int:
    seconds = _seconds(started_at, stopped_at)
    # Only an open clock can be stopped: of two terminals stopping the same clock, one gets a Conflict.
    done = (ClockEntry.update(stopped_at=stopped_at, stopped_by=by)
            .where((ClockEntry.id == entry_id) & ClockEntry.stopped_at.is_null()).execute())
    if done != 1:
        raise Conflict(N_("That clock was stopped at another terminal just now."))
    JobLine.update(seconds_worked=JobLine.seconds_worked + seconds).where(JobLine.id == line_id).execute()
    return seconds


def _seconds(started_at: dt.datetime, stopped_at: dt.datetime) -> int:
    return max(0, int((stopped_at - started_at).total_seconds()))


def worked_seconds(line_id: int) -> int:
    """A line's time from its stopped clock entries: what JobLine.seconds_worked must equal."""
    return sum(_seconds(started, stopped) for started, stopped in
               ClockEntry.select(ClockEntry.started_at, ClockEntry.stopped_at)
               .where((ClockEntry.job_line == line_id) & ClockEntry.stopped_at.is_null(False)).tuples())


def check_clocks(job_id: int | None = None) -> list[str]:
    """Lines whose kept seconds differ from their clock entries (of one job card, or all); empty = all well."""
    lines = JobLine.select(JobLine.id, JobLine.job, JobLine.position, JobLine.seconds_worked)
    if job_id is not None:
        lines = lines.where(JobLine.job == job_id)
    wrong = []
    for line in lines.order_by(JobLine.id):
        entries = worked_seconds(line.id)
        if entries != line.seconds_worked:
            wrong.append(f"{job_number(line.job_id)} line {line.position}: kept {line.seconds_worked} s, "
                         f"clock entries {entries} s")
    return wrong


def clock_on(actor: Actor, line_id: int) -> RunningClock:
    """Start the technician's clock on a line; a clock running on another line stops first, in the same
    transaction. Moves an approved card into work. Returns the new RunningClock.

    Raises NotFound, NotAllowed (not their line, line done, card not in work), Conflict (already on this
    line, or started at another terminal at the same moment).
    """
    with change(actor, "clock.on_off") as record:
        line, job = workable_line(actor, line_id, open_line=True)
        current = running_clock(actor.employee_id)
        at = now()
        if current and current.line_id == line.id:
            raise Conflict(N_("Your clock is already running {clock}."), clock=current.label(at))
        if current:
            _stop(current.entry_id, current.line_id, current.started_at, at, actor.employee_id)
        try:
            # A partial unique index allows one open clock per technician, even from two terminals at once.
            with ClockEntry._meta.database.atomic():
                entry = ClockEntry.create(technician=actor.employee_id, job_line=line.id, started_at=at)
        except peewee.IntegrityError:
            raise Conflict(N_("Your clock was started at another terminal just now.")) from None
        start_work(job.id, job.status)
        record.about("job_line", line.id, job=job.id, stopped_previous=current.line_id if current else None)
    return RunningClock(entry.id, line.id, job.id, line.position, at)


def clock_off(actor: Actor) -> int:
    """Stop the technician's running clock; returns the seconds it ran. InvalidInput if none runs."""
    with change(actor, "clock.on_off") as record:
        current = running_clock(actor.employee_id)
        if current is None:
            raise InvalidInput(N_("Your clock is not running."))
        seconds = _stop(current.entry_id, current.line_id, current.started_at, now(), actor.employee_id)
        record.about("job_line", current.line_id, seconds=seconds)
    return seconds


def parse_stop_time(text: str, started_at: dt.datetime) -> dt.datetime:
    """The typed stop time of a forgotten clock: HH:MM on the day the clock started (the next day if that is
    before the start), or YYYY-MM-DD HH:MM. Raises InvalidInput."""
    typed = clean(text, N_("Stop time"), max_len=20, required=True)
    at = parse_when(typed, N_("Stop time"), started_at.date())
    if is_time_of_day(typed) and at < started_at.replace(second=0, microsecond=0):
        at += dt.timedelta(days=1)
    return at


def close_forgotten_clock(actor: Actor, technician_id: int, stopped_at: dt.datetime) -> int:
    """An advisor closes a clock a technician forgot, at the time the work really stopped (between the
    clock's start and now). Returns the seconds counted. Raises NotAllowed (role), NotFound, InvalidInput."""
    with change(actor, "clock.close_forgotten") as record:
        if Employee.get_or_none(Employee.id == technician_id) is None:
            raise NotFound(N_("No such technician."))
        current = running_clock(technician_id)
        if current is None:
            raise InvalidInput(N_("That technician's clock is not running."))
        if not current.started_at <= stopped_at <= now():
            raise InvalidInput(N_("The stop time must be between {start:%H:%M} and now."), start=current.started_at)
        seconds = _stop(current.entry_id, current.line_id, current.started_at, stopped_at, actor.employee_id)
        record.about("job_line", current.line_id, technician=technician_id, seconds=seconds,
                     stopped_at=stopped_at.isoformat())
    return seconds
