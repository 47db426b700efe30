"""Parts at the floor: the catalogue search, scans, issuing and returning through the ledger, receiving stock,
the ledger check, and the old parts that come off a job."""

import pytest

from kiosk import audit, catalogue, parts
from kiosk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kiosk.store.models import AuditEvent, JobCard, JobLine, Part, RemovedPart, StockMovement

from .conftest import add_employee
from .factories import make_job_card, make_part

BAD_QUANTITIES = [("0", "at least 1"), ("-2", "at least 1"), (-2, "at least 1"), ("lots", "whole number"),
                  ("99999999", "too large"), ("", "required"), ("２", "whole number"), ("1.5", "whole number"),
                  ("1e3", "whole number"), ("\x1b", "required")]


@pytest.fixture
def bay(store_url, staff):
    tech = staff["technician"]
    job = make_job_card(tech.employee_id, payers=("warranty", "customer", "internal"))
    make_part("VW000123", on_hand=5)
    make_part("9912345678", "Oil filter 机油滤清器", on_hand=3)
    return {"job": job, "lines": list(job.lines.order_by(JobLine.position)), **staff}


def on_hand(number: str = "VW000123") -> int:
    return Part.get(Part.part_number == number).on_hand


def moves() -> list[StockMovement]:
    return list(StockMovement.select().where(StockMovement.kind != "opening").order_by(StockMovement.id))


def audit_count() -> int:
    return AuditEvent.select().count()


# The catalogue


@pytest.fixture
def shelf(store_url, staff):
    rows = [("VW000123", "Front brake pad set 前刹车片"), ("GM000777", "Rear brake pad set 后刹车片"),
            ("9912345678", "Oil filter 机油滤清器"), ("5Q0-698-151-A", "Brake disc, front (Ø 312 mm)"),
            ("TY-O-RING", "O-ring \"AND\" seal * NEAR(x) 'quoted'"), ("FW1", "Ｗｉｐｅｒ blade 雨刮片")]
    for number, description in rows:
        make_part(number, description)
    return staff


def found(text: str, **kw) -> list[str]:
    return [r.part_number for _, r in parts.search_parts(text, **kw)]


def test_search_by_number_prefix_and_by_words_in_any_order(shelf):
    assert found("vw0001") == ["VW000123"]
    assert found("VW000123") == ["VW000123"]
    assert found("pad brake") == ["VW000123", "GM000777"]
    assert found("BRAKE Pa") == ["VW000123", "GM000777"]
    assert found("rear pa") == ["GM000777"]
    assert found("brake") == ["VW000123", "GM000777", "5Q0-698-151-A"]
    assert found("br fr") == ["VW000123", "5Q0-698-151-A"]
    assert found("991234") == ["9912345678"]
    assert found("pad rear front") == []
    assert found("nothing-like-this") == []


def test_search_in_chinese_finds_any_part_of_a_chinese_word(shelf):
    assert found("刹车") == ["VW000123", "GM000777"]
    assert found("后刹") == ["GM000777"]
    assert found("刹车片 front") == ["VW000123"]
    assert found("滤清") == ["9912345678"]
    assert found("前后") == []


def test_search_takes_part_numbers_with_or_without_separators_and_full_width_letters(shelf):
    assert found("5q0698") == ["5Q0-698-151-A"]
    assert found("5Q0-698-1") == ["5Q0-698-151-A"]
    assert found("698 151") == ["5Q0-698-151-A"]
    assert found("ｗｉｐ") == ["FW1"]
    assert found("wiper 雨刮") == ["FW1"]
    assert found("ø") == ["5Q0-698-151-A"]


SHELF = ["VW000123", "GM000777", "9912345678", "5Q0-698-151-A", "TY-O-RING", "FW1"]


# The database's own search syntax (FTS5's quotes, stars, AND/OR/NEAR, tsquery's ':*' and '&', LIKE's % and _)
# is only ever text here: a sign is a separator, a word of it is a word to look for.
@pytest.mark.parametrize("text, expected", [
    ('"', SHELF), ("*", SHELF), ("'", SHELF), ("-", SHELF), ("(", SHELF), ("^", SHELF), ("%", SHELF), ("_", SHELF),
    ("\\", SHELF), (":*", SHELF),  # nothing to look for: the whole catalogue, as for blank text
    ("AND", ["TY-O-RING"]), ("NEAR(", ["TY-O-RING"]),  # the words in O-ring "AND" seal * NEAR(x), not operators
    ("OR x", []),  # "or" AND "x": no part has a word starting "or" (OR is not an operator either)
    ("'x':*", ["TY-O-RING"]), ("a\"b", ["5Q0-698-151-A"]),  # "a" and "b": the disc's "A" and "Brake"
    ("\x1b[A", ["5Q0-698-151-A", "TY-O-RING"]),  # the escape dropped, "[" a separator: words starting "a"
])
def test_search_syntax_of_the_database_never_leaks(shelf, text, expected):
    assert found(text) == expected


