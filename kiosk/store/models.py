"""Tables of the kiosk. Rows are facts; history tables (movements, events, audit) are append-only."""

from __future__ import annotations

import datetime as dt

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from . import keys
from .database import db


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def timestamp(at: dt.datetime | None = None) -> str:
    """A time as the DateTimeField columns store it, for hand-written SQL (kiosk.store.fast)."""
    return (at or now()).isoformat(sep=" ")


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class Employee(BaseModel):
    id = AutoField()
    badge = CharField(max_length=32, unique=True)
    name = CharField(max_length=80)
    role = CharField(max_length=16)
    pin_hash = CharField(max_length=200)
    active = BooleanField(default=True)
    failed_pins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField(default=now)
    # The language this employee's sessions speak ("" = the shop's); migration 0012.
    language = CharField(max_length=16, default="")


class Customer(BaseModel):
    id = AutoField()
    name = CharField(max_length=80)
    phone = CharField(max_length=32, default="")
    created_at = DateTimeField(default=now)
    # Search keys (kiosk.store.keys), set on save; PostgreSQL compares them in the "C" collation
    # (migration 0004) so that a prefix is a range on the index whatever the server's locale.
    name_key = CharField(max_length=80, default="")
    surname_key = CharField(max_length=80, default="")
    phone_key = CharField(max_length=32, default="")
    # The digits backwards: found by the last digits of the phone (migration 0011).
    phone_reversed = CharField(max_length=32, default="")

    class Meta:
        indexes = ((("name_key", "id"), False), (("surname_key", "id"), False), (("phone_key", "id"), False),
                   (("phone_reversed", "id"), False))

    def save(self, *args, **kwargs):
        self.name_key, self.surname_key = keys.name_key(self.name), keys.surname_key(self.name)
        self.phone_key, self.phone_reversed = keys.phone_key(self.phone), keys.phone_reversed(self.phone)
        return super().save(*args, **kwargs)


class Vehicle(BaseModel):
    id = AutoField()
    vin = CharField(max_length=17, unique=True)
    plate = CharField(max_length=16, default="")
    model = CharField(max_length=60, default="")
    model_year = IntegerField(null=True)
    # The last odometer reading recorded (a job card leaving draft); a lower one needs a recorded reason.
    last_mileage = IntegerField(default=0)
    customer = ForeignKeyField(Customer, null=True, backref="vehicles")
    created_at = DateTimeField(default=now)
    # Search keys, as on Customer: the plate without separators, the VIN backwards (found by its last characters).
    plate_key = CharField(max_length=16, default="")
    vin_reversed = CharField(max_length=17, default="")
    # Why a VIN whose check digit does not match was put on file where the check is required (an
    # advisor's recorded override, migration 0011); "" for a VIN that passed.
    vin_override_reason = CharField(max_length=200, default="")

    class Meta:
        indexes = ((("plate_key", "id"), False), (("vin_reversed", "id"), False))

    def save(self, *args, **kwargs):
        self.plate_key, self.vin_reversed = keys.plate_key(self.plate), keys.vin_reversed(self.vin)
        return super().save(*args, **kwargs)


class JobCard(BaseModel):
    """A repair order. Its number is its id, allocated by the database."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="job_cards")
    vehicle = ForeignKeyField(Vehicle, backref="job_cards")
    status = CharField(max_length=20, index=True)  # kiosk.jobcard.JOB_STATES
    complaint = TextField(default="")
    mileage_in = IntegerField(default=0)
    promised_at = DateTimeField(null=True, index=True)
    advisor = ForeignKeyField(Employee, null=True, backref="advised_jobs")
    opened_at = DateTimeField(default=now, index=True)
    closed_at = DateTimeField(null=True)
    # Why mileage_in is below the vehicle's last reading (odometer replaced, last reading wrong), if it is.
    mileage_override_reason = CharField(max_length=200, default="")
    # A rework booked from a follow-up call points at the job it reworks.
    rework_of = ForeignKeyField("self", null=True, backref="reworks")


class Approval(BaseModel):
    """The customer's consent to a quote or to further work: who, how, when, recorded by which advisor."""

    id = AutoField()
    job = ForeignKeyField(JobCard, backref="approvals")
    customer_name = CharField(max_length=80)
    how = CharField(max_length=10)  # kiosk.approval.APPROVAL_WAYS
    note = CharField(max_length=200, default="")
    recorded_by = ForeignKeyField(Employee, backref="+")
    terminal = CharField(max_length=60)
    at = DateTimeField(default=now)


