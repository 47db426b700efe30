"""Each role's home screen, and the screens each role may open (for the command palette)."""

from __future__ import annotations

from collections.abc import Callable

from .. import permissions
from ..i18n import N_, gettext as _
from .base import HomeScreen  # noqa: F401 - re-exported for screens that import it from here


def _screen(module: str, name: str) -> Callable:
    def make():
        import importlib  # a screen's module loads when it is first opened: a session holds only what it uses
        return getattr(importlib.import_module(f"kiosk.screens.{module}"), name)()
    return make


def _technician_home():
    from .my_jobs import MyJobsScreen  # a role's home loads at its first sign-in, not before the sign-in screen
    return MyJobsScreen()


def _clerk_home():
    from .parts_room import PartsRoomScreen  # a role's home loads at its first sign-in, not before the sign-in screen
    return PartsRoomScreen()


def _advisor_home():
    from .board import JobBoardScreen  # a role's home loads at its first sign-in, not before the sign-in screen
    return JobBoardScreen()


def _manager_home():
    from .staff import StaffScreen  # a role's home loads at its first sign-in, not before the sign-in screen
    return StaffScreen()


# title, what it is for, how to make it, the action a role needs to open it
SCREENS: list[tuple[str, str, Callable, str]] = [
    (N_("My jobs"), N_("Job cards assigned to me; clock on and off; issue parts"), _technician_home,
     "clock.on_off"),
    (N_("Warranty-parts room"), N_("Scan tagged parts in; end-of-day list"), _clerk_home, "tag.scan_in"),
    (N_("Held parts"), N_("Search held parts and their history"), _screen("held", "HeldPartsScreen"),
     "tag.scan_in"),
    (N_("Return requests"), N_("Manufacturer return requests and pick lists"),
     _screen("returns", "ReturnRequestsScreen"), "return_request.enter"),
    (N_("Boxes"), N_("Pack requested parts and ship them"), _screen("returns", "BoxScreen"), "shipment.pack"),
    (N_("May scrap"), N_("Held parts past retention"), _screen("held", "MayScrapScreen"), "tag.scrap"),
    (N_("Claims"), N_("Claim numbers, payment dates, CSV import"), _screen("returns", "ClaimsScreen"),
     "tag.claim"),
    (N_("Goods in"), N_("Receive a delivery by scanning its parts"), _screen("goods_in", "GoodsInScreen"),
     "part.receive"),
    (N_("Stock count"), N_("Count a bin by scanning; post the differences"),
     _screen("stock_count", "StockCountScreen"), "stock.count"),
    (N_("Labels"), N_("Labels waiting for a printer; reprint or void a tag"),
     _screen("print_queue", "PrintQueueScreen"), "label.print"),
    (N_("Job-card board"), N_("Open job cards, soonest promised first"), _advisor_home, "job.open"),
    (N_("Reception"), N_("Find the customer or vehicle and open a job card"),
     _screen("reception", "ReceptionScreen"), "job.open"),
    (N_("Draft job cards"), N_("Reopen a job card left as a draft"), _screen("advisor_lists", "DraftsScreen"),
     "job.edit"),
    (N_("Follow-up calls"), N_("Calls due after delivery, overdue first"),
     _screen("advisor_lists", "FollowUpsScreen"), "followup.record"),
    (N_("Complaints"), N_("Open complaints: owner, status, resolution"), _screen("complaints", "ComplaintsScreen"),
     "complaint.manage"),
    (N_("Floor tools"), N_("Assign technicians, close forgotten clocks, safety approvals"),
     _screen("floor", "FloorToolsScreen"), "job.assign"),
    (N_("Warranty reports"), N_("Fault reports, claim list, major faults, settlement"),
     _screen("reports", "ReportsScreen"), "report.view"),
    (N_("Staff"), N_("Employees, roles and badge lock-outs"), _manager_home, "employee.manage"),
    (N_("Parts import"), N_("The parts catalogue from a price file (CSV)"),
     _screen("parts_import", "PartsImportScreen"), "part.import"),
]

HOME = {"technician": _technician_home, "parts_clerk": _clerk_home, "advisor": _advisor_home,
        "manager": _manager_home}


def home_screen_for(role: str):
    return HOME[role]()


def screens_for(role: str) -> list[tuple[str, str, Callable]]:
    return [(_(title), _(help_text), factory) for title, help_text, factory, action in SCREENS
            if permissions.allowed(role, action)]
