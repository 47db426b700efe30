"""Signing in with badge and PIN, wrong PINs, lock-out, and who may register staff."""

import datetime as dt

import pytest

from kiosk import auth, employees
from kiosk.errors import BadgeLocked, InvalidInput, NotAllowed, SignInRefused
from kiosk.store.models import AuditEvent, Employee

from .conftest import DEMO_PIN, add_employee


def test_pins_are_stored_as_scrypt_hashes(store_url):
    actor = add_employee("technician", badge="T1")
    stored = Employee.get_by_id(actor.employee_id).pin_hash
    assert stored.startswith("scrypt$") and DEMO_PIN not in stored
    assert auth.verify_pin(DEMO_PIN, stored) and not auth.verify_pin("9999", stored)


def test_sign_in_returns_the_actor_and_records_who_and_where(store_url):
    add_employee("advisor", name="王芳", badge="A1")
    actor = auth.sign_in(" a1 ", DEMO_PIN, terminal="desk-2", client="10.0.0.7 advisor")
    assert (actor.name, actor.role, actor.terminal) == ("王芳", "advisor", "desk-2")
    event = AuditEvent.get(AuditEvent.action == "auth.sign_in")
    assert (event.employee_id, event.terminal, event.client) == (actor.employee_id, "desk-2", "10.0.0.7 advisor")


@pytest.mark.parametrize("badge, error, words", [
    ("", InvalidInput, "Scan your badge"),
    ("NOPE", SignInRefused, "Badge or PIN not accepted"),
    ("T1\x1b[31m", InvalidInput, "not a badge number"),
    ("工号", InvalidInput, "not a badge number"),
    ("X" * 500, InvalidInput, "too long"),
])
def test_bad_badges_get_a_clear_message(store_url, badge, error, words):
    add_employee("technician", badge="T1")
    with pytest.raises(error, match=words):
        auth.sign_in(badge, DEMO_PIN, terminal="bay-1")


@pytest.mark.parametrize("pin, words", [("", "Type your PIN"), ("12", "4 to 8 digits"), ("１２３４", "4 to 8 digits"),
                                        ("12a4", "4 to 8 digits")])
def test_malformed_pins_are_refused_without_counting(store_url, pin, words):
    add_employee("technician", badge="T1")
    with pytest.raises(InvalidInput, match=words):
        auth.sign_in("T1", pin, terminal="bay-1")
    assert Employee.get(Employee.badge == "T1").failed_pins == 0


def test_five_wrong_pins_lock_the_badge_until_the_time_runs_out(store_url):
    add_employee("technician", badge="T1")
    start = dt.datetime(2026, 11, 23, 9, 0)
    for _ in range(4):
        with pytest.raises(SignInRefused, match="^Badge or PIN not accepted.$"):
            auth.sign_in("T1", "0000", terminal="bay-1", at=start)
    with pytest.raises(BadgeLocked, match="now locked for 15 min"):
        auth.sign_in("T1", "0000", terminal="bay-1", at=start)
    with pytest.raises(BadgeLocked, match="try again in 15 min"):
        auth.sign_in("T1", DEMO_PIN, terminal="bay-1", at=start)
    with pytest.raises(BadgeLocked):
        auth.find_badge("T1", at=start + dt.timedelta(minutes=14))
    actor = auth.sign_in("T1", DEMO_PIN, terminal="bay-1", at=start + dt.timedelta(minutes=16))
    assert actor.role == "technician"
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == ["auth.wrong_pin"] * 4 + ["auth.badge_locked", "auth.sign_in"]


def test_a_manager_unlocks_a_badge(store_url):
    manager = add_employee("manager", badge="M1")
    add_employee("technician", badge="T1")
    for _ in range(5):
        with pytest.raises(SignInRefused):
            auth.sign_in("T1", "0000", terminal="bay-1", attempts=5)
    employees.unlock_badge(manager, "t1")
    assert auth.sign_in("T1", DEMO_PIN, terminal="bay-1").role == "technician"


def test_inactive_employee_cannot_sign_in(store_url):
    actor = add_employee("technician", badge="T1")
    Employee.update(active=False).where(Employee.id == actor.employee_id).execute()
    with pytest.raises(SignInRefused, match="^Badge or PIN not accepted.$"):
        auth.sign_in("T1", DEMO_PIN, terminal="bay-1")


def test_an_unknown_badge_gets_the_same_words_and_the_same_scrypt_work_as_a_wrong_pin(store_url, monkeypatch):
    add_employee("technician", badge="T1")
    gone = add_employee("technician", badge="T2")
    Employee.update(active=False).where(Employee.id == gone.employee_id).execute()
    scrypt, work = auth.hashlib.scrypt, []

    def counted(password, **cost):  # the real scrypt, counted: (n, r, p, length) of each call
        work.append((cost["n"], cost["r"], cost["p"], cost["dklen"]))
        return scrypt(password, **cost)

    monkeypatch.setattr(auth.hashlib, "scrypt", counted)
    answers = {}
    for case, badge, pin in (("wrong PIN", "T1", "9999"), ("unknown badge", "NOBODY", "9999"),
                             ("unknown badge, any PIN", "NOBODY", DEMO_PIN), ("inactive badge", "T2", DEMO_PIN)):
        work.clear()
        with pytest.raises(SignInRefused) as refused:
            auth.sign_in(badge, pin, terminal="bay-1")
        answers[case] = (type(refused.value), str(refused.value), tuple(work))
    assert set(answers.values()) == {(SignInRefused, "Badge or PIN not accepted.",
                                      ((auth.SCRYPT_N, auth.SCRYPT_R, auth.SCRYPT_P, 32),))}
    # Only a known badge counts towards its lock-out; the lock-out itself is unchanged.
    assert Employee.get(Employee.badge == "T1").failed_pins == 1


def test_first_employee_of_a_new_shop_must_be_a_manager_then_only_managers_add(store_url):
    with pytest.raises(InvalidInput, match="must be a manager"):
        employees.add_employee(None, "T9", "Tech", "technician", "1234")
    boss = employees.add_employee(None, "M9", "老板", "manager", "5678")
    assert boss.role == "manager"
    with pytest.raises(SignInRefused, match="signed-in manager"):
        employees.add_employee(None, "M10", "Other", "manager", "5678")
    technician = add_employee("technician", badge="T1")
    with pytest.raises(NotAllowed):
        employees.add_employee(technician, "T2", "New", "technician", "1234")
    assert not Employee.select().where(Employee.badge == "T2").exists()


def test_registering_refuses_duplicates_and_bad_fields_and_writes_nothing(store_url):
    manager = add_employee("manager", badge="M1")
    before = AuditEvent.select().count()
    with pytest.raises(InvalidInput, match="already registered"):
        employees.add_employee(manager, "m1", "Again", "advisor", "1234")
    with pytest.raises(InvalidInput, match="Name is required"):
        employees.add_employee(manager, "A5", "  \x00 ", "advisor", "1234")
    with pytest.raises(InvalidInput, match="Role must be"):
        employees.add_employee(manager, "A5", "Ann", "boss", "1234")
    assert AuditEvent.select().count() == before
    employees.add_employee(manager, "A5", "Ann 安", "advisor", "1234")
    assert AuditEvent.select().count() == before + 1


def test_only_a_locked_badge_can_be_unlocked(store_url):
    manager = add_employee("manager", badge="M1")
    add_employee("technician", badge="T1")
    with pytest.raises(NotAllowed, match="Badge T1 is not locked"):
        employees.unlock_badge(manager, "T1")
    assert not AuditEvent.select().where(AuditEvent.action == "employee.manage").exists()
