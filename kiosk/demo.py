"""The demo shop: staff of every role, a parts catalogue, customers, vehicles and job cards in every state.

Built once per database and reused; everything is deterministic so a newcomer sees the same shop.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from .audit import Actor, Change, write_event
from .auth import hash_pin
from .config import Settings
from .demo_badges import DEMO_PINS, STAFF, badge_sheet, demo_settings  # noqa: F401
from .store import write_transaction
from .store.models import (Approval, ClockEntry, Customer, Employee, JobCard, JobLine, LabourOperation, Part,
                           QualityCheck, TagEvent, Vehicle, WarrantyTag, now)
from .vin import with_check_digit

# (English, Chinese, wear part, safety part)
PART_KINDS = [
    ("Front brake pad set", "前刹车片", True, False),
    ("Rear brake pad set", "后刹车片", True, False),
    ("Drive belt", "传动皮带", True, False),
    ("Spark plug", "火花塞", True, False),
    ("Headlamp bulb H7", "大灯灯泡", True, False),
    ("Tyre 205/55 R16", "轮胎", True, False),
    ("Driver airbag module", "驾驶员安全气囊", False, True),
    ("Brake master cylinder", "制动总泵", False, True),
    ("Steering rack", "转向机", False, True),
    ("Seat belt pretensioner", "安全带预紧器", False, True),
    ("Battery 12V 60Ah", "蓄电池", False, False),
    ("Water pump", "水泵", False, False),
    ("Thermostat", "节温器", False, False),
    ("Oxygen sensor", "氧传感器", False, False),
    ("Ignition coil", "点火线圈", False, False),
    ("Fuel pump module", "燃油泵总成", False, False),
    ("Alternator", "发电机", False, False),
    ("Starter motor", "起动机", False, False),
    ("Radiator", "散热器", False, False),
    ("Oil filter", "机油滤清器", False, False),
    ("Air filter", "空气滤清器", False, False),
    ("Wheel bearing", "轮毂轴承", False, False),
    ("Front shock absorber", "前减震器", False, False),
    ("Lower control arm", "下控制臂", False, False),
    ("Window regulator", "玻璃升降器", False, False),
    ("Door lock actuator", "门锁执行器", False, False),
    ("ABS wheel speed sensor", "ABS轮速传感器", False, False),
    ("Turbocharger", "涡轮增压器", False, False),
    ("Timing chain kit", "正时链条套件", False, False),
    ("Clutch kit", "离合器套件", False, False),
]

MAKERS = [("VW", "LSV", ["Lavida 朗逸", "Passat 帕萨特", "Tiguan 途观"]),
          ("GM", "1G1", ["Malibu", "Cruze 科鲁兹", "Equinox"]),
          ("Ford", "1FA", ["Focus 福克斯", "Mondeo 蒙迪欧", "Kuga"]),
          ("Toyota", "JTD", ["Corolla 卡罗拉", "Camry 凯美瑞", "RAV4 荣放"])]

CUSTOMERS = ["王小明", "李娜", "张伟", "刘芳", "陈静", "杨洋", "赵敏", "黄磊", "周杰", "吴婷",
             "John Smith", "Mary Johnson", "Ahmed Khan", "Lucia García", "Olga Petrova", "Tom Baker",
             "徐晓东", "孙悦", "马超", "朱琳", "胡军", "郭靖", "何静", "高飞"]

COMPLAINTS = [
    "刹车时有异响 Noise when braking",
    "发动机故障灯亮 Engine warning light on",
    "Car pulls to the left at speed",
    "空调不制冷 Air conditioning not cold",
    "Window on driver side will not go up",
    "冷车启动困难 Hard to start when cold",
    "Oil leak under the engine",
    "方向盘抖动 Steering wheel shakes at 100 km/h",
    "Battery goes flat overnight",
    "Airbag warning light stays on",
]

# Job cards per state: enough for every step a newcomer wants to try.
STATE_COUNTS = {"draft": 2, "awaiting_approval": 3, "approved": 10, "in_progress": 6,
                "work_done": 4, "quality_checked": 3, "delivered": 12}


def build(settings: Settings) -> bool:
    """Create the demo shop unless it is already there. Returns True when it was created."""
    if Employee.select().where(Employee.badge == STAFF[0][0]).exists():
        return False
    rng = random.Random(20261123)
    hashes = {role: hash_pin(pin) for role, pin in DEMO_PINS.items()}
    with write_transaction():
        staff = {badge: Employee.create(badge=badge, name=name, role=role, pin_hash=hashes[role])
                 for badge, name, role in STAFF}
        boss = staff["M401"]
        parts = _catalogue(rng, Actor(boss.id, boss.name, boss.role, settings.terminal))
        vehicles = _customers_and_vehicles(rng)
        _job_cards(rng, staff, vehicles, parts)
        _warranty_parts(settings, staff, parts)
        _followups(settings, staff)
        _last_months_claims(settings, staff, vehicles, parts)
        _forgotten_clock(settings, staff)
        write_event(staff["M401"].id, settings.terminal, "", Change("demo.build", "shop", None,
                                                                     {"db": settings.db_url}))
    return True


def _catalogue(rng: random.Random, manager: Actor) -> list[Part]:
    from .parts import load_catalogue  # only when building: keeps `kiosk demo` quick to start

    rows = []
    serial = 0
    for maker, _, _ in MAKERS:
        for en, zh, wear, safety in PART_KINDS:
            for variant in range(3):
                serial += 1
                # Some part numbers start with 99: python-barcode once dropped a leading 99.
                number = f"99{serial:06d}" if serial % 17 == 0 else f"{maker[:2].upper()}{serial:06d}"
                description = f"{en} {zh}" + (f" v{variant + 1}" if variant else "")
                rows.append(dict(part_number=number, description=description,
                                 bin=f"{chr(65 + serial % 8)}-{serial % 40 + 1:02d}",
                                 on_hand=rng.choice([0, 1, 2, 4, 6, 10, 25]) if serial % 5 else 12,
                                 unit_price=Decimal(rng.randrange(800, 250000)) / 100,
                                 wear_part=wear, safety_part=safety, manufacturer=maker,
                                 hazardous=en.startswith(("Battery", "Driver airbag"))))
    load_catalogue(manager, rows)
    return list(Part.select().order_by(Part.id))


def _customers_and_vehicles(rng: random.Random) -> list[Vehicle]:
    vehicles = []
    for i, name in enumerate(CUSTOMERS):
        customer = Customer.create(name=name, phone=f"1{rng.randrange(30, 99)}{rng.randrange(10**7, 10**8)}")
        maker, wmi, models = MAKERS[i % len(MAKERS)]
        for j in range(1 + (i % 3 == 0)):
            body = f"{wmi}{rng.choice('ABCDEFGH')}{rng.randrange(1000, 9999)}0{rng.choice('KLMNPR')}" \
                   f"{rng.choice('ABCDEFGH')}{rng.randrange(100000, 999999)}"
            vehicles.append(Vehicle.create(
                vin=with_check_digit(body), plate=f"沪A{rng.randrange(10000, 99999)}" if i % 2 else
                f"KX{rng.randrange(10, 99)} {rng.choice('ABCDEFG')}{rng.choice('HJKLMN')}{rng.choice('PRSTUV')}",
                model=models[j % len(models)], model_year=2018 + (i + j) % 8,
                last_mileage=rng.randrange(5000, 150000), customer=customer))
    return vehicles


def _job_cards(rng: random.Random, staff: dict, vehicles: list[Vehicle], parts: list[Part]) -> None:
    technicians = [e for e in staff.values() if e.role == "technician"]
    advisors = [e for e in staff.values() if e.role == "advisor"]
    today = now().replace(hour=8, minute=0, second=0)
    n = 0
    for state, count in STATE_COUNTS.items():
        for _ in range(count):
            vehicle = vehicles[n % len(vehicles)]
            complaint = COMPLAINTS[n % len(COMPLAINTS)]
            opened = today - dt.timedelta(days=(12 - n % 12) if state == "delivered" else n % 3)
            job = JobCard.create(
                customer=vehicle.customer, vehicle=vehicle, status=state, complaint=complaint,
                mileage_in=vehicle.last_mileage, advisor=advisors[n % len(advisors)], opened_at=opened,
                promised_at=opened + dt.timedelta(hours=6 + n % 30),
                closed_at=opened + dt.timedelta(days=1) if state == "delivered" else None)
            done = state in ("work_done", "quality_checked", "delivered")
            # The first technician gets most approved jobs so the floor walk-through has work waiting.
            tech = technicians[0] if state == "approved" and n % 3 != 2 else technicians[n % len(technicians)]
            for position, payer in enumerate(("warranty", "customer") if n % 2 else ("customer",), start=1):
                JobLine.create(job=job, position=position, complaint=complaint.split(" ", 1)[-1] if position == 1
                               else "Routine service 常规保养", payer=payer,
                               labour_operation=f"{rng.randrange(10, 99)}{rng.randrange(1000, 9999)}",
                               technician=tech, status="done" if done else "open",
                               cause="Worn component 部件磨损" if done else "",
                               correction="Replaced 已更换" if done else "",
                               seconds_worked=rng.randrange(1800, 9000) if done else 0)
            n += 1


def _actor(employee: Employee, settings: Settings) -> Actor:
    return Actor(employee.id, employee.name, employee.role, settings.terminal)


FOLLOWUP_OUTCOMES = [("satisfied", ""), ("satisfied", "Very happy 很满意"), ("no_answer", ""),
                     ("complaint", "Waited two hours past the promised time 超过承诺时间两小时"), ("satisfied", "")]


def _followups(settings: Settings, staff: dict) -> None:
    """A follow-up call for every delivered card: the older ones made (one became a complaint, one a
    rework booking), the recent ones due or overdue in the advisor's queue."""
    # only when building: keeps `kiosk demo` on an existing shop quick to start
    from .followups import record_followup, schedule_followup

    advisor = _actor(staff["A301"], demo_settings(settings))
    delivered = list(JobCard.select().where(JobCard.status == "delivered").order_by(JobCard.closed_at))
    calls = [(job, schedule_followup(job, job.closed_at)) for job in delivered]
    made = [(job, call) for job, call in calls if job.closed_at < now() - dt.timedelta(days=4)]
    for i, (_job, call) in enumerate(made[:-1]):
        outcome, note = FOLLOWUP_OUTCOMES[i % len(FOLLOWUP_OUTCOMES)]
        record_followup(advisor, call, outcome, note)
    if made:
        record_followup(advisor, made[-1][1], "problem", "Noise came back after two days 两天后异响又出现")


