"""Walks processes/branch_transfer.bpmn (R-TRF-8, R-TRF-2, R-TRF-3, R-ONE-1)."""

import pytest
from sqlalchemy import select

from app.errors import Invalid, NotAllowed, NotEligible, NotFound
from app.extensions import db
from app.organizations.models import Organization
from app.workflow import services
from app.workflow.models import AuditEvent
from tests.processes.walk import member_of, open_task, person, review, set_member
from tests.workflow.drafts import typed


def firm_named(name):
    return db.session.scalars(select(Organization).where(Organization.name == name)).one()


@pytest.fixture
def feng(world):
    return person("13800000022")  # at 北京中和's 天津分公司


@pytest.fixture
def zheng(world):
    return person("13800000021")  # at the head office 北京中和


def apply(user, firm, **extra):
    instance = services.start_process("branch_transfer", user)
    services.submit_task(open_task(instance).id, user, {"new_firm_id": firm.id, **extra})
    return instance


def test_branch_to_head_office_same_province_no_firm_confirmation(world, feng):
    """R-TRF-8: no firm confirmation; the outgoing association approves."""
    instance = apply(feng, world.firm_bj)  # attachments are optional
    task = open_task(instance)
    assert (task.name, task.role, task.organization_id) == ("转出地协会审核", "local_association", world.local_bj.id)
    review(instance, world.local_reviewer)
    assert member_of(feng).firm_id == world.firm_bj.id
    assert (instance.status, instance.outcome) == ("approved", "已转入北京中和资产评估有限公司（北京资产评估协会）")


def test_head_office_to_a_branch_in_another_province_needs_both_associations(world, zheng):
    """R-TRF-8: another province's branch needs both associations."""
    branch_sh = firm_named("北京中和资产评估有限公司上海分公司")
    instance = apply(zheng, branch_sh)
    review(instance, world.local_reviewer)
    task = open_task(instance)
    assert (task.name, task.organization_id) == ("转入地协会审核", world.local_sh.id)
    with pytest.raises(NotFound):  # the outgoing association cannot act for the incoming one
        review(instance, world.local_reviewer)
    review(instance, world.other_local_reviewer)
    member = member_of(zheng)
    assert (member.firm_id, member.local_association_id) == (branch_sh.id, world.local_sh.id)


def test_another_province_cannot_act_on_the_outgoing_step(world, feng):
    instance = apply(feng, world.firm_bj)
    with pytest.raises(NotFound):
        review(instance, world.other_local_reviewer)


def test_only_the_own_firms_head_office_or_branches(world, feng):
    """R-TRF-8: only the own firm's head office or branches."""
    instance = services.start_process("branch_transfer", feng)
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, feng, {"new_firm_id": world.firm_bj2.id})
    assert err.value.field_errors == {"new_firm_id": "只能转入本机构的总所或分所"}
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, feng, {"new_firm_id": world.branch_bj.id})
    assert err.value.field_errors == {"new_firm_id": "转入机构不能是当前所在机构"}


def test_earlier_uploads_are_prefilled_but_optional(world, upload, feng):
    earlier = upload(feng, "archive.png")
    first = services.start_process("branch_transfer", feng)
    db.session.add(
        AuditEvent(
            instance_id=first.id,
            actor_id=feng.id,
            role="applicant",
            action="submitted",
            data={"archive_certificate": [earlier]},
        )
    )
    services.applicant_action(first.id, feng, "abandon")
    instance = services.start_process("branch_transfer", feng)
    assert typed(open_task(instance))["archive_certificate"][0]["id"] == earlier["id"]


def test_return_and_reject(world, feng):
    instance = apply(feng, world.firm_bj)
    review(instance, world.local_reviewer, "return", "请说明原因")
    assert open_task(instance).bpmn_id == "Task_BranchApply"
    services.submit_task(open_task(instance).id, feng, {"new_firm_id": world.firm_bj.id, "reason": "总所工作需要"})
    review(instance, world.local_reviewer, "reject", "不符合条件")
    assert (instance.status, instance.outcome) == ("rejected", "不予通过：不符合条件")
    assert member_of(feng).firm_id == world.branch_bj.id


def test_no_withdrawal_once_at_the_association(world, feng):
    instance = apply(feng, world.firm_bj)
    with pytest.raises(NotAllowed):
        services.applicant_action(instance.id, feng, "withdraw")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"kind": "non_practicing"}, "只有执业会员可以申请总分所转所"),  # R-TRF-1
        ({"annual_inspection": "in_progress"}, "年检进行中"),  # R-TRF-2
        ({"annual_inspection": "deferred"}, "年检暂缓期间"),  # R-TRF-2
        ({"annual_inspection": "failed"}, "年检未通过"),  # R-TRF-2
        ({"is_shareholder": True}, "股东"),  # R-TRF-3
        ({"in_custody": True, "firm_id": None}, "协会代管期间不能办理总分所转所"),
    ],
)
def test_every_refusal_row(world, feng, fields, reason):
    """R-TRF-2, R-TRF-3: the refusals, row by row."""
    set_member(feng, **fields)
    with pytest.raises(NotEligible, match=reason):
        services.start_process("branch_transfer", feng)


def test_a_firm_without_head_office_or_branches_is_refused(world):
    wang = person("13800000003")
    set_member(wang, firm_id=world.firm_bj2.id)
    with pytest.raises(NotEligible, match="没有总所或分所"):
        services.start_process("branch_transfer", wang)


def test_one_member_change_at_a_time_r_one_1(world, feng):
    apply(feng, world.firm_bj)
    with pytest.raises(NotEligible, match="「总分所转所申请」正在办理中"):
        services.start_process("custody", feng)
