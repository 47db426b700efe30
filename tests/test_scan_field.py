"""The scan field keeps every scan whole and in order, even when keys arrive faster than the screen repaints."""

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer

from kiosk.i18n import set_session_language
from kiosk.screens.scan import ScanField

from .ui import SIZE, screen_text, settle


class ScanApp(App):
    """The smallest host for a scan field: a table that may have focus, and the list of scans received."""

    def __init__(self):
        super().__init__()
        self.scans: list[str] = []

    def compose(self) -> ComposeResult:
        yield ScanField(id="scan")
        yield DataTable(id="table")
        yield Footer()

    @property
    def scan_field(self):
        return self.query_one(ScanField)

    def on_scan_field_scanned(self, message: ScanField.Scanned) -> None:
        self.scans.append(message.code)


def burst(app: App, code: str) -> None:
    """Keys posted back to back without waiting, as a wedge scanner types them."""
    for ch in code:
        app.post_message(events.Key(ch, ch))
    app.post_message(events.Key("enter", "\r"))


async def test_three_hundred_scans_in_a_burst_arrive_whole_and_in_order():
    app = ScanApp()
    codes = [f"W{n:07d}" if n % 3 else f"99{n:06d}" for n in range(300)]
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(ScanField).focus()
        for code in codes:
            burst(app, code)
        await settle(pilot)  # every key message, and every scan they made, handled
        assert app.scans == codes


async def test_backspace_control_keys_and_overlong_scans():
    app = ScanApp()
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(ScanField).focus()
        await pilot.press("A", "B", "X", "backspace", "C", "ctrl+a", "enter")
        await pilot.press("enter")  # an empty scan is no scan
        burst(app, "9" * 500)
        await settle(pilot)
        assert app.scans == ["ABC", "9" * 200]


async def test_a_paste_is_one_scan_taken_whole_or_refused_whole():
    app = ScanApp()
    async with app.run_test(size=SIZE) as pilot:
        field = app.query_one(ScanField)
        field.focus()
        field.post_message(events.Paste("T1"))  # a code copied from somewhere: one scan, no Enter needed
        field.post_message(events.Paste("T2\r\n"))
        await pilot.press("T", "3")
        field.post_message(events.Paste("45"))  # what was typed before it is part of the code
        await settle(pilot)
        assert app.scans == ["T1", "T2", "T345"] and field.buffer == ""
        field.post_message(events.Paste("T6\nT7"))  # several lines: which one was meant? none is taken
        await settle(pilot)
        assert app.scans == ["T1", "T2", "T345"] and field.buffer == ""
        assert "Not taken: paste one code at a time" in field.render()
        field.post_message(events.Paste("9" * 500))  # longer than any code: not cut to a code it never was
        await settle(pilot)
        assert "Not taken: 500 characters is no code" in field.render() and app.scans[-1] == "T345"
        await pilot.press("T")  # the next key clears the refusal
        assert "Not taken" not in field.render() and field.buffer == "T"
        await pilot.press("left_square_bracket", "slash", "b", "right_square_bracket")  # shown as typed, no markup
        await settle(pilot)
        assert "T[/b]" in screen_text(app)


async def test_a_refused_paste_says_so_in_chinese():
    app = ScanApp()
    set_session_language("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        field = app.query_one(ScanField)
        field.focus()
        field.post_message(events.Paste("T6\nT7"))
        await settle(pilot)
        assert "未接收：一次只粘贴一个条码，或直接扫描。" in screen_text(app) and app.scans == []
