"""Reception at the front desk: finding customers and vehicles, putting them on file, opening job cards as
drafts saved a step at a time, assigning technicians; every refusal leaves nothing written."""

import datetime as dt

import peewee
import pytest

from kiosk import clocking, customers, reception
from kiosk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kiosk.reception import MileageBelowLast, NewLine, OpenJobExists
from kiosk.store import db
from kiosk.store.database import is_sqlite
from kiosk.store.models import AuditEvent, Customer, Employee, JobCard, JobLine, Vehicle, now
from kiosk.vin import CheckDigitMismatch, with_check_digit

from .conftest import add_employee
from .desk import approved_card, customer_with_vehicle, events, line_ids, open_card
from .factories import make_vin


@pytest.fixture
def desk(staff):
    advisor = staff["advisor"]
    customer_id, vehicle_id = customer_with_vehicle(advisor)
    return {**staff, "customer_id": customer_id, "vehicle_id": vehicle_id,
            "vin": Vehicle.get_by_id(vehicle_id).vin}


def wrong_check_digit(vin: str) -> str:
    return vin[:8] + ("1" if vin[8] != "1" else "2") + vin[9:]


# ---- finding --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, kind", [
    ("", ""), ("  \x1b ", ""), ("王", "name"), ("王小明", "name"), ("John Smi", "name"), ("smith", "name"),
    ("138", "phone"), ("+86 138-0013", "phone"), ("沪A12345", "plate"), ("沪a·123", "plate"), ("KX12 ABC", "plate"),
    ("LSVAU2180N2100001", "vin"), ("ILSVAU2180N2100001", "vin"), ("lsvau2180n2100001", "vin"),
    ("LSVAU2180O2100001", "vin"),
])
def test_the_kind_of_search_follows_the_look_of_the_text(text, kind):
    assert customers.search_kind(text) == kind


def test_customers_are_found_by_name_from_its_start_or_by_surname_chinese_too(desk):
    advisor = desk["advisor"]
    smith = customers.create_customer(advisor, "John Smith", "")
    wang_fang = customers.create_customer(advisor, "王芳", "13900000000")
    customers.create_customer(advisor, "李娜", "")
    # In key order: 王小明 (U+5C0F) before 王芳 (U+82B3).
    assert [f.customer_id for _, f in customers.find("王", check_required=True)] == [desk["customer_id"], wang_fang]
    hit = customers.find("王小", check_required=True)
    assert [f.name for _, f in hit] == ["王小明"]
    assert hit[0][1].vehicles[0].plate == "沪A12345" and hit[0][1].matched == "name"
    for typed in ("john", "JOHN S", "smi", "Ｓｍｉｔｈ"):  # full-width letters from a Chinese IME
        assert [f.customer_id for _, f in customers.find(typed, check_required=True)] == [smith], typed
    assert customers.find("刘", check_required=True) == []
    assert customers.find("", check_required=True) == []


def test_customers_are_found_by_phone_whatever_the_separators(desk):
    found = customers.find("138-0013", check_required=True)
    assert [f.customer_id for _, f in found] == [desk["customer_id"]] and found[0][1].matched == "phone"
    assert customers.find("86138", check_required=True, kind="phone") == []


def test_customers_are_found_by_the_last_digits_of_their_phone(desk):
    advisor = desk["advisor"]
    landline = customers.create_customer(advisor, "李雷", "8000 1234")  # starts with what others end with
    for typed in ("8000", "38000", "0013 8000", "１３８０００"):  # the tail as given, full-width digits too
        found = customers.find(typed, check_required=True)
        ends = [f.customer_id for _, f in found if f.matched == "phone_end"]
        assert ends == [desk["customer_id"]], typed
    both = customers.find("8000", check_required=True)
    assert {(f.customer_id, f.matched) for _, f in both} == {(desk["customer_id"], "phone_end"),
                                                               (landline, "phone")}
    assert customers.find("9999", check_required=True, kind="phone") == []


def test_a_phone_search_pages_through_both_ends_once_each(desk):
    advisor = desk["advisor"]
    made = {customers.create_customer(advisor, f"Customer {i}", f"139{i:04d}{(i * 7) % 10}555") for i in range(9)}
    made |= {customers.create_customer(advisor, f"Starter {i}", f"555{i:05d}") for i in range(4)}
    seen, after = [], None
    while True:
        page = customers.find("555", check_required=True, after=after, limit=3)
        if not page:
            break
        seen += [f.customer_id for _, f in page]
        after = page[-1][0]
    assert sorted(seen) == sorted(made)


