"""Hostile input into every public rules function: arbitrary text (lone surrogates, control characters,
100,000 characters, Chinese) and numbers (NaN, inf, 1e308, negatives, huge ints), on SQLite and PostgreSQL.

The only outcomes allowed are a success or one of the kiosk's typed errors (kiosk.errors.KioskError), and a
call that fails changes no row. The functions are found by inspecting the rules modules, so a new public
function is covered (or the test asks for a strategy for its parameters) without anyone remembering to add it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import inspect
import math
import os
import re
import traceback
import weakref
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from kiosk import complaints, customers, followups, holding, quotes, stockcount
from kiosk.claims import CLAIM_STATUSES, Claim
from kiosk.config import Settings
from kiosk.errors import Conflict, InvalidInput, KioskError, SignInRefused
from kiosk.followups import OUTCOMES
from kiosk.holding import HeldQuery
from kiosk.jobs import PAYERS
from kiosk.permissions import ROLES
from kiosk.reception import NewLine
from kiosk.reports import KINDS
from kiosk.returns import ITEM_KINDS, RequestItem
from kiosk.store import db
from kiosk.store.database import is_sqlite
from kiosk.store.models import ALL_MODELS, Employee, EstimateLine, FollowUp, JobCard, JobLine, Part, RemovedPart, \
    ReturnRequest, Shipment, now
from kiosk.warranty import EXCLUSIONS, Override

from .conftest import DEMO_PIN, add_employee
from .factories import make_job_card, make_part, make_tag

RULES = ("auth", "employees", "customers", "reception", "jobcard", "quotes", "approval", "delivery", "followups",
         "complaints", "jobs", "clocking", "parts", "catalogue", "stockcount", "warranty", "tags", "holding", "claims",
         "returns", "reports", "report_export", "labelqueue", "jobcard_print", "printers", "backup", "firstrun", "vin",
         "text", "ssh", "csvimport", "catalogue_import", "labourops", "readiness", "auditpack")

# Public by name, but building blocks another rule calls inside its own change() with values it has already
# checked (or objects no person types): the rule that calls them is tested instead.
BUILDING_BLOCKS = {
    "reception.new_draft", "reception.insert_line", "jobcard.job_for_change", "jobcard.line_for_change",
    "jobcard.locked_job", "jobs.locked_job", "parts.adjust_stock", "jobs.workable_line", "jobs.still_workable",
    "jobs.start_work", "jobs.line_for_work",
    "complaints.new_complaint", "complaints.note_on_file", "followups.schedule_followup", "tags.move",
    "labelqueue.queue", "labelqueue.label_data", "holding.tag_rows", "holding.with_technician",
    "approval.line_is_approved", "jobcard_print.card_data", "csvimport.read_rows",
    # Sends to a real CUPS queue; the same job card reaches PDF through job_card_pdf.
    "jobcard_print.print_job_card",
    # Replaces the whole database with a file: hostile file names are tried in test_backup.
    "backup.restore",
    # The CSV reader's steps, given a CsvFile and the columns by an import (import_claims, import_requests,
    # import_parts take the hostile files).
    "csvimport.check_lines", "csvimport.records", "csvimport.start_run", "csvimport.finish_run",
    "csvimport.batches", "csvimport.read_file",
    # Looks up labour-operation codes the rules already stored on job lines.
    "labourops.standard_hours",
    # Given the settings' language, which loading the settings checked (a ConfigError there).
    "labelqueue.label_captions",
}

# Objects built by the rules themselves (a report, a row, a query), never from what a person typed: a
# function taking one is covered through the rule that builds it.
OBJECT_TYPES = {"Report", "AdvisorView", "WarrantyTag", "JobCard", "LineState", "Customer", "Vehicle", "Path",
                "Restored", "Console", "CsvFile", "Progress"}

# Parameters a program fills in, never a person: left at their defaults (or given a fixed valid value).
PROGRAM_PARAMS = {"after", "limit", "chunk", "required", "multiline", "states", "doing", "purpose", "attempts",
                  "lock_minutes", "at", "before", "minimum", "positive", "like", "kiosk_command", "account", "timeout",
                  "keep"}
# ... and those without a default get a fixed, valid value.
PROGRAM_VALUES = {"field": "Field", "max_len": 40, "maximum": 9999, "prefix": "W", "width": 20,
                  "today": dt.date(2026, 11, 23), "started_at": dt.datetime(2026, 11, 23, 8, 30),
                  "tagged_at": dt.datetime(2026, 11, 2, 9, 0),
                  "unclaimed": 3, "seconds": 3725, "config": {"backend": "folder", "stock": "brother-62x29"},
                  "action": "approve", "table": {}, "min_chars": 10}

NASTY = [
    "", " ", "\x00", "\t\r\n", "\x1b[2J", "\x07\x08", "\u200b\u200d\ufeff", "\u202e", "\ud800", "\udfff",
    "a\ud83db", "\U0001f600", "刹车片", "王小明", "沪A12345", "Ｗ０００００１", "RO000001", "ro１", "²", "½", "①",
    "٣", "𝟙𝟚", "NaN", "nan", "-nan", "sNaN", "inf", "-Infinity", "1e308", "-1e308", "1E+308", "1e-308", "-1",
    "0", "-0", "0.001", "1.005", "99.99", "1,000", "1_000", "0x1F", "9" * 40, "9999-12-31", "0001-01-01",
    "2026-02-30", "9999-12-31 23:59", "2026-10", "9999-99", "25:61", "'; DROP TABLE part; --", "%", "_", "\\",
    "\"", "a:b", "age:99999999", "age:²", "shelf:", "mfr:\ud800", "LOC-\x00", "\U0010ffff", "\uffff", "x" * 100_000,
    "刹" * 100_000, "\ud800" * 1000, "W" + "9" * 7, "W" + "²" * 7, "W" + "٣" * 7,
]
NUMBERS = [math.nan, math.inf, -math.inf, 1e308, -1e308, 1e-308, 0.5, -0.0, 2 ** 64, 10 ** 30, -(10 ** 30),
           2 ** 63, -1, 0, 1, True, False, Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("1e308"),
           Decimal("-1"), Decimal("0.001"), Decimal("1E+1000000")]

any_char = st.characters(categories=["L", "M", "N", "P", "S", "Z", "C"])
hostile_text = st.one_of(st.sampled_from(NASTY), st.text(any_char, max_size=40),
                         st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=10))
hostile_number = st.one_of(st.sampled_from(NUMBERS), st.integers(), st.floats(),
                           st.decimals(allow_nan=True, allow_infinity=True))
# Ids are what the screens pass: a row's id from the database, or a number a person typed into a field that
# holds at most 12 digits (a job-card number parses to at most 10). They are tried with 0, negatives, ids
# nobody has and the 64-bit extremes; ids beyond 64 bits cannot reach a rule.
hostile_id = st.one_of(st.sampled_from([0, -1, -(2 ** 63), 2 ** 31, 2 ** 63 - 1]),
                       st.integers(-(2 ** 63), 2 ** 63 - 1))
dates = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))
typed_datetimes = st.datetimes()  # a person can type any ISO date and time


@pytest.fixture(autouse=True)
def _hypothesis_files_in_tmp(tmp_path):
    """Hypothesis keeps a cache of constants beside the tests; here it goes to the test's own folder."""
    set_hypothesis_home_dir(tmp_path / "hypothesis")
    yield
    set_hypothesis_home_dir(None)


