"""A member's records are listed in the order they were recorded, on PostgreSQL too (its heap order is not
insertion order once rows have been updated or deleted)."""

from datetime import date

from app.extensions import db
from app.members import center
from app.members.models import Qualification
from app.members.record_models import CreditRecord, MembershipSanction
from app.members.record_queries import member_file
from tests.heap import put_last_in_heap
from tests.members.test_records import WANG, number_of
from tests.processes.walk import member_of, person


def test_the_member_file_lists_sanctions_and_credit_records_in_recording_order(world):
    member = member_of(person(WANG))
    sanctions = [
        MembershipSanction(member_id=member.id, kind="suspension", reason=reason, starts_on=date(2026, month, 1))
        for month, reason in ((3, "第一次"), (6, "第二次"))
    ]
    credit = [CreditRecord(member_id=member.id, content=content) for content in ("第一条", "第二条")]
    db.session.add_all([*sanctions, *credit])
    db.session.commit()
    put_last_in_heap(MembershipSanction, sanctions[0].id)
    put_last_in_heap(CreditRecord, credit[0].id)

    found = member_file(number_of(WANG))

    assert [s.reason for s in found["sanctions"]] == ["第一次", "第二次"]
    assert [c.content for c in found["credit"]] == ["第一条", "第二条"]


def test_qualifications_are_listed_by_the_day_they_were_passed(world):
    user = person(WANG)
    db.session.query(Qualification).filter_by(user_id=user.id).delete()
    older = Qualification(user_id=user.id, kind="appraiser", passed_on=date(2010, 5, 1))
    newer = Qualification(user_id=user.id, kind="appraiser_jewelry", passed_on=date(2018, 5, 1))
    db.session.add_all([older, newer])
    db.session.commit()
    put_last_in_heap(Qualification, older.id)

    assert [q.kind for q in center.qualifications(user)] == ["appraiser", "appraiser_jewelry"]
