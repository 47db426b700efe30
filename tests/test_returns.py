"""Claims and retention, scrapping, return requests and boxes: the manufacturer's side of held parts."""

import datetime as dt
from decimal import Decimal

import pytest

from kiosk.i18n import read_stored
from kiosk import claims, holding, returns, tags
from kiosk.config import Settings
from kiosk.csvimport import ImportHasErrors
from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.store.models import AuditEvent, ReturnRequest, TagEvent, WarrantyTag

from .factories import make_job_card, make_part, make_tag

SETTINGS = Settings(terminal="parts-room", manufacturers={"GM": {"retention_days": 15}})
TODAY = dt.date.today()


@pytest.fixture
def room(store_url, staff):
    """Four held parts on two job cards, one of them a hazardous battery."""
    tech = staff["technician"].employee_id
    jobs = [make_job_card(tech), make_job_card(tech)]
    make_part("VW000123")
    held = [make_tag(jobs[0], tech), make_tag(jobs[0], tech), make_tag(jobs[1], tech, part_number="GM555",
                                                                       manufacturer="GM"),
            make_tag(jobs[1], tech, part_number="VW777", hazardous=True)]
    for tag in held:
        holding.scan_in(staff["parts_clerk"], tag.tag_number, SETTINGS)
    return {"jobs": jobs, "tags": [WarrantyTag.get_by_id(t.id) for t in held], **staff}


def status(tag):
    return WarrantyTag.get_by_id(tag.id).status


def test_claim_payment_sets_retention_from_the_manufacturers_rule(room):
    gm_tag, vw_tag = room["tags"][2], room["tags"][0]
    paid = TODAY - dt.timedelta(days=20)
    until = claims.record_claim(room["parts_clerk"], claims.Claim(gm_tag.tag_number, "C-1", "paid", paid,
                                                                  Decimal("812.50")), SETTINGS)
    assert until == paid + dt.timedelta(days=15)
    until_vw = claims.record_claim(room["parts_clerk"], claims.Claim(vw_tag.tag_number, "C-2", "paid", paid),
                                   SETTINGS)
    assert until_vw == paid + dt.timedelta(days=60)
    assert [r.tag_number for _, r in claims.may_scrap()] == [gm_tag.tag_number]


def test_scrap_needs_retention_over_not_requested_and_a_release_reference(room):
    clerk, gm_tag, vw_tag = room["parts_clerk"], room["tags"][2], room["tags"][0]
    with pytest.raises(Conflict, match="must be kept until"):
        claims.scrap(clerk, vw_tag.tag_number, "REL-1")
    claims.record_claim(clerk, claims.Claim(gm_tag.tag_number, "C-1", "paid", TODAY - dt.timedelta(days=30)),
                        SETTINGS)
    with pytest.raises(InvalidInput, match="Release reference is required"):
        claims.scrap(clerk, gm_tag.tag_number, " ")
    claims.scrap(clerk, gm_tag.tag_number, "GM-REL-77")
    assert status(gm_tag) == "scrapped"
    assert "release GM-REL-77" in read_stored(TagEvent.select().where(TagEvent.tag == gm_tag.id).order_by(
        TagEvent.id.desc()).first().note)
    returns.enter_request(clerk, "R-1", "VW", None, [returns.RequestItem("tag", vw_tag.tag_number)])
    with pytest.raises(Conflict, match="requested for return"):
        claims.scrap(clerk, vw_tag.tag_number, "REL-2", today=TODAY + dt.timedelta(days=400))


