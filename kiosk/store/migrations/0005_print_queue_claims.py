"""Print jobs are claimed before they are sent, and retried with a back-off.

claimed_by/claimed_at: the terminal (and process) sending the label; a claim older than the timeout is
taken again, so a terminal killed mid-print leaves its label to be retried. next_try_at: when a failed
label is due again (later after each failure); status 'parked' once it has failed the set number of times.
The index serves the queue's question: which labels are due, fewest tries first.
"""

from peewee import CharField, DateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("print_job", "claimed_by", CharField(max_length=80, default="")),
        migrator.add_column("print_job", "claimed_at", DateTimeField(null=True)),
        migrator.add_column("print_job", "next_try_at", DateTimeField(null=True)),
        migrator.add_index("print_job", ("status", "next_try_at"), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("print_job", "print_job_status_next_try_at"),
        migrator.drop_column("print_job", "next_try_at"),
        migrator.drop_column("print_job", "claimed_at"),
        migrator.drop_column("print_job", "claimed_by"),
    )
