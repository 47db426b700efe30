"""The manufacturer's claims and return-request files: read in their own encoding, all or nothing, with
duplicates and conflicting claim numbers reported instead of applied."""

import pytest

from kiosk import claims, holding, returns
from kiosk.config import Settings
from kiosk.csvimport import ImportHasErrors
from kiosk.store.models import AuditEvent, ImportRun, ReturnRequest, TagEvent, WarrantyTag

from .factories import make_job_card, make_part, make_tag

SETTINGS = Settings(terminal="parts-room")
CLAIMS_HEADER = "tag_number,claim_number,claim_status,paid_on,amount\n"


def held_tags(staff, count: int) -> dict:
    """count parts tagged on one job card and scanned into the room; their tag numbers and the staff."""
    tech = staff["technician"].employee_id
    job = make_job_card(tech)
    make_part("VW000123")
    tags = [make_tag(job, tech) for _ in range(count)]
    for tag in tags:
        holding.scan_in(staff["parts_clerk"], tag.tag_number, SETTINGS)
    return {"tags": [t.tag_number for t in tags], "job": job, **staff}


@pytest.fixture
def held(store_url, staff):
    return held_tags(staff, 4)


def claim_of(tag_number):
    tag = WarrantyTag.get(WarrantyTag.tag_number == tag_number)
    return tag.claim_number, tag.claim_status


def test_a_gbk_claims_file_with_chinese_headers_is_read_as_chinese(held, tmp_path):
    t = held["tags"]
    path = tmp_path / "索赔.csv"
    path.write_bytes(("标签号,索赔单号,索赔状态,付款日期,索赔金额\n"
                      f"{t[0]},索赔-001,paid,2026-10-01,812.50\n").encode("gbk"))
    assert claims.import_claims(held["parts_clerk"], path, SETTINGS) == 1
    assert claim_of(t[0]) == ("索赔-001", "paid")


def test_a_claims_file_with_bad_bytes_is_refused_naming_the_line(held, tmp_path):
    t = held["tags"]
    path = tmp_path / "claims.csv"
    path.write_bytes((CLAIMS_HEADER + f"{t[0]},C-1,submitted,,\n{t[1]},索赔,submitted,,\n").encode("utf-8")
                     + f"{t[2]},索赔,submitted,,\n".encode("gbk"))
    with pytest.raises(ImportHasErrors, match="line 4: bytes .* not valid UTF-8"):
        claims.import_claims(held["parts_clerk"], path, SETTINGS)
    assert claim_of(t[0]) == ("", "")


def test_duplicate_lines_and_conflicting_claim_numbers_are_reported_not_applied(held):
    t, clerk = held["tags"], held["parts_clerk"]
    claims.import_claims(clerk, CLAIMS_HEADER + f"{t[3]},C-9,submitted,,\n", SETTINGS)
    text = (CLAIMS_HEADER
            + f"{t[0]},C-1,submitted,,\n"
            + f"{t[0]},C-1,submitted,,\n"      # the same line twice
            + f"{t[1]},C-2,submitted,,\n"
            + f"{t[1]},C-3,accepted,,\n"       # one tag, two claims: which is right?
            + f"{t[3]},C-10,paid,2026-10-01,\n")  # the tag is on claim C-9 already
    with pytest.raises(ImportHasErrors) as info:
        claims.import_claims(clerk, text, SETTINGS)
    bad = dict(info.value.report.bad)
    assert "same claim as line 2 (a duplicate)" in bad[3]
    assert "another claim further down" in bad[4] and "on line 4 with claim C-2 submitted" in bad[5]
    assert "already on claim C-9; this line says C-10" in bad[6]
    assert claim_of(t[0]) == ("", "") and claim_of(t[3]) == ("C-9", "submitted")


