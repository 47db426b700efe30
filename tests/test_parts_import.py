"""Loading a real shop's parts catalogue from its price file: UTF-8, BOM or GBK, Chinese headers, every bad line
named, never half an import, each change on record; the same from the command line."""

import csv
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk import catalogue_import
from kiosk.catalogue_import import import_parts
from kiosk.csvimport import ImportHasErrors
from kiosk.errors import InvalidInput, NotAllowed
from kiosk.parts import load_catalogue
from kiosk.store.models import AuditEvent, ImportRun, Part, PartChange, StockMovement

from .factories import make_part

ROOT = Path(__file__).resolve().parent.parent
HEADER = "part_number,description,bin,unit_price,manufacturer,wear_part,safety_part,hazardous\n"


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "prices.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def numbered(count: int, bad_at: int | None = None) -> str:
    lines = [HEADER]
    for i in range(count):
        price = '"12,50"' if i == bad_at else f"{10 + i % 90}.50"
        lines.append(f"P{i:06d},Brake pad 刹车片 {i},A-{i % 50},{price},VW,1,0,0\n")
    return "".join(lines)


def test_a_gbk_file_from_chinese_excel_with_chinese_headers_is_stored_as_chinese(store_url, staff, tmp_path):
    text = ("零件号,名称,货位,单价,厂家,易损件,安全件,危险品,备注\n"
            "5Q0-698-151-A,前刹车片,A-01,812.50,大众,是,否,否,常用\n"
            "JZW-000-001,蓄电池 12V,B-02,650,大众,否,否,是,\n")
    result = import_parts(staff["manager"], write(tmp_path, text, "gbk"))
    assert (result.added, result.encoding, result.ignored) == (2, "GBK/GB18030", ("备注",))
    pad = Part.get(Part.part_number == "5Q0-698-151-A")
    assert (pad.description, pad.bin, pad.unit_price, pad.manufacturer) == (
        "前刹车片", "A-01", Decimal("812.50"), "大众")
    assert pad.wear_part and not pad.safety_part
    assert Part.get(Part.part_number == "JZW-000-001").hazardous


def test_an_excel_utf8_file_with_its_bom_reads_its_first_header(store_url, staff, tmp_path):
    path = write(tmp_path, HEADER + "VW1,Oil filter 机油滤清器,C-3,35.00,VW,,,\n", "utf-8-sig")
    assert import_parts(staff["manager"], path).encoding == "UTF-8 (with BOM)"
    assert Part.get(Part.part_number == "VW1").description == "Oil filter 机油滤清器"


