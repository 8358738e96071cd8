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