def test_existing_customers_get_their_phone_tail_from_the_migration(store_url):
    """Migration 0011 fills the key for customers already on file (here: written without it)."""
    from kiosk.store.migrations import __path__ as folder  # noqa: F401 - the migrations are a folder of scripts
    import importlib.util
    from pathlib import Path
    from kiosk.store import db

    Customer.insert(name="王小明", phone="138 0013 8000", name_key="王小明", phone_key="13800138000").execute()
    db.execute_sql("UPDATE customer SET phone_reversed = ''")
    path = Path(folder[0]) / "0011_phone_tail_and_vin_override.py"
    spec = importlib.util.spec_from_file_location("m0011", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with db.atomic():
        module.down(None, db.obj)
        module.up(None, db.obj)
    assert Customer.get().phone_reversed == "00083100831"
    assert [f.name for _, f in customers.find("8000", check_required=True)] == ["王小明"]


def test_vehicles_are_found_by_plate_without_separators_and_case(desk):
    advisor = desk["advisor"]
    other = customers.create_customer(advisor, "Tom Baker", "")
    uk = customers.create_vehicle(advisor, other, make_vin(), check_required=True, plate="KX12 ABC").vehicle_id
    for typed, vehicle_id in (("沪a·123", desk["vehicle_id"]), ("沪A12345", desk["vehicle_id"]), ("kx12a", uk),
                              ("KX12 ABC", uk)):
        found = customers.find(typed, check_required=True)
        assert [f.vehicles[0].id for _, f in found] == [vehicle_id], typed
        assert found[0][1].matched == "plate"
    assert customers.find("KX12 ABC", check_required=True)[0][1].name == "Tom Baker"


def test_vehicles_are_found_by_vin_typed_or_scanned_and_by_its_last_characters(desk):
    vin = desk["vin"]
    for typed in (vin, vin.lower(), f"I{vin}", f" {vin[:5]} {vin[5:]}\r\n"):
        found = customers.find(typed, check_required=True)
        assert [f.vehicles[0].id for _, f in found] == [desk["vehicle_id"]], typed
        assert found[0][1].customer_id == desk["customer_id"] and found[0][1].matched == "vin"
    serial = vin[-6:]
    assert [f.vehicles[0].vin for _, f in customers.find(serial, check_required=True, kind="vin")] == [vin]
    # Digits that are no phone number fall back to the end of the VIN, unless the phone was asked for.
    assert [f.vehicles[0].vin for _, f in customers.find(serial, check_required=True)] == [vin]
    assert customers.find(serial, check_required=True, kind="phone") == []


@pytest.mark.parametrize("typed, words", [
    ("LSVAU2180O2100001", "I, O and Q"),
    ("LSVAU2180N21000011", "17 characters"),
    ("LSVAU2180N21000-!", "only letters and digits"),
    ("QQ1234", "I, O and Q"),
])
def test_a_bad_vin_is_refused_with_what_is_wrong(desk, typed, words):
    with pytest.raises(InvalidInput, match=words):
        customers.find(typed, check_required=True, kind="vin")


def test_a_whole_vin_with_a_wrong_check_digit_is_searched_all_the_same(desk):
    # It is not on file; one put on file with an advisor's override would be found (see below).
    bad = wrong_check_digit(desk["vin"])
    assert customers.find(bad, check_required=True) == []
    assert customers.find(bad, check_required=False) == []


EUROPEAN = "WVWZZZ1JZXW000001"  # a Golf: Europe writes no check digit ("Z" at position 9)


def test_a_european_vin_needs_an_advisors_reason_where_the_check_digit_is_required(desk):
    advisor = desk["advisor"]
    before = AuditEvent.select().count()
    with pytest.raises(CheckDigitMismatch, match="check digit .* goes on file with a reason"):
        customers.create_vehicle(advisor, desk["customer_id"], EUROPEAN, check_required=True)
    with pytest.raises(CheckDigitMismatch):
        customers.create_vehicle(advisor, desk["customer_id"], EUROPEAN, check_required=True,
                                 vin_override_reason=" \x1b ")
    assert AuditEvent.select().count() == before and not Vehicle.select().where(Vehicle.vin == EUROPEAN).exists()

    made = customers.create_vehicle(advisor, desk["customer_id"], EUROPEAN.lower(), check_required=True,
                                    plate="M-AB 123", vin_override_reason="European VIN, no check digit 欧洲车架号")
    vehicle = Vehicle.get_by_id(made.vehicle_id)
    assert (vehicle.vin, vehicle.vin_override_reason) == (EUROPEAN, "European VIN, no check digit 欧洲车架号")
    assert "check digit" in made.warning
    event = events("vehicle.create")[-1]
    assert event.employee_id == advisor.employee_id and "欧洲车架号" in event.detail and "vin_override" in event.detail
    assert [f.vehicles[0].id for _, f in customers.find(EUROPEAN, check_required=True)] == [made.vehicle_id]
    assert [f.vehicles[0].id for _, f in customers.find("000001", check_required=True)] == [made.vehicle_id]


def test_a_reason_is_kept_only_for_a_vin_that_needs_it_and_is_checked_like_any_text(desk):
    advisor = desk["advisor"]
    good = customers.create_vehicle(advisor, desk["customer_id"], make_vin(), check_required=True,
                                    vin_override_reason="not needed")
    assert Vehicle.get_by_id(good.vehicle_id).vin_override_reason == ""
    assert "vin_override" not in events("vehicle.create")[-1].detail
    for reason, words in (("x" * 201, "too long"), ("\ud800", "with a reason")):
        with pytest.raises(InvalidInput, match=words):
            customers.create_vehicle(advisor, desk["customer_id"], EUROPEAN, check_required=True,
                                     vin_override_reason=reason)
    # the I, O, Q and length rules are never overridden
    with pytest.raises(InvalidInput, match="I, O and Q"):
        customers.create_vehicle(advisor, desk["customer_id"], "WVWZZZ1JZXW00000O", check_required=True,
                                 vin_override_reason="European")
    assert not Vehicle.select().where(Vehicle.vin.startswith("WVWZZZ")).exists()


def test_search_text_is_cleaned_and_limited(desk):
    assert [f.name for _, f in customers.find("王\x00小\x1b明", check_required=True)] == ["王小明"]
    with pytest.raises(InvalidInput, match="too long"):
        customers.find("王" * 81, check_required=True)
    with pytest.raises(InvalidInput, match="Search by one of"):
        customers.find("x", check_required=True, kind="email")
    with pytest.raises(InvalidInput, match="between 1 and 200"):
        customers.find("王", check_required=True, limit=0)


def test_search_pages_through_many_customers_without_repeats(desk):
    advisor = desk["advisor"]
    made = [customers.create_customer(advisor, f"王{i:02d}", "") for i in range(25)]
    plates = [customers.create_vehicle(advisor, made[i], make_vin(), check_required=True,
                                       plate=f"沪B{i:05d}").vehicle_id for i in range(12)]
    for text, expected, key in (("王", made + [desk["customer_id"]], lambda f: f.customer_id),
                                ("沪B", plates, lambda f: f.vehicles[0].id)):
        seen, after = [], None
        while page := customers.find(text, check_required=True, after=after, limit=7):
            seen += [key(f) for _, f in page]
            after = page[-1][0]
        assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))


