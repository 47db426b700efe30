"""Claim readiness: would a warranty claim survive the manufacturer's audit? Every claim (a tag on the claim
list) is checked with its job line and job card: the three Cs, the causal part, the mileage, the customer's
approval before work started, the technician and clocked time against the labour operation's standard hours,
a safety part's approval, the tag itself, and the card's quality check and delivery.

Each problem says, in words, who can fix it and the key that takes them there. Tags are checked a page at a
time with a fixed number of queries per page (never one query per tag), so a month of a large dealer reads in
chunks. Each check is a setting per manufacturer (kiosk.config.ReadinessRules).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from collections.abc import Iterable

from peewee import Case, fn

from .clocking import hours_minutes
from .config import ReadinessRules, Settings, readiness_rules
from .jobs import job_number
from .labourops import hours_for, standard_hours
from .i18n import N_, Said, gettext, ngettext, render
from .text import cell_width
from .store.models import Approval, ClockEntry, JobCard, JobLine, QualityCheck, RemovedPart, WarrantyTag

# The rules in the order problems are listed, with the words a person reads.
RULES = {
    "three_cs": N_("three Cs"), "causal_part": N_("causal part"), "mileage": N_("mileage"),
    "approval_before_clock": N_("approval before work"), "technician_and_clock": N_("technician and clock"),
    "safety_approval": N_("safety approval"), "tag": N_("the tag"), "card_closed": N_("the card"),
}
# Who fixes a problem, as a person reads it.
WHO = {"technician": N_("technician"), "advisor": N_("advisor"), "parts clerk": N_("parts clerk"),
       "manager": N_("manager")}
# Words that say nothing about a repair, whatever their length.
TRIVIAL = {"ok", "okay", "fixed", "done", "n/a", "na", "none", "nil", "-", "--", "replaced", "repaired", "see above",
           "checked", "check", "as above", "same", "test", "xx", "xxx", "同上", "已修", "修好", "好", "无", "完成",
           "已更换", "更换", "正常"}
# Words of a part's description too general to name it in a correction.
_GENERAL = {"front", "rear", "left", "right", "upper", "lower", "inner", "outer", "assembly", "assy", "part", "parts",
            "with", "kit", "unit"}
_HANZI_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
_WORD = re.compile(r"[a-z][a-z0-9]{3,}")
_SEPARATORS = re.compile(r"[\s\-_./]+")
CLOSED = "delivered"


@dataclass(frozen=True)
class Problem:
    """One reason a claim would fail: what is wrong, who can fix it (a key of WHO), and where (the keys). The
    text and the where are message ids with their values (i18n.Said): said in the language of whoever reads."""

    rule: str
    text: str | Said
    who: str
    where: str | Said

    def __str__(self) -> str:
        return render(N_("{text} {who}: {where}."), {"text": self.text, "where": self.where,
                                                    "who": gettext(WHO.get(self.who, self.who)).capitalize()})


@dataclass(frozen=True)
class ClaimReadiness:
    """A claim's state: ready, or its problems."""

    tag_id: int
    tag_number: str
    job_id: int
    line_position: int
    manufacturer: str
    problems: tuple[Problem, ...]

    @property
    def job_number(self) -> str:
        return job_number(self.job_id)

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def state(self) -> str:
        count = len(self.problems)
        if not count:
            return gettext(N_("ready"))
        return ngettext("{count} problem", "{count} problems", count).format(count=count)

    @property
    def problem_text(self) -> str:
        # Said joins the sentences as each language does: a space in English, none after a Chinese full stop.
        return str(Said(("{problem}", {"problem": p}) for p in self.problems))


# ---------------------------------------------------------------- text rules


def text_weight(text: str) -> int:
    """How much a text says, by length: a Chinese (wide) character counts two."""
    return cell_width(text.strip())


def trivially_short(text: str, min_chars: int) -> bool:
    folded = " ".join(unicodedata.normalize("NFKC", text).lower().split()).strip(" .!。")
    return folded in TRIVIAL or text_weight(folded) < min_chars


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).lower())


