"""Clients that log in through the pages, a fresh registered account, and the SMS outbox."""

import re

import pytest
from sqlalchemy import select

from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.notify.models import OutboxMessage


@pytest.fixture
def logged_in(app):
    """Returns a callable giving a client logged in as `user` through the login page."""

    def make(user, password: str = DEMO_PASSWORD):
        client = app.test_client()
        response = client.post("/login", data={"mobile": user.mobile, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make


@pytest.fixture
def last_sms():
    """Returns a callable giving the newest outbox text sent to `mobile`."""

    def find(mobile: str) -> str:
        db.session.expire_all()
        stmt = select(OutboxMessage.body).where(OutboxMessage.recipient == mobile).order_by(OutboxMessage.id.desc())
        return db.session.scalars(stmt).first() or ""

    return find


REGISTRATION = {
    "mobile": "13912345678",
    "name": "陈新",
    "id_number": "11010519491231002X",
    "password": "abc12345",
    "confirm": "abc12345",
}


@pytest.fixture
def register(last_sms):
    """Returns a callable registering through the page as a person would: get the SMS code, then submit."""

    def post(client, **overrides):
        data = {**REGISTRATION, **overrides}
        client.post("/register", data={"mobile": data["mobile"], "action": "send_code"})
        code = re.search(r"验证码为 (\d{6})", last_sms(data["mobile"]))
        return client.post("/register", data={"code": code.group(1) if code else "", **data})

    return post


@pytest.fixture
def race_app(second_app):
    """A second app on a real database file (or the PostgreSQL test server): one connection per thread.

    Per-IP limits are set out of reach: the race tests measure the lockout itself, not the limiter (which,
    being one Flask-Limiter object, must stay enabled for the suite's main app)."""
    out_of_reach = "100000 per minute"
    return second_app(
        MEMBERFLOW_RATELIMIT_LOGIN=out_of_reach,
        MEMBERFLOW_RATELIMIT_SMS=out_of_reach,
        MEMBERFLOW_RATELIMIT_REGISTER=out_of_reach,
    )


@pytest.fixture
def in_parallel():
    """Returns a callable running `act(i)` for i in range(n) in n real threads released at one moment."""
    import threading

    def run(n, act):
        barrier, results = threading.Barrier(n), [None] * n

        def worker(i):
            barrier.wait()
            results[i] = act(i)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    return run
