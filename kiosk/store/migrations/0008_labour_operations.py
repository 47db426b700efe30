"""Labour operations and their standard hours, for the claim readiness check (kiosk.readiness); and an index
that counts a job line's tags and causal ones without reading the tags themselves (the check reads a month of
claims a page at a time)."""

from peewee import CharField, DateTimeField, DecimalField, Model


def up(migrator, db):
    class LabourOperation(Model):
        manufacturer = CharField(max_length=40, default='')
        code = CharField(max_length=20)
        description = CharField(max_length=200, default='')
        standard_hours = DecimalField(max_digits=6, decimal_places=2)
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'labour_operation'
            indexes = ((('code', 'manufacturer'), True),)
    db.create_tables([LabourOperation])
    db.execute_sql("CREATE INDEX warrantytag_job_line_id_status_causal ON warranty_tag (job_line_id, status, causal)")


def down(migrator, db):
    db.execute_sql("DROP INDEX warrantytag_job_line_id_status_causal")
    db.execute_sql("DROP TABLE labour_operation")