def names_part(correction: str, part_number: str, description: str, labour_operation: str) -> bool:
    """Does the correction name the part replaced (its number, its Chinese name, or a word of its description
    that is not a general one) or the labour operation?"""
    said = _compact(correction)
    if any(code and _compact(code) in said for code in (part_number, labour_operation)):
        return True
    folded = unicodedata.normalize("NFKC", description).lower()
    if any(run in correction for run in _HANZI_RUN.findall(folded)):
        return True
    words = set(_WORD.findall(unicodedata.normalize("NFKC", correction).lower()))
    return any(w[:5] in {x[:5] for x in words} for w in _WORD.findall(folded) if w not in _GENERAL)


# ---------------------------------------------------------------- what a page of tags needs


def _as_time(value) -> dt.datetime | None:
    """A time from an aggregate (SQLite hands MIN() back as text)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


@dataclass
class _Facts:
    """Everything the rules read for a page of tags, each fetched with one query."""

    lines: dict
    jobs: dict
    card_approved_at: dict
    further_approved_at: dict
    first_clock: dict
    running: set
    checked: set
    earlier_mileage: dict
    line_tags: dict
    untagged: dict
    hours: dict


def _facts(tags: list[WarrantyTag]) -> _Facts:
    line_ids = sorted({t.job_line_id for t in tags})
    job_ids = sorted({t.job_id for t in tags})
    lines = {ln.id: ln for ln in JobLine.select(
        JobLine.id, JobLine.job, JobLine.position, JobLine.complaint, JobLine.cause, JobLine.correction,
        JobLine.labour_operation, JobLine.technician, JobLine.seconds_worked, JobLine.further_work,
        JobLine.approval).where(JobLine.id.in_(line_ids))}
    jobs = {j.id: j for j in JobCard.select(
        JobCard.id, JobCard.vehicle, JobCard.status, JobCard.complaint, JobCard.mileage_in,
        JobCard.mileage_override_reason).where(JobCard.id.in_(job_ids))}
    card_approved_at = {job: _as_time(at) for job, at in Approval.select(Approval.job, fn.MIN(Approval.at))
                        .where(Approval.job.in_(job_ids)).group_by(Approval.job).tuples()}
    further = sorted({ln.approval_id for ln in lines.values() if ln.further_work and ln.approval_id})
    further_approved_at = dict(Approval.select(Approval.id, Approval.at).where(Approval.id.in_(further)).tuples()) \
        if further else {}
    first_clock, running = {}, set()
    for line_id, started, open_clocks in (ClockEntry.select(
            ClockEntry.job_line, fn.MIN(ClockEntry.started_at),
            fn.SUM(Case(None, [(ClockEntry.stopped_at.is_null(), 1)], 0)))
            .where(ClockEntry.job_line.in_(line_ids)).group_by(ClockEntry.job_line).tuples()):
        first_clock[line_id] = _as_time(started)
        if open_clocks:
            running.add(line_id)
    checked = {j for (j,) in QualityCheck.select(QualityCheck.job).where(
        QualityCheck.job.in_(job_ids) & (QualityCheck.passed == True)).distinct().tuples()}  # noqa: E712
    vehicles = sorted({j.vehicle_id for j in jobs.values()})
    visits = defaultdict(list)
    for job_id, vehicle_id, mileage in (JobCard.select(JobCard.id, JobCard.vehicle, JobCard.mileage_in)
                                        .where(JobCard.vehicle.in_(vehicles)
                                               & JobCard.status.not_in(("draft", "cancelled"))).tuples()):
        visits[vehicle_id].append((job_id, mileage))
    earlier_mileage = {}
    for job in jobs.values():
        before = [(m, n) for n, m in visits[job.vehicle_id] if n < job.id]
        if before:
            earlier_mileage[job.id] = max(before)
    # Counted in the database: a line's tags are read as (tags, causal ones), not tag by tag.
    line_tags = {line_id: (count, int(causal or 0)) for line_id, count, causal in WarrantyTag.select(
        WarrantyTag.job_line, fn.COUNT(WarrantyTag.id), fn.SUM(Case(None, [(WarrantyTag.causal == True, 1)], 0)))  # noqa: E712
        .where(WarrantyTag.job_line.in_(line_ids) & (WarrantyTag.status != "void"))
        .group_by(WarrantyTag.job_line).tuples()}
    removed = dict(RemovedPart.select(RemovedPart.id, RemovedPart.job_line).where(
        RemovedPart.job_line.in_(line_ids) & (RemovedPart.disposition == "warranty")).tuples())
    tagged_removed = {r for (r,) in WarrantyTag.select(WarrantyTag.removed_part).where(
        WarrantyTag.removed_part.in_(list(removed)) & (WarrantyTag.status != "void")).tuples()} if removed else set()
    untagged = defaultdict(list)
    for removed_id, line_id in removed.items():
        if removed_id not in tagged_removed:
            untagged[line_id].append(removed_id)
    hours = standard_hours(ln.labour_operation for ln in lines.values())
    return _Facts(lines, jobs, card_approved_at, further_approved_at, first_clock, running, checked,
                  earlier_mileage, line_tags, untagged, hours)


# ---------------------------------------------------------------- the rules


def _when(at) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if isinstance(at, dt.datetime) else str(at)[:16]


def _say(message: str, **values) -> Said:
    """A problem's words kept as a message id and its values: said in the language of whoever reads them."""
    return Said(((message, values),))


