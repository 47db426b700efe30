"""One running clock per technician, enforced by the database (a partial unique index)."""


def up(migrator, db):
    db.execute_sql("CREATE UNIQUE INDEX clock_entry_one_running ON clock_entry (technician_id) "
                   "WHERE stopped_at IS NULL")


def down(migrator, db):
    db.execute_sql("DROP INDEX clock_entry_one_running")
