"""R-ONE-1 at the database: a person is an active member once, whatever two admissions racing each other do."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.members.models import Member


def _member(user, world, number, status="active"):
    return Member(
        user_id=user.id,
        member_number=number,
        kind="trainee",
        firm_id=world.firm_bj.id,
        local_association_id=world.local_bj.id,
        status=status,
        joined_on=date(2026, 1, 1),
    )


def test_a_second_active_member_row_for_one_person_is_refused_by_the_database(world):
    db.session.add(_member(world.applicant, world, "2026900001"))
    db.session.flush()
    db.session.add(_member(world.applicant, world, "2026900002"))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_a_resigned_membership_does_not_block_rejoining_r_res_3(world):
    db.session.add(_member(world.applicant, world, "2026900001", status="resigned"))
    db.session.add(_member(world.applicant, world, "2026900002"))
    db.session.flush()
    assert db.session.query(Member).filter_by(user_id=world.applicant.id).count() == 2