# The three Cs of a line, each missing or too short, in words a person reads.
_MISSING = {"complaint": N_("Line {line} has no complaint."), "cause": N_("Line {line} has no cause."),
            "correction": N_("Line {line} has no correction.")}
_TOO_SHORT = {"complaint": N_("The complaint of line {line} ({text!r}) is too short to explain the repair."),
              "cause": N_("The cause of line {line} ({text!r}) is too short to explain the repair."),
              "correction": N_("The correction of line {line} ({text!r}) is too short to explain the repair.")}


class _Check:
    """The rules applied to one tag, given the page's facts."""

    def __init__(self, tag: WarrantyTag, facts: _Facts, rules: ReadinessRules) -> None:
        self.tag, self.facts, self.rules = tag, facts, rules
        self.line = facts.lines[tag.job_line_id]
        self.job = facts.jobs[tag.job_id]
        self.ro = job_number(tag.job_id)
        self.open = self.job.status not in (CLOSED, "cancelled")
        self.problems: list[Problem] = []

    def problem(self, rule: str, text: Said, who: str, where: Said) -> None:
        self.problems.append(Problem(rule, text, who, where))

    def on_card(self, message: str) -> Said:
        """Where on this card (a key on the job card), said with its number."""
        return _say(message, ro=self.ro)

    def note(self) -> tuple[str, Said]:
        """Who fixes a card's recorded facts, and where: on a closed card only a correction note can."""
        return ("advisor", self.on_card(N_("F10 on {ro} (board: type {ro}), a correction note; send the claim with "
                                           "the corrected text")))

    def three_cs(self) -> None:
        pos = self.line.position
        texts = (("complaint", self.line.complaint or self.job.complaint), ("cause", self.line.cause),
                 ("correction", self.line.correction))
        for name, text in texts:
            if name == "complaint":
                who, where = ("advisor", self.on_card(N_("F11 on {ro} (board: type {ro})"))) if self.open \
                    else self.note()
            else:
                who, where = (("technician", self.on_card(N_("F5 on {ro} (My jobs)"))) if self.open else self.note())
            if not text.strip():
                self.problem("three_cs", _say(_MISSING[name], line=pos), who, where)
            elif trivially_short(text, self.rules.min_text_chars):
                self.problem("three_cs", _say(_TOO_SHORT[name], line=pos, text=text.strip()[:20]), who, where)
            elif name == "correction" and self.rules.correction_names_part and not names_part(
                    text, self.tag.part_number, self.tag.description, self.line.labour_operation):
                self.problem("three_cs", _say(N_("The correction of line {line} names neither the part replaced "
                                                 "({part}) nor the labour operation ({operation})."),
                                              line=pos, part=self.tag.part_number,
                                              operation=self.line.labour_operation or N_("none")), who, where)

    def causal_part(self) -> None:
        replaced, causal = self.facts.line_tags.get(self.line.id, (0, 0))
        who, where = ("technician", self.on_card(N_("F6 on {ro} (My jobs): mark the old part that caused the failure "
                                                    "as causal"))) if self.open else self.note()
        if causal == 0:
            self.problem("causal_part", _say(N_("Line {line} names no causal part: {count} part(s) replaced, none "
                                                "marked as the one that caused the failure."),
                                             line=self.line.position, count=replaced), who, where)
        elif causal > 1:
            self.problem("causal_part", _say(N_("Line {line} names {count} causal parts; one repair has one causal "
                                                "part, the others are related to it."),
                                             line=self.line.position, count=causal), who, where)

    def mileage(self) -> None:
        if self.job.mileage_in <= 0:
            fixer = ("advisor", self.on_card(N_("F11 on {ro} (board: type {ro})"))) if self.open else self.note()
            self.problem("mileage", _say(N_("{ro} has no mileage in."), ro=self.ro), *fixer)
            return
        earlier = self.facts.earlier_mileage.get(self.job.id)
        if earlier and self.job.mileage_in < earlier[0] and not self.job.mileage_override_reason.strip():
            self.problem("mileage", _say(N_("Mileage in {mileage} km is below {earlier} km of the earlier visit "
                                            "{visit}, and no reason is recorded."),
                                         mileage=self.job.mileage_in, earlier=earlier[0], visit=job_number(earlier[1])),
                         *(("advisor", self.on_card(N_("F11 on {ro} (board: type {ro}), with the reason")))
                           if self.open else self.note()))

    def approval_before_clock(self) -> None:
        line = self.line
        approved = (self.facts.further_approved_at.get(line.approval_id) if line.further_work
                    else self.facts.card_approved_at.get(self.job.id))
        first = self.facts.first_clock.get(line.id)
        if approved is None:
            self.problem("approval_before_clock",
                         _say(N_("No customer approval is recorded for line {line}."), line=line.position),
                         *(("advisor", self.on_card(N_("F4 on {ro} (board: type {ro})"))) if self.open
                           else self.note()))
        elif first is not None and first < approved:
            self.problem("approval_before_clock",
                         _say(N_("Work on line {line} started {started}, before the customer's approval at "
                                 "{approved}."), line=line.position, started=_when(first), approved=_when(approved)),
                         *self.note())

    def technician_and_clock(self) -> None:
        line, pos = self.line, self.line.position
        if line.technician_id is None:
            self.problem("technician_and_clock", _say(N_("Line {line} has no technician."), line=pos),
                         "advisor", _say(N_("board F6 floor tools, assign the line's technician")) if self.open
                         else self.note()[1])
        if line.id in self.facts.running:
            self.problem("technician_and_clock", _say(N_("A clock still runs on line {line}."), line=pos), "advisor",
                         _say(N_("board F6 floor tools, close the forgotten clock with its stop time")))
        if not line.seconds_worked:
            if line.id not in self.facts.running:
                self.problem("technician_and_clock", _say(N_("No time is clocked on line {line}."), line=pos),
                             *(("technician", self.on_card(N_("F2 on {ro} (My jobs) clocks on and off")))
                               if self.open else self.note()))
            return
        if not line.labour_operation:
            self.problem("technician_and_clock",
                         _say(N_("Line {line} has no labour operation to compare its time with."), line=pos),
                         *self.note())
            return
        standard = hours_for(self.facts.hours, self.tag.manufacturer, line.labour_operation)
        if standard is None:
            self.problem("technician_and_clock", _say(N_("Labour operation {operation} has no standard hours."),
                                                      operation=line.labour_operation),
                         "manager", _say(N_("kiosk labour-ops import FILE.csv (code, standard_hours, manufacturer)")))
            return
        worked = Decimal(line.seconds_worked) / 3600
        spread = standard * Decimal(self.rules.clock_tolerance_percent) / 100
        if not standard - spread <= worked <= standard + spread:
            self.problem("technician_and_clock",
                         _say(N_("Line {line}: {worked} clocked against {standard} standard for {operation} "
                                 "(± {percent}%)."), line=pos, worked=hours_minutes(line.seconds_worked),
                              standard=hours_minutes(int(standard * 3600)), operation=line.labour_operation,
                              percent=self.rules.clock_tolerance_percent),
                         "advisor", self.on_card(N_("board F6 floor tools for a forgotten clock, else a correction "
                                                    "note (F10 on {ro}) saying why")))

    def safety_approval(self) -> None:
        if self.tag.approval == "needed":
            self.problem("safety_approval", _say(N_("Safety part {part} waits for the manufacturer's approval."),
                                                 part=self.tag.part_number),
                         "advisor", _say(N_("board F6 floor tools, approve or refuse it")))

    def tag_state(self) -> None:
        tag, status = self.tag, self.tag.status
        if status == "tagged":
            self.problem("tag", _say(N_("Tag {tag} was never scanned into the warranty-parts room."),
                                     tag=tag.tag_number),
                         "parts clerk", _say(N_("scan the tag at the parts room")))
        elif status == "missing":
            self.problem("tag", _say(N_("Tag {tag} is marked missing: the part cannot be produced."),
                                     tag=tag.tag_number),
                         "parts clerk", _say(N_("find the part and scan it in at the parts room")))
        elif status == "shipped" and tag.return_request_id is None:
            self.problem("tag", _say(N_("Tag {tag} was shipped without a return request."), tag=tag.tag_number),
                         "parts clerk", _say(N_("F3 return requests, then the box (F4)")))
        for _ in self.facts.untagged.get(self.line.id, []):
            self.problem("tag", _say(N_("A warranty part removed on line {line} has no tag."),
                                     line=self.line.position),
                         *(("technician", self.on_card(N_("F9 on {ro} (My jobs)"))) if self.open else self.note()))

    def card_closed(self) -> None:
        status = self.job.status
        if status == "cancelled":
            self.problem("card_closed", _say(N_("{ro} was cancelled."), ro=self.ro), *self.note())
        elif self.job.id not in self.facts.checked:
            self.problem("card_closed", _say(N_("{ro} has no passed quality check."), ro=self.ro),
                         "advisor", self.on_card(N_("F7 on {ro} (board: type {ro})")))
        if status not in (CLOSED, "cancelled"):
            self.problem("card_closed", _say(N_("{ro} is not delivered and closed."), ro=self.ro),
                         "advisor", self.on_card(N_("F8 on {ro} (board: type {ro}) once the blockers are clear")))

    def run(self) -> tuple[Problem, ...]:
        rules = self.rules
        if rules.three_cs:
            self.three_cs()
        if rules.causal_part:
            self.causal_part()
        if rules.mileage:
            self.mileage()
        if rules.approval_before_clock:
            self.approval_before_clock()
        if rules.technician_and_clock:
            self.technician_and_clock()
        if rules.safety_approval:
            self.safety_approval()
        if rules.tag:
            self.tag_state()
        if rules.card_closed:
            self.card_closed()
        return tuple(self.problems)


def check_tags(tags: Iterable[WarrantyTag], settings: Settings | None = None) -> dict[int, ClaimReadiness]:
    """The readiness of each tag given (WarrantyTag rows, e.g. a page of the claim list), by tag id; a fixed
    number of queries whatever the number of tags."""
    tags = list(tags)
    if not tags:
        return {}
    settings = settings or Settings(terminal="readiness")
    facts = _facts(tags)
    rules: dict[str, ReadinessRules] = {}
    out = {}
    for tag in tags:
        if tag.manufacturer not in rules:
            rules[tag.manufacturer] = readiness_rules(settings, tag.manufacturer)
        line = facts.lines[tag.job_line_id]
        out[tag.id] = ClaimReadiness(tag.id, tag.tag_number or "", tag.job_id, line.position, tag.manufacturer,
                                     _Check(tag, facts, rules[tag.manufacturer]).run())
    return out


def claim(tag_id: int, settings: Settings | None = None) -> ClaimReadiness | None:
    """One claim's readiness by its tag's id (the claim list's highlighted row); None for no such tag."""
    tag = WarrantyTag.get_or_none(WarrantyTag.id == tag_id)
    return check_tags([tag], settings)[tag.id] if tag is not None else None