def test_claims_csv_with_bad_lines_imports_nothing_until_confirmed(room):
    clerk, t = room["parts_clerk"], room["tags"]
    text = ("tag_number,claim_number,claim_status,paid_on,amount\n"
            f"{t[0].tag_number},C-10,paid,2026-10-01,100.00\n"
            f"{t[1].tag_number},C-11,paid,,50\n"           # paid without a date
            "W9999999,C-12,submitted,,\n"                   # unknown tag
            f"{t[2].tag_number},C-13,maybe,,\n"            # bad status
            f"{t[3].tag_number},C-14,submitted,,12x\n")    # bad amount
    with pytest.raises(ImportHasErrors) as info:
        claims.import_claims(clerk, text, SETTINGS)
    assert [n for n, _ in info.value.report.bad] == [3, 4, 5, 6]
    assert "line 3: A paid claim needs its payment date" in info.value.message
    assert WarrantyTag.select().where(WarrantyTag.claim_number != "").count() == 0
    assert claims.import_claims(clerk, text, SETTINGS, accept_good=True) == 1
    assert WarrantyTag.get_by_id(t[0].id).claim_number == "C-10"


@pytest.mark.parametrize("text, words", [
    ("", "The file is empty"),
    ("just,some,words\n1,2,3\n", "missing: tag_number, claim_number, claim_status"),
    ("\x00\x01", "not a CSV text file"),
    ("tag_number,claim_number,claim_status\n", "header line but no data lines"),
])
def test_malformed_csv_files_are_refused_whole(room, text, words):
    with pytest.raises(InvalidInput, match=words):
        claims.import_claims(room["parts_clerk"], text, SETTINGS)


def test_return_request_by_tag_repair_order_and_part_number_puts_parts_on_the_pick_list(room):
    clerk, t, jobs = room["parts_clerk"], room["tags"], room["jobs"]
    count = returns.enter_request(clerk, "r-100", "", TODAY + dt.timedelta(days=7), [
        returns.RequestItem("tag", t[0].tag_number), returns.RequestItem("part_number", "GM555")])
    assert count == 2 and status(t[0]) == status(t[2]) == "requested"
    picks = returns.pick_list("R-100")
    assert {p.tag_number for p in picks} == {t[0].tag_number, t[2].tag_number}
    assert all(p.location.startswith("BIN-") for p in picks)
    with pytest.raises(Conflict, match="already entered"):
        returns.enter_request(clerk, "R-100", "", None, [returns.RequestItem("tag", t[1].tag_number)])
    with pytest.raises(NotFound, match="no held part matches"):
        returns.enter_request(clerk, "R-101", "", None, [returns.RequestItem("tag", t[1].tag_number),
                                                         returns.RequestItem("repair_order", "99999")])
    assert status(t[1]) == "held" and not ReturnRequest.select().where(ReturnRequest.number == "R-101").exists()
    returns.enter_request(clerk, "R-102", "", None, [returns.RequestItem("repair_order", f"RO{jobs[0].id:06d}")])
    assert status(t[1]) == "requested"


def test_return_requests_csv_reports_bad_lines_by_number(room):
    t = room["tags"]
    text = ("request_number,manufacturer,due_on,tag_number,repair_order,part_number\n"
            f"R-7,,2026-12-01,{t[0].tag_number},,\n"
            f"R-7,,2026-12-01,,,GM555\n"
            "R-8,,someday,,,VW777\n"
            f"R-8,,,{t[3].tag_number},{room['jobs'][1].id},\n")
    with pytest.raises(ImportHasErrors) as info:
        returns.import_requests(room["parts_clerk"], text)
    assert [n for n, _ in info.value.report.bad] == [4, 5]
    assert ReturnRequest.select().count() == 0
    assert returns.import_requests(room["parts_clerk"], text, accept_good=True) == 2


