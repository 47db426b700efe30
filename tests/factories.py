"""Building shop data for tests: job cards with lines, and tagged warranty parts."""

from __future__ import annotations

import datetime as dt
import itertools

from kiosk.store.models import Customer, Employee, JobCard, JobLine, Part, TagEvent, Vehicle, WarrantyTag, now
from kiosk.audit import Actor
from kiosk.parts import load_catalogue
from kiosk.tags import tag_number_for
from kiosk.vin import with_check_digit

_serial = itertools.count(100000)


def make_vin() -> str:
    return with_check_digit(f"LSVAU2180N2{next(_serial):06d}")


def make_job_card(technician_id: int, *, status: str = "approved", payers=("warranty",), mileage: int = 42000,
                  customer_name: str = "王小明") -> JobCard:
    customer = Customer.create(name=customer_name, phone=f"138{next(_serial):08d}")
    vehicle = Vehicle.create(vin=make_vin(), plate="沪A12345", model="Lavida 朗逸", model_year=2022,
                             last_mileage=mileage, customer=customer)
    job = JobCard.create(customer=customer, vehicle=vehicle, status=status, complaint="刹车异响 noise when braking",
                         mileage_in=mileage, promised_at=now() + dt.timedelta(hours=4))
    for position, payer in enumerate(payers, start=1):
        JobLine.create(job=job, position=position, complaint="Brake noise", payer=payer, labour_operation="BR1001",
                       technician=technician_id)
    return job


def make_part(part_number: str = "VW000123", description: str = "Front brake pad set 前刹车片", on_hand: int = 10,
              **flags) -> Part:
    """A catalogue part with its opening stock in the ledger (needs an employee to have been added)."""
    boss = Employee.select().order_by(Employee.id).first()
    load_catalogue(Actor(boss.id, boss.name, "manager", "test-terminal"),
                   [dict(part_number=part_number, description=description, bin="A-01", on_hand=on_hand,
                         unit_price=120, manufacturer=flags.pop("manufacturer", "VW"), **flags)])
    return Part.get(Part.part_number == part_number)


def make_tag(job: JobCard, technician_id: int, *, part_number: str = "VW000123", manufacturer: str = "VW",
             tagged_at: dt.datetime | None = None, hazardous: bool = False, prefix: str = "W",
             keep_days: int = 60) -> WarrantyTag:
    """A tag as the tagging workflow leaves it: status tagged, with its first event."""
    tagged_at = tagged_at or now()
    line = job.lines.order_by(JobLine.id).first()
    tag = WarrantyTag.create(job=job, job_line=line, status="tagged", manufacturer=manufacturer,
                             part_number=part_number, description="Front brake pad set 前刹车片", vin=job.vehicle.vin,
                             mileage=job.mileage_in, technician=technician_id, tagged_at=tagged_at,
                             hazardous=hazardous, keep_until=tagged_at.date() + dt.timedelta(days=keep_days))
    tag.tag_number = tag_number_for(tag.id, prefix)
    WarrantyTag.update(tag_number=tag.tag_number).where(WarrantyTag.id == tag.id).execute()
    TagEvent.create(tag=tag, status="tagged", employee=technician_id, terminal="bay-1", at=tagged_at)
    return tag


def make_bin_a01() -> None:
    """Three parts in bin A-01 (one numbered 99..., one with none on hand) and one in B-07."""
    make_part("VW000123", on_hand=10)
    make_part("9912345678", "Oil filter 机油滤清器", on_hand=4)
    make_part("VW000777", "Wiper blade", on_hand=0)
    make_part("BOSCH-1", "Spark plug", on_hand=3)
    Part.update(bin="B-07").where(Part.part_number == "BOSCH-1").execute()
