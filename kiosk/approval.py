"""Whether a job line may be worked: the customer agreed to it, with the card or later as further work.

A leaf module (it imports no other rules), so kiosk.jobs can ask it without an import cycle.
"""

from __future__ import annotations

# How the customer gave their approval, and the words a screen shows for it.
APPROVAL_WAYS = {"in_person": "in person", "phone": "by phone", "message": "by message"}

# The same test as line_is_approved, for hand-written SQL over job_line aliased "l" (SQLite and PostgreSQL).
APPROVED_LINE_SQL = "((NOT l.further_work OR l.approval_id IS NOT NULL) AND l.status <> 'declined')"


def line_is_approved(line) -> bool:
    """May this line be worked, as far as the customer's consent goes?

    Lines on the quote the customer approved are covered by the card's approval (the card's own state,
    approved or in progress, is kiosk.jobs' check); further work found after approval needs its own
    (kiosk.quotes.record_approval); a line the customer declined never. `line` is a JobLine row, or
    anything with its further_work, approval_id and status.
    """
    return line.status != "declined" and (not line.further_work or line.approval_id is not None)