def test_a_box_is_built_by_scanning_requested_parts_of_one_request_and_shipped(room):
    clerk, t = room["parts_clerk"], room["tags"]
    returns.enter_request(clerk, "R-1", "", None, [returns.RequestItem("tag", t[0].tag_number),
                                                   returns.RequestItem("tag", t[3].tag_number)])
    returns.enter_request(clerk, "R-2", "", None, [returns.RequestItem("tag", t[2].tag_number)])
    box = returns.open_shipment(clerk, "R-1")
    assert "packed in box" in returns.pack(clerk, box, t[0].tag_number)
    with pytest.raises(Conflict, match="already in this box"):
        returns.pack(clerk, box, t[0].tag_number)
    with pytest.raises(Conflict, match="not requested by the manufacturer"):
        returns.pack(clerk, box, t[1].tag_number)
    with pytest.raises(Conflict, match="requested on R-2.*one request per box"):
        returns.pack(clerk, box, t[2].tag_number)
    with pytest.raises(InvalidInput, match="part-number barcode"):
        returns.pack(clerk, box, "VW000123")
    with pytest.raises(Conflict, match="close it"):
        returns.ship_shipment(clerk, box, "SF Express", "SF123")
    returns.pack(clerk, box, t[3].tag_number)
    packing = returns.close_shipment(clerk, box)
    assert packing.request_number == "R-1" and packing.hazardous
    assert {i.tag_number for i in packing.items} == {t[0].tag_number, t[3].tag_number}
    with pytest.raises(Conflict, match="closed; open a new box"):
        returns.pack(clerk, box, t[2].tag_number)
    with pytest.raises(InvalidInput, match="Tracking number is required"):
        returns.ship_shipment(clerk, box, "SF Express", "")
    returns.ship_shipment(clerk, box, "SF Express", "SF1234567890")
    assert status(t[0]) == status(t[3]) == "shipped"
    held = {r.tag_number for _, r in holding.held_parts(holding.HeldQuery())}
    assert t[0].tag_number not in held and t[2].tag_number in held
    _, events = holding.history(t[0].tag_number)
    assert [e.status for e in events] == ["tagged", "held", "requested", "packed", "shipped"]


def test_an_empty_box_cannot_be_closed_and_a_part_can_come_out_of_an_open_box(room):
    clerk, t = room["parts_clerk"], room["tags"]
    returns.enter_request(clerk, "R-1", "", None, [returns.RequestItem("tag", t[0].tag_number)])
    box = returns.open_shipment(clerk, "R-1")
    with pytest.raises(InvalidInput, match="empty"):
        returns.close_shipment(clerk, box)
    returns.pack(clerk, box, t[0].tag_number)
    returns.unpack(clerk, box, t[0].tag_number)
    assert status(t[0]) == "requested"


def test_replaying_every_tags_events_arrives_at_its_stored_status(room):
    clerk, t = room["parts_clerk"], room["tags"]
    returns.enter_request(clerk, "R-1", "", None, [returns.RequestItem("tag", t[0].tag_number)])
    box = returns.open_shipment(clerk, "R-1")
    returns.pack(clerk, box, t[0].tag_number)
    holding.mark_missing(room["manager"], t[1].tag_number, "lost")
    claims.record_claim(clerk, claims.Claim(t[2].tag_number, "C-1", "paid", TODAY - dt.timedelta(days=90)),
                        SETTINGS)
    claims.scrap(clerk, t[2].tag_number, "REL")
    for tag in WarrantyTag.select():
        assert tags.replayed_status(tag.id) == tag.status
    assert tags.mismatched_tags() == []
    assert AuditEvent.select().where(AuditEvent.action == "tag.scrap").count() == 1


def test_the_packing_list_pdf_carries_the_box_barcode_and_every_part(room, tmp_path, monkeypatch):
    import shutil
    import subprocess

    import zxingcpp
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("needs poppler-utils to read the PDF back")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    clerk, t = room["parts_clerk"], room["tags"]
    returns.enter_request(clerk, "R-9", "", None, [returns.RequestItem("tag", t[3].tag_number)])
    box = returns.open_shipment(clerk, "R-9")
    returns.pack(clerk, box, t[3].tag_number)
    returns.close_shipment(clerk, box)
    pdf = returns.packing_list_pdf(box, SETTINGS)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    page = Image.open(sorted(tmp_path.glob("page*.png"))[0]).convert("L")
    assert [r.text for r in zxingcpp.read_barcodes(page)] == [f"BOX{box:06d}"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert t[3].tag_number in text and "R-9" in text  # real text, not a picture of it