def test_search_pages_through_the_catalogue(shelf):
    everything = found("")
    assert len(everything) == 6
    pages, after = [], None
    while page := parts.search_parts("", after=after, limit=4):
        pages.append([r.part_number for _, r in page])
        after = page[-1][0]
    assert pages == [everything[:4], everything[4:]]
    first = parts.search_parts("brake", limit=2)
    assert found("brake", after=first[-1][0]) == ["5Q0-698-151-A"]
    with pytest.raises(InvalidInput, match="too long"):
        parts.search_parts("x" * 81)


def test_parts_added_later_are_found_and_duplicates_are_refused(shelf):
    make_part("GM000778", "Brake hose 刹车软管")
    assert found("hose") == ["GM000778"] and found("软管") == ["GM000778"]
    before = Part.select().count()
    with pytest.raises(Conflict, match="already in the shop's catalogue"):
        make_part("GM000778", "another")
    assert Part.select().count() == before and found("another") == []


def test_search_words_and_text():
    assert catalogue.search_words("5Q0-698", "Front pad 前刹车片") == {
        "5q0698", "5q0", "698", "front", "pad", "前刹车片", "刹车片", "车片", "片"}
    assert catalogue.search_text("A1", "x 朗逸lavida") == "a1 lavida x 朗逸 逸"


def test_a_scan_finds_the_exact_part_and_an_unknown_one_invites_the_search(shelf):
    assert parts.find_part_by_scan(" vw000123\r\n").part_number == "VW000123"
    assert parts.find_part_by_scan("\x029912345678\x03").description == "Oil filter 机油滤清器"
    with pytest.raises(NotFound, match="Unknown part number VW00012: search the catalogue"):
        parts.find_part_by_scan("VW00012")
    with pytest.raises(InvalidInput, match="Scan a part"):
        parts.find_part_by_scan(" \t")


# Issue, return, receive


def test_issue_and_return_move_stock_through_the_ledger(bay):
    tech, line = bay["technician"], bay["lines"][0]
    assert parts.issue_part(tech, line.id, " vw000123 ", "2") == 3
    assert parts.issue_part(tech, line.id, "9912345678", 1) == 2
    assert parts.return_part(tech, line.id, "VW000123", 1, "one pad set was enough") == 4
    assert [(m.kind, m.quantity, m.job_line_id, m.employee_id, m.terminal, m.reason) for m in moves()] == [
        ("issue", -2, line.id, tech.employee_id, "test-terminal", ""),
        ("issue", -1, line.id, tech.employee_id, "test-terminal", ""),
        ("return", 1, line.id, tech.employee_id, "test-terminal", "one pad set was enough")]
    assert all(m.at is not None for m in moves())
    events = list(AuditEvent.select().where(AuditEvent.action.in_(["part.issue", "part.return"]))
                  .order_by(AuditEvent.id))
    assert [(e.action, e.subject_id) for e in events] == [("part.issue", line.id)] * 2 + [("part.return", line.id)]
    assert '"part": "VW000123"' in events[0].detail and '"quantity": 2' in events[0].detail
    assert parts.issued_to_line(line.id, Part.get(Part.part_number == "VW000123").id) == 1
    assert parts.check_stock() == []


@pytest.mark.parametrize("quantity, words", BAD_QUANTITIES)
def test_bad_quantities_are_refused_and_nothing_is_written(bay, quantity, words):
    tech, line = bay["technician"], bay["lines"][0]
    parts.issue_part(tech, line.id, "VW000123", 2)
    before = audit_count(), len(moves()), on_hand()
    for attempt in (lambda: parts.issue_part(tech, line.id, "VW000123", quantity),
                    lambda: parts.return_part(tech, line.id, "VW000123", quantity, "unused"),
                    lambda: parts.receive_stock(bay["parts_clerk"], "VW000123", quantity, "delivery"),
                    lambda: parts.record_removed_part(tech, line.id, "VW000123", quantity, True)):
        with pytest.raises(InvalidInput, match=words):
            attempt()
    assert (audit_count(), len(moves()), on_hand()) == before