@pytest.mark.parametrize("kind, text", [("name", "王"), ("name", "smi"), ("phone", "138"), ("plate", "沪A"),
                                        ("vin", "100001")])
def test_each_kind_of_search_is_a_range_on_an_index_not_a_scan(desk, kind, text):
    """The plans are read from the database itself: SQLite never scans a table, PostgreSQL (told to avoid
    sequential scans, as it would on a large table) can use the index, which needs the "C" collation."""
    statements = []
    real = db.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        statements.append((sql, params))
        return real(sql, params, *args, **kwargs)

    db.obj.execute_sql = spy
    try:
        customers.find(text, check_required=True, kind=kind)
    finally:
        db.obj.execute_sql = real
    search = statements[0]
    if is_sqlite():
        steps = [str(row[-1]) for row in db.execute_sql("EXPLAIN QUERY PLAN " + search[0], search[1])]
        assert any("INDEX" in step for step in steps) and not any(step.startswith("SCAN") for step in steps), steps
    else:
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")
            plan = " ".join(row[0] for row in db.execute_sql("EXPLAIN " + search[0], search[1]))
        assert "Index" in plan and "Seq Scan" not in plan, plan


# ---- customers and vehicles -----------------------------------------------------------------------------------


def test_a_customer_goes_on_file_with_a_chinese_name_and_control_characters_stripped(staff):
    advisor = staff["advisor"]
    customer_id = customers.create_customer(advisor, " 欧阳\x07娜娜\t", "+86 (21) 5555-0101")
    customer = Customer.get_by_id(customer_id)
    assert (customer.name, customer.phone, customer.phone_key) == ("欧阳娜娜", "+86 (21) 5555-0101", "862155550101")
    event = events("customer.create")[-1]
    assert (event.subject, event.subject_id, event.employee_id) == ("customer", customer_id, advisor.employee_id)


