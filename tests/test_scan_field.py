"""The scan field keeps every scan whole and in order, even when keys arrive faster than the screen repaints."""

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer

from kiosk.screens.scan import ScanField

from .ui import SIZE, settle


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


async def test_a_paste_of_many_lines_is_many_scans():
    app = ScanApp()
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(ScanField).focus()
        app.query_one(ScanField).post_message(events.Paste("T1\nT2\r\nT3\nT4"))
        await settle(pilot)
        assert app.scans == ["T1", "T2", "T3"]
        assert app.query_one(ScanField).buffer == "T4"
