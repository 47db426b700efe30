"""Vehicle identification numbers: normalising scans, refusing bad characters, the position-9 check digit."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidInput
from .i18n import N_, render

_VALUES = {**{str(d): d for d in range(10)},
           **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))),
           "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


class CheckDigitMismatch(InvalidInput):
    """Position 9 is not the check digit, where the region requires it. A European VIN often has none: an
    advisor may still put it on file with a recorded reason (kiosk.customers.create_vehicle)."""

    def __init__(self, vin: str, expected: str):
        super().__init__(N_("VIN check digit (character 9) is '{found}' but should be '{expected}': check for a "
                            "typo. A VIN without a check digit (most European ones) goes on file with a reason."),
                         found=vin[8], expected=expected)
        self.vin, self.expected = vin, expected


@dataclass(frozen=True)
class CheckedVin:
    vin: str
    warning: str = ""


def normalise(raw: str) -> str:
    """Upper-case, drop spaces and dashes, and drop the leading 'I' a door-jamb Code 39 scan carries."""
    if raw is not None and not isinstance(raw, str):
        raise InvalidInput(N_("VIN must be text."))
    text = "".join(ch for ch in (raw or "").upper() if ch not in " -\t\r\n")
    if len(text) == 18 and text.startswith("I"):
        text = text[1:]
    return text


def _refuse_bad_characters(vin: str) -> None:
    for position, ch in enumerate(vin, start=1):
        if ch in "IOQ":
            raise InvalidInput(N_("VIN character {position} is '{character}': the letters I, O and Q never appear "
                                  "in a VIN."), position=position, character=ch)
        if ch not in _VALUES:
            shown = ch if ch.isprintable() else repr(ch)
            raise InvalidInput(N_("VIN character {position} is '{character}': only letters and digits are allowed."),
                               position=position, character=shown)


def check_digit(vin: str) -> str:
    _refuse_bad_characters(vin)
    total = sum(_VALUES[ch] * w for ch, w in zip(vin, _WEIGHTS))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate(raw: str, *, check_required: bool) -> CheckedVin:
    """Return the normalised VIN, or raise InvalidInput naming what is wrong.

    A check-digit mismatch raises CheckDigitMismatch (an InvalidInput) where the region requires it (North
    America, China) and is returned as a warning elsewhere.
    """
    vin = normalise(raw)
    if not vin:
        raise InvalidInput(N_("VIN is required: 17 characters."))
    _refuse_bad_characters(vin)
    if len(vin) != 17:
        raise InvalidInput(N_("A VIN has 17 characters; this one has {count}."), count=len(vin))
    expected = check_digit(vin)
    if vin[8] != expected:
        if check_required:
            raise CheckDigitMismatch(vin, expected)
        return CheckedVin(vin, render(N_("VIN check digit (character 9) is '{found}' but should be '{expected}': "
                                         "check for a typo."), {"found": vin[8], "expected": expected}))
    return CheckedVin(vin)


def with_check_digit(seventeen: str) -> str:
    """Put the right check digit at position 9 (used to make demo and test VINs)."""
    vin = seventeen[:8] + "0" + seventeen[9:]
    return vin[:8] + check_digit(vin) + vin[9:]
