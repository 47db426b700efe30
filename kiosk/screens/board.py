"""The advisor's home: the job-card board, soonest promised first."""

from __future__ import annotations

from textual.app import ComposeResult

from .. import reception
from ..jobs import job_number
from .home import HomeScreen
from .paged import PagedTable

STATUS_TEXT = {"draft": "draft", "awaiting_approval": "to approve", "approved": "approved",
               "in_progress": "in work", "work_done": "work done", "quality_checked": "checked"}


def _board_page(after, limit):
    return [(key, (job_number(r.job_id), STATUS_TEXT.get(r.status, r.status),
                   r.promised_at.strftime("%d %b %H:%M") if r.promised_at else "-",
                   r.plate, r.model[:14], r.customer[:14], r.complaint[:24]))
            for key, r in reception.job_board(after, limit)]


class JobBoardScreen(HomeScreen):
    TITLE_TEXT = "Job-card board: open job cards, soonest promised first"

    def compose_body(self) -> ComposeResult:
        yield PagedTable(["Job card", "Status", "Promised", "Plate", "Model", "Customer", "Complaint"],
                         _board_page, id="board")
