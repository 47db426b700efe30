"""The one CSV reader: encodings found from the bytes, line numbers that match what a person sees in the file,
amounts and flags as people write them, and the old read_rows entry point for text."""

from decimal import Decimal

import pytest

from kiosk.csvimport import Column, CsvFile, ImportReport, parse_amount, parse_flag, read_file, read_rows, records
from kiosk.errors import InvalidInput

COLUMNS = [Column("part_number", ("零件号",), required=True), Column("description", ("名称",))]


def lines_of(data, encoding=None):
    report = ImportReport()
    found = [(r.number, r.values, r.problem) for r in records(CsvFile(data, encoding), COLUMNS, report)]
    return found, report


def test_the_encoding_is_found_from_the_bytes():
    text = "零件号,名称\nVW1,前刹车片\n"
    for encoding, word in (("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (with BOM)"), ("gbk", "GBK/GB18030"),
                           ("gb18030", "GBK/GB18030")):
        found, report = lines_of(text.encode(encoding))
        assert found == [(2, {"part_number": "VW1", "description": "前刹车片"}, "")] and report.encoding == word


def test_a_named_encoding_that_does_not_fit_refuses_the_line_never_stores_garbage():
    with pytest.raises(InvalidInput, match="Line 1 \\(the header\\): bytes .* not valid UTF-8"):
        lines_of("零件号,名称\nVW1,x\n".encode("gbk"), "utf-8")
    with pytest.raises(InvalidInput, match="byte-order mark: it is UTF-8, not GBK"):
        lines_of("零件号,名称\n".encode("utf-8-sig"), "gbk")
    with pytest.raises(InvalidInput, match="Unknown encoding 'latin-9'"):
        CsvFile(b"", "latin-9")


def test_a_value_across_two_lines_keeps_the_numbers_of_the_lines_after_it():
    found, _ = lines_of(b'part_number,description\nVW1,"two\nlines"\n\nVW2,x\xff\n')
    assert [(n, problem[:30]) for n, _, problem in found] == [(2, ""), (5, "bytes ff are not valid GBK/GB1")]


def test_unknown_columns_are_listed_once_and_extra_fields_refused():
    found, report = lines_of(b"part_number,colour,colour\nVW1,red,blue\nVW2,a,b,c\n")
    assert report.ignored == ["colour"]
    assert found[1][2].startswith("4 fields, but the header names 3 columns")


@pytest.mark.parametrize("text, value", [("12.50", Decimal("12.50")), ("1,234.5", Decimal("1234.50")),
                                         ("0", Decimal("0.00")), ("", None), ("１２.５", Decimal("12.50"))])
def test_amounts_as_people_write_them(text, value):
    assert parse_amount(text, "Price") == value


@pytest.mark.parametrize("text, words", [("12,50", "write a decimal point, 12.50"), ("¥12.50", "without a currency"),
                                         ("-3", "negative"), ("NaN", "an amount like"), ("1e308", "an amount like"),
                                         ("12.345", "more than two decimals"), ("123456789", "too large")])
def test_amounts_written_wrong_say_what_to_write(text, words):
    with pytest.raises(InvalidInput, match=words):
        parse_amount(text, "Price")


def test_flags_in_english_and_chinese():
    assert [parse_flag(v, "wear_part") for v in ("是", "Yes", "1", "x", "否", "", "no")] == [True] * 4 + [False] * 3
    with pytest.raises(InvalidInput, match="wear_part must be yes or no"):
        parse_flag("maybe", "wear_part")


def test_read_rows_still_takes_text_for_the_imports_that_hand_it_over():
    report = read_rows("\ufeffCode, Hours \nOP1,1.5\nOP2,\x07\n", ("code",), lambda row: (row["code"], row["hours"]))
    assert report.good == [(2, ("OP1", "1.5"))] and report.bad == [(3, "hours holds a control character (U+0007)")]
    with pytest.raises(InvalidInput, match="missing: code"):
        read_rows("name\nx\n", ("code",), dict)


def test_read_file_refuses_a_file_with_a_header_only():
    with pytest.raises(InvalidInput, match="header line but no data lines"):
        read_file(b"part_number\n\n", COLUMNS, dict)


def test_a_quote_left_open_is_a_bad_line_not_lines_run_together():
    found, _ = lines_of(b'part_number,description\nVW1,12"x\nVW2,"q"x\nVW3,ok\nVW4,"open\n')
    assert [(n, problem[:24]) for n, _, problem in found] == [
        (2, ""), (3, "cannot be read as CSV ('"), (4, ""), (5, "cannot be read as CSV (u")]
    with pytest.raises(InvalidInput, match="Line 2 cannot be read as CSV: a quote"):
        lines_of(b'part_number,description\nVW1,"open\n' + b"VW2,x\n" * 200_000)
