"""Several terminals (OS processes, each opening the store itself) issuing and returning the same part at
once, on one SQLite file and on PostgreSQL: no lost update, never negative, on-hand equal to the ledger."""

import multiprocessing

from kiosk import parts
from kiosk.store.models import JobLine, Part, StockMovement

from .conftest import add_employee
from .factories import make_job_card, make_part

TERMINALS = 4


def terminal(url: str, employee_id: int, line_id: int, attempts: int, give_back: bool, start, results) -> None:
    """One floor terminal: issue one part at a time; with give_back, return one after every third issue."""
    from kiosk import parts
    from kiosk.audit import Actor
    from kiosk.errors import Conflict
    from kiosk.store import open_database

    open_database(url)
    actor = Actor(employee_id, "tech", "technician", f"bay-{employee_id}")
    issued = refused = returned = 0
    lowest = None
    start.wait()  # every terminal goes at the same moment
    for _ in range(attempts):
        try:
            left = parts.issue_part(actor, line_id, "VW000123", 1)
            issued += 1
            lowest = left if lowest is None else min(lowest, left)
        except Conflict as exc:
            assert exc.message == "Only 0 of VW000123 left (bin A-01); cannot issue 1.", exc.message
            refused += 1
        if give_back and issued and issued % 3 == 0 and returned < issued // 3:
            parts.return_part(actor, line_id, "VW000123", 1, "not needed")
            returned += 1
    results.put((issued, refused, returned, lowest))


def race(url: str, stock: int, attempts: int, give_back: bool) -> list[tuple]:
    techs = [add_employee("technician") for _ in range(TERMINALS)]
    job = make_job_card(techs[0].employee_id, payers=("customer",) * TERMINALS)
    lines = list(job.lines.order_by(JobLine.position))
    for tech, line in zip(techs, lines):
        JobLine.update(technician=tech.employee_id).where(JobLine.id == line.id).execute()
    make_part("VW000123", on_hand=stock)
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(TERMINALS), context.Queue()
    workers = [context.Process(target=terminal, args=(url, t.employee_id, ln.id, attempts, give_back, start, results))
               for t, ln in zip(techs, lines)]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
        assert w.exitcode == 0
    return outcomes


def test_terminals_racing_for_the_last_units_get_exactly_the_right_refusals(store_url):
    outcomes = race(store_url, stock=10, attempts=6, give_back=False)
    assert sum(o[0] for o in outcomes) == 10  # every unit issued once, none twice
    assert sum(o[1] for o in outcomes) == TERMINALS * 6 - 10  # and every other attempt told "only 0 left"
    assert min(o[3] for o in outcomes if o[3] is not None) == 0
    assert Part.get(Part.part_number == "VW000123").on_hand == 0
    assert StockMovement.select().where(StockMovement.kind == "issue").count() == 10
    assert parts.check_stock() == []


def test_terminals_issuing_and_returning_at_once_lose_no_update(store_url):
    stock, attempts = 20, 12
    outcomes = race(store_url, stock=stock, attempts=attempts, give_back=True)
    issued = sum(o[0] for o in outcomes)
    refused = sum(o[1] for o in outcomes)
    returned = sum(o[2] for o in outcomes)
    on_hand = Part.get(Part.part_number == "VW000123").on_hand
    assert issued + refused == TERMINALS * attempts
    assert on_hand == stock - issued + returned >= 0
    assert refused > 0  # they really did run out
    assert all(o[3] >= 0 for o in outcomes if o[3] is not None)
    assert parts.check_stock() == []
