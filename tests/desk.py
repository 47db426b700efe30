"""Front-desk data made through the real rules: customers, vehicles and job cards at each step of their life."""

from __future__ import annotations

from kiosk import customers, delivery, jobs, quotes, reception
from kiosk.audit import Actor
from kiosk.reception import NewLine
from kiosk.store.models import AuditEvent, JobLine

from .factories import make_vin


def events(action: str | None = None) -> list[AuditEvent]:
    query = AuditEvent.select().order_by(AuditEvent.id)
    return list(query.where(AuditEvent.action == action) if action else query)


def customer_with_vehicle(advisor: Actor, name: str = "王小明", phone: str = "138 0013 8000", plate: str = "沪A12345",
                          mileage: int = 42000, vin: str | None = None) -> tuple[int, int]:
    customer_id = customers.create_customer(advisor, name, phone)
    vehicle = customers.create_vehicle(advisor, customer_id, vin or make_vin(), check_required=True, plate=plate,
                                       model="Lavida 朗逸", model_year=2022, mileage=mileage)
    return customer_id, vehicle.vehicle_id


def open_card(advisor: Actor, technician_id: int | None = None, *, payers=("customer",), mileage: int = 42000,
              customer_vehicle: tuple[int, int] | None = None, **options) -> int:
    customer_id, vehicle_id = customer_vehicle or customer_with_vehicle(advisor, mileage=mileage)
    lines = [NewLine("刹车异响 Brake noise", payer, "BR1001", technician_id) for payer in payers]
    return reception.open_job(advisor, customer_id, vehicle_id, mileage, "刹车时有异响\nNoise when braking",
                                   lines=lines, **options)


def approved_card(advisor: Actor, technician: Actor, **options) -> tuple[int, list[int]]:
    job_id = open_card(advisor, technician.employee_id, **options)
    quotes.record_approval(advisor, job_id, "in_person", "王小明")
    return job_id, line_ids(job_id)


def line_ids(job_id: int) -> list[int]:
    return [ln.id for ln in JobLine.select().where(JobLine.job == job_id).order_by(JobLine.position)]


def finish_work(technician: Actor, job_id: int) -> None:
    for line_id in line_ids(job_id):
        if JobLine.get_by_id(line_id).status == "open":
            jobs.record_three_cs(technician, line_id, "Pads worn 刹车片磨损", "Replaced pads 更换刹车片")
            jobs.complete_line(technician, line_id)
    jobs.complete_job(technician, job_id)


def delivered_card(advisor: Actor, technician: Actor, checker: Actor, **options) -> tuple[int, int]:
    """A card through approval, work, quality check and delivery; returns (job id, follow-up id)."""
    job_id, _ = approved_card(advisor, technician, **options)
    finish_work(technician, job_id)
    delivery.quality_check(checker, job_id, True, "Road test OK 路试正常")
    return job_id, delivery.deliver(advisor, job_id)