def test_a_bad_line_late_in_the_claims_file_leaves_nothing_and_a_rerun_writes_nothing_twice(held):
    t, clerk = held["tags"], held["parts_clerk"]
    good = CLAIMS_HEADER + "".join(f"{n},C-{i},submitted,,\n" for i, n in enumerate(t[:3]))
    with pytest.raises(ImportHasErrors, match="line 5: unknown tag W9999999"):
        claims.import_claims(clerk, good + "W9999999,C-9,submitted,,\n", SETTINGS)
    assert all(claim_of(n) == ("", "") for n in t)
    events = TagEvent.select().count()
    assert claims.import_claims(clerk, good, SETTINGS) == 3
    assert TagEvent.select().count() == events + 3
    assert AuditEvent.get(AuditEvent.action == "tag.claim").subject == "import_run"
    assert claims.import_claims(clerk, good, SETTINGS) == 3  # the same file again: nothing changes
    assert TagEvent.select().count() == events + 3
    assert ImportRun.select().where(ImportRun.kind == "claims", ImportRun.status == "done").count() == 1


def test_a_return_request_file_goes_in_whole_or_not_at_all(held):
    t, clerk = held["tags"], held["parts_clerk"]
    text = ("request_number,manufacturer,due_on,tag_number\n"
            f"RR-2,,2026-12-01,{t[1]}\n"
            f"RR-1,,2026-12-01,W9999999\n"      # no held part matches
            f"RR-2,,2026-12-01,{t[1]}\n"        # the same part twice
            f"RR-3,,2026-12-01,{t[2]}\n"
            f"RR-3,,2026-12-09,{t[3]}\n")       # one request, two due dates
    with pytest.raises(ImportHasErrors) as info:
        returns.import_requests(clerk, text)
    bad = dict(info.value.report.bad)
    assert sorted(bad) == [3, 4, 6]
    assert "no held part matches" in bad[3] and "same part as line 2" in bad[4] and "due date" in bad[6]
    assert ReturnRequest.select().count() == 0
    assert {WarrantyTag.get(WarrantyTag.tag_number == n).status for n in t} == {"held"}
    assert returns.import_requests(clerk, text, accept_good=True) == 2
    assert sorted(r.number for r in ReturnRequest.select()) == ["RR-2", "RR-3"]


def test_a_request_already_entered_is_a_bad_line_of_the_file(held):
    t, clerk = held["tags"], held["parts_clerk"]
    returns.enter_request(clerk, "RR-1", "", None, [returns.RequestItem("tag", t[0])])
    text = f"request_number,tag_number\nRR-1,{t[1]}\nRR-4,{t[2]}\n"
    with pytest.raises(ImportHasErrors, match="line 2: Return request RR-1 was already entered"):
        returns.import_requests(clerk, text.encode("gbk"))
    assert not ReturnRequest.select().where(ReturnRequest.number == "RR-4").exists()


@pytest.fixture
def room_on_sqlite(floor_staff):
    return held_tags(floor_staff, 2)


async def test_the_clerk_imports_a_gbk_claims_file_from_the_claims_screen(room_on_sqlite, settings, tmp_path):
    from kiosk.screens.returns import ClaimsScreen

    from .ui import SIZE, badge_of, kiosk_app, screen_as_one_line, screen_text, settle, sign_in, type_text

    t = room_on_sqlite["tags"]
    path = tmp_path / "claims.csv"
    path.write_bytes(("标签号,索赔单号,索赔状态\n"
                      f"{t[0]},索赔-1,submitted\n{t[1]},索赔-2,maybe\n").encode("gbk"))
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(room_on_sqlite["parts_clerk"]))
        app.push_screen(ClaimsScreen())
        await settle(pilot)
        app.screen.query_one("#claim-file").focus()
        await type_text(pilot, str(path))
        await pilot.press("f6")
        await settle(pilot)
        text = screen_as_one_line(app)
        assert "Nothing imported" in text and "line 3: Claim status must be one of" in text
        assert claim_of(t[0]) == ("", "")
        await pilot.press("f7")
        await settle(pilot)
        assert "Imported 1 from the good lines" in screen_text(app)
    assert claim_of(t[0]) == ("索赔-1", "submitted")
