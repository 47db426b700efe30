"""The audit pack: for VINs and job-card numbers (typed or from the auditor's CSV), one PDF per job card read
back with pdftotext, and an index that lists unknown and repeated ones without failing."""

import csv
import datetime as dt
import shutil
import subprocess

import pytest

from kiosk import auditpack, claims, returns
from kiosk.errors import InvalidInput, NotAllowed
from kiosk.store.models import AuditEvent, JobCard

from .test_readiness import ready_claim, shop  # noqa: F401 - the fixture a ready claim needs

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)")


def text_of(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def index_of(pack) -> list[dict]:
    with open(pack.index, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_pack_holds_the_card_its_approval_clocks_tags_shipping_and_claim_and_lists_what_was_not_found(
        shop, tmp_path):  # noqa: F811
    clerk = shop["parts_clerk"]
    tag = ready_claim(shop)
    returns.enter_request(clerk, "RR-77", "VW", None, [returns.RequestItem("tag", tag.tag_number)])
    box = returns.open_shipment(clerk, "RR-77")
    returns.pack(clerk, box, tag.tag_number)
    returns.close_shipment(clerk, box)
    returns.ship_shipment(clerk, box, "SF Express 顺丰", "SF1400000077")
    claims.record_claim(clerk, claims.Claim(tag.tag_number, "CLM-77", "paid", dt.date.today(), 123), shop["settings"])
    job = JobCard.get_by_id(tag.job_id)
    vin, number = job.vehicle.vin, f"RO{job.id:06d}"
    done = []
    pack = auditpack.write_pack(shop["advisor"], [vin, number, "RO999999", vin.lower(), "LSVAU2180N2999999", ""],
                                tmp_path / "pack", shop="Test Motors", progress=lambda d, t: done.append((d, t)))
    assert pack.cards == 1 and done == [(1, 1)]
    assert [(r["Asked for"], r["Job card"], r["File"], r["Note"]) for r in index_of(pack)] == [
        (vin, number, f"{number}.pdf", ""),
        (number, number, "", f"duplicate: already in the pack for {vin}"),
        ("RO999999", "", "", "unknown job card"),
        (vin.lower(), "", "", "duplicate: asked for earlier in the list"),
        ("LSVAU2180N2999999", "", "", "unknown VIN"),
        ("", "", "", "empty")]
    text = text_of(tmp_path / "pack" / f"{number}.pdf")
    for expected in (f"Audit pack · job card {number}", vin, tag.tag_number, "刹车时有异响", "Cause: Front pads glazed",
                     "Correction: Replaced front brake pads VW000123", "in person", "Clock entries", "1:00",
                     "tagged, not yet scanned in", "held", "requested for return", "packed in a box", "shipped",
                     "Return request: RR-77", f"box: BOX{box:06d}", "SF Express 顺丰", "tracking SF1400000077",
                     "Claim: CLM-77 · paid · claimed 123", "Quality check and delivery", "Road test fine 路试正常",
                     "Removed parts", "causal", "Claim readiness: ready"):
        assert expected in text, expected
    [event] = AuditEvent.select().where(AuditEvent.action == "audit_pack.write")
    assert event.employee_id == shop["advisor"].employee_id and '"cards": 1' in event.detail


def test_a_scrapped_part_shows_its_release_and_the_command_line_pack_needs_no_badge(shop, tmp_path):  # noqa: F811
    clerk = shop["parts_clerk"]
    tag = ready_claim(shop)
    claims.record_claim(clerk, claims.Claim(tag.tag_number, "CLM-9", "paid", dt.date(2020, 1, 1)), shop["settings"])
    claims.scrap(clerk, tag.tag_number, "REL-2026-0042")
    pack = auditpack.write_pack(None, [f"RO{tag.job_id:06d}"], tmp_path / "cli")
    text = text_of(tmp_path / "cli" / f"RO{tag.job_id:06d}.pdf")
    assert "scrapped" in text and "release REL-2026-0042" in text
    assert AuditEvent.get(AuditEvent.action == "audit_pack.write").terminal == "cli" and pack.cards == 1


def test_who_may_write_a_pack_and_bad_lists(shop, tmp_path):  # noqa: F811
    with pytest.raises(NotAllowed):
        auditpack.write_pack(shop["technician"], ["RO000001"], tmp_path / "x")
    with pytest.raises(InvalidInput, match="at least one"):
        auditpack.write_pack(shop["advisor"], [], tmp_path / "x")
    odd = ["刹" * 100, "RO\x00\x1b000001\ud800", "1e308", "NaN", "LSV-AU2180-N2100000"]
    pack = auditpack.write_pack(shop["advisor"], odd, tmp_path / "odd")
    assert pack.cards == 0 and [r.note for r in pack.rows] == [
        "too long for a VIN or job-card number", "unknown job card", "neither a VIN nor a job-card number",
        "neither a VIN nor a job-card number", "unknown VIN"]
    assert auditpack.keys_from_csv("\ufeffVIN,claim\nLSVAU2180N2100001,1\n,\nRO12,\n") == ["LSVAU2180N2100001", "RO12"]
    with pytest.raises(InvalidInput, match="must name a column: vin or job_card"):
        auditpack.keys_from_csv("LSVAU2180N2100001\nLSVAU2180N2100002\n")


async def test_from_the_reports_screen_f9_writes_a_pack_in_a_worker_with_a_progress_bar(floor_staff, settings,
                                                                                         tmp_path, monkeypatch):
    from textual.widgets import ProgressBar

    from .desk import approved_card
    from .test_reports_screen import open_reports
    from .ui import SIZE, kiosk_app, screen_text, settle, type_text

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    job_id, _ = approved_card(floor_staff["advisor"], floor_staff["technician"])
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app, floor_staff["advisor"])
        assert "F9: audit pack" in screen_text(app)
        await pilot.press("f9")
        await settle(pilot)
        await type_text(pilot, f"RO{job_id:06d} RO999999")
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Audit pack: 1 job card(s) in" in text and "1 line(s) of the index say what was not" in text
        bar = app.screen.query_one(ProgressBar)
        assert (bar.progress, bar.total) == (1, 1)
    [folder] = (tmp_path / "data" / "kiosk" / "audit-packs").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == [f"RO{job_id:06d}.pdf", "index.csv"]
