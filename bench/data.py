"""Benchmark stores built once at the sizes the issues name and cached in bench/.data/ (gitignored)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
sys.path.insert(0, str(HERE.parent))

from kiosk.audit import Actor  # noqa: E402
from kiosk.auth import hash_pin  # noqa: E402
from kiosk.store import close_database, open_database  # noqa: E402
from kiosk.store import schema  # noqa: E402
from kiosk.vin import with_check_digit  # noqa: E402

WORDS = ["front", "rear", "left", "right", "brake", "pad", "disc", "filter", "oil", "air", "pump", "water", "belt",
         "sensor", "oxygen", "coil", "ignition", "valve", "gasket", "seal", "bearing", "wheel", "arm", "control",
         "lamp", "bulb", "mirror", "door", "lock", "window", "motor", "starter", "alternator", "radiator", "hose"]
HANZI = ["刹车片", "机油滤清器", "水泵", "皮带", "传感器", "点火线圈", "轴承", "控制臂", "门锁", "发电机", "散热器"]


def p95(values: list[float]) -> float:
    """The 95th percentile of timings (the slowest one in twenty)."""
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.95))]


def _schema_key() -> str:
    """Changes whenever a migration does, so a cached store is rebuilt for a new schema."""
    from kiosk.store import MIGRATIONS_DIR

    digest = hashlib.sha1()
    for script in sorted(Path(MIGRATIONS_DIR).glob("[0-9]*.py")):
        digest.update(script.name.encode() + script.read_bytes())
    return digest.hexdigest()[:8]


def _fresh(name: str) -> tuple[str, Path, bool]:
    """The store's URL and path, and whether a whole one is cached; a build that broke off is thrown away
    (the marker beside it is removed only by _built)."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"{name}-{_schema_key()}.sqlite"
    marker = path.with_name(path.name + ".building")
    if path.exists() and not marker.exists():
        return f"sqlite:///{path}", path, True
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    marker.touch()
    return f"sqlite:///{path}", path, False


def _built(path: Path) -> None:
    path.with_name(path.name + ".building").unlink()


def _empty_store(url: str, path: Path) -> sqlite3.Connection:
    """The schema through the kiosk's own migrations, then a raw connection for bulk inserts."""
    open_database(url, create_dir=True)
    schema.upgrade()
    close_database()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA synchronous=off")
    return conn


def _staff(conn: sqlite3.Connection, count: int) -> list[int]:
    pin = hash_pin("1234")
    now = dt.datetime.now().isoformat(sep=" ")
    conn.executemany("INSERT INTO employee (badge, name, role, pin_hash, active, failed_pins, created_at, language) "
                     "VALUES (?, ?, ?, ?, 1, 0, ?, '')",
                     [(f"B{i:03d}", f"Bench {i}", "parts_clerk" if i == 0 else "technician", pin, now)
                      for i in range(count)])
    return [r[0] for r in conn.execute("SELECT id FROM employee ORDER BY id")]


