"""Goods in and counting a bin, through the stock ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from kiosk.i18n import read_stored
from kiosk import parts, stockcount
from kiosk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kiosk.store.models import AuditEvent, Part, StockMovement

from .factories import make_bin_a01, make_job_card


@pytest.fixture
def bin_a(staff):
    make_bin_a01()
    return staff


def on_hand(number: str) -> int:
    return Part.get(Part.part_number == number).on_hand


def test_goods_in_puts_the_delivery_note_in_the_ledger_and_the_audit_event(bin_a):
    clerk = bin_a["parts_clerk"]
    assert parts.receive_stock(clerk, "vw000123", 1, delivery_note="DN-4471") == 11
    assert parts.receive_stock(clerk, "VW000123", "5", delivery_note="DN-4471") == 16
    moves = list(StockMovement.select().where(StockMovement.kind == "receive").order_by(StockMovement.id))
    assert [(m.quantity, m.reason) for m in moves] == [(1, "delivery note DN-4471"), (5, "delivery note DN-4471")]
    event = AuditEvent.select().where(AuditEvent.action == "part.receive").order_by(AuditEvent.id.desc()).get()
    assert json.loads(event.detail)["delivery_note"] == "DN-4471"
    with pytest.raises(InvalidInput, match="Reason is required"):
        parts.receive_stock(clerk, "VW000123", 1, delivery_note="  \x00 ")
    with pytest.raises(InvalidInput, match="Delivery note is too long"):
        parts.receive_stock(clerk, "VW000123", 1, delivery_note="号" * 61)
    assert parts.check_stock() == []


def test_a_part_scanned_in_by_mistake_is_taken_back_off_its_delivery_note(bin_a):
    clerk, tech = bin_a["parts_clerk"], bin_a["technician"]
    parts.receive_stock(clerk, "VW000777", 3, delivery_note="DN-1")
    parts.receive_stock(clerk, "VW000777", 5, delivery_note="DN-2")
    assert parts.take_back_receipt(clerk, "vw000777", 1, "DN-1") == 7
    with pytest.raises(InvalidInput, match="Delivery note DN-1 brought in 2 of VW000777; cannot take back 3"):
        parts.take_back_receipt(clerk, "VW000777", 3, "DN-1")
    with pytest.raises(InvalidInput, match="brought in 0 of VW000123"):
        parts.take_back_receipt(clerk, "VW000123", 1, "DN-1")
    line = make_job_card(tech.employee_id).lines[0]
    parts.issue_part(tech, line.id, "VW000777", 6)  # one left on the shelf
    with pytest.raises(Conflict, match="Only 1 of VW000777 on hand; cannot take back 2"):
        parts.take_back_receipt(clerk, "VW000777", 2, "DN-2")
    with pytest.raises(NotAllowed, match="part.receive"):
        parts.take_back_receipt(tech, "VW000777", 1, "DN-2")
    moves = [(m.quantity, m.reason) for m in StockMovement.select().where(StockMovement.kind == "receive")
             .order_by(StockMovement.id)]
    assert moves == [(3, "delivery note DN-1"), (5, "delivery note DN-2"), (-1, "delivery note DN-1")]
    assert parts.check_stock() == []


def test_a_bin_counted_by_scanning_shows_each_difference_and_posts_them(bin_a):
    manager = bin_a["manager"]
    count = stockcount.start_count(manager, "a-01")
    assert [(line.part_number, line.snapshot) for line in count.rows()] == [
        ("9912345678", 4), ("VW000123", 10), ("VW000777", 0)]
    for _ in range(8):
        stockcount.count_scan(count, "VW000123")
    stockcount.count_scan(count, "vw000777", "2")
    stockcount.count_scan(count, "9912345678", 4)
    with pytest.raises(InvalidInput, match="BOSCH-1 belongs in bin B-07, not A-01"):
        stockcount.count_scan(count, "BOSCH-1")
    with pytest.raises(NotFound, match="Unknown part number"):
        stockcount.count_scan(count, "NOPE")
    assert [(line.part_number, line.difference) for line in count.differences] == [("VW000123", -2),
                                                                                   ("VW000777", 2)]
    with pytest.raises(InvalidInput, match="Reason is required"):
        stockcount.post_count(manager, count, "\t")
    result = stockcount.post_count(manager, count, "monthly count")
    assert result.posted == [("VW000123", -2), ("VW000777", 2)] and result.moved_meanwhile == []
    assert "2 correction(s) posted" in result.message
    assert (on_hand("VW000123"), on_hand("VW000777"), on_hand("9912345678")) == (8, 2, 4)
    moves = list(StockMovement.select().where(StockMovement.kind == "count").order_by(StockMovement.quantity))
    assert [(m.quantity, read_stored(m.reason)) for m in moves] == [(-2, "count of bin A-01: monthly count"),
                                                       (2, "count of bin A-01: monthly count")]
    [event] = AuditEvent.select().where(AuditEvent.action == "stock.count")
    assert json.loads(event.detail)["corrections"] == {"VW000123": -2, "VW000777": 2}
    assert parts.check_stock() == []
    with pytest.raises(NotAllowed, match="posted already"):
        stockcount.post_count(manager, count, "again")


def test_a_part_never_scanned_is_counted_as_none_and_a_typed_total_replaces_the_scans(bin_a):
    manager = bin_a["manager"]
    count = stockcount.start_count(manager, "LOC-A-01")  # the shelf label scanned
    stockcount.count_scan(count, "VW000123", 3)
    stockcount.set_counted(count, "VW000123", "10")
    stockcount.set_counted(count, "VW000777", "0")
    result = stockcount.post_count(manager, count, "找不到 lost")
    assert result.posted == [("9912345678", -4)]
    assert on_hand("9912345678") == 0 and on_hand("VW000123") == 10
    assert parts.check_stock() == []


def test_stock_moved_between_counting_and_posting_is_kept(bin_a):
    manager, clerk, tech = bin_a["manager"], bin_a["parts_clerk"], bin_a["technician"]
    count = stockcount.start_count(manager, "A-01")
    for _ in range(9):
        stockcount.count_scan(count, "VW000123")  # one missing: 10 on hand, 9 on the shelf
    # Meanwhile a technician takes two from the shelf and a delivery of five comes in.
    line = make_job_card(tech.employee_id).lines[0]
    parts.issue_part(tech, line.id, "VW000123", 2)
    parts.receive_stock(clerk, "VW000123", 5, delivery_note="DN-1")
    stockcount.count_scan(count, "9912345678", 4)
    result = stockcount.post_count(manager, count, "count")
    assert ("VW000123", -1) in result.posted and ("VW000123", 3) in result.moved_meanwhile
    assert "Moved while counting" in result.message
    assert on_hand("VW000123") == 10 + 3 - 1  # what moved is kept, the missing one is written off
    assert parts.check_stock() == []


def test_a_correction_that_moved_below_zero_is_refused_whole(bin_a):
    manager, tech = bin_a["manager"], bin_a["technician"]
    count = stockcount.start_count(manager, "A-01")
    stockcount.count_scan(count, "9912345678", 1)  # 4 on hand, 1 on the shelf
    stockcount.count_scan(count, "VW000123", 10)
    line = make_job_card(tech.employee_id).lines[0]
    parts.issue_part(tech, line.id, "9912345678", 4)  # ...but four went out since
    before = StockMovement.select().count(), AuditEvent.select().count()
    with pytest.raises(Conflict, match="9912345678: counted 1, but 4 went out since it was counted.*count it again"):
        stockcount.post_count(manager, count, "count")
    assert (StockMovement.select().count(), AuditEvent.select().count()) == before
    assert on_hand("VW000123") == 10 and parts.check_stock() == []


def test_only_a_manager_counts_and_bad_bins_and_quantities_are_clear(bin_a):
    with pytest.raises(NotAllowed, match="stock.count"):
        stockcount.start_count(bin_a["parts_clerk"], "A-01")
    manager = bin_a["manager"]
    for bad, words in (("", "Bin is required"), ("\x00\x1b", "Bin is required"), ("Z" * 17, "too long"),
                       ("NO-SUCH", "No part in the catalogue has bin NO-SUCH"), ("\ud800", "Bin is required")):
        with pytest.raises((InvalidInput, NotFound), match=words):
            stockcount.start_count(manager, bad)
    count = stockcount.start_count(manager, "A-01")
    for bad in ("0", "-3", "1e308", "NaN", "１２", "100001"):
        with pytest.raises(InvalidInput):
            stockcount.count_scan(count, "VW000123", bad)
    with pytest.raises(InvalidInput, match="Scan a part barcode"):
        stockcount.count_scan(count, "\x1d")
    assert count.scanned == 0
