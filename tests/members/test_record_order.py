"""A member's records are listed in the order they were recorded, on PostgreSQL too (its heap order is not
insertion order once rows have been updated or deleted)."""

from datetime import UTC, date, datetime

from app.extensions import db
from app.members import center
from app.members.models import Qualification
from app.members.record_models import CreditRecord, MembershipSanction
from app.members.record_queries import member_file
from app.members.services import _earlier_uploads
from app.workflow import services
from app.workflow.models import AuditEvent
from tests.heap import in_either_heap_order, put_last_in_heap
from tests.members.test_records import WANG, number_of
from tests.processes.walk import member_of, person

AT = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


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


def test_the_newest_upload_is_offered_again_even_when_two_were_filed_at_one_instant(world):
    """R-TRF-5: of two submissions recorded at the same instant, the later one's document is offered."""
    user = person(WANG)
    instance = services.start_process("transfer", user)
    db.session.commit()
    events = [
        AuditEvent(instance_id=instance.id, at=AT, actor_id=user.id, role="applicant", action="submitted", data=data)
        for data in ({"archive_certificate": [{"id": 1}]}, {"archive_certificate": [{"id": 2}]})
    ]
    db.session.add_all(events)
    db.session.commit()

    def check():
        assert _earlier_uploads(user, ("archive_certificate",)) == {"archive_certificate": [{"id": 2}]}

    in_either_heap_order(AuditEvent, events[0].id, check)