def test_bytes_not_valid_in_the_encoding_are_refused_naming_the_line(store_url, staff, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes((HEADER + "VW1,刹车片,A,1,,,,\nVW2,pad,A,1,,,,\n").encode("utf-8")
                     + "VW3,机油,A,1,,,,\n".encode("gbk"))
    with pytest.raises(ImportHasErrors) as info:
        import_parts(staff["manager"], path)
    assert info.value.report.bad[0][0] == 4 and "not valid UTF-8" in info.value.report.bad[0][1]
    assert Part.select().count() == 0
    gbk = write(tmp_path, HEADER + "VW1,刹车片,A,1,,,,\n", "gbk", "gbk.csv")
    with pytest.raises(ImportHasErrors, match="line 2: bytes .* are not valid UTF-8"):
        import_parts(staff["manager"], gbk, encoding="utf-8")
    assert Part.select().count() == 0
    import_parts(staff["manager"], gbk, encoding="gbk")
    assert Part.get().description == "刹车片"


def test_a_bad_line_late_in_a_big_file_leaves_nothing_written(store_url, staff, tmp_path):
    path = write(tmp_path, numbered(5000, bad_at=4990))
    with pytest.raises(ImportHasErrors, match="line 4992: unit_price '12,50': write a decimal point, 12.50"):
        import_parts(staff["manager"], path)
    assert Part.select().count() == 0 and ImportRun.select().count() == 0
    assert not AuditEvent.select().where(AuditEvent.action == "part.import").exists()


def test_known_parts_are_updated_and_on_hand_left_alone_with_each_change_recorded(store_url, staff, tmp_path):
    make_part("VW000123", "Front brake pad set 前刹车片", on_hand=7)
    text = HEADER + "vw 000123,Front brake pad set (new) 前刹车片,Z-9,135.50,,,1,\nNEW1,Wiper blade,W-1,20,VW,1,,\n"
    result = import_parts(staff["manager"], write(tmp_path, text))
    assert (result.added, result.updated, result.unchanged) == (1, 1, 0)
    pad = Part.get(Part.part_number == "VW000123")
    assert (pad.on_hand, pad.unit_price, pad.bin, pad.safety_part) == (7, Decimal("135.50"), "Z-9", True)
    assert pad.manufacturer == "VW"  # an empty cell leaves the value as it was
    change = PartChange.get(PartChange.part == pad.id)
    assert (change.kind, change.old_price, change.new_price) == ("updated", Decimal("120.00"), Decimal("135.50"))
    assert change.employee_id == staff["manager"].employee_id and change.at is not None
    assert json.loads(change.changes)["bin"] == ["A-01", "Z-9"]
    assert StockMovement.select().where(StockMovement.part == pad.id).count() == 1  # the opening stock only
    from kiosk.parts import search_parts
    assert [r.part_number for _, r in search_parts("new pad")] == ["VW000123"]
    again = import_parts(staff["manager"], write(tmp_path, text))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert PartChange.select().count() == 2


def test_the_same_part_number_twice_is_reported_with_both_lines(store_url, staff, tmp_path):
    text = HEADER + "VW1,Pad,A,1,,,,\nVW2,Disc,A,1,,,,\nvw1,Pad again,A,2,,,,\n"
    with pytest.raises(ImportHasErrors, match="line 4: part number VW1 is also on line 2"):
        import_parts(staff["manager"], write(tmp_path, text))
    assert Part.select().count() == 0


@pytest.mark.parametrize("text, words", [
    ("", "The file is empty"),
    (HEADER, "header line but no data lines"),
    ("description,unit_price\nPad,1\n", "missing: part_number"),
    (HEADER + "VW1,Pad,A,¥12.50,,,,\n", r"line 2: unit_price '¥12.50': write the number alone"),
    (HEADER + "VW1,Pad,A,12,50,,,,\n", "line 2: 9 fields, but the header names 8 columns"),
    (HEADER + 'VW1,Pad,A,"12,50",,,,\n', "line 2: unit_price '12,50': write a decimal point"),
    (HEADER + "VW1,Pad,A,-3,,,,\n", "line 2: unit_price '-3' is negative"),
    (HEADER + "VW1,Pad,A,twelve,,,,\n", "line 2: unit_price must be an amount like 123.45, not 'twelve'"),
    (HEADER + "VW1,Pad,A,NaN,,,,\n", "line 2: unit_price must be an amount"),
    (HEADER + "VW1,Pad,A,1e308,,,,\n", "line 2: unit_price must be an amount"),
    (HEADER + "VW1,=HYPERLINK(\"x\"),A,1,,,,\n", "line 2: description holds a formula"),
    (HEADER + "VW1,Pad\x00,A,1,,,,\n", "line 2: description holds a NUL byte"),
    (HEADER + "VW1,Pad\x07,A,1,,,,\n", r"line 2: description holds a control character \(U\+0007\)"),
    (HEADER + "VW1," + "x" * 10_000 + ",A,1,,,,\n", "line 2: description is too long: 10000 characters, at most 200"),
    (HEADER + "VW1,Pad,A,1,,maybe,,\n", "line 2: wear_part must be yes or no"),
    (HEADER + "NEW9,,A,1,,,,\n", "line 2: part NEW9 is not in the catalogue yet: its line needs a description"),
])
def test_bad_input_gets_a_clear_message_with_its_line_number(store_url, staff, tmp_path, text, words):
    with pytest.raises(InvalidInput, match=words):
        import_parts(staff["manager"], write(tmp_path, text))
    assert Part.select().count() == 0


def test_a_binary_file_is_not_read_as_a_catalogue(store_url, staff, tmp_path):
    for data in (bytes(range(256)) * 8, "part_number\nVW1\n".encode("utf-16")):
        path = tmp_path / "x.csv"
        path.write_bytes(data)
        with pytest.raises(InvalidInput, match="not a CSV text file"):
            import_parts(staff["manager"], path)


def test_skip_bad_imports_the_good_lines_and_writes_the_bad_ones_to_a_report(store_url, staff, tmp_path):
    text = HEADER + "VW1,Pad,A,1,,,,\nVW2,Disc,A,-3,,,,\nVW3,=1+1,A,1,,,,\nVW4,Belt,A,4,,,,\n"
    report = tmp_path / "bad.csv"
    result = import_parts(staff["manager"], write(tmp_path, text), skip_bad=True, report_path=report)
    assert (result.added, result.skipped) == (2, 2)
    assert sorted(p.part_number for p in Part.select()) == ["VW1", "VW4"]
    rows = list(csv.reader(report.open(encoding="utf-8-sig")))
    assert [r[0] for r in rows[1:]] == ["3", "4"] and "negative" in rows[1][1]
    assert rows[2][3] == "'=1+1"  # written so that Excel shows it and never runs it


def test_an_import_cut_short_finishes_with_the_same_result_when_run_again(store_url, staff, tmp_path, monkeypatch):
    path = write(tmp_path, numbered(5000))
    real = catalogue_import._write_batch
    calls = []

    def dies_on_the_second_batch(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the terminal is switched off mid-import
        return real(*args)

    monkeypatch.setattr(catalogue_import, "_write_batch", dies_on_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        import_parts(staff["manager"], path)
    assert Part.select().count() == catalogue_import.BATCH
    monkeypatch.setattr(catalogue_import, "_write_batch", real)
    result = import_parts(staff["manager"], path)
    assert result.resumed and (result.added, result.unchanged) == (5000 - catalogue_import.BATCH,
                                                                   catalogue_import.BATCH)
    assert Part.select().count() == 5000 and PartChange.select().count() == 5000
    run = ImportRun.get()
    assert (run.status, run.lines) == ("done", 5000)
    assert Part.get(Part.part_number == "P004999").unit_price == Decimal("59.50")


def test_only_a_manager_imports_the_catalogue(store_url, staff, tmp_path):
    with pytest.raises(NotAllowed):
        import_parts(staff["parts_clerk"], write(tmp_path, HEADER + "VW1,Pad,A,1,,,,\n"))


def test_negative_or_huge_opening_stock_is_refused(store_url, staff):
    for on_hand in (-1, -5, 10**12, 2.5):
        with pytest.raises(InvalidInput, match="Opening stock of VW1"):
            load_catalogue(staff["manager"], [{"part_number": "VW1", "description": "Pad", "on_hand": on_hand}])
    assert Part.select().count() == 0


def kiosk(tmp_path, *args, user="alice"):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "USER": user,
           "KIOSK_DB": f"sqlite:///{tmp_path / 'shop.sqlite'}"}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)


def test_kiosk_parts_import_from_the_command_line_records_the_os_user(tmp_path):
    assert kiosk(tmp_path, "db", "upgrade").returncode == 0
    path = write(tmp_path, "零件号,名称,单价,颜色\nVW1,前刹车片,812.50,红\nVW2,机油,35,\n", "gbk")
    result = kiosk(tmp_path, "parts", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "2 part(s) added" in result.stdout and "GBK" in result.stdout and "颜色" in result.stdout
    bad = write(tmp_path, "零件号,名称,单价\nVW3,刹车盘,12,50\nVW4,火花塞,-3\n", "gbk", "bad.csv")
    refused = kiosk(tmp_path, "parts", "import", str(bad), "--encoding", "gbk")
    assert refused.returncode == 1
    assert "line 2: 4 fields" in refused.stderr and "line 3: unit_price '-3' is negative" in refused.stderr
    from kiosk.store import close_database, open_database

    open_database(f"sqlite:///{tmp_path / 'shop.sqlite'}")
    try:
        assert Part.get(Part.part_number == "VW1").description == "前刹车片"
        assert {(c.actor, c.employee_id) for c in PartChange.select()} == {("os user alice", None)}
        event = AuditEvent.get(AuditEvent.action == "part.import")
        assert event.client == "cli alice" and event.employee_id is None
    finally:
        close_database()


def test_a_kill_9_mid_import_is_finished_by_running_the_same_command_again(tmp_path):
    import signal
    import sqlite3
    import time

    assert kiosk(tmp_path, "db", "upgrade").returncode == 0
    path = write(tmp_path, numbered(20_000))
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "USER": "alice",
           "KIOSK_DB": f"sqlite:///{tmp_path / 'shop.sqlite'}"}
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "parts", "import", str(path)], env=env,
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = sqlite3.connect(tmp_path / "shop.sqlite", timeout=30)
    try:
        deadline = time.monotonic() + 120
        while db.execute("SELECT count(*) FROM part").fetchone()[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        cut = db.execute("SELECT count(*) FROM part").fetchone()[0]
        assert 0 < cut < 20_000, "the import was not caught half-way"
        assert db.execute("SELECT status FROM import_run").fetchall() == [("running",)]
        again = kiosk(tmp_path, "parts", "import", str(path))
        assert again.returncode == 0, again.stderr
        assert again.stdout.startswith("Resumed an import cut short.")
        assert f"{20_000 - cut} part(s) added" in again.stdout and f"{cut} unchanged" in again.stdout
        assert db.execute("SELECT count(*), count(DISTINCT part_id) FROM part_change").fetchone() == (20_000, 20_000)
        assert db.execute("SELECT status FROM import_run").fetchall() == [("done",)]
        assert db.execute("SELECT count(*) FROM part").fetchone()[0] == 20_000
    finally:
        db.close()


def test_kiosk_parts_import_with_a_managers_badge_records_the_manager(tmp_path):
    from kiosk.store import close_database, open_database
    from kiosk.store.models import Employee

    from .conftest import pin_hash

    assert kiosk(tmp_path, "db", "upgrade").returncode == 0
    open_database(f"sqlite:///{tmp_path / 'shop.sqlite'}")
    for badge, role in (("M1", "manager"), ("C1", "parts_clerk")):
        Employee.create(badge=badge, name=f"王 {role}", role=role, pin_hash=pin_hash())
    close_database()
    path = write(tmp_path, HEADER + "VW1,Pad,A,1,,,,\n")
    refused = kiosk(tmp_path, "parts", "import", str(path), "--badge", "C1")
    assert refused.returncode == 1 and "is not a manager's" in refused.stderr
    assert kiosk(tmp_path, "parts", "import", str(path), "--badge", "M1").returncode == 0
    open_database(f"sqlite:///{tmp_path / 'shop.sqlite'}")
    try:
        change = PartChange.get()
        assert change.actor == "王 manager" and change.employee_id is not None
    finally:
        close_database()
