"""Eight advisors' sessions (OS processes, each opening the store itself, as SSH sessions do) receiving customers
at the same moment on one SQLite file, and on PostgreSQL: no error, no lost row, every card whole."""

import multiprocessing

from kiosk.store.models import AuditEvent, Customer, JobCard, JobLine, Vehicle

from .conftest import add_employee
from .desk import customer_with_vehicle

ADVISORS = 8
CARDS_EACH = 12


def advisor_session(url: str, employee_id: int, shared: tuple[int, int], start, results) -> None:
    """One advisor: new customers with new vehicles, and (every third card) the vehicle everyone is receiving."""
    from kiosk import customers, reception
    from kiosk.audit import Actor
    from kiosk.reception import NewLine
    from kiosk.store import open_database
    from kiosk.vin import with_check_digit

    open_database(url)
    actor = Actor(employee_id, f"Advisor {employee_id}", "advisor", f"desk-{employee_id}",
                  client=f"10.0.0.{employee_id} user{employee_id}")
    made, errors = [], []
    start.wait()  # every session goes at the same moment
    for i in range(CARDS_EACH):
        try:
            if i % 3 == 0:
                job_id = reception.open_job(actor, *shared, 42000 + i, "异响 noise",
                                                 lines=[NewLine("Noise 异响", "warranty", "BR1001")],
                                                 confirm_duplicate=True)
            else:
                customer_id = customers.create_customer(actor, f"客户 {employee_id}-{i}",
                                                        f"139{employee_id:02d}{i:06d}")
                vin = with_check_digit(f"LSVAU2180N2{employee_id:02d}{i:04d}")
                vehicle = customers.create_vehicle(actor, customer_id, vin, check_required=True,
                                                   plate=f"沪E{employee_id:02d}{i:03d}", mileage=1000)
                job_id = reception.open_job(actor, customer_id, vehicle.vehicle_id, 1000, "首保 first service",
                                                 lines=[NewLine("Oil change"), NewLine("Filter", "internal")])
            made.append(job_id)
        except Exception as exc:  # noqa: BLE001 - every error is the test's finding
            errors.append(f"{type(exc).__name__}: {exc}")
    results.put((employee_id, made, errors))


def test_eight_advisors_opening_job_cards_at_once_lose_nothing(store_url):
    advisors = [add_employee("advisor") for _ in range(ADVISORS)]
    shared = customer_with_vehicle(advisors[0])
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(ADVISORS), context.Queue()
    sessions = [context.Process(target=advisor_session, args=(store_url, a.employee_id, shared, start, results))
                for a in advisors]
    for s in sessions:
        s.start()
    outcomes = [results.get(timeout=180) for _ in sessions]
    for s in sessions:
        s.join(timeout=30)
        assert s.exitcode == 0
    assert [errors for _, _, errors in outcomes] == [[]] * ADVISORS
    made = {employee_id: jobs for employee_id, jobs, _ in outcomes}
    every = [job for jobs in made.values() for job in jobs]
    assert len(every) == len(set(every)) == ADVISORS * CARDS_EACH
    assert {j.id for j in JobCard.select(JobCard.id)} == set(every)
    for employee_id, jobs in made.items():
        assert {j.id for j in JobCard.select(JobCard.id).where(JobCard.advisor == employee_id)} == set(jobs)
        opened = AuditEvent.select().where((AuditEvent.action == "job.open") & (AuditEvent.employee == employee_id))
        assert {e.subject_id for e in opened} == set(jobs)
        where = (f"desk-{employee_id}", f"10.0.0.{employee_id} user{employee_id}")
        assert {(e.terminal, e.client) for e in opened} == {where}
    shared_cards = ADVISORS * len(range(0, CARDS_EACH, 3))
    new_cards = ADVISORS * CARDS_EACH - shared_cards
    assert JobCard.select().where(JobCard.vehicle == shared[1]).count() == shared_cards
    assert JobLine.select().count() == shared_cards + 2 * new_cards
    assert (Customer.select().count(), Vehicle.select().count()) == (1 + new_cards, 1 + new_cards)
    assert all(JobLine.select().where(JobLine.job == job).count() in (1, 2) for job in every)
    assert {j.status for j in JobCard.select(JobCard.status)} == {"draft"}