@pytest.mark.parametrize("name, phone, words", [
    ("", "", "Name is required"), ("\x1b\x00", "", "Name is required"), ("名" * 81, "", "too long"),
    ("王小明", "call me", "digits"), ("王小明", "12", "between 3 and 20"),
])
def test_a_customer_with_bad_details_is_refused_and_nothing_is_written(staff, name, phone, words):
    with pytest.raises(InvalidInput, match=words):
        customers.create_customer(staff["advisor"], name, phone)
    assert Customer.select().count() == 0 and AuditEvent.select().count() == 0


def test_only_the_front_desk_puts_customers_and_vehicles_on_file(desk):
    with pytest.raises(NotAllowed, match="customer.create"):
        customers.create_customer(desk["technician"], "王小明")
    with pytest.raises(NotAllowed, match="vehicle.create"):
        customers.create_vehicle(desk["parts_clerk"], desk["customer_id"], make_vin(), check_required=True)
    assert AuditEvent.select().where(AuditEvent.employee == desk["technician"].employee_id).count() == 0


def test_a_vehicle_is_stored_with_its_normalised_vin_one_vehicle_per_vin(desk):
    advisor = desk["advisor"]
    vin = make_vin()
    made = customers.create_vehicle(advisor, desk["customer_id"], f"I{vin.lower()}", check_required=True,
                                    plate="沪C 88888", mileage="12,345")
    vehicle = Vehicle.get_by_id(made.vehicle_id)
    assert (made.vin, made.warning, vehicle.vin, vehicle.plate_key, vehicle.last_mileage) == (
        vin, "", vin, "沪C88888", 12345)
    with pytest.raises(Conflict, match=f"VIN {vin} is already on file .*王小明"):
        customers.create_vehicle(advisor, desk["customer_id"], vin, check_required=True)
    assert Vehicle.select().where(Vehicle.vin == vin).count() == 1


def test_a_wrong_check_digit_is_a_warning_outside_regions_that_require_it(desk):
    bad = wrong_check_digit(make_vin())
    with pytest.raises(InvalidInput, match="check digit"):
        customers.create_vehicle(desk["advisor"], desk["customer_id"], bad, check_required=True)
    made = customers.create_vehicle(desk["advisor"], desk["customer_id"], bad, check_required=False)
    assert made.vin == bad and "check digit" in made.warning
    assert "check digit" in events("vehicle.create")[-1].detail


@pytest.mark.parametrize("vin, options, words", [
    ("LSVAU2180O2100001", {}, "I, O and Q"), ("", {}, "VIN is required"), ("SHRT1", {}, "17 characters"),
    (None, {"model_year": "20x2"}, "Model year"), (None, {"model_year": 1850}, "plausible"),
    (None, {"mileage": "12.5"}, "without tenths"), (None, {"plate": "沪" * 17}, "too long"),
])
def test_a_vehicle_with_bad_details_is_refused_and_nothing_is_written(desk, vin, options, words):
    before = (Vehicle.select().count(), AuditEvent.select().count())
    with pytest.raises(InvalidInput, match=words):
        customers.create_vehicle(desk["advisor"], desk["customer_id"], make_vin() if vin is None else vin,
                                 check_required=True, **options)
    assert (Vehicle.select().count(), AuditEvent.select().count()) == before


def test_a_vehicle_for_an_unknown_customer_is_refused(desk):
    with pytest.raises(NotFound, match="customer"):
        customers.create_vehicle(desk["advisor"], 99999, make_vin(), check_required=True)


# ---- opening job cards ----------------------------------------------------------------------------------------