class JobLine(BaseModel):
    id = AutoField()
    job = ForeignKeyField(JobCard, backref="lines")
    position = IntegerField(default=1)
    complaint = TextField(default="")
    cause = TextField(default="")
    correction = TextField(default="")
    payer = CharField(max_length=10, default="customer")
    labour_operation = CharField(max_length=20, default="")
    technician = ForeignKeyField(Employee, null=True, backref="job_lines", index=True)
    status = CharField(max_length=10, default="open")  # open, done, declined (further work the customer refused)
    seconds_worked = IntegerField(default=0)
    # Work found after the customer approved the card waits for its own approval (kiosk.approval.line_is_approved).
    further_work = BooleanField(default=False)
    approval = ForeignKeyField(Approval, null=True, backref="lines")

    class Meta:
        indexes = ((("further_work", "approval", "id"), False),)


class Part(BaseModel):
    id = AutoField()
    part_number = CharField(max_length=40, unique=True)
    description = CharField(max_length=200)
    bin = CharField(max_length=16, default="")
    on_hand = IntegerField(default=0)
    unit_price = DecimalField(max_digits=10, decimal_places=2, default=0)
    wear_part = BooleanField(default=False)
    safety_part = BooleanField(default=False)
    # Batteries, airbags: shipped back under hazardous-goods rules.
    hazardous = BooleanField(default=False)
    manufacturer = CharField(max_length=40, default="")
    # The words the catalogue search finds the part by, space-separated (kiosk.catalogue.search_text);
    # indexed by an FTS5 table on SQLite and a GIN index on PostgreSQL (migration 0003).
    search_text = TextField(default="")


class LabourOperation(BaseModel):
    """A labour operation and its standard hours, the time a warranty claim pays for (manufacturer "": any)."""

    id = AutoField()
    manufacturer = CharField(max_length=40, default="")
    code = CharField(max_length=20)
    description = CharField(max_length=200, default="")
    standard_hours = DecimalField(max_digits=6, decimal_places=2)
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("code", "manufacturer"), True),)


class EstimateLine(BaseModel):
    """A priced part or labour item of a job line's quote; approval is set when the customer agrees to it."""

    id = AutoField()
    job = ForeignKeyField(JobCard, backref="estimate_lines")
    job_line = ForeignKeyField(JobLine, backref="estimate_lines")
    kind = CharField(max_length=8)  # part, labour
    part = ForeignKeyField(Part, null=True, backref="+")
    description = CharField(max_length=200, default="")
    quantity = DecimalField(max_digits=8, decimal_places=2)
    unit_price = DecimalField(max_digits=10, decimal_places=2)
    amount = DecimalField(max_digits=12, decimal_places=2)
    approval = ForeignKeyField(Approval, null=True, backref="estimate_lines")
    added_by = ForeignKeyField(Employee, backref="+")
    added_at = DateTimeField(default=now)


class StockMovement(BaseModel):
    """Append-only ledger: on_hand of a part always equals the sum of its movements."""

    id = AutoField()
    part = ForeignKeyField(Part, backref="movements")
    quantity = IntegerField()
    kind = CharField(max_length=10)
    job_line = ForeignKeyField(JobLine, null=True, backref="movements")
    reason = CharField(max_length=200, default="")
    employee = ForeignKeyField(Employee, backref="movements")
    terminal = CharField(max_length=60)
    at = DateTimeField(default=now)


class ClockEntry(BaseModel):
    """A technician's time on a job line; at most one open (stopped_at null) per technician."""

    id = AutoField()
    technician = ForeignKeyField(Employee, backref="clock_entries")
    job_line = ForeignKeyField(JobLine, backref="clock_entries")
    started_at = DateTimeField(default=now)
    stopped_at = DateTimeField(null=True)
    stopped_by = ForeignKeyField(Employee, null=True, backref="+")


class RemovedPart(BaseModel):
    """An old part that came off a job line: tagged for warranty, kept by the customer or scrapped."""

    id = AutoField()
    job_line = ForeignKeyField(JobLine, backref="removed_parts")
    part = ForeignKeyField(Part, backref="+")
    quantity = IntegerField(default=1)
    causal = BooleanField(default=False)
    disposition = CharField(max_length=16)
    recorded_by = ForeignKeyField(Employee, backref="+")
    recorded_at = DateTimeField(default=now)


class ReturnRequest(BaseModel):
    """A manufacturer's request to send parts back: one request per box."""

    id = AutoField()
    number = CharField(max_length=30, unique=True)
    manufacturer = CharField(max_length=40, default="")
    due_on = DateField(null=True)
    status = CharField(max_length=10, default="open")
    created_by = ForeignKeyField(Employee, backref="+")
    created_at = DateTimeField(default=now)


