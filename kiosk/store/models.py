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


class Customer(BaseModel):
    id = AutoField()
    name = CharField(max_length=80, index=True)
    phone = CharField(max_length=32, index=True, default="")
    created_at = DateTimeField(default=now)


class Vehicle(BaseModel):
    id = AutoField()
    vin = CharField(max_length=17, unique=True)
    plate = CharField(max_length=16, index=True, default="")
    model = CharField(max_length=60, default="")
    model_year = IntegerField(null=True)
    last_mileage = IntegerField(default=0)
    customer = ForeignKeyField(Customer, null=True, backref="vehicles")
    created_at = DateTimeField(default=now)


class JobCard(BaseModel):
    """A repair order. Its number is its id, allocated by the database."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="job_cards")
    vehicle = ForeignKeyField(Vehicle, backref="job_cards")
    status = CharField(max_length=20, index=True)  # kiosk.jobs.JOB_STATES
    complaint = TextField(default="")
    mileage_in = IntegerField(default=0)
    promised_at = DateTimeField(null=True, index=True)
    advisor = ForeignKeyField(Employee, null=True, backref="advised_jobs")
    opened_at = DateTimeField(default=now, index=True)
    closed_at = DateTimeField(null=True)


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
    status = CharField(max_length=10, default="open")
    seconds_worked = IntegerField(default=0)


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
    """A label waiting for, or sent to, a printer. A failed one stays with its error until it prints."""

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


class MajorFault(BaseModel):
    """A major failure, reported to the manufacturer at once."""

    id = AutoField()
    job = ForeignKeyField(JobCard, backref="major_faults")
    tag = ForeignKeyField(WarrantyTag, null=True, backref="+")
    description = TextField()
    raised_by = ForeignKeyField(Employee, backref="+")
    raised_at = DateTimeField(default=now)
    terminal = CharField(max_length=60)


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


ALL_MODELS = [
    Employee, Customer, Vehicle, JobCard, JobLine, Part, StockMovement, ClockEntry,
    RemovedPart, ReturnRequest, Shipment, WarrantyTag, TagEvent, PrintJob, MajorFault, AuditEvent,
]
