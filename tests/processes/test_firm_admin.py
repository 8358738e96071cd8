"""Walks processes/firm_admin.bpmn through the services (R-ADM-1, R-ADM-2, R-ADM-3, R-ADM-4)."""

from datetime import date

import pytest
from sqlalchemy import select

from app.accounts.models import RoleGrant
from app.errors import Invalid, NotEligible, NotFound
from app.extensions import db
from app.members.models import Member
from app.workflow import services
from app.workflow.models import HumanTask


def open_task(instance):
    stmt = select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    return db.session.scalars(stmt).one()


def apply(world, upload, user, firm=None, **overrides):
    instance = services.start_process("firm_admin", user)
    data = {"firm_id": (firm or world.firm_bj).id, "power_of_attorney": [upload(user, "poa.png")], **overrides}
    return services.submit_task(open_task(instance).id, user, data)


def decide(instance, reviewer, decision="approve", comment=None):
    data = {"decision": decision, **({"comment": comment} if comment else {})}
    return services.submit_task(open_task(instance).id, reviewer, data)


def grants(user, firm):
    db.session.expire_all()
    stmt = select(RoleGrant.role).where(RoleGrant.user_id == user.id, RoleGrant.organization_id == firm.id)
    return sorted(db.session.scalars(stmt))


def member(user, world, **kw):
    values = {
        "user_id": user.id,
        "member_number": f"M{user.id:08d}",
        "kind": "full",
        "firm_id": world.firm_bj.id,
        "local_association_id": world.local_bj.id,
        "joined_on": date(2020, 1, 1),
        **kw,
    }
    db.session.add(Member(**values))
    db.session.flush()


def test_approved_by_the_local_association_the_applicant_becomes_the_firms_admin(world, upload):
    """R-ADM-2: the firm's local association alone approves."""
    instance = apply(world, upload, world.applicant)
    task = open_task(instance)
    assert (task.role, task.organization_id) == ("local_association", world.local_bj.id)  # R-ADM-2
    decide(instance, world.local_reviewer)
    assert instance.status == "approved"
    assert grants(world.applicant, world.firm_bj) == ["firm", "firm_admin"]
    assert instance.outcome == "已成为北京中和资产评估有限公司的机构管理员"


def test_a_newly_approved_admin_replaces_the_old_one(world, upload):
    """R-ADM-1: one admin per firm; the newly approved one replaces the old."""
    decide(apply(world, upload, world.applicant), world.local_reviewer)
    instance = apply(world, upload, world.returning)
    decide(instance, world.local_reviewer)
    assert grants(world.returning, world.firm_bj) == ["firm", "firm_admin"]
    assert grants(world.applicant, world.firm_bj) == []  # R-ADM-1
    assert instance.outcome.endswith("，替换原管理员张三")


def test_only_the_firms_local_association_decides(world, upload):
    instance = apply(world, upload, world.applicant)
    for outsider in (world.firm_reviewer, world.other_local_reviewer, world.national_reviewer):
        with pytest.raises(NotFound):
            decide(instance, outsider)


def test_a_returned_application_comes_back_to_the_applicant_and_a_rejection_ends_it(world, upload):
    instance = apply(world, upload, world.applicant)
    decide(instance, world.local_reviewer, "return", "授权委托书未盖章")
    task = open_task(instance)
    assert task.user_id == world.applicant.id
    data = {"firm_id": world.firm_bj.id, "power_of_attorney": [upload(world.applicant, "poa-stamped.png")]}
    services.submit_task(task.id, world.applicant, data)
    decide(instance, world.local_reviewer, "reject", "非本机构授权")
    assert instance.status == "rejected" and grants(world.applicant, world.firm_bj) == []


def test_the_power_of_attorney_is_required(world, upload):
    """R-ADM-3: the stamped and signed power of attorney is required."""
    instance = services.start_process("firm_admin", world.applicant)
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, world.applicant, {"firm_id": world.firm_bj.id})
    assert "power_of_attorney" in err.value.field_errors  # R-ADM-3


def test_a_member_may_apply_only_for_their_own_firm(world, upload):
    """R-ADM-4: a member applies only for their own firm."""
    member(world.applicant, world)
    with pytest.raises(Invalid) as err:
        apply(world, upload, world.applicant, firm=world.firm_bj2)
    assert err.value.field_errors["firm_id"] == "会员只能申请成为本人执业机构的管理员"
    instance = services.submit_task(
        open_task_of(world.applicant).id,
        world.applicant,
        {"firm_id": world.firm_bj.id, "power_of_attorney": [upload(world.applicant, "poa.png")]},
    )
    assert open_task(instance).role == "local_association"


def open_task_of(user):
    stmt = select(HumanTask).where(HumanTask.user_id == user.id, HumanTask.status == "open")
    return db.session.scalars(stmt).one()


def test_registered_users_and_resigned_members_may_apply(world):
    """R-ADM-4: registered users and former members who resigned may apply."""
    assert services.check_eligibility("firm_admin", world.applicant)[1] is None
    assert services.check_eligibility("firm_admin", world.returning)[1] is None  # resigned in 2021


@pytest.mark.parametrize(
    ("member_kw", "reason"),
    [
        ({"kind": "non_practicing", "firm_id": None}, "非执业会员不能申请机构管理员"),
        ({"firm_id": None, "in_custody": True}, "协会代管期间不能申请机构管理员"),
        ({"status": "suspended"}, "暂停会员资格期间不能申请机构管理员"),
        ({"status": "expelled"}, "被除名人员不能申请机构管理员"),
    ],
)
def test_who_may_not_apply(world, member_kw, reason):
    """R-ADM-4: not non-practicing members, members in custody or suspended members."""
    member(world.applicant, world, **member_kw)
    assert services.check_eligibility("firm_admin", world.applicant)[1] == reason
    with pytest.raises(NotEligible, match=reason):
        services.start_process("firm_admin", world.applicant)


def test_a_person_admins_at_most_one_firm(world, upload):
    """R-ADM-1: a person admins at most one firm."""
    decide(apply(world, upload, world.applicant), world.local_reviewer)
    db.session.expire_all()
    reason = services.check_eligibility("firm_admin", world.applicant)[1]
    assert reason == "您已是机构管理员，一人只能担任一家机构的管理员"


def test_one_application_at_a_time(world, upload):
    apply(world, upload, world.applicant)
    assert "正在办理的机构管理员申请" in services.check_eligibility("firm_admin", world.applicant)[1]
