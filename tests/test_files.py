"""Files written for people are whole or absent: a write that fails half-way leaves neither the file nor its
temporary copy, and says what could not be written where."""

import pytest

from kiosk.errors import InvalidInput
from kiosk.files import write_atomically, write_bytes


def test_a_file_is_written_whole_and_replaces_the_old_one(tmp_path):
    path = tmp_path / "job-cards" / "RO000001.pdf"
    write_bytes(path, b"first", what="the job card")
    write_bytes(path, b"second", what="the job card")
    assert path.read_bytes() == b"second" and [p.name for p in path.parent.iterdir()] == ["RO000001.pdf"]


def test_text_is_utf8_with_a_bom_so_excel_reads_chinese(tmp_path):
    path = tmp_path / "r.csv"
    assert write_atomically(path, lambda out: out.write("刹车\r\n"), what="the report") == 4
    assert path.read_bytes() == "\ufeff刹车\r\n".encode("utf-8")


def test_a_write_that_fails_half_way_leaves_nothing_behind(tmp_path):
    path = tmp_path / "r.csv"

    def write(out):
        out.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(InvalidInput, match=r"Cannot write the report to .*r\.csv: No space left on device"):
        write_atomically(path, write, what="the report")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_made_says_where(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(InvalidInput, match="Cannot write the packing list to .*blocked"):
        write_bytes(blocked / "BOX000001.pdf", b"%PDF", what="the packing list")
