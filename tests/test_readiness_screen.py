"""Claim readiness on screen and on the command line: the advisor's board counts last month's claims not ready
(the demo shop has ready and not-ready ones), and the claim list shows each claim's readiness."""

from kiosk import demo, reports

from .ui import SIZE, kiosk_app, screen_text, settle, sign_in


async def test_the_board_counts_last_months_claims_not_ready_and_the_claim_list_shows_them(sqlite_url, settings):
    demo.build(settings)
    month = reports.previous_month(reports.today())
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "A301", "3333")
        await settle(pilot)
        assert f"Claim readiness {month:%Y-%m}: 4 of 8 not ready (F5 then F4 says why)." in screen_text(app)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        text = screen_text(app)
        assert "ready" in text and "1 problem" in text
        app.screen.query_one("#report-table").focus()
        await pilot.press("down")  # the second claim: its problem in full, who fixes it and where
        await settle(pilot)
        assert "1 problem. The correction of line 1 names neither the part replaced" in screen_text(app)
        assert "Advisor: F10 on RO" in screen_text(app)


def test_kiosk_claims_check_prints_each_claim_and_labour_ops_import_names_bad_lines(tmp_path):
    from .test_cli import kiosk

    assert kiosk("demo", "--no-open", cwd=tmp_path).returncode == 0
    month = reports.previous_month(reports.today())
    db = ["--db", f"sqlite:///{tmp_path / 'kiosk' / 'demo.sqlite'}"]
    result = kiosk(*db, "claims", "check", "--month", f"{month:%Y-%m}", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"Claim readiness {month:%Y-%m}: 8 claim(s), 4 ready, 4 not ready." in result.stdout
    assert ": ready" in result.stdout and "is marked missing: the part cannot be produced. Parts clerk:" in \
        result.stdout
    assert kiosk(*db, "claims", "check", "--month", "2026-13", cwd=tmp_path).stderr.startswith(
        "kiosk: Month '2026-13': there is no month 13")
    ops = tmp_path / "ops.csv"
    ops.write_text("code,standard_hours\nWP1001,9\nWP2002,abc\n", encoding="utf-8")
    result = kiosk(*db, "labour-ops", "import", str(ops), cwd=tmp_path)  # as the server's OS user
    assert result.returncode == 1 and "line 3: Standard hours must be a number of hours like 1.5" in result.stderr
    result = kiosk(*db, "labour-ops", "import", str(ops), "--badge", "M401", "--accept-good", cwd=tmp_path)
    assert result.returncode == 0 and "1 labour operation(s) imported." in result.stdout