_PREPARED_ON: weakref.WeakSet = weakref.WeakSet()  # the PostgreSQL connections that hold the prepared hashing query


def _hash_tables() -> dict[str, str]:
    """Every table's rows, hashed: what a failed call must leave exactly as it was."""
    if not is_sqlite():
        # One round trip for every table: the server hashes its own rows, with a query planned once per connection
        # (planning its 30 subqueries was most of the test's time on PostgreSQL).
        if db.connection() not in _PREPARED_ON:
            parts = [f"(SELECT md5(COALESCE(array_agg(t ORDER BY t.{m._meta.primary_key.column_name})::text, '')) "
                     f"FROM {m._meta.table_name} t)" for m in ALL_MODELS]
            db.execute_sql("PREPARE hostile_hash_tables AS SELECT " + ", ".join(parts))
            _PREPARED_ON.add(db.connection())
        row = db.execute_sql("EXECUTE hostile_hash_tables").fetchone()
        return dict(zip((m._meta.table_name for m in ALL_MODELS), row))
    state = {}
    for model in ALL_MODELS:
        table = model._meta.table_name
        rows = db.execute_sql(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        state[table] = hashlib.sha1(repr(rows).encode("utf-8", "backslashreplace")).hexdigest()
    return state


@pytest.fixture
def shop(store_url, staff, tmp_path, monkeypatch):
    """A small shop with something in every state, so hostile calls get past "not found"."""
    monkeypatch.chdir(tmp_path)  # a file name typed as a relative path lands here
    tech, clerk, advisor, manager = (staff[r] for r in ("technician", "parts_clerk", "advisor", "manager"))
    tech2 = add_employee("technician")
    settings = Settings(shop_name="Test Motors", terminal="bay-1", config_path="",
                        printers={"labels": {"backend": "folder", "path": str(tmp_path / "labels")}},
                        default_printer="labels")
    make_part("VW000123")
    make_part("VW000999", "Brake disc 刹车盘", wear_part=True)
    make_part("GM555", "Airbag 安全气囊", safety_part=True, hazardous=True, manufacturer="GM")
    cards = {status: make_job_card(tech.employee_id, status=status, payers=("warranty", "customer"))
             for status in ("draft", "awaiting_approval", "approved", "in_progress", "work_done", "delivered")}
    for line in JobLine.select().where(JobLine.job.in_([c.id for c in cards.values()])):
        if line.job_id == cards["work_done"].id:
            JobLine.update(status="done", cause="worn", correction="replaced").where(JobLine.id == line.id).execute()
    line = cards["in_progress"].lines.order_by(JobLine.id).first()
    for number in ("VW000123", "GM555"):
        RemovedPart.create(job_line=line.id, part=Part.get(Part.part_number == number).id, quantity=2,
                           causal=True, disposition="warranty", recorded_by=tech.employee_id, recorded_at=now())
    tags = [make_tag(cards["approved"], tech.employee_id) for _ in range(4)]
    make_tag(cards["in_progress"], tech.employee_id, part_number="GM555", manufacturer="GM")
    for tag in tags[:3]:
        holding.scan_in(clerk, tag.tag_number, settings)
    request = ReturnRequest.create(number="RR-1", manufacturer="VW", created_by=clerk.employee_id)
    Shipment.create(return_request=request.id, created_by=clerk.employee_id)
    customer = customers.create_customer(advisor, "李雷", "13800001111")
    customers.create_vehicle(advisor, customer, "LSVAU2180N2183294", check_required=False, plate="京B12345")
    complaint = complaints.register_complaint(advisor, cards["delivered"].customer_id, "Still squeaks")
    FollowUp.create(job=cards["delivered"].id, customer=cards["delivered"].customer_id,
                    due_at=now(), status="open")
    estimate = quotes.add_labour_estimate(advisor, cards["draft"].lines.first().id, "1.5", "380")
    ids = {
        "job": [c.id for c in cards.values()],
        "line": [ln.id for ln in JobLine.select(JobLine.id)],
        "customer": [c.customer_id for c in cards.values()] + [customer],
        "vehicle": [c.vehicle_id for c in cards.values()],
        "employee": [a.employee_id for a in (tech, clerk, advisor, manager, tech2)],
        "complaint": [complaint],
        "followup": [f.id for f in FollowUp.select(FollowUp.id)],
        "removed_part": [r.id for r in RemovedPart.select(RemovedPart.id)],
        "box": [b.id for b in Shipment.select(Shipment.id)],
        "estimate": [estimate] + [e.id for e in EstimateLine.select(EstimateLine.id)],
        "tag": [t.id for t in tags],
        "part": [p.id for p in Part.select(Part.id)],
    }
    codes = {
        "tag": [t.tag_number for t in tags] + ["W0000005"],
        "badge": [e.badge for e in Employee.select()],
        "part": ["VW000123", "VW000999", "GM555"],
    }
    return dict(actors=[tech, clerk, advisor, manager, tech2], settings=settings, ids=ids, codes=codes,
                url=store_url, tmp=str(tmp_path),
                jobs=[JobCard.get_by_id(i) for i in ids["job"]])


def _with_hostile(valid: list, hostile=hostile_text):
    """Mostly a valid value (so the call gets deep), sometimes hostile, sometimes valid with hostile around it."""
    good = st.sampled_from(valid)
    mixed = st.tuples(good, hostile_text, st.booleans()).map(lambda t: t[0] + t[1] if t[2] else t[1] + t[0])
    return st.one_of(good, hostile, mixed)


def _ids(shop, kind: str, optional: bool):
    known = shop["ids"][kind]
    strategy = st.one_of(st.sampled_from(known), st.sampled_from(known), hostile_id)
    return st.one_of(st.none(), strategy) if optional else strategy


ID_PARAMS = {"job_id": "job", "line_id": "line", "customer_id": "customer", "vehicle_id": "vehicle",
             "technician_id": "employee", "owner_id": "employee", "employee_id": "employee",
             "complaint_id": "complaint", "followup_id": "followup", "removed_part_id": "removed_part",
             "shipment_id": "box", "estimate_id": "estimate", "tag_id": "tag", "part_id": "part"}
CODE_PARAMS = {"tag_number": "tag", "raw_code": "tag", "code": "tag", "raw": "tag", "raw_badge": "badge",
               "badge": "badge", "part_number": "part", "seventeen": "part"}
CHOICES = {"how": ["in_person", "phone", "message", "by phone"], "outcome": list(OUTCOMES), "payer": list(PAYERS),
           "disposition": ["warranty", "scrap", "customer_keeps"], "role": list(ROLES), "kind": list(KINDS)
           + list(ITEM_KINDS) + ["name", "phone", "plate", "vin"], "period": ["2026-10", "2026-10-05", "10/2026"],
           "pin": [DEMO_PIN], "request_number": ["RR-1"], "number": ["RR-2"], "claim_status": list(CLAIM_STATUSES),
           "stock_name": ["brother-62x29", "2x1in"], "printer": ["labels"],
           "manufacturer": ["VW", "GM"], "vin": ["LSVAU2180N2183294", "LSVAU2180N2100000"],
           "text": ["王", "VW000123", "W0000001", "RO1", "age:1 shelf:BIN-1", "138"], "location": ["A3"],
           "bin_name": ["A-01"], "status": ["draft", "approved"], "encoding": ["utf-8", "gbk", "utf-8-sig"]}
NUMBER_PARAMS = {"quantity", "hours", "rate", "mileage", "mileage_in", "model_year", "dpi", "job"}


def strategy_for(shop, name: str, annotation: str):
    """The values a parameter gets, by its name first (ids and codes of the shop) and then its type."""
    optional = "None" in annotation
    if name == "actor":
        return st.sampled_from(shop["actors"])
    if name == "settings":
        return st.just(shop["settings"])
    if name == "url":
        return st.just(shop["url"])
    if name == "count":  # a bin being counted
        return st.builds(lambda: stockcount.start_count(shop["actors"][3], "A-01"))
    if name == "source":  # a file to import: text, or bytes in any encoding
        cells = st.lists(st.one_of(hostile_text, st.sampled_from(shop["codes"]["tag"] + ["paid", "2026-10-01"])),
                         max_size=6).map(lambda c: ",".join(x.replace("\n", " ") for x in c))
        header = st.sampled_from(["tag_number,claim_number,claim_status,paid_on,amount,debited",
                                  "request_number,manufacturer,due_on,tag_number",
                                  "part_number,description,bin,unit_price,manufacturer,wear_part", ""])
        csv_text = st.tuples(header, st.lists(cells, max_size=4)).map(lambda t: "\n".join([t[0], *t[1]]) + "\n")
        return st.one_of(csv_text, hostile_text, st.binary(max_size=200),
                         csv_text.map(lambda t: t.encode("gb18030", "replace")))
    if name in ("folder", "report_path"):  # a path as typed, kept inside the test's folder
        return st.one_of(st.none(), hostile_text.map(lambda t: f"{shop['tmp']}/{t.replace('/', '_')}"))
    if name in ID_PARAMS:
        return _ids(shop, ID_PARAMS[name], optional)
    if name == "keys":  # audit-pack keys: typed or read from a file
        return st.lists(_with_hostile(["BR1001", "RO1", "W0000001"]), max_size=3)
    if name in ("line_ids", "reopen_line_ids"):
        lists = st.lists(_ids(shop, "line", False), max_size=3)
        return st.one_of(st.none(), lists) if optional else lists
    if annotation in ("bool", "bool | None"):
        return st.booleans()
    if name == "line" or name == "lines":
        line = st.builds(NewLine, complaint=hostile_text, payer=_with_hostile(list(PAYERS)),
                         labour_operation=_with_hostile(["BR1001", ""]),
                         technician_id=_ids(shop, "employee", True))
        return line if name == "line" else st.lists(line, max_size=3)
    if name == "claim":
        amount = st.one_of(st.none(), hostile_number)
        return st.builds(Claim, tag_number=_with_hostile(shop["codes"]["tag"]), claim_number=hostile_text,
                         claim_status=_with_hostile(list(CLAIM_STATUSES)), paid_on=st.one_of(st.none(), dates),
                         amount=amount, debited=amount)
    if name == "values":  # a CSV line as read: every value text
        return st.fixed_dictionaries({}, optional={k: _with_hostile(v) for k, v in {
            "tag_number": shop["codes"]["tag"], "claim_number": ["C-1"], "claim_status": list(CLAIM_STATUSES),
            "paid_on": ["2026-10-01"], "amount": ["12.50"], "debited": ["0"], "request_number": ["RR-9"],
            "due_on": ["2026-12-01"], "repair_order": ["RO1"], "part_number": ["VW000123"],
            "description": ["Pad"], "bin": ["A-01"], "unit_price": ["12.50"], "manufacturer": ["VW"],
            "wear_part": ["1", "是"]}.items()})
    if name == "rows":  # a catalogue to load
        row = st.fixed_dictionaries(
            {"part_number": _with_hostile(["NEW-1", "VW000123"]), "description": hostile_text},
            optional={"on_hand": hostile_number, "unit_price": st.one_of(hostile_number, hostile_text),
                      "bin": hostile_text, "manufacturer": hostile_text, "wear_part": st.booleans()})
        return st.lists(row, max_size=3)
    if name == "items":
        return st.lists(st.builds(RequestItem, kind=_with_hostile(list(ITEM_KINDS)),
                                  value=_with_hostile(shop["codes"]["tag"] + ["RO1", "VW000123"])), max_size=3)
    if name == "search":
        return st.builds(HeldQuery, text=_with_hostile(CHOICES["text"]), manufacturer=hostile_text,
                         shelf=hostile_text, min_age_days=st.one_of(st.none(), hostile_number))
    if name == "override":
        return st.one_of(st.none(), st.builds(Override, advisor=st.sampled_from(shop["actors"]), reason=hostile_text))
    if name == "exclusions":
        return st.lists(_with_hostile(list(EXCLUSIONS)), max_size=2).map(tuple)
    if name == "env":
        return st.dictionaries(st.sampled_from(["SSH_CONNECTION", "SSH_CLIENT", "USER", "LOGNAME", "KIOSK_TERMINAL"]),
                               hostile_text)
    if name in ("stopped_at", "promised_at") or annotation.startswith("dt.datetime"):
        values = st.one_of(typed_datetimes, hostile_text) if "str" in annotation else typed_datetimes
        return st.one_of(st.none(), values) if optional or name == "promised_at" else values
    if name in ("month", "day", "paid_on", "due_on", "start", "end") or annotation.startswith("dt.date"):
        return st.one_of(st.none(), dates) if optional else dates
    numbers = name in NUMBER_PARAMS or any(t in annotation for t in ("int", "Decimal", "float", "object"))
    texts = "str" in annotation or annotation == "object"
    if numbers:
        choice = [hostile_number, st.sampled_from(["1", "2", "1.5", "42000"]), st.sampled_from([1, 2, 42000, 2026])]
        if texts:
            choice.append(hostile_text)
        if name == "job":
            choice.append(_ids(shop, "job", False))
        values = st.one_of(*choice)
        return st.one_of(st.none(), values) if optional else values
    if texts:
        if name in CODE_PARAMS:
            values = _with_hostile(shop["codes"][CODE_PARAMS[name]])
        elif name in CHOICES:
            values = _with_hostile(CHOICES[name])
        else:
            values = st.one_of(hostile_text, st.sampled_from(["Brake noise", "刹车异响", "ok"]))
        return st.one_of(st.none(), values) if optional else values
    return None


def _rules_functions():
    for module_name in RULES:
        module = importlib.import_module(f"kiosk.{module_name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{module_name}.{name}", fn


def _plan(shop, qualname, fn):
    """Strategies for the hostile parameters, or None when the function takes no text or numbers."""
    params, hostile = {}, False
    for name, param in inspect.signature(fn).parameters.items():
        annotation = param.annotation if isinstance(param.annotation, str) else getattr(
            param.annotation, "__name__", str(param.annotation))
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL) or name in PROGRAM_PARAMS:
            continue
        if name in PROGRAM_VALUES:
            params[name] = st.just(PROGRAM_VALUES[name])
            continue
        if any(word in OBJECT_TYPES for word in re.findall(r"\w+", annotation)):
            if param.default is not param.empty:
                continue  # an optional object (a progress callback): left out
            return None
        strategy = strategy_for(shop, name, annotation)
        if strategy is None:
            assert param.default is not param.empty, f"{qualname}: add a strategy for its parameter {name}"
            continue
        if name not in ("actor", "settings"):
            hostile = True
        params[name] = strategy
    return params if hostile else None


def _examples(qualname: str, plan: dict) -> int:
    if qualname in SLOW:
        return 3
    # A function taking nothing but ids (a view, a list) needs few tries: 0, negative, unknown, 64-bit.
    return EXAMPLES if any(not n.endswith("_id") for n in plan if n not in ("actor", "settings")) else 5


# Refused sign-ins count the wrong PIN and lock the badge on purpose: that write is the rule.
WRITES_WHEN_REFUSED = {("auth.sign_in", SignInRefused), ("warranty.advisor_signature", SignInRefused)}
EXAMPLES = int(os.environ.get("KIOSK_HOSTILE_EXAMPLES", 15))
SLOW = {"auth.hash_pin", "auth.sign_in", "warranty.advisor_signature", "employees.add_employee",
        "auth.verify_pin"}  # scrypt


MESSAGE_MAX = 1000


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the terminal cannot show it
        return False
    return True


# The tables as the last refused call left them: the next call starts from there (nothing writes between two calls),
# so it need not hash them again. Emptied before each function's examples, and by any call that did not refuse.
_LEFT_BY_REFUSAL: list[dict[str, str]] = []


def _call_once(qualname, fn, kwargs, failures):
    before = _LEFT_BY_REFUSAL.pop() if _LEFT_BY_REFUSAL else _hash_tables()
    try:
        result = fn(**kwargs)
        if inspect.isgenerator(result):
            list(result)
    except KioskError as exc:
        message = str(exc)
        if not message.strip() or len(message) > MESSAGE_MAX or not _storable(message):
            failures.append((qualname, "a message nobody can read", kwargs, message[:200]))
        allowed = any(qualname == q and isinstance(exc, e) for q, e in WRITES_WHEN_REFUSED)
        after = _hash_tables()
        _LEFT_BY_REFUSAL.append(after)
        if not allowed and after != before:
            changed = [t for t, h in after.items() if h != before[t]]
            failures.append((qualname, f"{type(exc).__name__} after writing to {changed}", kwargs, str(exc)))
    except Exception as exc:  # noqa: BLE001 - what the test is looking for
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = next((f for f in reversed(traceback.extract_tb(exc.__traceback__))
                      if "/kiosk/" in f.filename), frame)
        failures.append((qualname, f"{type(exc).__name__} at {where.filename.split('/')[-1]}:{where.lineno}",
                         kwargs, str(exc)[:200]))


def _property(qualname: str, fn, plan: dict, failures: list):
    """The Hypothesis test of one function: each example is one call, its outcome checked."""

    # CI draws the same examples every run (a landing never hangs on a lucky draw); a developer's run explores
    # new ones, and KIOSK_HOSTILE_EXAMPLES=200 explores more.
    @hsettings(max_examples=_examples(qualname, plan), deadline=None, database=None,
               derandomize=bool(os.environ.get("CI")), suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries(plan))
    def run(kwargs):
        _call_once(qualname, fn, kwargs, failures)

    return run


def _short(kwargs) -> str:
    return ", ".join(f"{k}={v!r:.60}" for k, v in kwargs.items() if k not in ("actor", "settings"))


def test_hostile_input_gives_a_typed_error_or_a_success_and_a_refusal_writes_nothing(shop):
    failures: list = []
    covered = []
    for qualname, fn in _rules_functions():
        if qualname in BUILDING_BLOCKS:
            continue
        plan = _plan(shop, qualname, fn)
        if plan is None:
            continue
        covered.append(qualname)
        _LEFT_BY_REFUSAL.clear()  # the plan may have written (a tag to scan, a card to close)
        _property(qualname, fn, plan, failures)()
    named_by_the_attack = {"claims.record_claim", "claims.import_claims", "quotes.add_labour_estimate",
                           "holding.held_parts", "holding.parse_search", "warranty.raise_major_fault",
                           "warranty.set_approval", "complaints.start_complaint", "parts.issue_part",
                           "catalogue.load_catalogue", "auth.hash_pin", "auth.sign_out", "auth.sign_in"}
    assert named_by_the_attack <= set(covered) and len(covered) > 140, (len(covered),
                                                                        sorted(named_by_the_attack - set(covered)))
    report = {}
    for qualname, what, kwargs, message in failures:
        report.setdefault((qualname, what.split(" after ")[0] if "after" in what else what),
                          (what, _short(kwargs), message))
    assert not report, "\n".join(f"{q}: {what}\n    {args}\n    {msg!r}" for (q, _), (what, args, msg)
                                 in sorted(report.items()))


# ---- the cases the attack named, one by one ----------------------------------------------------------------


def _refused(error, call, *args, **kwargs) -> str:
    """Call a rule that must refuse: the typed error, a message, and not one row changed."""
    before = _hash_tables()
    with pytest.raises(error) as refused:
        call(*args, **kwargs)
    assert _hash_tables() == before
    return str(refused.value)


def test_a_claim_amount_that_is_not_money_is_refused(shop):
    from kiosk import claims

    tag = shop["codes"]["tag"][0]
    for amount in ("NaN", "sNaN", "inf", "1e308", "-1", "12.345", Decimal("NaN"), math.nan):
        message = _refused(InvalidInput, claims.record_claim, shop["actors"][1],
                           Claim(tag, "C-1", "submitted", amount=amount), shop["settings"])
        assert message.startswith("Amount "), message
        csv = f"tag_number,claim_number,claim_status,amount\n{tag},C-1,submitted,{amount}\n"
        assert "Amount" in _refused(InvalidInput, claims.import_claims, shop["actors"][1], csv, shop["settings"])


def test_labour_hours_and_rates_must_be_sensible_figures(shop):
    line = shop["jobs"][0].lines.first().id
    for hours, rate, says in [
        ("1e308", "380", "Hours must be a number like 1.5, not '1e308'"), (1e308, "380", "Hours 1e+308 is too large"),
        ("1", "1e308", "Labour rate must be a number"), (math.inf, "380", "must be a number"),
        ("1", math.nan, "must be a number"), (Decimal("-1e308"), "1", "more than 0"),
        ("1.5", Decimal("1E+1000000"), "too large"), ("0.001", "380", "more than two decimals"),
        ("1.5", "¥380", "without a currency sign"), ("1,5", "380", "write a decimal point"),
    ]:
        assert says in _refused(InvalidInput, quotes.add_labour_estimate, shop["actors"][2], line, hours, rate)


def test_the_held_parts_search_takes_superscripts_and_circled_digits_as_text(shop):
    for typed in ("²", "²³", "W²²²²²²²", "RO²", "①", "٣"):
        assert holding.held_parts(holding.parse_search(typed)) == []
    with pytest.raises(InvalidInput, match="age: takes a number of days"):
        holding.parse_search("age:²")


def test_a_quantity_is_a_whole_number_of_parts(shop):
    from kiosk import parts

    line = shop["jobs"][2].lines.first().id
    for quantity in (1.0, 2.5, math.inf, math.nan, Decimal("2"), True, 10 ** 30, "1e3", "²"):
        message = _refused(InvalidInput, parts.issue_part, shop["actors"][3], line, "VW000123", quantity)
        assert message.startswith("Quantity "), message


def test_a_catalogue_line_is_checked_like_a_typed_one(shop):
    from kiosk.catalogue import load_catalogue

    good = {"part_number": "NEW-1", "description": "Wiper blade 雨刮片", "on_hand": 5, "unit_price": "12.50"}
    for row, says in [
        ({"on_hand": 10 ** 30}, "Opening stock"), ({"on_hand": math.inf}, "Opening stock"),
        ({"on_hand": 2.5}, "Opening stock"), ({"on_hand": -3}, "Opening stock"), ({"unit_price": "NaN"}, "Unit price"),
        ({"unit_price": 1e308}, "Unit price"),
        ({"part_number": "\ud800"}, "Part number is required"), ({"part_number": None}, "Part number"),
        ({"wear_part": "no"}, "Wear part"),
    ]:
        message = _refused(InvalidInput, load_catalogue, shop["actors"][3],
                           [good, {**good, "part_number": "NEW-2", **row}])
        assert message.startswith("Catalogue line 2: ") and says in message, message
    before = _hash_tables()
    assert load_catalogue(shop["actors"][3], [good]) == 1
    assert _hash_tables()["part"] != before["part"]  # the check that refusals write nothing sees a write


def test_lone_surrogates_never_reach_the_database(shop):
    """A scanner or a broken terminal can send half a character; it is dropped at the door, never stored."""
    from kiosk import auth, warranty

    advisor = shop["actors"][2]
    tag = shop["codes"]["tag"][0]
    job_id = shop["ids"]["job"][2]
    fault = warranty.raise_major_fault(advisor, job_id, "Fire 起火\ud800", tag_number=tag + "\udcff")
    assert fault > 0
    with pytest.raises(Conflict, match=r"^Tag W\d+ is not waiting"):
        warranty.set_approval(advisor, tag + "\ud800", True, "REF-1")
    complaint = shop["ids"]["complaint"][0]
    complaints.start_complaint(advisor, complaint, "Called back \ud83d")
    assert "\ud83d" not in followups.customer_file(shop["jobs"][5].customer_id).notes[0].text
    # An actor whose terminal name came from undecodable bytes in the environment still writes its events.
    odd = type(advisor)(advisor.employee_id, advisor.name, advisor.role, "bay-\udcff3", "10.0.0.\udcfe9")
    assert odd.terminal == "bay-3" and odd.client == "10.0.0.9"
    auth.sign_out(odd, "idle\ud800")
    # Text already decoded (pasted, or read by another program) may hold them too: a bad line, named.
    from kiosk import claims

    csv = f"tag_number,claim_number,claim_status\n{tag},C-\ud800,submitted\n"
    message = _refused(InvalidInput, claims.import_claims, shop["actors"][1], csv, shop["settings"])
    assert _storable(message) and "line 2: broken characters" in message, message
    for pin in ("\ud800", "12\ud80034", "1234\udcff"):
        assert "PIN is 4 to 8 digits" in _refused(InvalidInput, auth.hash_pin, pin)


async def test_the_advisor_typing_1e308_hours_or_a_nan_rate_is_told_in_place(floor_staff, settings):
    """Through the screen a person meets it: the estimate dialog shows the rule's message, nothing is written."""
    from kiosk.store.models import AuditEvent

    from .desk import open_card
    from .test_advisor_screens import advisor_at_desk, enter_text, press
    from .ui import screen_text, type_text

    advisor = floor_staff["advisor"]
    job_id = open_card(advisor, floor_staff["technician"].employee_id)
    async with advisor_at_desk(settings, advisor, job_id) as (app, pilot):
        events = AuditEvent.select().count()
        for hours, rate, says in [("1e308", "380", "Hours must be a number"), ("1.5", "NaN", "Labour rate must be"),
                                  ("inf", "380", "Hours must be a number"), ("²", "380", "Hours must be a number")]:
            await press(pilot, "f3", "tab", "tab")
            await enter_text(pilot, hours)
            await type_text(pilot, rate)
            await press(pilot, "f10")
            assert says in screen_text(app), (hours, rate)
            await press(pilot, "escape")
        assert AuditEvent.select().count() == events and EstimateLine.select().count() == 0
