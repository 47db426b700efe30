"""The parts clerk scans tagged parts into the warranty-parts room and finds them again."""

import datetime as dt

import pytest

from kiosk import holding, labelqueue, tags
from kiosk.config import Settings
from kiosk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kiosk.i18n import use_language
from kiosk.store.models import AuditEvent, TagEvent, WarrantyTag

from .factories import make_job_card, make_part, make_tag

SETTINGS = Settings(terminal="parts-room")


@pytest.fixture
def shop(store_url, staff):
    tech = staff["technician"].employee_id
    job = make_job_card(tech)
    make_part("VW000123")
    return {"job": job, "tags": [make_tag(job, tech) for _ in range(3)], **staff}


def test_a_scan_moves_a_tagged_part_to_held_on_the_ten_bin_shelf(shop):
    clerk, tag = shop["parts_clerk"], shop["tags"][0]
    result = holding.scan_in(clerk, f"  {tag.tag_number.lower()}\r", SETTINGS)
    assert result.kind == "held" and result.location == f"BIN-{shop['job'].id % 10}"
    stored = WarrantyTag.get_by_id(tag.id)
    assert (stored.status, stored.location) == ("held", result.location) and stored.held_at
    event = TagEvent.select().where(TagEvent.tag == tag.id).order_by(TagEvent.id.desc()).first()
    assert (event.status, event.employee_id, event.terminal) == ("held", clerk.employee_id, "test-terminal")
    assert AuditEvent.get(AuditEvent.action == "tag.scan_in").subject_id == tag.id


def test_a_shelf_label_sets_the_shelf_for_the_next_scans(shop):
    clerk = shop["parts_clerk"]
    shelf = holding.scan_in(clerk, "LOC-A3", SETTINGS)
    assert shelf.kind == "shelf" and shelf.location == "A3"
    result = holding.scan_in(clerk, shop["tags"][1].tag_number, SETTINGS, location=shelf.location)
    assert WarrantyTag.get_by_id(shop["tags"][1].id).location == "A3" == result.location


def test_a_duplicate_scan_says_where_since_when_and_by_whom(shop):
    clerk, tag = shop["parts_clerk"], shop["tags"][0]
    holding.scan_in(clerk, tag.tag_number, SETTINGS)
    events = TagEvent.select().count()
    held_since = rf"already held at shelf BIN-\d since \d{{4}}-\d\d-\d\d \d\d:\d\d, by {clerk.name}"
    with pytest.raises(Conflict, match=held_since):
        holding.scan_in(clerk, tag.tag_number, SETTINGS)
    assert TagEvent.select().count() == events


@pytest.mark.parametrize("scan, words", [
    ("W9999999", "Unknown tag W9999999"), ("W12", "not a warranty tag"),
    ("VW000123", "part-number barcode"),
    ("1M8GDM9AXKP042788", "is a VIN"),
    ("RO000042", "job-card barcode"),
    ("#$%^&*!", "not a warranty tag"),
    ("\x1b\x00\x07\t", "Empty scan"),
    ("\x1b[A", "not a warranty tag"),
    ("W" + "1" * 300, "too long"),
    ("标签123", "not a warranty tag"),
])
def test_garbage_scans_get_a_message_and_write_nothing(shop, scan, words):
    before = (TagEvent.select().count(), AuditEvent.select().count())
    with pytest.raises((InvalidInput, NotFound), match=words):
        holding.scan_in(shop["parts_clerk"], scan, SETTINGS)
    assert (TagEvent.select().count(), AuditEvent.select().count()) == before


def test_only_clerks_and_managers_scan_in(shop):
    with pytest.raises(NotAllowed):
        holding.scan_in(shop["technician"], shop["tags"][0].tag_number, SETTINGS)


def test_end_of_day_list_shows_parts_not_scanned_in_with_technician_and_job(shop):
    holding.scan_in(shop["parts_clerk"], shop["tags"][0].tag_number, SETTINGS)
    rows = [row for _, row in holding.not_scanned_in()]
    assert [r.tag_number for r in rows] == [t.tag_number for t in shop["tags"][1:]]
    assert rows[0].technician == shop["technician"].name and rows[0].job_id == shop["job"].id


