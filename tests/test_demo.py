"""The demo world is a valid one: identity numbers pass the GB 11643 check (R-ACC-1)."""

from sqlalchemy import select
from stdnum.cn import ric

from app.accounts.models import User
from app.extensions import db


def test_demo_identity_numbers_are_valid(world):
    numbers = db.session.scalars(select(User.id_number)).all()
    assert len(numbers) >= 8 and all(ric.is_valid(n) for n in numbers)
