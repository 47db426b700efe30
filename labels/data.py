"""What a warranty-tag label says: plain strings and numbers, nothing from the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .text import _

# The captions a tag label prints before its values, in English; LabelData.captions replaces any of them (the
# kiosk passes them translated into the printer's language, or two languages for a bilingual tag).
CAPTIONS = {"causal": _("CAUSAL"), "order": _("RO"), "vin": _("VIN"), "odometer": _("ODO"), "part": _("P/N"),
            "operation": _("Op"), "complaint": _("Complaint:")}


@dataclass(frozen=True)
class LabelData:
    tag_number: str  # what the barcode carries: printable ASCII
    dealer_code: str = ""
    repair_order: str = ""  # the job-card number
    repair_date: str = ""  # ISO date, printed as given
    vin: str = ""  # all 17 characters; small stock prints the last 8
    mileage: int = 0  # odometer reading, no tenths
    technician: str = ""
    part_number: str = ""
    description: str = ""  # may be Chinese
    quantity: int = 1
    causal: bool = False  # the primary failed part: printed as an inverted CAUSAL mark
    labour_operation: str = ""
    complaint: str = ""
    manufacturer: str = ""
    captions: Mapping[str, str] | None = None  # CAPTIONS' keys; None or a missing key: the English caption

    def caption(self, key: str) -> str:
        return (self.captions or {}).get(key) or CAPTIONS[key]