class Shipment(BaseModel):
    """A box of returned parts. Its id is the box number."""

    id = AutoField()
    return_request = ForeignKeyField(ReturnRequest, backref="shipments")
    status = CharField(max_length=10, default="open")
    carrier = CharField(max_length=40, default="")
    tracking_number = CharField(max_length=60, default="")
    created_by = ForeignKeyField(Employee, backref="+")
    created_at = DateTimeField(default=now)
    shipped_at = DateTimeField(null=True)


class WarrantyTag(BaseModel):
    """A tagged warranty part. Its status is the last of its events, kept here for speed."""

    id = AutoField()
    tag_number = CharField(max_length=20, unique=True, null=True)
    removed_part = ForeignKeyField(RemovedPart, backref="tags", null=True)
    job = ForeignKeyField(JobCard, backref="tags")
    job_line = ForeignKeyField(JobLine, backref="tags")
    status = CharField(max_length=12)
    location = CharField(max_length=16, default="", index=True)
    manufacturer = CharField(max_length=40, default="", index=True)
    part_number = CharField(max_length=40, index=True)
    description = CharField(max_length=200, default="")
    quantity = IntegerField(default=1)
    causal = BooleanField(default=False)
    hazardous = BooleanField(default=False)
    vin = CharField(max_length=17, index=True)
    mileage = IntegerField(default=0)
    technician = ForeignKeyField(Employee, backref="+")
    labour_operation = CharField(max_length=20, default="")
    complaint = TextField(default="")
    cause = TextField(default="")
    tagged_at = DateTimeField(default=now)
    held_at = DateTimeField(null=True)
    # The manufacturer's claim: retention runs from the day it is paid.
    claim_number = CharField(max_length=30, default="", index=True)
    claim_status = CharField(max_length=12, default="")
    claim_paid_on = DateField(null=True)
    claim_amount = DecimalField(max_digits=10, decimal_places=2, null=True)
    debited_amount = DecimalField(max_digits=10, decimal_places=2, null=True)
    keep_until = DateField(null=True)
    # Safety parts need the manufacturer's approval before a claim: "needed", "approved" or "refused".
    approval = CharField(max_length=10, default="", index=True)
    override_reason = CharField(max_length=200, default="")
    override_by = ForeignKeyField(Employee, null=True, backref="+")
    return_request = ForeignKeyField(ReturnRequest, null=True, backref="tags")
    shipment = ForeignKeyField(Shipment, null=True, backref="tags")

    class Meta:
        indexes = (
            (("status", "id"), False),
            (("status", "tagged_at"), False),
            (("status", "keep_until"), False),
            # A line's tags and causal ones counted from the index alone (kiosk.readiness, migration 0008).
            (("job_line", "status", "causal"), False),
        )


class TagEvent(BaseModel):
    """Append-only history of a tag; the status of the last event is the tag's status."""

    id = AutoField()
    tag = ForeignKeyField(WarrantyTag, backref="events")
    status = CharField(max_length=12)
    location = CharField(max_length=16, default="")
    note = CharField(max_length=200, default="")
    employee = ForeignKeyField(Employee, backref="+")
    terminal = CharField(max_length=60)
    client = CharField(max_length=80, default="")
    at = DateTimeField(default=now)


class PrintJob(BaseModel):
    """A label waiting for, or sent to, a printer. A failed one stays with its error until it prints.

    status: queued, printing (claimed by one terminal), printed, failed (due again at next_try_at) or
    parked (failed too often; waits for a person to retry it).
    """

    id = AutoField()
    tag = ForeignKeyField(WarrantyTag, backref="print_jobs")
    printer = CharField(max_length=40)
    status = CharField(max_length=10, default="queued", index=True)
    attempts = IntegerField(default=0)
    last_error = CharField(max_length=300, default="")
    reference = CharField(max_length=200, default="")
    requested_by = ForeignKeyField(Employee, backref="+")
    created_at = DateTimeField(default=now)
    printed_at = DateTimeField(null=True)
    claimed_by = CharField(max_length=80, default="")
    claimed_at = DateTimeField(null=True)
    next_try_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("status", "next_try_at"), False),)


class MajorFault(BaseModel):
    """A major failure, reported to the manufacturer at once."""

    id = AutoField()
    job = ForeignKeyField(JobCard, backref="major_faults")
    tag = ForeignKeyField(WarrantyTag, null=True, backref="+")
    description = TextField()
    raised_by = ForeignKeyField(Employee, backref="+")
    raised_at = DateTimeField(default=now)
    terminal = CharField(max_length=60)


class QualityCheck(BaseModel):
    """The check before the vehicle goes back, by someone who did not work on the card."""

    id = AutoField()
    job = ForeignKeyField(JobCard, backref="quality_checks")
    passed = BooleanField()
    note = TextField(default="")
    checked_by = ForeignKeyField(Employee, backref="+")
    at = DateTimeField(default=now)


