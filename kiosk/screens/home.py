"""Each role's home screen, and the screens each role may open (for the command palette)."""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.widgets import Header, Label

from .. import permissions
from .base import KioskFooter, KioskScreen, Message


class HomeScreen(KioskScreen):
    """A role's landing screen: a title line, its main list, feedback, and the footer of keys."""

    TITLE_TEXT = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(self.TITLE_TEXT, classes="screen-title")
        yield from self.compose_body()
        yield Message(id="feedback")
        yield KioskFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()


def _screen(module: str, name: str) -> Callable:
    def make():
        import importlib
        return getattr(importlib.import_module(f"kiosk.screens.{module}"), name)()
    return make


def _technician_home():
    from .my_jobs import MyJobsScreen
    return MyJobsScreen()


def _clerk_home():
    from .parts_room import PartsRoomScreen
    return PartsRoomScreen()


def _advisor_home():
    from .board import JobBoardScreen
    return JobBoardScreen()


def _manager_home():
    from .staff import StaffScreen
    return StaffScreen()


# title, what it is for, how to make it, the action a role needs to open it
SCREENS: list[tuple[str, str, Callable, str]] = [
    ("My jobs", "Job cards assigned to me; clock on and off; issue parts", _technician_home, "clock.on_off"),
    ("Warranty-parts room", "Scan tagged parts in; end-of-day list", _clerk_home, "tag.scan_in"),
    ("Held parts", "Search held parts and their history", _screen("held", "HeldPartsScreen"), "tag.scan_in"),
    ("Return requests", "Manufacturer return requests and pick lists", _screen("returns", "ReturnRequestsScreen"),
     "return_request.enter"),
    ("Boxes", "Pack requested parts and ship them", _screen("returns", "BoxScreen"), "shipment.pack"),
    ("May scrap", "Held parts past retention", _screen("held", "MayScrapScreen"), "tag.scrap"),
    ("Claims", "Claim numbers, payment dates, CSV import", _screen("returns", "ClaimsScreen"), "tag.claim"),
    ("Goods in", "Receive a delivery by scanning its parts", _screen("goods_in", "GoodsInScreen"), "part.receive"),
    ("Stock count", "Count a bin by scanning; post the differences", _screen("stock_count", "StockCountScreen"),
     "stock.count"),
    ("Labels", "Labels waiting for a printer; reprint or void a tag", _screen("print_queue", "PrintQueueScreen"),
     "label.print"),
    ("Job-card board", "Open job cards, soonest promised first", _advisor_home, "job.open"),
    ("Reception", "Find the customer or vehicle and open a job card", _screen("reception", "ReceptionScreen"),
     "job.open"),
    ("Draft job cards", "Reopen a job card left as a draft", _screen("advisor_lists", "DraftsScreen"), "job.edit"),
    ("Follow-up calls", "Calls due after delivery, overdue first", _screen("advisor_lists", "FollowUpsScreen"),
     "followup.record"),
    ("Complaints", "Open complaints: owner, status, resolution", _screen("complaints", "ComplaintsScreen"),
     "complaint.manage"),
    ("Floor tools", "Assign technicians, close forgotten clocks, safety approvals",
     _screen("floor", "FloorToolsScreen"), "job.assign"),
    ("Warranty reports", "Fault reports, claim list, major faults, settlement", _screen("reports", "ReportsScreen"),
     "report.view"),
    ("Staff", "Employees, roles and badge lock-outs", _manager_home, "employee.manage"),
    ("Parts import", "The parts catalogue from a price file (CSV)", _screen("parts_import", "PartsImportScreen"),
     "part.import"),
]

HOME = {"technician": _technician_home, "parts_clerk": _clerk_home, "advisor": _advisor_home,
        "manager": _manager_home}


def home_screen_for(role: str):
    return HOME[role]()


def screens_for(role: str) -> list[tuple[str, str, Callable]]:
    return [(title, help_text, factory) for title, help_text, factory, action in SCREENS
            if permissions.allowed(role, action)]
