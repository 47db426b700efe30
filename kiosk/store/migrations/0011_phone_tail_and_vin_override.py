"""Customers found by the last digits of their phone; a VIN put on file with an advisor's override.

customer.phone_reversed holds the phone's digits backwards (kiosk.store.keys.phone_reversed), indexed with
the id, so "the last four digits" is a prefix range on the index, as vehicle.vin_reversed is for a VIN's
serial; on PostgreSQL it compares in the "C" collation like the other search keys (migration 0004).
Existing customers get theirs filled here. vehicle.vin_override_reason keeps why a VIN without a valid
check digit was accepted.
"""

from peewee import SqliteDatabase

BATCH = 5000


def up(migrator, db):
    sqlite = isinstance(db, SqliteDatabase)
    collate = "" if sqlite else ' COLLATE "C"'
    db.execute_sql(f"ALTER TABLE customer ADD COLUMN phone_reversed VARCHAR(32){collate} NOT NULL DEFAULT ''")
    db.execute_sql("ALTER TABLE vehicle ADD COLUMN vin_override_reason VARCHAR(200) NOT NULL DEFAULT ''")
    if sqlite:
        # SQLite has no reverse(): the keys are turned round here, a batch at a time in id order.
        last = 0
        while True:
            rows = db.execute_sql("SELECT id, phone_key FROM customer WHERE id > ? AND phone_key <> '' "
                                  "ORDER BY id LIMIT ?", (last, BATCH)).fetchall()
            if not rows:
                break
            db.cursor().executemany("UPDATE customer SET phone_reversed = ? WHERE id = ?",
                                    [(key[::-1], cid) for cid, key in rows])
            last = rows[-1][0]
    else:
        db.execute_sql("UPDATE customer SET phone_reversed = reverse(phone_key) WHERE phone_key <> ''")
    db.execute_sql("CREATE INDEX customer_phone_reversed_id ON customer (phone_reversed, id)")


def down(migrator, db):
    db.execute_sql("DROP INDEX customer_phone_reversed_id")
    db.execute_sql("ALTER TABLE customer DROP COLUMN phone_reversed")
    db.execute_sql("ALTER TABLE vehicle DROP COLUMN vin_override_reason")