def test_a_job_card_opens_as_a_draft_with_the_complaint_as_said_its_lines_and_one_audit_event(desk):
    advisor, tech = desk["advisor"], desk["technician"]
    promised = now() + dt.timedelta(hours=5)
    job_id = reception.open_job(
        advisor, desk["customer_id"], desk["vehicle_id"], "42,500", "刹车时有异响\x1b[31m，\n尤其是早上\tcold\x00",
        lines=[NewLine("刹车异响", "warranty", "br 1001", tech.employee_id), NewLine("Oil service", "customer")],
        promised_at=promised)
    job = JobCard.get_by_id(job_id)
    assert (job.status, job.mileage_in, job.advisor_id, job.customer_id) == (
        "draft", 42500, advisor.employee_id, desk["customer_id"])
    assert job.complaint == "刹车时有异响[31m，\n尤其是早上 cold"  # the escape character is gone, the words stay
    assert job.promised_at == promised.replace(second=0)
    lines = list(JobLine.select().where(JobLine.job == job_id).order_by(JobLine.position))
    assert [(ln.position, ln.payer, ln.labour_operation, ln.technician_id, ln.further_work) for ln in lines] == [
        (1, "warranty", "BR1001", tech.employee_id, False), (2, "customer", "", None, False)]
    [event] = events("job.open")
    assert (event.subject, event.subject_id, event.terminal) == ("job_card", job_id, "test-terminal")
    # A draft does not move the vehicle's last mileage: that happens when it goes to the customer.
    assert Vehicle.get_by_id(desk["vehicle_id"]).last_mileage == 42000


@pytest.mark.parametrize("mileage, words", [
    ("42000.5", "without tenths"), ("42.000,0", "without tenths"), (-5, "negative"), ("-5", "whole number"),
    ("abc", "whole number"), ("", "required"), (10_000_000, "more than any odometer"), (42000.0, "whole number"),
    (True, "whole number"),
])
def test_a_bad_mileage_is_refused_and_nothing_is_written(desk, mileage, words):
    with pytest.raises(InvalidInput, match=words):
        reception.open_job(desk["advisor"], desk["customer_id"], desk["vehicle_id"], mileage, "noise")
    assert JobCard.select().count() == 0 and not events("job.open")


def test_mileage_below_the_last_one_needs_a_recorded_reason(desk):
    advisor = desk["advisor"]
    assert reception.check_reception(desk["vehicle_id"], 41000).mileage_below_last
    with pytest.raises(MileageBelowLast, match="41,000 is below the 42,000") as refused:
        reception.open_job(advisor, desk["customer_id"], desk["vehicle_id"], 41000, "noise")
    assert refused.value.last_mileage == 42000 and isinstance(refused.value, InvalidInput)
    assert JobCard.select().count() == 0 and not events("job.open")
    job_id = reception.open_job(advisor, desk["customer_id"], desk["vehicle_id"], 41000, "noise",
                                     mileage_override_reason="Instrument cluster replaced 仪表更换")
    assert JobCard.get_by_id(job_id).mileage_override_reason == "Instrument cluster replaced 仪表更换"
    assert "Instrument cluster replaced" in events("job.open")[-1].detail
    # Equal to the last reading needs no reason, and a reason given for no cause is not kept.
    other = open_card(advisor, customer_vehicle=customer_with_vehicle(advisor, mileage=500), mileage=500,
                      mileage_override_reason="why not")
    assert JobCard.get_by_id(other).mileage_override_reason == ""


def test_a_second_open_card_for_the_same_vin_warns_and_opens_when_confirmed(desk):
    advisor = desk["advisor"]
    first = reception.open_job(advisor, desk["customer_id"], desk["vehicle_id"], 42000, "noise")
    check = reception.check_reception(desk["vehicle_id"], 42100)
    assert [c.job_id for c in check.open_cards] == [first] and not check.mileage_below_last
    with pytest.raises(OpenJobExists, match=f"RO{first:06d} \\(a draft\\)") as warned:
        reception.open_job(advisor, desk["customer_id"], desk["vehicle_id"], 42100, "rattle")
    assert [c.job_id for c in warned.value.cards] == [first] and isinstance(warned.value, Conflict)
    assert JobCard.select().count() == 1 and len(events("job.open")) == 1
    second = reception.open_job(advisor, desk["customer_id"], desk["vehicle_id"], 42100, "rattle",
                                     confirm_duplicate=True)
    assert second != first and f'"open_cards": [{first}]' in events("job.open")[-1].detail
    # A delivered card is no longer open: no warning.
    JobCard.update(status="delivered").where(JobCard.id.in_([first, second])).execute()
    reception.open_job(advisor, desk["customer_id"], desk["vehicle_id"], 42100, "again")


@pytest.mark.parametrize("complaint, words", [("投诉" * 1001, "too long"), ("x" * 2001, "too long")])
def test_a_huge_complaint_is_refused(desk, complaint, words):
    with pytest.raises(InvalidInput, match=words):
        reception.open_job(desk["advisor"], desk["customer_id"], desk["vehicle_id"], 42000, complaint)
    assert JobCard.select().count() == 0


