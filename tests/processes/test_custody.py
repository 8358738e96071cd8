"""Walks processes/custody.bpmn and custody_watch.bpmn with a moved clock (R-TRF-7, R-TRF-2, R-TRF-3, R-ONE-1)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.errors import NotAllowed, NotEligible, NotFound
from app.extensions import db
from app.scheduler import fire_due_timers
from app.workflow import services
from app.workflow.models import HumanTask, ProcessInstance
from tests.processes.walk import member_of, open_task, person, review, set_member
from tests.workflow.drafts import typed


def watch_of(user):
    db.session.expire_all()
    return db.session.scalars(
        select(ProcessInstance).where(
            ProcessInstance.process_id == "custody_watch", ProcessInstance.applicant_id == user.id
        )
    ).one()


@pytest.fixture
def zheng(world):
    return person("13800000021")


def apply(upload, user):
    instance = services.start_process("custody", user)
    data = {"reason": "离职后暂不执业", "leaving_certificate": [upload(user, "leaving.png")]}
    services.submit_task(open_task(instance).id, user, data)
    return instance


def approved_custody(world, upload, user):
    instance = apply(upload, user)
    review(instance, world.firm_reviewer)
    review(instance, world.local_reviewer)
    return instance


def test_firm_confirms_then_the_local_association_approves(world, upload, zheng):
    instance = apply(upload, zheng)
    task = open_task(instance)
    assert (task.role, task.organization_id, task.name) == ("firm", world.firm_bj.id, "现机构确认离职")
    review(instance, world.firm_reviewer)
    task = open_task(instance)
    assert (task.role, task.organization_id) == ("local_association", world.local_bj.id)
    review(instance, world.local_reviewer)

    member = member_of(zheng)
    assert (member.in_custody, member.firm_id, member.local_association_id) == (True, None, world.local_bj.id)
    # decided for the applicant at once, although the one-year watch keeps running
    assert (instance.status, instance.outcome) == ("approved", "已由北京资产评估协会代管")
    assert watch_of(zheng).status == "running"
    # and the watch is no pending member change: the member may apply again (here: a transfer into a firm)
    assert services.check_eligibility("transfer", zheng)[1] is None


def test_in_custody_the_member_cannot_print_certificates(world, upload, zheng):
    from app.engine.specs import catalog
    from app.workflow.facts import person_facts

    approved_custody(world, upload, zheng)
    facts = person_facts(zheng)
    assert facts["in_custody"] is True
    assert "custody_eligibility" in catalog().decisions
    with pytest.raises(NotEligible, match="您已在协会代管中"):
        services.start_process("custody", zheng)


def test_one_year_in_custody_warns_the_local_association(app, world, upload, zheng):
    approved_custody(world, upload, zheng)
    watch = watch_of(zheng)
    assert watch.next_timer_at is not None
    db.session.commit()

    clock.advance(timedelta(days=364))
    assert fire_due_timers(app) == 0
    clock.advance(timedelta(days=2))
    assert fire_due_timers(app) == 1

    watch = watch_of(zheng)
    task = open_task(watch)
    assert (task.name, task.role, task.organization_id) == (
        "代管已满一年，请核查",
        "local_association",
        world.local_bj.id,
    )
    with pytest.raises(NotFound):  # another province's association cannot act
        services.submit_task(task.id, world.other_local_reviewer, {"checked": True})
    services.submit_task(task.id, world.local_reviewer, {"checked": True, "note": "已电话联系，拟转入新机构"})
    assert (watch.status, watch.outcome) == ("completed", "代管满一年，协会已核查")


def test_leaving_custody_early_ends_the_watch_without_a_warning(app, world, upload, zheng):
    approved_custody(world, upload, zheng)
    transfer = services.start_process("transfer", zheng)
    files = {
        k: [upload(zheng, f"{k}.png")]
        for k in ("leaving_certificate", "new_labour_contract", "archive_certificate", "social_security")
    }
    services.submit_task(open_task(transfer).id, zheng, {"new_firm_id": world.firm_bj2.id, **files})
    # in custody there is no old firm to confirm: the custodian association decides directly
    task = open_task(transfer)
    assert (task.role, task.organization_id) == ("local_association", world.local_bj.id)
    review(transfer, world.local_reviewer)
    assert transfer.status == "approved"
    assert member_of(zheng).in_custody is False
    watch = watch_of(zheng)
    assert (watch.status, watch.outcome) == ("completed", "已离开协会代管")
    db.session.commit()

    clock.advance(timedelta(days=400))
    assert fire_due_timers(app) == 0
    assert not db.session.scalars(select(HumanTask).where(HumanTask.name == "代管已满一年，请核查")).all()


def test_the_watch_cannot_be_started_by_a_person(world, zheng):
    with pytest.raises(NotAllowed, match="系统自动发起"):
        services.start_process("custody_watch", zheng)


def test_firm_return_and_association_return_go_back_to_the_applicant(world, upload, zheng):
    instance = apply(upload, zheng)
    review(instance, world.firm_reviewer, "return", "请补充离职证明原件")
    assert open_task(instance).bpmn_id == "Task_CustodyApply"
    services.submit_task(open_task(instance).id, zheng, typed(open_task(instance)) or _resubmit(upload, zheng))
    review(instance, world.firm_reviewer)
    review(instance, world.local_reviewer, "return", "原因请写明")
    assert open_task(instance).bpmn_id == "Task_CustodyApply"
    services.submit_task(open_task(instance).id, zheng, _resubmit(upload, zheng))
    review(instance, world.firm_reviewer)
    review(instance, world.local_reviewer, "reject", "材料不实")
    assert (instance.status, instance.outcome) == ("rejected", "不予通过：材料不实")
    assert member_of(zheng).in_custody is False


def _resubmit(upload, user):
    return {"reason": "离职后暂不执业", "leaving_certificate": [upload(user, "again.png")]}


def test_another_province_cannot_act_and_the_other_firm_cannot_confirm(world, upload, zheng):
    instance = apply(upload, zheng)
    with pytest.raises(NotFound):
        review(instance, world.other_firm_reviewer)
    review(instance, world.firm_reviewer)
    with pytest.raises(NotFound):
        review(instance, world.other_local_reviewer)


def test_withdraw_while_the_firm_confirms(world, upload, zheng):
    instance = apply(upload, zheng)
    services.applicant_action(instance.id, zheng, "withdraw")
    assert open_task(instance).bpmn_id == "Task_CustodyApply"
    services.applicant_action(instance.id, zheng, "abandon")
    assert instance.status == "abandoned"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"kind": "non_practicing"}, "只有执业会员可以申请协会代管"),  # R-TRF-1
        ({"annual_inspection": "in_progress"}, "年检进行中"),  # R-TRF-2
        ({"annual_inspection": "deferred"}, "年检暂缓期间"),  # R-TRF-2
        ({"annual_inspection": "failed"}, "年检未通过"),  # R-TRF-2
        ({"is_shareholder": True}, "股东"),  # R-TRF-3
        ({"in_custody": True, "firm_id": None}, "您已在协会代管中"),
    ],
)
def test_every_refusal_row(world, zheng, fields, reason):
    """R-TRF-2, R-TRF-3: the refusals, row by row."""
    set_member(zheng, **fields)
    with pytest.raises(NotEligible, match=reason):
        services.start_process("custody", zheng)


def test_one_member_change_at_a_time_r_one_1(world, upload, zheng):
    apply(upload, zheng)
    with pytest.raises(NotEligible, match="「协会代管申请」正在办理中"):
        services.start_process("transfer", zheng)
    with pytest.raises(NotEligible, match="「协会代管申请」正在办理中"):
        services.start_process("custody", zheng)


def test_left_custody_another_way_no_warning_when_the_year_is_up(app, world, upload, zheng):
    approved_custody(world, upload, zheng)
    member = member_of(zheng)
    member.status = "resigned"  # e.g. a resignation that did not tell the watch
    db.session.commit()
    clock.advance(timedelta(days=366))
    assert fire_due_timers(app) == 1
    watch = watch_of(zheng)
    assert (watch.status, watch.outcome) == ("completed", "已离开协会代管")
    assert not db.session.scalars(select(HumanTask).where(HumanTask.name == "代管已满一年，请核查")).all()
