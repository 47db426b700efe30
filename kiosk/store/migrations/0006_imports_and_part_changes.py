"""Imports that commit in batches (import_run: which file, by whom, how far) and the parts catalogue's change
history (part_change: who changed a part's price, description, bin or flags, when, old and new)."""

from peewee import *  # noqa: F403 - a frozen copy of the tables as this migration made them, as in 0001


def _tables(db):
    class Employee(Model):
        class Meta:
            database = db
            table_name = "employee"

    class Part(Model):
        class Meta:
            database = db
            table_name = "part"

    class ImportRun(Model):
        id = AutoField()
        kind = CharField(max_length=20)
        file_name = CharField(max_length=200, default="")
        sha256 = CharField(max_length=64, index=True)
        encoding = CharField(max_length=20, default="")
        status = CharField(max_length=10, default="running")
        lines = IntegerField(default=0)
        written = IntegerField(default=0)
        employee = ForeignKeyField(Employee, null=True)
        actor = CharField(max_length=80, default="")
        terminal = CharField(max_length=60, default="")
        started_at = DateTimeField()
        finished_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "import_run"

    class PartChange(Model):
        id = AutoField()
        part = ForeignKeyField(Part)
        import_run = ForeignKeyField(ImportRun, null=True)
        kind = CharField(max_length=10)
        old_price = DecimalField(max_digits=10, decimal_places=2, null=True)
        new_price = DecimalField(max_digits=10, decimal_places=2, null=True)
        changes = TextField(default="")
        employee = ForeignKeyField(Employee, null=True)
        actor = CharField(max_length=80, default="")
        terminal = CharField(max_length=60, default="")
        at = DateTimeField()

        class Meta:
            database = db
            table_name = "part_change"
            indexes = ((("part", "id"), False),)

    return ImportRun, PartChange


def up(migrator, db):
    db.create_tables(_tables(db))


def down(migrator, db):
    db.drop_tables(list(reversed(_tables(db))))