def test_held_list_searches_by_tag_repair_order_vin_part_shelf_and_age(shop):
    for tag in shop["tags"]:
        holding.scan_in(shop["parts_clerk"], tag.tag_number, SETTINGS)
    everything = [r.tag_number for _, r in holding.held_parts(holding.HeldQuery())]
    assert everything == [t.tag_number for t in reversed(shop["tags"])]
    job = shop["job"]
    for text in (shop["tags"][1].tag_number, f"RO{job.id:06d}", job.vehicle.vin, "VW0001"):
        found = [r.tag_number for _, r in holding.held_parts(holding.HeldQuery(text=text))]
        assert shop["tags"][1].tag_number in found, text
    assert holding.held_parts(holding.HeldQuery(text="NOPE")) == []
    assert len(holding.held_parts(holding.HeldQuery(shelf=f"BIN-{job.id % 10}"))) == 3
    assert holding.held_parts(holding.HeldQuery(min_age_days=1)) == []
    assert len(holding.held_parts(holding.HeldQuery(min_age_days=1), today=dt.date.today() + dt.timedelta(days=2))) == 3
    page1 = holding.held_parts(holding.HeldQuery(), limit=2)
    page2 = holding.held_parts(holding.HeldQuery(), after=page1[-1][0], limit=2)
    assert [r.tag_number for _, r in page1 + page2] == everything


def test_history_shows_every_event_with_who_and_terminal(shop):
    tag = shop["tags"][0]
    holding.scan_in(shop["parts_clerk"], tag.tag_number, SETTINGS)
    row, events = holding.history(tag.tag_number)
    assert row.status == "held"
    assert [(e.status, e.who) for e in events] == [("tagged", shop["technician"].name),
                                                   ("held", shop["parts_clerk"].name)]


def test_a_manager_marks_a_part_missing_and_it_shows_on_the_chargeback_list(shop):
    tag = shop["tags"][0]
    holding.scan_in(shop["parts_clerk"], tag.tag_number, SETTINGS)
    with pytest.raises(NotAllowed):
        holding.mark_missing(shop["parts_clerk"], tag.tag_number, "not on shelf")
    with pytest.raises(InvalidInput, match="Reason is required"):
        holding.mark_missing(shop["manager"], tag.tag_number, "  ")
    holding.mark_missing(shop["manager"], tag.tag_number, "not on shelf BIN-3 at stock take")
    risk = [r.tag_number for _, r in holding.chargeback_risk(dt.date.today())]
    assert tag.tag_number in risk
    # Found again: scanned back in.
    holding.scan_in(shop["parts_clerk"], tag.tag_number, SETTINGS)
    assert WarrantyTag.get_by_id(tag.id).status == "held"


def test_two_terminals_scanning_the_same_tag_leave_one_held_event(shop):
    tag = shop["tags"][0]
    stale = WarrantyTag.get_by_id(tag.id)
    holding.scan_in(shop["parts_clerk"], tag.tag_number, SETTINGS)
    from kiosk.audit import change
    with pytest.raises(Conflict, match="changed at another terminal"):
        with change(shop["parts_clerk"], "tag.scan_in"):
            tags.move(stale, "held", shop["parts_clerk"], location="BIN-1")
    assert TagEvent.select().where((TagEvent.tag == tag.id) & (TagEvent.status == "held")).count() == 1


def test_the_kiosks_own_notes_in_a_tags_history_are_said_in_the_readers_language(shop, tmp_path):
    tag = shop["tags"][0]
    settings = Settings(printers={"labels": {"backend": "folder", "path": str(tmp_path)}}, default_printer="labels")
    labelqueue.reprint(shop["technician"], tag.tag_number, settings)
    holding.scan_in(shop["parts_clerk"], tag.tag_number, SETTINGS)
    holding.mark_missing(shop["manager"], tag.tag_number, "not on shelf 不在货架")  # a person's own words
    with use_language("zh_CN"):
        notes = [event.note for event in holding.history(tag.tag_number)[1]]
    assert notes[1:] == ["标签已在 labels 重新打印", "", "not on shelf 不在货架"]
    with use_language("en"):
        assert [event.note for event in holding.history(tag.tag_number)[1]][1] == "label reprinted on labels"
