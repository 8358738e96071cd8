"""R-ACC-5: a person's standing is read once per transaction, and again as soon as a membership changes."""

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.rights import holds_no_rights
from app.extensions import db
from app.members.models import Member
from tests.workflow.test_home_statements import counted


def test_standing_is_read_once_and_again_after_an_expulsion(world):
    person = db.session.scalar(select(User).where(User.mobile == "13800000022"))  # 冯二, a practising member
    assert holds_no_rights(person) is False
    with counted() as n:
        assert holds_no_rights(person) is False
    assert n[0] == 0
    for membership in db.session.scalars(select(Member).where(Member.user_id == person.id)):
        membership.status = "expelled"
    db.session.flush()
    assert holds_no_rights(person) is True  # the same transaction already knows
    db.session.rollback()
    assert holds_no_rights(person) is False