@pytest.mark.parametrize("line, words", [
    (NewLine(""), "Line complaint is required"), (NewLine("\x00\x1b"), "Line complaint is required"),
    (NewLine("noise", "insurance"), "Payer must be one of"), (NewLine("noise", labour_operation="BR;DROP"), "letters"),
    (NewLine("n" * 501), "too long"), ("brake noise", "needs its complaint"),
])
def test_bad_lines_are_refused_and_the_card_is_not_opened(desk, line, words):
    with pytest.raises(InvalidInput, match=words):
        reception.open_job(desk["advisor"], desk["customer_id"], desk["vehicle_id"], 42000, "noise",
                                lines=[NewLine("ok"), line])
    assert JobCard.select().count() == 0 and JobLine.select().count() == 0


def test_a_line_for_someone_who_is_not_an_active_technician_is_refused_after_nothing_was_written(desk):
    gone = add_employee("technician")
    Employee.update(active=False).where(Employee.id == gone.employee_id).execute()
    for employee_id, error, words in ((desk["parts_clerk"].employee_id, InvalidInput, "not a technician"),
                                      (gone.employee_id, InvalidInput, "no longer active"),
                                      (99999, NotFound, "no such employee")):
        with pytest.raises(error, match=words):
            reception.open_job(desk["advisor"], desk["customer_id"], desk["vehicle_id"], 42000, "noise",
                                    lines=[NewLine("a"), NewLine("b", technician_id=employee_id)])
    assert JobCard.select().count() == 0 and JobLine.select().count() == 0 and not events("job.open")


def test_promised_time_must_be_ahead_and_readable(desk):
    def open_(when):
        return reception.open_job(desk["advisor"], desk["customer_id"], desk["vehicle_id"], 42000, "noise",
                                       promised_at=when, confirm_duplicate=True)
    with pytest.raises(InvalidInput, match="in the past"):
        open_(now() - dt.timedelta(hours=2))
    with pytest.raises(InvalidInput, match="more than a year"):
        open_(now() + dt.timedelta(days=400))
    with pytest.raises(InvalidInput, match="date and time"):
        open_("tomorrow at five")
    job_id = open_((now() + dt.timedelta(days=1)).strftime("%Y-%m-%d 17:30"))
    assert JobCard.get_by_id(job_id).promised_at.strftime("%H:%M") == "17:30"
    with pytest.raises(InvalidInput, match="date and time"):
        open_((now() + dt.timedelta(days=1)).strftime("%Y-%m-%d"))  # a day without its time


def test_a_promised_time_alone_is_today(desk):
    later = now() + dt.timedelta(minutes=30)
    if later.date() != now().date():
        pytest.skip("half an hour from now is tomorrow")
    job_id = reception.open_job(desk["advisor"], desk["customer_id"], desk["vehicle_id"], 42000, "noise",
                                     promised_at=f"{later:%H:%M}", confirm_duplicate=True)
    assert JobCard.get_by_id(job_id).promised_at == later.replace(second=0, microsecond=0)


def test_unknown_customer_or_vehicle_and_the_wrong_role_are_refused(desk):
    with pytest.raises(NotFound, match="customer"):
        reception.open_job(desk["advisor"], 99999, desk["vehicle_id"], 42000)
    with pytest.raises(NotFound, match="vehicle"):
        reception.open_job(desk["advisor"], desk["customer_id"], 99999, 42000)
    with pytest.raises(NotAllowed, match="job.open"):
        reception.open_job(desk["technician"], desk["customer_id"], desk["vehicle_id"], 42000)
    assert JobCard.select().count() == 0 and not events("job.open")


def test_a_failure_half_way_through_writing_the_card_leaves_nothing(desk, monkeypatch):
    """As when an SSH session drops in the middle of a save: the transaction is all or nothing."""
    real, calls = JobLine.create, []

    def create_then_fail(**fields):
        calls.append(fields)
        if len(calls) == 2:
            raise peewee.OperationalError("disk I/O error")
        return real(**fields)

    monkeypatch.setattr(JobLine, "create", create_then_fail)
    with pytest.raises(peewee.OperationalError):
        reception.open_job(desk["advisor"], desk["customer_id"], desk["vehicle_id"], 42000, "noise",
                                lines=[NewLine("a"), NewLine("b")])
    assert JobCard.select().count() == 0 and JobLine.select().count() == 0 and not events("job.open")


