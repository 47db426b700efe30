"""Typed times as people at a desk type them: a time alone means today (or the given day), a date needs its
time, and anything else says what is expected."""

import datetime as dt

import pytest

from kiosk.errors import InvalidInput
from kiosk.text import is_time_of_day, parse_when

DAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("typed, expected", [
    ("17:30", dt.datetime(2026, 11, 23, 17, 30)),
    (" 9:05 ", dt.datetime(2026, 11, 23, 9, 5)),
    ("17.30", dt.datetime(2026, 11, 23, 17, 30)),
    ("１７：３０", dt.datetime(2026, 11, 23, 17, 30)),  # full-width, as a Chinese input method types it
    ("2026-11-24 08:00", dt.datetime(2026, 11, 24, 8, 0)),
    ("2026-11-24T08:00:59", dt.datetime(2026, 11, 24, 8, 0)),
    ("", None),
    ("\x07 \x1b", None),
])
def test_times_as_typed(typed, expected):
    assert parse_when(typed, "Promised time", DAY) == expected


@pytest.mark.parametrize("typed", ["tomorrow", "25:00", "17:60", "2026-11-24", "2026-13-01 10:00", "五点半",
                                   "17:30:00:00"])
def test_what_is_not_a_time_says_what_is_expected(typed):
    with pytest.raises(InvalidInput, match=r"Promised time must be a time like 17:30, or a date and time like "
                                           r"2026-11-23 17:30, not"):
        parse_when(typed, "Promised time", DAY)


def test_a_time_too_long_for_the_field_is_refused():
    with pytest.raises(InvalidInput, match="too long"):
        parse_when("1" * 500, "Stop time", DAY)


def test_a_time_alone_is_told_from_a_date_and_time():
    assert is_time_of_day("17:30") and is_time_of_day("１７：３０")
    assert not is_time_of_day("2026-11-24 17:30") and not is_time_of_day("") and not is_time_of_day("half past")


@pytest.mark.parametrize("typed, expected", [
    ("17:30", dt.datetime(2026, 11, 22, 17, 30)),  # the day the clock started
    ("17:30\x07", dt.datetime(2026, 11, 22, 17, 30)),  # a stray control key changes nothing
    ("07:45", dt.datetime(2026, 11, 23, 7, 45)),  # before the start: the next morning
    ("\x1b07:45", dt.datetime(2026, 11, 23, 7, 45)),
    ("2026-11-22 18:00", dt.datetime(2026, 11, 22, 18, 0)),
])
def test_a_forgotten_clocks_stop_time(typed, expected):
    from kiosk.clocking import parse_stop_time

    assert parse_stop_time(typed, dt.datetime(2026, 11, 22, 15, 10, 42)) == expected


def test_the_first_line_with_something_in_it_cut_to_its_place():
    from kiosk.text import first_line

    assert first_line("刹车时有异响\nNoise when braking", 4) == "刹车时有"
    assert first_line("\n  \n  Rattle at 60 km/h  \nmore", 40) == "Rattle at 60 km/h"
    assert first_line("", 10) == "" and first_line(None, 10) == "" and first_line(" \n ", 10) == ""


def test_fit_cells_counts_chinese_as_two_columns_and_marks_a_cut():
    from kiosk.text import cell_width, fit_cells

    assert cell_width("刹车 brake") == 10
    assert fit_cells("brakes squeak when cold", 12) == "brakes sque…"
    assert fit_cells("刹车时有异响 noise", 9) == "刹车时有…" and cell_width(fit_cells("刹车时有异响", 9)) <= 9
    assert fit_cells("short", 12) == "short" and fit_cells(None, 5) == "" and fit_cells("a\nb", 5) == "a b"
