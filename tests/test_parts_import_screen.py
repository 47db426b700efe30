"""The manager imports the shop's price file from the Parts import screen at 80x24, by keys only."""

import pytest

from kiosk.store.models import Part

from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in


@pytest.fixture
def shop(floor_staff, settings, tmp_path):
    folder = tmp_path / "imports"
    folder.mkdir()
    (folder / "prices-gbk.csv").write_bytes(
        "零件号,名称,货位,单价,易损件\n5Q0698151A,前刹车片,A-01,812.50,是\nVW2,机油滤清器,B-02,35,否\n".encode("gbk"))
    return {"settings": settings.with_overrides(import_folder=str(folder)), "folder": folder, **floor_staff}


async def open_import(pilot, shop):
    await settle(pilot)
    await sign_in(pilot, badge_of(shop["manager"]))
    await pilot.press("f6")
    await settle(pilot)


async def test_the_manager_picks_a_gbk_price_file_and_imports_it_with_a_progress_bar(shop):
    app = kiosk_app(shop["settings"])
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, shop)
        text = screen_text(app)
        assert "prices-gbk.csv" in text and str(shop["folder"])[:40] in text
        assert "f2 Import" in text and "f3 Import good lines" in text
        await pilot.press("f2")
        await settle(pilot)
        text = screen_text(app)
        assert "2 part(s) added" in text and "GBK" in text and "100%" in text
    assert Part.get(Part.part_number == "5Q0698151A").description == "前刹车片"


async def test_a_refused_file_lists_its_bad_lines_and_f3_imports_the_good_ones(shop, tmp_path):
    (shop["folder"] / "prices-gbk.csv").unlink()
    (shop["folder"] / "bad.csv").write_text("part_number,description,unit_price\nVW1,Pad,¥12.50\nVW2,Disc,30\n"
                                            "VW3,=1+2,4\n", encoding="utf-8")
    app = kiosk_app(shop["settings"])
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, shop)
        await pilot.press("f2")
        await settle(pilot)
        text = screen_text(app)
        assert "2 bad line(s): nothing imported" in text
        assert "without a currency sign" in text and "holds a formula" in text
        assert Part.select().count() == 0
        await pilot.press("f3")
        await settle(pilot)
        text = screen_text(app)
        assert "1 part(s) added" in text and "2 bad line(s)" in text
    assert [p.part_number for p in Part.select()] == ["VW2"]
    report, = (tmp_path / "xdg-data" / "kiosk" / "import-reports").iterdir()
    assert report.name in "".join(line.strip() for line in text.splitlines())


async def test_leaving_the_screen_mid_import_lets_the_import_finish(shop):
    app = kiosk_app(shop["settings"])
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, shop)
        await pilot.press("f2", "escape")
        await settle(pilot)
        assert "Staff" in screen_text(app)
    assert Part.select().count() == 2