def test_an_audit_event_that_cannot_be_written_takes_the_card_with_it(desk, monkeypatch):
    """The audit event is written in the card's own transaction: no card without its event."""
    def refuse(*args):
        raise peewee.IntegrityError("audit_event: disk full")

    monkeypatch.setattr("kiosk.audit.write_event", refuse)
    with pytest.raises(peewee.IntegrityError):
        open_card(desk["advisor"], customer_vehicle=(desk["customer_id"], desk["vehicle_id"]))
    assert JobCard.select().count() == 0 and JobLine.select().count() == 0 and AuditEvent.select().count() == 2


def test_a_vehicle_with_no_owner_takes_the_customer_who_brings_it(desk):
    vehicle = Vehicle.create(vin=make_vin(), plate="沪D00001")
    reception.open_job(desk["advisor"], desk["customer_id"], vehicle.id, 0, "PDI")
    assert Vehicle.get_by_id(vehicle.id).customer_id == desk["customer_id"]


# ---- drafts ---------------------------------------------------------------------------------------------------


def test_a_draft_is_saved_a_step_at_a_time_and_reopened_from_the_drafts_list(desk):
    advisor = desk["advisor"]
    job_id = reception.open_job(advisor, desk["customer_id"], desk["vehicle_id"], 42000)
    first = reception.add_line(advisor, job_id, NewLine("Brake noise 刹车异响", "warranty", "BR1001"))
    second = reception.add_line(advisor, job_id, NewLine("Oil service"))
    third = reception.add_line(advisor, job_id, NewLine("Wipers"))
    reception.update_line(advisor, second, payer="internal", labour_operation="oil-01")
    reception.remove_line(advisor, first)
    reception.update_job(advisor, job_id, complaint="刹车异响\n客户说早上最明显", mileage_in=42100,
                              promised_at=now() + dt.timedelta(hours=3))
    [(key, draft)] = reception.list_drafts(advisor)
    assert (draft.job_id, draft.number, draft.lines, draft.plate) == (job_id, f"RO{job_id:06d}", 2, "沪A12345")
    view = reception.advisor_view(job_id)
    assert [(ln.id, ln.position, ln.payer, ln.labour_operation) for ln in view.lines] == [
        (second, 1, "internal", "OIL-01"), (third, 2, "customer", "")]
    assert (view.complaint, view.mileage_in, view.status) == ("刹车异响\n客户说早上最明显", 42100, "draft")
    assert [e.action for e in events()][-7:] == ["job.open", "job.edit", "job.edit", "job.edit", "job.edit",
                                                 "job.edit", "job.edit"]


def test_drafts_list_the_advisors_own_newest_first_a_page_at_a_time(desk):
    advisor, other = desk["advisor"], add_employee("advisor")
    mine = [open_card(advisor) for _ in range(3)]
    theirs = open_card(other)
    approved_card(advisor, desk["technician"])  # not a draft any more
    assert [d.job_id for _, d in reception.list_drafts(advisor)] == mine[::-1]
    assert [d.job_id for _, d in reception.list_drafts(advisor, everyone=True)][0] == theirs
    page = reception.list_drafts(advisor, limit=2)
    assert [d.job_id for _, d in reception.list_drafts(advisor, after=page[-1][0])] == [mine[0]]


def test_the_complaint_and_mileage_as_received_stop_changing_once_the_customer_approves(desk):
    advisor = desk["advisor"]
    job_id, (line_id,) = approved_card(advisor, desk["technician"])
    with pytest.raises(NotAllowed, match="no longer change"):
        reception.update_job(advisor, job_id, complaint="something else")
    with pytest.raises(NotAllowed, match="approved by the customer"):
        reception.update_line(advisor, line_id, payer="warranty")
    with pytest.raises(NotAllowed, match="approved"):
        reception.remove_line(advisor, line_id)
    reception.update_job(advisor, job_id, promised_at=None)  # the promised time still may
    assert JobCard.get_by_id(job_id).promised_at is None
    with pytest.raises(InvalidInput, match="Nothing to save"):
        reception.update_job(advisor, job_id)


def test_saving_the_card_as_it_already_is_writes_nothing_and_says_so(desk):
    advisor = desk["advisor"]
    job_id = reception.open_job(advisor, desk["customer_id"], desk["vehicle_id"], 42000, "Brake noise")
    before = len(events())
    assert reception.update_job(advisor, job_id, complaint="Brake noise", mileage_in="42,000",
                                     promised_at=None) is False
    assert len(events()) == before  # no write, no audit event
    assert reception.update_job(advisor, job_id, complaint="Brake noise, worse when cold") is True
    assert [e.action for e in events()][-1] == "job.edit" and len(events()) == before + 1


