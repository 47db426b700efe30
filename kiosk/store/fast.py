"""Hand-written SQL for the few statements on the busiest paths (stock moves, audit events, scans).

Measured here (bench/stock_bench.py, `peewee_build_vs_database`): building an issue's four small
statements through peewee's query objects took about 20 times as long as SQLite running them (2.7 ms
against 0.11 ms on a busy machine; the commit's disk sync comes on top of both), and every terminal
waits for the write lock meanwhile. The SQL is written once with ? placeholders and adapted to the
driver's parameter style.
"""

from __future__ import annotations

import functools

from .database import db


@functools.lru_cache(maxsize=256)
def _adapt(sql: str, param: str) -> str:
    return sql if param == "?" else sql.replace("?", param)


def execute(sql: str, params: tuple = ()):
    return db.execute_sql(_adapt(sql, db.param), params)


def one(sql: str, params: tuple = ()):
    """The first row of a query, or None."""
    return execute(sql, params).fetchone()


def rowcount(sql: str, params: tuple = ()) -> int:
    return execute(sql, params).rowcount


def many(sql: str, rows: list) -> None:
    """One statement for many rows (the batched imports): sqlite3's executemany; on PostgreSQL psycopg2's
    execute_batch, which sends a page of statements per round trip instead of one."""
    if not rows:
        return
    cursor = db.cursor()
    if db.param == "?":
        cursor.executemany(sql, rows)
    else:
        from psycopg2.extras import execute_batch  # only a PostgreSQL shop has psycopg2

        execute_batch(cursor, _adapt(sql, db.param), rows, page_size=1000)
