"""Each employee's own language: the sessions of their badge speak it ("" = the shop's setting)."""

from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("employee", "language", CharField(max_length=16, default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("employee", "language"))
