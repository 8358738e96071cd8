"""Walks processes/join_non_practicing.bpmn (R-JOIN-4) and checks its start rule row by row."""

import pytest
from sqlalchemy import select

from app.engine.specs import catalog
from app.errors import NotEligible
from app.extensions import db
from app.members.models import Member, Qualification
from app.workflow import services
from tests.processes.test_status_full import open_task, review
from tests.workflow.drafts import typed


def apply(world, upload, user, association):
    instance = services.start_process("join_non_practicing", user)
    data = {
        "local_association_id": association.id,
        "education": "master",
        "qualification_number": "ZC2024001",
        "employer": "北京某大学",
        "photo": [upload(user, "photo.png")],
        "signature": [upload(user, "signature.png")],
        "no_disqualification": True,
    }
    return services.submit_task(open_task(instance).id, user, data)


def test_chosen_local_association_then_national_make_a_non_practicing_member(world, upload):
    instance = apply(world, upload, world.applicant, world.local_sh)
    assert (open_task(instance).role, open_task(instance).organization_id) == ("local_association", world.local_sh.id)
    review(instance, world.other_local_reviewer, "return", "请补充工作单位")
    assert open_task(instance).role == "applicant"
    services.submit_task(open_task(instance).id, world.applicant, typed(open_task(instance)))
    review(instance, world.other_local_reviewer)
    review(instance, world.national_reviewer)
    member = db.session.scalars(select(Member).where(Member.user_id == world.applicant.id)).one()
    assert (member.kind, member.firm_id, member.local_association_id) == ("non_practicing", None, world.local_sh.id)
    assert instance.outcome == f"已成为非执业会员，会员编号 {member.member_number}"


def test_national_rejection_ends_it(world, upload):
    instance = apply(world, upload, world.applicant, world.local_bj)
    review(instance, world.local_reviewer)
    review(instance, world.national_reviewer, "reject", "资格信息不符")
    assert instance.status == "rejected"


def test_without_the_qualification_it_cannot_start(world):
    db.session.execute(Qualification.__table__.delete().where(Qualification.user_id == world.applicant.id))
    with pytest.raises(NotEligible, match="资产评估师"):
        services.start_process("join_non_practicing", world.applicant)


BASE = {"is_member": False, "has_pending_join": False, "rejoin_blocked_until": None, "has_qualification": True}


@pytest.mark.parametrize(
    ("facts", "row", "eligible", "reason_part"),
    [
        (BASE | {"is_member": True}, 1, False, "已是会员"),
        (BASE | {"has_pending_join": True}, 2, False, "正在办理"),
        (BASE | {"rejoin_blocked_until": "2027-03-01"}, 3, False, "2027-03-01 起可再次申请"),  # R-RES-3
        (BASE | {"has_qualification": False}, 4, False, "资产评估师"),
        (BASE, 5, True, ""),
    ],
)
def test_join_non_practicing_eligibility(app, facts, row, eligible, reason_part):
    decision = catalog().decide("join_non_practicing_eligibility", facts)
    assert (decision.row, decision.outputs["eligible"]) == (row, eligible)
    assert reason_part in decision.outputs["reason"]