def test_more_than_on_hand_says_how_many_are_left_and_in_which_bin(bay):
    tech, line = bay["technician"], bay["lines"][0]
    before = audit_count()
    with pytest.raises(Conflict, match=r"Only 5 of VW000123 left \(bin A-01\); cannot issue 6"):
        parts.issue_part(tech, line.id, "VW000123", 6)
    assert moves() == [] and on_hand() == 5 and audit_count() == before
    assert JobCard.get_by_id(bay["job"].id).status == "approved"  # a refused issue starts nothing
    parts.issue_part(tech, line.id, "VW000123", 5)
    with pytest.raises(Conflict, match="Only 0 of VW000123 left"):
        parts.issue_part(tech, line.id, "VW000123", 1)


def test_returning_more_than_the_line_holds_is_refused(bay):
    tech, (line, other_line, _) = bay["technician"], bay["lines"]
    parts.issue_part(tech, line.id, "VW000123", 2)
    parts.return_part(tech, line.id, "VW000123", 1, "unused")
    before = audit_count(), len(moves())
    with pytest.raises(InvalidInput, match="holds 1 of VW000123; cannot return 2"):
        parts.return_part(tech, line.id, "VW000123", 2, "unused")
    with pytest.raises(InvalidInput, match="Reason is required"):
        parts.return_part(tech, line.id, "VW000123", 1, " \x07 ")
    with pytest.raises(InvalidInput, match="holds 0 of VW000123"):
        parts.return_part(tech, other_line.id, "VW000123", 1, "wrong line")
    with pytest.raises(InvalidInput, match="holds 0 of 9912345678"):
        parts.return_part(tech, line.id, "9912345678", 1, "never issued")
    assert (audit_count(), len(moves())) == before
    parts.return_part(tech, line.id, "VW000123", 1, "unused")
    with pytest.raises(InvalidInput, match="holds 0"):
        parts.return_part(tech, line.id, "VW000123", 1, "unused")


def test_unknown_parts_and_lines_are_refused(bay):
    tech, line = bay["technician"], bay["lines"][0]
    with pytest.raises(NotFound, match="Unknown part number NOPE-1: search the catalogue"):
        parts.issue_part(tech, line.id, "nope-1", 1)
    with pytest.raises(NotFound, match="Unknown part number"):
        parts.issue_part(tech, line.id, "", 1)
    with pytest.raises(NotFound, match="job line does not exist"):
        parts.issue_part(tech, 999999, "VW000123", 1)
    assert moves() == []


def test_another_technicians_line_is_refused_but_the_counter_and_the_desk_may_issue(bay):
    line = bay["lines"][0]
    before = audit_count()
    with pytest.raises(NotAllowed, match="assigned to someone else"):
        parts.issue_part(add_employee("technician"), line.id, "VW000123", 1)
    parts.issue_part(bay["technician"], line.id, "VW000123", 2)
    with pytest.raises(NotAllowed, match="assigned to someone else"):
        parts.return_part(add_employee("technician"), line.id, "VW000123", 1, "unused")
    assert audit_count() == before + 1
    parts.issue_part(bay["parts_clerk"], line.id, "VW000123", 1)
    parts.issue_part(bay["advisor"], line.id, "VW000123", 1)
    parts.return_part(bay["manager"], line.id, "VW000123", 1, "unused")
    assert on_hand() == 2 and parts.check_stock() == []


def test_a_completed_job_takes_no_parts_and_gives_none_back(bay):
    tech, line = bay["technician"], bay["lines"][0]
    parts.issue_part(tech, line.id, "VW000123", 1)
    JobCard.update(status="work_done").where(JobCard.id == bay["job"].id).execute()
    for who in (tech, bay["advisor"], bay["parts_clerk"]):
        with pytest.raises(NotAllowed, match="work done; it cannot be worked on"):
            parts.issue_part(who, line.id, "VW000123", 1)
        with pytest.raises(NotAllowed, match="work done"):
            parts.return_part(who, line.id, "VW000123", 1, "unused")
    assert on_hand() == 4


