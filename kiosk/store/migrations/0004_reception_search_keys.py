"""Reception search keys compared byte by byte on PostgreSQL too.

kiosk.reception finds a customer or vehicle by a prefix, as a range (key >= 'prefix' AND key < 'prefix' ||
U+10FFFF) on an index of (key, id). SQLite compares text byte by byte already; PostgreSQL compares in the
server's locale, where such a range can miss rows (and cannot be ordered by the index), so the key columns
take the "C" collation there. The indexes on them are rebuilt with it.
"""

from peewee import SqliteDatabase

COLUMNS = [("customer", "name_key", 80), ("customer", "surname_key", 80), ("customer", "phone_key", 32),
           ("vehicle", "plate_key", 16), ("vehicle", "vin_reversed", 17)]


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        return
    for table, column, length in COLUMNS:
        db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE VARCHAR({length}) COLLATE "C"')


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        return
    for table, column, length in COLUMNS:
        db.execute_sql(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE VARCHAR({length}) COLLATE \"default\"")
