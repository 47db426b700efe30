"""A site remaps keys in its settings file (`keymap`): the remapped key works, and a keymap that would break the
kiosk (an id no key has, a printable key where scans arrive) is refused at start in one line."""

import os
import sys

import pexpect
import pytest

from kiosk.config import load_settings
from kiosk.errors import ConfigError
from kiosk.store.models import AuditEvent

from .ui import SIZE, badge_of, kiosk_app, screen_text, settle, sign_in


def settings_file(tmp_path, keymap_toml: str, db_url: str = ""):
    path = tmp_path / "kiosk.toml"
    path.write_text('shop_name = "Test Motors"\nterminal = "bay-1"\n'
                    + (f'db_url = "{db_url}"\n' if db_url else "") + f"[keymap]\n{keymap_toml}\n")
    return path


async def test_sign_out_moves_to_the_key_the_settings_give_on_screens_and_dialogs(floor_staff, sqlite_url, tmp_path):
    settings = load_settings(settings_file(tmp_path, '"sign-out" = "f11"', sqlite_url), env={})
    assert settings.keymap == {"sign-out": "f11"}
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["manager"]))
        text = screen_text(app)
        assert "Staff" in text and "f11 Sign out" in text and "f12" not in text
        await pilot.press("f12")  # the old key does nothing now
        await settle(pilot)
        assert app.actor is not None and "Staff" in screen_text(app)
        await pilot.press("f2")  # a dialog shows the same, remapped, sign-out key in its footer
        await settle(pilot)
        text = screen_text(app)
        assert "Register an employee" in text and "f11 Sign out" in text
        await pilot.press("f11")
        await settle(pilot)
        assert app.actor is None and "Scan your badge" in screen_text(app)
    reasons = [e.detail for e in AuditEvent.select().where(AuditEvent.action == "auth.sign_out")]
    assert reasons and '"key"' in reasons[-1]


async def test_a_screen_key_is_remapped_too(floor_staff, sqlite_url, tmp_path):
    settings = load_settings(settings_file(tmp_path, '"staff-add" = "ctrl+n"', sqlite_url), env={})
    app = kiosk_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, badge_of(floor_staff["manager"]))
        assert "^n Add" in screen_text(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Register an employee" in screen_text(app)


@pytest.mark.parametrize("keymap, words", [
    ('"sign-ot" = "f11"', 'no key has the id "sign-ot" (did you mean "sign-out"?)'),
    ('"job-tag" = "t"', '"job-tag" = "t" puts the printable key "t" on JobCardScreen, which takes scans'),
])
def test_a_keymap_that_would_break_the_kiosk_is_refused_at_start_in_one_line(sqlite_url, tmp_path, keymap, words):
    path = settings_file(tmp_path, keymap)
    # `kiosk` started at a terminal (it refuses to start without one), as someone would start it
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "LANG": "C.UTF-8"}
    session = pexpect.spawn(sys.executable, ["-m", "kiosk", "--config", str(path), "--db", sqlite_url], cwd=tmp_path,
                            env=env, encoding="utf-8", timeout=120, dimensions=(24, 400))
    session.expect(pexpect.EOF)
    session.close()
    said = session.before.strip()
    assert session.exitstatus == 1
    assert words in said and str(path) in said
    assert len(said.splitlines()) == 1 and "Traceback" not in said


@pytest.mark.parametrize("keymap, words", [
    ({"sign-out": "f11,q"}, 'puts the printable key "q" on every screen, scan screens too'),
    ({"jobs-refresh": "space"}, 'puts the printable key "space" on MyJobsScreen'),
    ({"sign-out": 12}, '"sign-out" needs its keys as text'),
    ("f12", "must be a table of binding id = keys"),
])
def test_more_keymaps_the_kiosk_refuses(keymap, words):
    from kiosk.app import KioskApp
    from kiosk.screens.keymap import check_keymap

    with pytest.raises(ConfigError) as refused:
        check_keymap(keymap, KioskApp, "kiosk.toml")
    assert words in refused.value.message and "kiosk.toml" in refused.value.message
    assert "\n" not in refused.value.message


def test_a_printable_key_is_fine_where_no_scans_arrive(tmp_path):
    from kiosk.app import KioskApp
    from kiosk.screens.keymap import check_keymap

    check_keymap({"add-employee-save": "f10,ctrl+s", "scrap-cancel": "escape,n"}, KioskApp)
    with pytest.raises(ConfigError, match="no key has the id"):
        check_keymap({"add-employee-sav": "f10"}, KioskApp)


def test_settings_errors_are_config_errors_with_their_words(tmp_path):
    bad = tmp_path / "kiosk.toml"
    for text, words in (("shop_name = [unclosed\n", "Cannot read settings file"),
                        ("shop_nmae = 'x'\n", "Unknown setting(s) in")):
        bad.write_text(text)
        with pytest.raises(ConfigError) as refused:
            load_settings(bad, env={})
        assert words in refused.value.message and str(bad) in refused.value.message
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", env={})
