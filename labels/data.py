"""What a warranty-tag label says: plain strings and numbers, nothing from the database."""

from __future__ import annotations

from dataclasses import dataclass


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
