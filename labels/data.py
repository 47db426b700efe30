"""What a warranty-tag label says: plain strings and numbers, nothing from the database."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabelData:
    tag_number: str
    dealer_code: str = ""
    repair_order: str = ""
    repair_date: str = ""
    vin: str = ""
    mileage: int = 0
    technician: str = ""
    part_number: str = ""
    description: str = ""
    quantity: int = 1
    causal: bool = False
    labour_operation: str = ""
    complaint: str = ""
    manufacturer: str = ""
