"""Walks processes/association_transfer.bpmn (issue 14 item 5): a non-practicing member moves to another province's
association (转会) — outgoing then incoming association; practicing members transfer instead (R-TRF-1); R-TRF-2,
R-ONE-1."""

import pytest

from app.errors import Invalid, NotEligible, NotFound
from app.extensions import db
from app.workflow import services
from tests.processes.walk import member_of, open_task, person, review, set_member

ZHOU = "13800000015"  # 周敏, non-practicing member of 北京资产评估协会


def apply(world, user, target=None):
    instance = services.start_process("association_transfer", user)
    data = {"new_local_association_id": (target or world.local_sh).id, "reason": "工作调动"}
    services.submit_task(open_task(instance).id, user, data)
    return instance


def test_outgoing_then_incoming_association_and_the_membership_moves(world):
    user = person(ZHOU)
    assert member_of(user).local_association_id == world.local_bj.id
    instance = apply(world, user)
    task = open_task(instance)
    assert (task.role, task.organization_id, task.name) == ("local_association", world.local_bj.id, "转出协会审核")
    with pytest.raises(NotFound):
        review(instance, world.other_local_reviewer)  # the incoming association acts second
    review(instance, world.local_reviewer)
    assert (open_task(instance).organization_id, open_task(instance).name) == (world.local_sh.id, "转入协会审核")
    review(instance, world.other_local_reviewer)
    member = member_of(user)
    assert (member.local_association_id, member.kind, member.firm_id) == (world.local_sh.id, "non_practicing", None)
    assert (instance.status, instance.outcome) == ("approved", "已转入上海市资产评估协会")


def test_the_incoming_association_may_refuse_with_a_reason(world):
    user = person(ZHOU)
    instance = apply(world, user)
    review(instance, world.local_reviewer)
    review(instance, world.other_local_reviewer, "reject", "档案材料不全")
    assert (instance.status, instance.outcome) == ("rejected", "不予通过：档案材料不全")
    assert member_of(user).local_association_id == world.local_bj.id


def test_the_own_association_is_refused_on_the_field(world):
    with pytest.raises(Invalid) as err:
        apply(world, person(ZHOU), target=world.local_bj)
    assert err.value.field_errors == {"new_local_association_id": "转入协会不能是当前所属协会"}


def test_practicing_members_transfer_instead_and_inspection_blocks(world):
    with pytest.raises(NotEligible, match="只有非执业会员可以申请转会"):
        services.start_process("association_transfer", person("13800000003"))
    user = person(ZHOU)
    set_member(user, annual_inspection="failed")
    with pytest.raises(NotEligible, match="年检未通过，不能转会"):  # R-TRF-2
        services.start_process("association_transfer", user)


def test_one_change_at_a_time(world):
    user = person(ZHOU)
    apply(world, user)
    db.session.commit()
    with pytest.raises(NotEligible, match="正在办理中"):  # R-ONE-1
        services.start_process("resign", user)
