"""The catalogue search index on part.search_text (space-separated search words, see kiosk.catalogue).

SQLite: an FTS5 table over part.search_text, kept in step by triggers; prefix indexes of 1-3 letters make
"b*" one list, and FTS5 walks matches in rowid order, so a page of 20 stops early.
PostgreSQL: a GIN index on the words as a tsvector (the words are taken as they are, no parser).
"""

from peewee import SqliteDatabase

SQLITE = [
    "CREATE VIRTUAL TABLE part_search USING fts5(search_text, content='part', content_rowid='id', "
    "prefix='1 2 3', detail=none, tokenize=\"unicode61 remove_diacritics 0 categories 'L* N*'\")",
    "CREATE TRIGGER part_search_insert AFTER INSERT ON part BEGIN "
    "INSERT INTO part_search (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER part_search_delete AFTER DELETE ON part BEGIN "
    "INSERT INTO part_search (part_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    # Only a change of the words touches the index: stock moves update on_hand and never fire this.
    "CREATE TRIGGER part_search_update AFTER UPDATE OF search_text ON part BEGIN "
    "INSERT INTO part_search (part_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO part_search (rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO part_search (part_search) VALUES ('rebuild')",
]
POSTGRESQL = [
    "CREATE INDEX part_search ON part USING gin (array_to_tsvector(string_to_array(search_text, ' ')))",
]


def up(migrator, db):
    for sql in SQLITE if isinstance(db, SqliteDatabase) else POSTGRESQL:
        db.execute_sql(sql)


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for name in ("part_search_insert", "part_search_delete", "part_search_update"):
            db.execute_sql(f"DROP TRIGGER {name}")
        db.execute_sql("DROP TABLE part_search")
    else:
        db.execute_sql("DROP INDEX part_search")
