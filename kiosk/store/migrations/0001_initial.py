# Generated from a schema diff on 2026-11-23 05:36.
# Column defaults are applied by the application models (kiosk.store.models), not by the database.
from peewee import *


def up(migrator, db):
    class Customer(Model):
        name = CharField(max_length=80)
        phone = CharField(max_length=32, default='')
        created_at = DateTimeField()
        name_key = CharField(max_length=80, default='')
        surname_key = CharField(max_length=80, default='')
        phone_key = CharField(max_length=32, default='')
        class Meta:
            database = db
            table_name = 'customer'
            indexes = ((('name_key', 'id'), False), (('surname_key', 'id'), False), (('phone_key', 'id'), False))
    db.create_tables([Customer])

    class Vehicle(Model):
        vin = CharField(unique=True, max_length=17)
        plate = CharField(max_length=16, default='')
        model = CharField(max_length=60, default='')
        model_year = IntegerField(null=True)
        last_mileage = IntegerField(default=0)
        customer = ForeignKeyField(Customer, null=True)
        created_at = DateTimeField()
        plate_key = CharField(max_length=16, default='')
        vin_reversed = CharField(max_length=17, default='')
        class Meta:
            database = db
            table_name = 'vehicle'
            indexes = ((('plate_key', 'id'), False), (('vin_reversed', 'id'), False))
    db.create_tables([Vehicle])

    class Employee(Model):
        badge = CharField(unique=True, max_length=32)
        name = CharField(max_length=80)
        role = CharField(max_length=16)
        pin_hash = CharField(max_length=200)
        active = BooleanField(default=True)
        failed_pins = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'employee'
    db.create_tables([Employee])

    class JobCard(Model):
        customer = ForeignKeyField(Customer)
        vehicle = ForeignKeyField(Vehicle)
        status = CharField(index=True, max_length=20)
        complaint = TextField(default='')
        mileage_in = IntegerField(default=0)
        promised_at = DateTimeField(index=True, null=True)
        advisor = ForeignKeyField(Employee, null=True)
        opened_at = DateTimeField(index=True)
        closed_at = DateTimeField(null=True)
        mileage_override_reason = CharField(max_length=200, default='')
        rework_of = ForeignKeyField('self', null=True)
        class Meta:
            database = db
            table_name = 'job_card'
    db.create_tables([JobCard])

    class Approval(Model):
        job = ForeignKeyField(JobCard)
        customer_name = CharField(max_length=80)
        how = CharField(max_length=10)
        note = CharField(max_length=200, default='')
        recorded_by = ForeignKeyField(Employee)
        terminal = CharField(max_length=60)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'approval'
    db.create_tables([Approval])

    class AuditEvent(Model):
        at = DateTimeField(index=True)
        employee = ForeignKeyField(Employee, null=True)
        terminal = CharField(max_length=60)
        client = CharField(max_length=80, default='')
        action = CharField(index=True, max_length=40)
        subject = CharField(max_length=40, default='')
        subject_id = IntegerField(null=True)
        detail = TextField(default='')
        class Meta:
            database = db
            table_name = 'audit_event'
    db.create_tables([AuditEvent])

    class JobLine(Model):
        job = ForeignKeyField(JobCard)
        position = IntegerField(default=1)
        complaint = TextField(default='')
        cause = TextField(default='')
        correction = TextField(default='')
        payer = CharField(max_length=10, default='customer')
        labour_operation = CharField(max_length=20, default='')
        technician = ForeignKeyField(Employee, null=True)
        status = CharField(max_length=10, default='open')
        seconds_worked = IntegerField(default=0)
        further_work = BooleanField(default=False)
        approval = ForeignKeyField(Approval, null=True)
        class Meta:
            database = db
            table_name = 'job_line'
            indexes = ((('further_work', 'approval', 'id'), False),)
    db.create_tables([JobLine])

    class ClockEntry(Model):
        technician = ForeignKeyField(Employee)
        job_line = ForeignKeyField(JobLine)
        started_at = DateTimeField()
        stopped_at = DateTimeField(null=True)
        stopped_by = ForeignKeyField(Employee, null=True)
        class Meta:
            database = db
            table_name = 'clock_entry'
    db.create_tables([ClockEntry])

    class Complaint(Model):
        customer = ForeignKeyField(Customer)
        job = ForeignKeyField(JobCard, null=True)
        text = TextField()
        owner = ForeignKeyField(Employee)
        status = CharField(max_length=12, default='open')
        resolution = TextField(default='')
        opened_by = ForeignKeyField(Employee)
        opened_at = DateTimeField()
        resolved_by = ForeignKeyField(Employee, null=True)
        resolved_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'complaint'
            indexes = ((('status', 'id'), False),)
    db.create_tables([Complaint])

    class CorrectionNote(Model):
        job = ForeignKeyField(JobCard)
        text = TextField()
        employee = ForeignKeyField(Employee)
        terminal = CharField(max_length=60)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'correction_note'
    db.create_tables([CorrectionNote])

    class CustomerNote(Model):
        customer = ForeignKeyField(Customer)
        kind = CharField(max_length=12)
        text = TextField()
        job = ForeignKeyField(JobCard, null=True)
        employee = ForeignKeyField(Employee)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'customer_note'
    db.create_tables([CustomerNote])

    class Part(Model):
        part_number = CharField(unique=True, max_length=40)
        description = CharField(max_length=200)
        bin = CharField(max_length=16, default='')
        on_hand = IntegerField(default=0)
        unit_price = DecimalField(decimal_places=2, default=0)
        wear_part = BooleanField(default=False)
        safety_part = BooleanField(default=False)
        hazardous = BooleanField(default=False)
        manufacturer = CharField(max_length=40, default='')
        search_text = TextField(default='')
        class Meta:
            database = db
            table_name = 'part'
    db.create_tables([Part])

    class EstimateLine(Model):
        job = ForeignKeyField(JobCard)
        job_line = ForeignKeyField(JobLine)
        kind = CharField(max_length=8)
        part = ForeignKeyField(Part, null=True)
        description = CharField(max_length=200, default='')
        quantity = DecimalField(max_digits=8, decimal_places=2)
        unit_price = DecimalField(decimal_places=2)
        amount = DecimalField(max_digits=12, decimal_places=2)
        approval = ForeignKeyField(Approval, null=True)
        added_by = ForeignKeyField(Employee)
        added_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'estimate_line'
    db.create_tables([EstimateLine])

    class FollowUp(Model):
        job = ForeignKeyField(JobCard, unique=True)
        customer = ForeignKeyField(Customer)
        due_at = DateTimeField()
        status = CharField(max_length=8, default='open')
        outcome = CharField(max_length=12, default='')
        note = TextField(default='')
        attempts = IntegerField(default=0)
        done_by = ForeignKeyField(Employee, null=True)
        done_at = DateTimeField(null=True)
        rework_job = ForeignKeyField(JobCard, null=True)
        complaint = ForeignKeyField(Complaint, null=True)
        class Meta:
            database = db
            table_name = 'follow_up'
            indexes = ((('status', 'due_at', 'id'), False),)
    db.create_tables([FollowUp])

    class RemovedPart(Model):
        job_line = ForeignKeyField(JobLine)
        part = ForeignKeyField(Part)
        quantity = IntegerField(default=1)
        causal = BooleanField(default=False)
        disposition = CharField(max_length=16)
        recorded_by = ForeignKeyField(Employee)
        recorded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'removed_part'
    db.create_tables([RemovedPart])

    class ReturnRequest(Model):
        number = CharField(unique=True, max_length=30)
        manufacturer = CharField(max_length=40, default='')
        due_on = DateField(null=True)
        status = CharField(max_length=10, default='open')
        created_by = ForeignKeyField(Employee)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'return_request'
    db.create_tables([ReturnRequest])

    class Shipment(Model):
        return_request = ForeignKeyField(ReturnRequest)
        status = CharField(max_length=10, default='open')
        carrier = CharField(max_length=40, default='')
        tracking_number = CharField(max_length=60, default='')
        created_by = ForeignKeyField(Employee)
        created_at = DateTimeField()
        shipped_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'shipment'
    db.create_tables([Shipment])

    class WarrantyTag(Model):
        tag_number = CharField(unique=True, null=True, max_length=20)
        removed_part = ForeignKeyField(RemovedPart, null=True)
        job = ForeignKeyField(JobCard)
        job_line = ForeignKeyField(JobLine)
        status = CharField(max_length=12)
        location = CharField(index=True, max_length=16, default='')
        manufacturer = CharField(index=True, max_length=40, default='')
        part_number = CharField(index=True, max_length=40)
        description = CharField(max_length=200, default='')
        quantity = IntegerField(default=1)
        causal = BooleanField(default=False)
        hazardous = BooleanField(default=False)
        vin = CharField(index=True, max_length=17)
        mileage = IntegerField(default=0)
        technician = ForeignKeyField(Employee)
        labour_operation = CharField(max_length=20, default='')
        complaint = TextField(default='')
        cause = TextField(default='')
        tagged_at = DateTimeField()
        held_at = DateTimeField(null=True)
        claim_number = CharField(index=True, max_length=30, default='')
        claim_status = CharField(max_length=12, default='')
        claim_paid_on = DateField(null=True)
        claim_amount = DecimalField(null=True, decimal_places=2)
        debited_amount = DecimalField(null=True, decimal_places=2)
        keep_until = DateField(null=True)
        approval = CharField(index=True, max_length=10, default='')
        override_reason = CharField(max_length=200, default='')
        override_by = ForeignKeyField(Employee, null=True)
        return_request = ForeignKeyField(ReturnRequest, null=True)
        shipment = ForeignKeyField(Shipment, null=True)
        class Meta:
            database = db
            table_name = 'warranty_tag'
            indexes = ((('status', 'id'), False), (('status', 'tagged_at'), False), (('status', 'keep_until'), False))
    db.create_tables([WarrantyTag])

    class MajorFault(Model):
        job = ForeignKeyField(JobCard)
        tag = ForeignKeyField(WarrantyTag, null=True)
        description = TextField()
        raised_by = ForeignKeyField(Employee)
        raised_at = DateTimeField()
        terminal = CharField(max_length=60)
        class Meta:
            database = db
            table_name = 'major_fault'
    db.create_tables([MajorFault])

    class PrintJob(Model):
        tag = ForeignKeyField(WarrantyTag)
        printer = CharField(max_length=40)
        status = CharField(index=True, max_length=10, default='queued')
        attempts = IntegerField(default=0)
        last_error = CharField(max_length=300, default='')
        reference = CharField(max_length=200, default='')
        requested_by = ForeignKeyField(Employee)
        created_at = DateTimeField()
        printed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'print_job'
    db.create_tables([PrintJob])

    class QualityCheck(Model):
        job = ForeignKeyField(JobCard)
        passed = BooleanField()
        note = TextField(default='')
        checked_by = ForeignKeyField(Employee)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'quality_check'
    db.create_tables([QualityCheck])

    class StockMovement(Model):
        part = ForeignKeyField(Part)
        quantity = IntegerField()
        kind = CharField(max_length=10)
        job_line = ForeignKeyField(JobLine, null=True)
        reason = CharField(max_length=200, default='')
        employee = ForeignKeyField(Employee)
        terminal = CharField(max_length=60)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'stock_movement'
    db.create_tables([StockMovement])

    class TagEvent(Model):
        tag = ForeignKeyField(WarrantyTag)
        status = CharField(max_length=12)
        location = CharField(max_length=16, default='')
        note = CharField(max_length=200, default='')
        employee = ForeignKeyField(Employee)
        terminal = CharField(max_length=60)
        client = CharField(max_length=80, default='')
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'tag_event'
    db.create_tables([TagEvent])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('tag_event'))
    migrator.migrate(migrator.drop_table('stock_movement'))
    migrator.migrate(migrator.drop_table('quality_check'))
    migrator.migrate(migrator.drop_table('print_job'))
    migrator.migrate(migrator.drop_table('major_fault'))
    migrator.migrate(migrator.drop_table('warranty_tag'))
    migrator.migrate(migrator.drop_table('shipment'))
    migrator.migrate(migrator.drop_table('return_request'))
    migrator.migrate(migrator.drop_table('removed_part'))
    migrator.migrate(migrator.drop_table('follow_up'))
    migrator.migrate(migrator.drop_table('estimate_line'))
    migrator.migrate(migrator.drop_table('part'))
    migrator.migrate(migrator.drop_table('customer_note'))
    migrator.migrate(migrator.drop_table('correction_note'))
    migrator.migrate(migrator.drop_table('complaint'))
    migrator.migrate(migrator.drop_table('clock_entry'))
    migrator.migrate(migrator.drop_table('job_line'))
    migrator.migrate(migrator.drop_table('audit_event'))
    migrator.migrate(migrator.drop_table('approval'))
    migrator.migrate(migrator.drop_table('job_card'))
    migrator.migrate(migrator.drop_table('employee'))
    migrator.migrate(migrator.drop_table('vehicle'))
    migrator.migrate(migrator.drop_table('customer'))
