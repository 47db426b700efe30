"""VINs as they arrive from a keyboard or a door-jamb scan."""

import pytest

from kiosk.errors import InvalidInput
from kiosk.vin import check_digit, normalise, validate, with_check_digit

GOOD = "1M8GDM9AXKP042788"  # the textbook example: check digit X


def test_a_good_vin_passes_in_every_region():
    assert validate(GOOD, check_required=True).vin == GOOD
    assert validate(GOOD, check_required=False).warning == ""


def test_lower_case_spaces_and_door_jamb_leading_i_are_normalised():
    assert validate(" 1m8 gdm9ax kp042788 ", check_required=True).vin == GOOD
    assert validate("I" + GOOD, check_required=True).vin == GOOD


@pytest.mark.parametrize("letter", "IOQ")
def test_letters_i_o_q_are_refused_naming_the_position(letter):
    vin = GOOD[:4] + letter + GOOD[5:]
    with pytest.raises(InvalidInput, match=f"character 5 is '{letter}'"):
        validate(vin, check_required=False)


@pytest.mark.parametrize("raw, words", [
    ("", "required"),
    ("1M8GDM9AXKP04278", "has 16"),
    ("1M8GDM9AXKP0427888", "has 18"),
    ("1M8GDM9AXKP04278\x07", "character 17"),
    ("1M8GDM9AXKP04278中", "character 17"),
    ("1M8GDM9AXKP042788" * 100, "has 1700"),
])
def test_malformed_vins_say_what_is_wrong(raw, words):
    with pytest.raises(InvalidInput, match=words):
        validate(raw, check_required=False)


def test_check_digit_blocks_in_north_america_and_china_and_warns_elsewhere():
    wrong = GOOD[:8] + "5" + GOOD[9:]
    with pytest.raises(InvalidInput, match="character 9"):
        validate(wrong, check_required=True)
    result = validate(wrong, check_required=False)
    assert result.vin == wrong and "should be 'X'" in result.warning


def test_with_check_digit_makes_valid_vins():
    assert with_check_digit("1M8GDM9A0KP042788") == GOOD
    assert check_digit(GOOD) == "X"
    assert normalise("I" + GOOD) == GOOD