class CorrectionNote(BaseModel):
    """A correction to a job card written after the fact (a delivered card itself never changes)."""

    id = AutoField()
    job = ForeignKeyField(JobCard, backref="correction_notes")
    text = TextField()
    employee = ForeignKeyField(Employee, backref="+")
    terminal = CharField(max_length=60)
    at = DateTimeField(default=now)


class Complaint(BaseModel):
    """A customer's complaint: who owns it, where it stands (open, in_progress, resolved), how it ended."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="complaints")
    job = ForeignKeyField(JobCard, null=True, backref="complaints")
    text = TextField()
    owner = ForeignKeyField(Employee, backref="+")
    status = CharField(max_length=12, default="open")
    resolution = TextField(default="")
    opened_by = ForeignKeyField(Employee, backref="+")
    opened_at = DateTimeField(default=now)
    resolved_by = ForeignKeyField(Employee, null=True, backref="+")
    resolved_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("status", "id"), False),)


class FollowUp(BaseModel):
    """The call after delivery, due within two days; its outcome goes on the customer's file."""

    id = AutoField()
    job = ForeignKeyField(JobCard, unique=True, backref="+")
    customer = ForeignKeyField(Customer, backref="+")
    due_at = DateTimeField()
    status = CharField(max_length=8, default="open")  # open, done
    outcome = CharField(max_length=12, default="")
    note = TextField(default="")
    attempts = IntegerField(default=0)
    done_by = ForeignKeyField(Employee, null=True, backref="+")
    done_at = DateTimeField(null=True)
    rework_job = ForeignKeyField(JobCard, null=True, backref="+")
    complaint = ForeignKeyField(Complaint, null=True, backref="+")

    class Meta:
        indexes = ((("status", "due_at", "id"), False),)


class CustomerNote(BaseModel):
    """The customer's file (客户档案): follow-up outcomes, complaints, notes. Append-only."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="notes")
    kind = CharField(max_length=12)
    text = TextField()
    job = ForeignKeyField(JobCard, null=True, backref="+")
    employee = ForeignKeyField(Employee, backref="+")
    at = DateTimeField(default=now)


class AuditEvent(BaseModel):
    """Who did what, when, from which terminal (and which SSH client). Never updated or deleted."""

    id = AutoField()
    at = DateTimeField(default=now, index=True)
    employee = ForeignKeyField(Employee, null=True, backref="+")
    terminal = CharField(max_length=60)
    client = CharField(max_length=80, default="")
    action = CharField(max_length=40, index=True)
    subject = CharField(max_length=40, default="")
    subject_id = IntegerField(null=True)
    detail = TextField(default="")


class ImportRun(BaseModel):
    """A file imported in batches (kiosk.imports): its checksum, who ran it, how far the writing got.
    A run left "running" by a crash is taken up again when the same file is imported."""

    id = AutoField()
    kind = CharField(max_length=20)  # parts, claims
    file_name = CharField(max_length=200, default="")
    sha256 = CharField(max_length=64, index=True)
    encoding = CharField(max_length=20, default="")
    status = CharField(max_length=10, default="running")  # running, done
    lines = IntegerField(default=0)
    written = IntegerField(default=0)
    employee = ForeignKeyField(Employee, null=True, backref="+")
    actor = CharField(max_length=80, default="")  # the employee's name, or the OS user of a shell command
    terminal = CharField(max_length=60, default="")
    started_at = DateTimeField(default=now)
    finished_at = DateTimeField(null=True)


class PartChange(BaseModel):
    """A part added to or changed in the catalogue: who, when, old and new price, and the other fields changed
    (JSON: field -> [old, new]). Append-only."""

    id = AutoField()
    part = ForeignKeyField(Part, backref="changes")
    import_run = ForeignKeyField(ImportRun, null=True, backref="+")
    kind = CharField(max_length=10)  # added, updated
    old_price = DecimalField(max_digits=10, decimal_places=2, null=True)
    new_price = DecimalField(max_digits=10, decimal_places=2, null=True)
    changes = TextField(default="")
    employee = ForeignKeyField(Employee, null=True, backref="+")
    actor = CharField(max_length=80, default="")
    terminal = CharField(max_length=60, default="")
    at = DateTimeField(default=now)

    class Meta:
        indexes = ((("part", "id"), False),)


ALL_MODELS = [
    Employee, Customer, Vehicle, JobCard, Approval, JobLine, Part, EstimateLine, StockMovement, ClockEntry,
    LabourOperation, RemovedPart, ReturnRequest, Shipment, WarrantyTag, TagEvent, PrintJob, MajorFault,
    QualityCheck, CorrectionNote, Complaint, FollowUp, CustomerNote, AuditEvent, ImportRun, PartChange,
]