def _forgotten_clock(settings: Settings, staff: dict) -> None:
    """Dave Miller clocked on a job yesterday afternoon and went home: the advisor's floor tools close it."""
    from .clocking import clock_on  # only when building: keeps `kiosk demo` on an existing shop quick to start
    from .store.models import ClockEntry

    technician = staff["T103"]
    line = (JobLine.select().join(JobCard).where((JobLine.technician == technician.id)
                                                 & JobCard.status.in_(("approved", "in_progress"))
                                                 & (JobLine.status == "open")).order_by(JobLine.id).first())
    if line is None:
        return
    clock_on(_actor(technician, demo_settings(settings)), line.id)
    yesterday = (now() - dt.timedelta(days=1)).replace(hour=15, minute=10, second=0, microsecond=0)
    ClockEntry.update(started_at=yesterday).where(ClockEntry.stopped_at.is_null()).execute()


def _warranty_parts(settings: Settings, staff: dict, parts: list[Part]) -> None:
    """Tagged, held, requested, packed, shipped and scrapped warranty parts, made through the real rules."""
    # only when building: keeps `kiosk demo` on an existing shop quick to start
    from . import claims, holding, returns, warranty
    from .parts import record_removed_part

    settings = demo_settings(settings)
    clerk, boss = _actor(staff["C201"], settings), _actor(staff["M401"], settings)
    plain = [p for p in parts if not (p.wear_part or p.safety_part)]
    safety = next(p for p in parts if p.safety_part and not p.wear_part)
    lines = list(JobLine.select().join(JobCard).where(
        (JobLine.payer == "warranty") & JobCard.status.in_(("work_done", "quality_checked", "delivered")))
        .order_by(JobLine.id))
    tags = []
    for i, line in enumerate(lines):
        job = JobCard.get_by_id(line.job_id)
        final = job.status
        JobCard.update(status="in_progress").where(JobCard.id == job.id).execute()
        technician = _actor(Employee.get_by_id(line.technician_id), settings)
        # The last one is a safety part: left tagged, it waits for the manufacturer's approval (floor tools).
        part = safety if i == len(lines) - 1 else plain[(i * 7) % len(plain)]
        removed = record_removed_part(technician, line.id, part.part_number, 1, True)
        tags.append(warranty.tag_part(technician, removed, settings))
        JobCard.update(status=final).where(JobCard.id == job.id).execute()
    # Ready to tag at the floor: a wear part (needs an advisor's override) on the first technician's job.
    waiting = (JobLine.select().join(JobCard).where((JobLine.payer == "warranty") & (JobCard.status == "approved")
                                                     & (JobLine.technician == staff["T101"].id)).first())
    if waiting is not None:
        pads = next(p for p in parts if p.wear_part)
        record_removed_part(_actor(staff["T101"], settings), waiting.id, pads.part_number, 1, True)
    # Left as tagged (the end-of-day list): the last two. The rest are scanned into the room.
    for tag in tags[:-2]:
        holding.scan_in(clerk, tag.tag_number, settings)
    if len(tags) >= 6:
        returns.enter_request(clerk, "RR-2026-001", "", now().date() + dt.timedelta(days=7),
                              [returns.RequestItem("tag", t.tag_number) for t in tags[:3]])
        box = returns.open_shipment(clerk, "RR-2026-001")
        for tag in tags[:2]:
            returns.pack(clerk, box, tag.tag_number)
        returns.close_shipment(clerk, box)
        returns.ship_shipment(clerk, box, "SF Express 顺丰", "SF1400000001")
        paid = now().date() - dt.timedelta(days=90)
        claims.record_claim(clerk, claims.Claim(tags[3].tag_number, "CLM-0001", "paid", paid), settings)
        claims.scrap(clerk, tags[3].tag_number, "REL-2026-0042")
        claims.record_claim(clerk, claims.Claim(tags[4].tag_number, "CLM-0002", "paid", paid), settings)
        holding.mark_missing(boss, tags[5].tag_number, "Not on its shelf at the weekly count")