def test_a_lower_mileage_on_a_draft_also_needs_its_reason(desk):
    advisor = desk["advisor"]
    job_id = open_card(advisor, customer_vehicle=(desk["customer_id"], desk["vehicle_id"]))
    with pytest.raises(MileageBelowLast):
        reception.update_job(advisor, job_id, mileage_in=40000)
    reception.update_job(advisor, job_id, mileage_in=40000, mileage_override_reason="last reading was a typo")
    assert JobCard.get_by_id(job_id).mileage_override_reason == "last reading was a typo"
    reception.update_job(advisor, job_id, mileage_in=43000)
    assert JobCard.get_by_id(job_id).mileage_override_reason == ""


# ---- technicians on lines -------------------------------------------------------------------------------------


def test_lines_are_assigned_and_reassigned_but_not_under_someone_elses_running_clock(desk):
    advisor, tech, other = desk["advisor"], desk["technician"], add_employee("technician", "张敏")
    job_id, (line_id,) = approved_card(advisor, tech)
    clocking.clock_on(tech, line_id)
    with pytest.raises(NotAllowed, match="clock is running on line 1"):
        reception.assign_technician(advisor, line_id, other.employee_id)
    assert JobLine.get_by_id(line_id).technician_id == tech.employee_id
    clocking.close_forgotten_clock(advisor, tech.employee_id, now())
    reception.assign_technician(advisor, line_id, other.employee_id)
    assert JobLine.get_by_id(line_id).technician_id == other.employee_id
    assert f'"previous": {tech.employee_id}' in events("job.assign")[-1].detail
    reception.assign_technician(advisor, line_id, None)
    assert JobLine.get_by_id(line_id).technician_id is None
    with pytest.raises(InvalidInput, match="not a technician"):
        reception.assign_technician(advisor, line_id, desk["manager"].employee_id)
    with pytest.raises(NotAllowed, match="job.assign"):
        reception.assign_technician(tech, line_id, tech.employee_id)
    with pytest.raises(NotFound):
        reception.assign_technician(advisor, 99999, tech.employee_id)


def test_a_technician_can_be_planned_on_a_draft(desk):
    job_id = open_card(desk["advisor"])
    [line_id] = line_ids(job_id)
    reception.assign_technician(desk["advisor"], line_id, desk["technician"].employee_id)
    assert reception.advisor_view(job_id).lines[0].technician_id == desk["technician"].employee_id


def test_the_card_view_has_the_vehicle_lines_and_approval(desk):
    advisor = desk["advisor"]
    job_id, _ = approved_card(advisor, desk["technician"], customer_vehicle=(desk["customer_id"], desk["vehicle_id"]))
    view = reception.advisor_view(job_id)
    assert (view.vin, view.plate, view.customer, view.phone, view.advisor) == (
        desk["vin"], "沪A12345", "王小明", "138 0013 8000", advisor.name)
    assert view.lines[0].approved and not view.lines[0].further_work
    assert [(a.customer_name, a.how, a.recorded_by) for a in view.approvals] == [("王小明", "in_person", advisor.name)]
    with pytest.raises(NotFound):
        reception.advisor_view(99999)


def test_the_board_lists_drafts_and_open_cards_but_not_delivered_ones(desk):
    draft = open_card(desk["advisor"])
    done = open_card(desk["advisor"])
    JobCard.update(status="delivered").where(JobCard.id == done).execute()
    assert [r.job_id for _, r in reception.job_board()] == [draft]


def test_the_board_pages_soonest_promised_first_and_cards_without_a_time_last(desk):
    customer_vehicle = customer_with_vehicle(desk["advisor"], vin=make_vin())
    ids = [open_card(desk["advisor"], customer_vehicle=customer_vehicle, confirm_duplicate=True) for _ in range(7)]
    soon = dt.datetime.now().replace(second=0, microsecond=0) + dt.timedelta(hours=1)
    for hours, job_id in zip((5, 1, 3, 3), ids):
        JobCard.update(promised_at=soon + dt.timedelta(hours=hours)).where(JobCard.id == job_id).execute()
    pages, after = [], None
    while True:
        page = reception.job_board(after, limit=3)
        if not page:
            break
        pages.append([row.job_id for _, row in page])
        after = page[-1][0]
    assert pages == [[ids[1], ids[2], ids[3]], [ids[0], ids[4], ids[5]], [ids[6]]]


def test_vins_from_the_factory_are_valid_and_the_test_helper_makes_bad_ones():
    vin = with_check_digit("LSVAU2180N2100001")
    assert wrong_check_digit(vin) != vin and wrong_check_digit(vin)[9:] == vin[9:]
