"""Who may do what: the one role x action table of the kiosk."""

from __future__ import annotations

from .errors import NotAllowed
from .i18n import N_

ROLES = ("technician", "parts_clerk", "advisor", "manager")

ROLE_TITLES = {
    "technician": "Technician",
    "parts_clerk": "Parts clerk",
    "advisor": "Service advisor",
    "manager": "Manager",
}

T, C, A, M = ROLES
# action                       who may do it
PERMISSIONS: dict[str, frozenset[str]] = {
    "employee.manage":          frozenset({M}),
    # Reception: customers, vehicles, job cards opened as drafts.
    "customer.create":          frozenset({A, M}),
    "vehicle.create":           frozenset({A, M}),
    "job.open":                 frozenset({A, M}),
    # Drafts and quotes before the customer agrees: card details, lines, estimates.
    "job.edit":                 frozenset({A, M}),
    "job.estimate":             frozenset({A, M}),
    # Work found on the floor after approval; it waits for the customer's own approval.
    "job.add_further_work":     frozenset({T, A, M}),
    "job.approve":              frozenset({A, M}),
    "job.assign":               frozenset({A, M}),
    # By anyone who did not work on the card (kiosk.delivery checks who).
    "job.quality_check":        frozenset({T, A, M}),
    "job.deliver":              frozenset({A, M}),
    "job.correct":              frozenset({A, M}),
    # A card the customer never approved: they went elsewhere, or it was opened by mistake.
    "job.cancel":               frozenset({A, M}),
    "job.work_any":             frozenset({A, M}),
    "job.record_three_cs":      frozenset({T, A, M}),
    "job.complete_line":        frozenset({T, A, M}),
    "job.complete":             frozenset({T, A, M}),
    "job.reopen_line":          frozenset({A, M}),
    "clock.on_off":             frozenset({T}),
    "clock.close_forgotten":    frozenset({A, M}),
    "part.issue":               frozenset({T, C, A, M}),
    "part.return":              frozenset({T, C, A, M}),
    # Issue to or return from a line assigned to someone else (the parts counter, the front desk).
    "part.issue_to_any_line":   frozenset({C, A, M}),
    "part.receive":             frozenset({C, M}),
    # Count a bin and post the differences to the ledger with a reason (kiosk.stockcount).
    "stock.count":              frozenset({M}),
    # The shop's parts catalogue from a price file (kiosk.catalogue_import).
    "part.import":              frozenset({M}),
    "removed_part.record":      frozenset({T, A, M}),
    "tag.create":               frozenset({T, A, M}),
    "tag.override":             frozenset({A, M}),
    "tag.void":                 frozenset({A, M}),
    "tag.approve":              frozenset({A, M}),
    "major_fault.raise":        frozenset({T, A, M}),
    "label.print":              frozenset({T, C, A, M}),
    # A parked label (failed too often) sent again from the Labels screen.
    "label.retry":              frozenset({T, C, A, M}),
    "tag.scan_in":              frozenset({C, M}),
    "tag.claim":                frozenset({C, A, M}),
    "tag.scrap":                frozenset({C, M}),
    "tag.mark_missing":         frozenset({M}),
    "return_request.enter":     frozenset({C, M}),
    "shipment.pack":            frozenset({C, M}),
    "followup.record":          frozenset({A, M}),
    "customer.note":            frozenset({A, M}),
    "complaint.register":       frozenset({A, M}),
    # Owner, status and resolution; a complaint's owner must hold this too.
    "complaint.manage":         frozenset({A, M}),
    # Warranty reports (daily/weekly fault report, claim list, major faults, safety approvals, settlement).
    "report.view":              frozenset({C, A, M}),
    # The labour operations' standard hours the claim readiness check compares clocked time with.
    "labour_op.import":         frozenset({A, M}),
    # An audit pack of job cards for the manufacturer's auditor (one PDF per card and an index).
    "audit_pack.write":         frozenset({C, A, M}),
    # Print a job card with its barcode for the technician (PDF or a label printer).
    "job.print":                frozenset({T, A, M}),
    # A test label on a printer (kiosk setup, the manager's screen); backups and restores (kiosk db).
    "printer.test":             frozenset({M}),
    "db.backup":                frozenset({M}),
    "db.restore":               frozenset({M}),
}
del T, C, A, M


def allowed(role: str, action: str) -> bool:
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}: add it to kiosk.permissions.PERMISSIONS")
    return role in PERMISSIONS[action]


# The refusal of each role, whole sentences so each language words it its own way.
_REFUSED = {
    "technician": N_("A technician may not do this ({action}); ask an advisor or manager."),
    "parts_clerk": N_("A parts clerk may not do this ({action}); ask an advisor or manager."),
    "advisor": N_("A service advisor may not do this ({action}); ask an advisor or manager."),
    "manager": N_("A manager may not do this ({action}); ask an advisor or manager."),
}


def require(role: str, action: str) -> None:
    if not allowed(role, action):
        if role in _REFUSED:
            raise NotAllowed(_REFUSED[role], action=action)
        raise NotAllowed(N_("A {role} may not do this ({action}); ask an advisor or manager."),
                         role=ROLE_TITLES.get(role, role).lower(), action=action)
