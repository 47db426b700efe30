"""Several terminals (OS processes) issuing and returning the same part at once: no lost update, never negative."""

import multiprocessing

from kiosk.store.models import JobLine, Part

from .conftest import add_employee
from .factories import make_job_card, make_part

ATTEMPTS = 12


def terminal(url: str, employee_id: int, line_id: int, results) -> None:
    """One floor terminal: try to issue one part at a time, and give one back every third success."""
    from kiosk import parts
    from kiosk.audit import Actor
    from kiosk.errors import Conflict
    from kiosk.store import open_database

    open_database(url)
    actor = Actor(employee_id, "tech", "technician", f"bay-{employee_id}")
    issued = refused = returned = 0
    for _ in range(ATTEMPTS):
        try:
            parts.issue_part(actor, line_id, "VW000123", 1)
            issued += 1
        except Conflict as exc:
            assert "Only 0 of VW000123 left" in exc.message
            refused += 1
        if issued and issued % 3 == 0 and returned < issued // 3:
            parts.return_part(actor, line_id, "VW000123", 1, "not needed")
            returned += 1
    results.put((issued, refused, returned))


def test_four_terminals_race_for_the_same_part(store_url):
    stock = 20
    techs = [add_employee("technician") for _ in range(4)]
    job = make_job_card(techs[0].employee_id, payers=("customer",) * 4)
    lines = list(job.lines.order_by(JobLine.position))
    for tech, line in zip(techs, lines):
        JobLine.update(technician=tech.employee_id).where(JobLine.id == line.id).execute()
    make_part("VW000123", on_hand=stock)
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=terminal, args=(store_url, t.employee_id, ln.id, results))
               for t, ln in zip(techs, lines)]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
        assert w.exitcode == 0
    issued = sum(o[0] for o in outcomes)
    refused = sum(o[1] for o in outcomes)
    returned = sum(o[2] for o in outcomes)
    on_hand = Part.get(Part.part_number == "VW000123").on_hand
    assert issued + refused == 4 * ATTEMPTS
    assert on_hand == stock - issued + returned >= 0
    assert refused > 0  # they really did run out
    from kiosk import parts
    assert parts.check_stock() == []