def test_a_failure_half_way_leaves_nothing_behind(bay, monkeypatch):
    tech, line = bay["technician"], bay["lines"][0]
    before = audit_count()

    def ledger_broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(parts, "_move", ledger_broken)
    with pytest.raises(RuntimeError):
        parts.issue_part(tech, line.id, "VW000123", 2)
    monkeypatch.undo()
    monkeypatch.setattr(audit, "write_event", ledger_broken)
    with pytest.raises(RuntimeError):
        parts.issue_part(tech, line.id, "VW000123", 2)
    assert on_hand() == 5 and moves() == [] and audit_count() == before
    assert JobCard.get_by_id(bay["job"].id).status == "approved"


def test_receiving_stock_is_for_the_counter_with_a_reason(bay):
    clerk = bay["parts_clerk"]
    with pytest.raises(NotAllowed, match="may not do this \\(part.receive\\)"):
        parts.receive_stock(bay["technician"], "VW000123", 5, "found some")
    with pytest.raises(InvalidInput, match="Reason is required"):
        parts.receive_stock(clerk, "VW000123", 5, "")
    with pytest.raises(NotFound):
        parts.receive_stock(clerk, "XX", 5, "delivery")
    assert parts.receive_stock(clerk, "vw000123", "20", "delivery 4711") == 25
    [move] = moves()
    assert (move.kind, move.quantity, move.job_line_id, move.employee_id, move.reason) == (
        "receive", 20, None, clerk.employee_id, "delivery 4711")
    assert parts.check_stock() == []


def test_check_stock_names_every_part_whose_on_hand_left_the_ledger(bay):
    assert parts.check_stock() == []
    Part.update(on_hand=Part.on_hand + 1).where(Part.part_number == "VW000123").execute()
    StockMovement.delete().where(StockMovement.part == Part.get(Part.part_number == "9912345678").id).execute()
    wrong = parts.check_stock()
    assert [(w.part_number, w.on_hand, w.ledger) for w in wrong] == [("9912345678", 3, 0), ("VW000123", 6, 5)]
    assert str(wrong[1]) == "VW000123: on hand 6, ledger 5"


# Old parts off the car


def test_old_parts_by_payer(bay):
    tech, (warranty, customer, internal) = bay["technician"], bay["lines"]
    removed = parts.record_removed_part(tech, warranty.id, "VW000123", 1, True)
    assert (RemovedPart.get_by_id(removed).disposition, RemovedPart.get_by_id(removed).causal) == ("warranty", True)
    with pytest.raises(InvalidInput, match="customer keeps or scrap, not a warranty part"):
        parts.record_removed_part(tech, customer.id, "VW000123", 1, False, "warranty")
    with pytest.raises(InvalidInput, match="Say what becomes of the old part on this customer line"):
        parts.record_removed_part(tech, customer.id, "VW000123", 1, False)
    kept = parts.record_removed_part(tech, customer.id, "VW000123", 2, False, "customer_keeps")
    scrapped = parts.record_removed_part(tech, customer.id, "9912345678", 1, False, "scrap")
    with pytest.raises(InvalidInput, match="warranty part \\(to be tagged\\), not scrap"):
        parts.record_removed_part(tech, warranty.id, "VW000123", 1, False, "scrap")
    with pytest.raises(InvalidInput, match="internal line the old part is scrap, not customer keeps"):
        parts.record_removed_part(tech, internal.id, "VW000123", 1, False, "customer_keeps")
    binned = parts.record_removed_part(tech, internal.id, "VW000123", 1, False)
    assert [RemovedPart.get_by_id(i).disposition for i in (kept, scrapped, binned)] == [
        "customer_keeps", "scrap", "scrap"]
    with pytest.raises(NotFound):
        parts.record_removed_part(tech, warranty.id, "NOPE", 1, True)
    with pytest.raises(NotAllowed, match="assigned to someone else"):
        parts.record_removed_part(add_employee("technician"), warranty.id, "VW000123", 1, True)
    with pytest.raises(NotAllowed, match="parts clerk may not"):
        parts.record_removed_part(bay["parts_clerk"], warranty.id, "VW000123", 1, True)
    events = AuditEvent.select().where(AuditEvent.action == "removed_part.record")
    assert sorted(e.subject_id for e in events) == sorted([removed, kept, scrapped, binned])
    assert on_hand() == 5  # old parts are not stock