def catalogue_store(parts: int = 200_000) -> str:
    """200,000 parts with their search words and opening stock."""
    url, path, cached = _fresh(f"catalogue-{parts}")
    if cached:
        return url
    started = time.perf_counter()
    open_database(url, create_dir=True)
    schema.upgrade()
    from kiosk.parts import load_catalogue
    from kiosk.store.models import Employee

    boss = Employee.create(badge="M0", name="Bench", role="manager", pin_hash=hash_pin("1234"))
    rng = random.Random(7)
    rows = []
    for i in range(parts):
        words = rng.sample(WORDS, 3)
        rows.append(dict(part_number=f"{rng.choice(['VW', 'GM', 'FD', 'TY', '99'])}{i:07d}",
                         description=" ".join(words) + " " + rng.choice(HANZI), bin=f"A-{i % 50:02d}",
                         on_hand=rng.randrange(0, 50), unit_price=10, manufacturer="VW"))
    load_catalogue(Actor(boss.id, boss.name, "manager", "bench"), rows)
    close_database()
    print(f"(built {parts} parts in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    _built(path)
    return url


def room_store(tags: int = 1_000_000, jobs: int = 100_000) -> str:
    """A warranty-parts room of years: 1,000,000 tags on 100,000 job cards, most long shipped or scrapped."""
    url, path, cached = _fresh(f"room-{tags}-{jobs}")
    if cached:
        return url
    started = time.perf_counter()
    conn = _empty_store(url, path)
    rng = random.Random(11)
    staff = _staff(conn, 20)
    base = dt.datetime(2020, 1, 1)
    from kiosk.store import keys

    conn.executemany("INSERT INTO customer (name, phone, created_at, name_key, surname_key, phone_key) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     [(f"Customer {i}", f"138{i:08d}", base, keys.name_key(f"Customer {i}"),
                       keys.surname_key(f"Customer {i}"), keys.phone_key(f"138{i:08d}")) for i in range(10_000)])
    vins = [with_check_digit(f"LSVAU2180N{i:07d}") for i in range(jobs)]
    conn.executemany("INSERT INTO vehicle (vin, plate, model, last_mileage, customer_id, created_at, plate_key, "
                     "vin_reversed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [(vins[i], f"A{i:05d}", "Lavida", 10000, i % 10_000 + 1, base, keys.plate_key(f"A{i:05d}"),
                       keys.vin_reversed(vins[i])) for i in range(jobs)])
    conn.executemany("INSERT INTO job_card (customer_id, vehicle_id, status, complaint, mileage_in, opened_at, "
                     "mileage_override_reason) VALUES (?, ?, 'delivered', 'noise', 10000, ?, '')",
                     [(i % 10_000 + 1, i + 1, base + dt.timedelta(minutes=i * 30)) for i in range(jobs)])
    conn.executemany("INSERT INTO job_line (job_id, position, complaint, cause, correction, payer, labour_operation, "
                     "technician_id, status, seconds_worked, further_work) VALUES (?, 1, 'noise', '', '', 'warranty', "
                     "'OP1', ?, 'done', 0, 0)", [(i + 1, staff[1 + i % 19]) for i in range(jobs)])
    span = (dt.datetime.now() - base).total_seconds()

    def tag_rows():
        for i in range(tags):
            job = rng.randrange(jobs) + 1
            when = base + dt.timedelta(seconds=span * i / tags)
            status = ("shipped" if i % 3 else "scrapped") if i < tags * 0.9 else rng.choice(
                ["held", "held", "held", "requested", "tagged"])
            claimed = status in ("shipped", "scrapped")  # long claimed and paid; newer ones not yet
            yield (f"W{i + 1:07d}", job, job, status, f"BIN-{job % 10}" if status != "tagged" else "",
                   rng.choice(["VW", "GM", "Ford", "Toyota"]), f"VW{rng.randrange(200000):07d}", "part",
                   vins[job - 1], staff[1 + job % 19], when, when.date() + dt.timedelta(days=60),
                   f"C{i + 1:08d}" if claimed else "", "paid" if claimed else "",
                   (when + dt.timedelta(days=30)).date() if claimed else None, 120 if claimed else None,
                   0 if claimed else None, "needed" if status == "held" and i % 50 == 0 else "")

    conn.executemany("INSERT INTO warranty_tag (tag_number, job_id, job_line_id, status, location, manufacturer, "
                     "part_number, description, quantity, causal, hazardous, vin, mileage, technician_id, "
                     "labour_operation, complaint, cause, tagged_at, keep_until, claim_number, claim_status, "
                     "claim_paid_on, claim_amount, debited_amount, approval, override_reason) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 0, ?, 0, ?, '', '', '', ?, ?, ?, ?, ?, ?, ?, ?, '')",
                     tag_rows())
    conn.execute("INSERT INTO tag_event (tag_id, status, location, note, employee_id, terminal, client, at) "
                 "SELECT id, status, location, '', technician_id, 'bench', '', tagged_at FROM warranty_tag")
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    print(f"(built {tags} tags in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    _built(path)
    return url


def desk_store(customers: int = 200_000, jobs: int = 500_000) -> str:
    """The front desk of a dealer after years: 200,000 customers with 250,000 vehicles, 500,000 job cards
    (a few hundred still open), a follow-up call for each delivered card and a complaint on every 200th."""
    from kiosk.store import keys

    url, path, cached = _fresh(f"desk-{customers}-{jobs}")
    if cached:
        return url
    started = time.perf_counter()
    conn = _empty_store(url, path)
    rng = random.Random(7)
    staff = _staff(conn, 20)
    base = dt.datetime(2019, 1, 1)
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋"

    def customer_rows():
        for i in range(customers):
            name = (rng.choice(surnames) + rng.choice(given) + rng.choice(given)) if i % 2 else \
                f"Customer{i} Smith{i % 977}"
            phone = f"13{i:09d}"
            yield (name, phone, base, keys.name_key(name), keys.surname_key(name), keys.phone_key(phone),
                   keys.phone_reversed(phone))

    conn.executemany("INSERT INTO customer (name, phone, created_at, name_key, surname_key, phone_key, "
                     "phone_reversed) VALUES (?, ?, ?, ?, ?, ?, ?)", customer_rows())
    vehicles = customers + customers // 4

    def vehicle_rows():
        for i in range(vehicles):
            vin = with_check_digit(f"LSVAU2180N{i:07d}")
            plate = f"沪A{i:05d}" if i < 100_000 else f"京B{i % 100_000:05d}"
            yield (vin, plate, "Lavida", 10000, i % customers + 1, base, keys.plate_key(plate),
                   keys.vin_reversed(vin))

    conn.executemany("INSERT INTO vehicle (vin, plate, model, last_mileage, customer_id, created_at, plate_key, "
                     "vin_reversed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", vehicle_rows())
    now = dt.datetime.now().replace(microsecond=0)
    span = (now - base).total_seconds()

    def job_rows():
        for i in range(jobs):
            vehicle = rng.randrange(vehicles) + 1
            opened = base + dt.timedelta(seconds=span * i / jobs)
            status = "delivered" if i < jobs - 400 else rng.choice(
                ["draft", "awaiting_approval", "approved", "in_progress", "work_done", "quality_checked"])
            closed = opened + dt.timedelta(hours=8) if status == "delivered" else None
            promised = opened + dt.timedelta(hours=6)
            yield (vehicle % customers + 1, vehicle, status, "noise", 10000, promised, staff[0], opened, closed)

    conn.executemany("INSERT INTO job_card (customer_id, vehicle_id, status, complaint, mileage_in, promised_at, "
                     "advisor_id, opened_at, closed_at, mileage_override_reason) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '')", job_rows())
    conn.execute("INSERT INTO follow_up (job_id, customer_id, due_at, status, outcome, note, attempts, done_by_id, "
                 "done_at) SELECT id, customer_id, datetime(closed_at, '+2 days'), "
                 "CASE WHEN closed_at < datetime('now', '-3 days') THEN 'done' ELSE 'open' END, "
                 "CASE WHEN closed_at < datetime('now', '-3 days') THEN 'satisfied' ELSE '' END, '', 0, NULL, NULL "
                 "FROM job_card WHERE status = 'delivered'")
    conn.execute("INSERT INTO complaint (customer_id, job_id, text, owner_id, status, resolution, opened_by_id, "
                 f"opened_at) SELECT customer_id, id, 'Too slow', {staff[0]}, "
                 "CASE WHEN id > (SELECT max(id) FROM job_card) - 40000 THEN 'open' ELSE 'resolved' END, '', "
                 f"{staff[0]}, opened_at FROM job_card WHERE id % 200 = 0")
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    print(f"(built the desk: {customers} customers, {jobs} job cards in {time.perf_counter() - started:.0f} s)",
          file=sys.stderr)
    _built(path)
    return url
