"""The store: peewee models, opening the database from a URL, and schema migrations.

It knows tables, not workflows.
"""

from .database import db, open_database, close_database, write_transaction, MIGRATIONS_DIR  # noqa: F401
