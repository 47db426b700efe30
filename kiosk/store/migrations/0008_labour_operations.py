"""Labour operations and their standard hours, for the claim readiness check (kiosk.readiness)."""

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


def down(migrator, db):
    db.execute_sql("DROP TABLE labour_operation")