# Last month's warranty repairs, for the claim list due by the 10th: (what is wrong with the claim, or "" for one
# done by the book). The board counts the claims not ready from the 1st; `kiosk claims check` lists why.
LAST_MONTH_CLAIMS = ["", "vague correction", "", "clocked far over the standard", "", "approved after work began",
                     "part missing", ""]
# Labour operations of those repairs with their standard hours (manufacturer "": the shop's own table).
DEMO_LABOUR_OPS = [("WP1001", "Replace component, front 更换前部部件", "1.50"),
                   ("WP2002", "Replace component, engine 更换发动机部件", "2.00"),
                   ("WP3003", "Replace component, body 更换车身部件", "0.80")]


def _last_months_claims(settings: Settings, staff: dict, vehicles: list[Vehicle], parts: list[Part]) -> None:
    """Delivered warranty repairs of last month, made through the real rules and dated back: most ready to
    claim, some with the faults an auditor finds (vague correction, time far over the standard, approval after
    work began, the part missing)."""
    from . import holding, warranty
    from .followups import record_followup, schedule_followup
    from .parts import record_removed_part
    from .reports import previous_month

    settings = demo_settings(settings)
    clerk, boss, advisor = (_actor(staff[b], settings) for b in ("C201", "M401", "A301"))
    technicians = [e for e in staff.values() if e.role == "technician"]
    plain = [p for p in parts if not (p.wear_part or p.safety_part or p.hazardous)]
    for code, description, hours in DEMO_LABOUR_OPS:
        LabourOperation.create(code=code, description=description, standard_hours=Decimal(hours))
    month = previous_month(now().date())
    for i, fault in enumerate(LAST_MONTH_CLAIMS):
        vehicle = vehicles[(i * 5 + 3) % len(vehicles)]
        opened = dt.datetime.combine(month + dt.timedelta(days=2 + i * 3), dt.time(9, 0))
        part = plain[(i * 11) % len(plain)]
        code, _, hours = DEMO_LABOUR_OPS[i % len(DEMO_LABOUR_OPS)]
        tech, checker = technicians[i % len(technicians)], technicians[(i + 1) % len(technicians)]
        worked = int(Decimal(hours) * 3600 * (3 if fault.startswith("clocked") else Decimal("0.9")))
        job = JobCard.create(customer=vehicle.customer, vehicle=vehicle, status="in_progress",
                             complaint=COMPLAINTS[i % len(COMPLAINTS)], mileage_in=vehicle.last_mileage,
                             advisor=staff["A301"], opened_at=opened, promised_at=opened + dt.timedelta(hours=8))
        name = part.description.split(" v")[0]
        line = JobLine.create(job=job, position=1, complaint=job.complaint, payer="warranty", labour_operation=code,
                              technician=tech, cause=f"{name} failed in normal use, no outside cause 部件失效",
                              correction="Replaced 已更换" if fault == "vague correction"
                              else f"Replaced {name} ({part.part_number}), tested OK",
                              seconds_worked=worked)
        approved_at = opened + dt.timedelta(hours=3 if fault.startswith("approved") else 0, minutes=20)
        Approval.create(job=job, customer_name=vehicle.customer.name, how="in_person", recorded_by=staff["A301"],
                        terminal=settings.terminal, at=approved_at)
        started = opened + dt.timedelta(hours=1)
        ClockEntry.create(technician=tech, job_line=line, started_at=started,
                          stopped_at=started + dt.timedelta(seconds=worked), stopped_by=tech)
        removed = record_removed_part(_actor(tech, settings), line.id, part.part_number, 1, True)
        tag = warranty.tag_part(_actor(tech, settings), removed, settings)
        holding.scan_in(clerk, tag.tag_number, settings)
        if fault == "part missing":
            holding.mark_missing(boss, tag.tag_number, "Not on its shelf at the month-end count")
        tagged = started + dt.timedelta(seconds=worked, minutes=5)
        WarrantyTag.update(tagged_at=tagged, held_at=tagged + dt.timedelta(hours=4),
                           keep_until=tagged.date() + dt.timedelta(days=settings.unpaid_retention_days)).where(
            WarrantyTag.id == tag.id).execute()
        TagEvent.update(at=tagged + dt.timedelta(hours=4)).where(TagEvent.tag == tag.id).execute()
        TagEvent.update(at=tagged).where((TagEvent.tag == tag.id) & (TagEvent.status == "tagged")).execute()
        JobLine.update(status="done").where(JobLine.id == line.id).execute()
        QualityCheck.create(job=job, passed=True, note="Road test fine 路试正常", checked_by=checker,
                            at=opened + dt.timedelta(hours=6))
        JobCard.update(status="delivered", closed_at=opened + dt.timedelta(hours=7)).where(
            JobCard.id == job.id).execute()
        record_followup(advisor, schedule_followup(JobCard.get_by_id(job.id), opened + dt.timedelta(hours=7)),
                        "satisfied", "")
