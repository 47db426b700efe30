"""The store opens from a URL, upgrades its schema, and refuses what it does not know."""

import sqlite3

import pytest

from kiosk.errors import StoreError
from kiosk.store import close_database, db, open_database
from kiosk.store import schema as store_schema
from kiosk.store.models import Customer, Employee


def test_upgrade_creates_every_table_and_check_passes(store_url):
    store_schema.check()
    assert Employee.select().count() == 0
    assert store_schema.upgrade() == []  # nothing left to apply


def test_chinese_names_round_trip(store_url):
    Customer.create(name="王小明", phone="13800138000")
    assert Customer.get(Customer.phone == "13800138000").name == "王小明"


def test_sqlite_pragmas_are_on(sqlite_url):
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_empty_database_is_refused_with_a_clear_message(tmp_path):
    open_database(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with pytest.raises(StoreError, match="kiosk db upgrade"):
        store_schema.check()
    close_database()


def test_older_schema_is_refused(sqlite_url, tmp_path):
    path = sqlite_url.split(":///", 1)[1]
    close_database()
    raw = sqlite3.connect(path)
    raw.execute("DELETE FROM schema_migration WHERE name = (SELECT max(name) FROM schema_migration)")
    raw.commit()
    raw.close()
    open_database(sqlite_url)
    with pytest.raises(StoreError, match="older schema"):
        store_schema.check()


def test_newer_schema_is_refused(sqlite_url):
    db.execute_sql("INSERT INTO schema_migration (name, applied) VALUES ('9999_from_the_future', '2030-01-01')")
    with pytest.raises(StoreError, match="newer than this kiosk"):
        store_schema.check()
    with pytest.raises(StoreError, match="newer than this kiosk"):
        store_schema.upgrade()


@pytest.mark.parametrize("url, words", [
    ("sqlite:////no/such/folder/kiosk.sqlite", "Cannot"),
    ("mysql://x", "Unknown database URL"),
    ("postgresql://nobody:pw@127.0.0.1:1/none", "Cannot open database"),
])
def test_bad_urls_give_one_clear_line(url, words):
    with pytest.raises(StoreError, match=words) as info:
        open_database(url, create_dir=False)
    assert "\n" not in info.value.message
    assert "pw" not in info.value.message.replace("postgresql://nobody:***", "")


def test_a_file_that_is_not_a_database(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database " * 100)
    with pytest.raises(StoreError, match="not a database"):
        open_database(f"sqlite:///{bad}")
