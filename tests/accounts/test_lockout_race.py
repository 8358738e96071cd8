"""R-ACC-3 under concurrency: the attempt is reserved in SQL before any password or code is checked."""

import re
import threading

from sqlalchemy import select

from app.accounts import codes
from app.accounts.models import SmsCode, User
from app.demo import DEMO_PASSWORD
from app.extensions import db


def _person(app, mobile="13812340001"):
    with app.app_context():
        user = User(mobile=mobile, name="并发", id_number="11010519491231002X", verified_at=None)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.session.remove()
    return mobile


class Counter:
    """Counts calls of a real function (it still runs), across threads."""

    def __init__(self, real):
        self.real, self.calls, self.lock = real, 0, threading.Lock()

    def __call__(self, *args, **kwargs):
        with self.lock:
            self.calls += 1
        return self.real(*args, **kwargs)


def test_forty_parallel_wrong_passwords_get_at_most_five_checks(race_app, in_parallel, monkeypatch):
    """R-ACC-3: five wrong passwords lock the account; 40 at once must not get more than five guesses."""
    mobile = _person(race_app)
    checks = Counter(User.check_password)
    monkeypatch.setattr(User, "check_password", lambda self, pw: checks(self, pw))
    clients = [race_app.test_client() for _ in range(40)]
    codes_ = in_parallel(40, lambda i: clients[i].post("/login", data={"mobile": mobile, "password": f"x{i}"}))
    print(f"\n40 parallel wrong passwords -> {checks.calls} password checks")
    assert checks.calls <= 5
    # 503: the five slots were held by checks still running (retry); never a 500 or a success
    assert {r.status_code for r in codes_} <= {401, 429, 503}
    with race_app.app_context():
        user = db.session.scalar(select(User).where(User.mobile == mobile))
        assert user.locked_until is not None
        db.session.remove()
    # the lock holds for the right password too
    assert race_app.test_client().post("/login", data={"mobile": mobile, "password": DEMO_PASSWORD}).status_code == 401


def test_sixty_parallel_wrong_codes_get_at_most_five_checks(race_app, in_parallel, monkeypatch):
    """R-ACC-3 and R-ACC-4: a code dies after five wrong tries, and no try is lost under concurrency."""
    mobile = _person(race_app)
    assert race_app.test_client().post("/login", data={"mode": "sms", "mobile": mobile, "action": "send_code"})
    checks = Counter(codes._code_hash)
    monkeypatch.setattr(codes, "_code_hash", checks)
    clients = [race_app.test_client() for _ in range(60)]
    in_parallel(60, lambda i: clients[i].post("/login", data={"mode": "sms", "mobile": mobile, "code": "1x"}))
    print(f"\n60 parallel wrong SMS codes -> {checks.calls} code checks")
    assert checks.calls <= 5
    with race_app.app_context():
        code = db.session.scalars(select(SmsCode)).one()
        assert code.failed_tries == checks.calls  # no lost update
        db.session.remove()


def test_sixty_parallel_wrong_registration_codes_get_at_most_five_checks(race_app, in_parallel, monkeypatch):
    """A registration code belongs to no account yet: the per-code limit alone must hold (R-ACC-1, R-ACC-4)."""
    mobile = "13812340002"
    race_app.test_client().post("/register", data={"mobile": mobile, "action": "send_code"})
    checks = Counter(codes._code_hash)
    monkeypatch.setattr(codes, "_code_hash", checks)
    form = {"mobile": mobile, "name": "陈新", "id_number": "11010519491231002X", "password": "abc12345"}
    clients = [race_app.test_client() for _ in range(60)]
    results = in_parallel(60, lambda i: clients[i].post("/register", data={**form, "confirm": "abc12345", "code": "1"}))
    print(f"\n60 parallel wrong registration codes -> {checks.calls} code checks")
    assert checks.calls <= 5
    assert all(r.status_code == 422 for r in results)
    with race_app.app_context():
        code = db.session.scalars(select(SmsCode)).one()
        assert code.failed_tries == checks.calls and code.used_at is not None
        db.session.remove()


def test_one_code_lets_in_only_one_of_eight_parallel_logins(race_app, in_parallel, monkeypatch):
    """A code is used once: eight requests with the right code at the same moment get one session."""
    mobile = _person(race_app)
    race_app.test_client().post("/login", data={"mode": "sms", "mobile": mobile, "action": "send_code"})
    with race_app.app_context():
        from app.notify.models import OutboxMessage

        text = db.session.scalars(select(OutboxMessage.body)).one()
        db.session.remove()
    code = re.search(r"验证码为 (\d{6})", text).group(1)
    clients = [race_app.test_client() for _ in range(8)]
    results = in_parallel(8, lambda i: clients[i].post("/login", data={"mode": "sms", "mobile": mobile, "code": code}))
    assert sorted(r.status_code for r in results).count(302) == 1


def test_parallel_right_passwords_are_never_refused_as_wrong(race_app, in_parallel, monkeypatch):
    """R-ACC-3: a script calling the API with the right password in parallel is not locked out or counted as a
    failure; a call finding the five attempt slots taken by calls still checking is told to retry (503)."""
    import base64
    import time

    mobile = _person(race_app)
    real = User.check_password

    def slow_check(self, pw):  # every call still checking while the others arrive, as with production scrypt
        time.sleep(0.05)
        return real(self, pw)

    monkeypatch.setattr(User, "check_password", slow_check)
    auth = {"Authorization": "Basic " + base64.b64encode(f"{mobile}:{DEMO_PASSWORD}".encode()).decode()}
    clients = [race_app.test_client() for _ in range(12)]
    responses = in_parallel(12, lambda i: clients[i].get("/api/v1/processes", headers=auth))
    statuses = sorted(r.status_code for r in responses)
    print(f"\n12 parallel right passwords -> {statuses}")
    assert 401 not in statuses and 429 not in statuses
    assert all(r.headers.get("Retry-After") for r in responses if r.status_code == 503)
    with race_app.app_context():
        user = db.session.scalar(select(User).where(User.mobile == mobile))
        assert user.locked_until is None and user.failed_logins == 0
        db.session.remove()
