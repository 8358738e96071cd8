"""Walks processes/prefiling_transfer.bpmn and prefiling_watch.bpmn with a moved clock (R-TRF-9)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.errors import Invalid, NotEligible, NotFound
from app.extensions import db
from app.organizations.models import Organization
from app.scheduler import fire_due_timers
from app.workflow import services
from app.workflow.models import ProcessInstance
from tests.processes.walk import member_of, open_task, person, review, set_member

PREFILING_CODE = "91110108MA01ABCD1E"  # the demo's 北京筹建中评估有限公司, not filed


def watch_of(user, process_id="prefiling_watch"):
    db.session.expire_all()
    return db.session.scalars(
        select(ProcessInstance).where(ProcessInstance.process_id == process_id, ProcessInstance.applicant_id == user.id)
    ).one()


@pytest.fixture
def chu(world):
    return person("13800000023")  # at 北京华信众合


ATTACHMENTS = ("leaving_certificate", "social_security", "new_labour_contract", "archive_certificate", "transfer_form")


def form(upload, user, name="北京筹建中评估有限公司", code=PREFILING_CODE, association=None):
    files = {k: [upload(user, f"{k}.png")] for k in ATTACHMENTS}
    association_id = association.id if association else member_of(user).local_association_id
    data = {"firm_name": name, "credit_code": code, "incoming_association_id": association_id}
    return {**data, "contract_valid_until": "2029-12-31", **files}


def apply(upload, user, **kw):
    instance = services.start_process("prefiling_transfer", user)
    services.submit_task(open_task(instance).id, user, form(upload, user, **kw))
    return instance


def prefiling_firm():
    return db.session.scalars(select(Organization).where(Organization.credit_code == PREFILING_CODE)).one()


def test_local_association_approves_then_the_deadline_moves_to_custody(app, world, upload, chu):
    """R-TRF-9: unfiled at the deadline, the member is moved to custody."""
    instance = apply(upload, chu)
    task = open_task(instance)
    assert (task.role, task.organization_id) == ("local_association", world.local_bj.id)
    review(instance, world.local_reviewer)
    assert member_of(chu).firm_id == prefiling_firm().id
    assert instance.status == "approved"
    assert instance.outcome == "已转入北京筹建中评估有限公司（预备案），机构须在 90 日内完成备案"
    db.session.commit()

    clock.advance(timedelta(days=89))
    assert fire_due_timers(app) == 0
    clock.advance(timedelta(days=1, minutes=1))
    assert fire_due_timers(app) == 1

    member = member_of(chu)
    assert (member.in_custody, member.firm_id) == (True, None)
    watch = watch_of(chu)
    assert (watch.status, watch.outcome) == (
        "completed",
        "北京筹建中评估有限公司逾期未完成备案，已由北京资产评估协会代管",
    )
    assert watch_of(chu, "custody_watch").status == "running"  # and the custody year starts


def test_filing_completed_in_time_keeps_the_member(app, world, upload, chu):
    review(apply(upload, chu), world.local_reviewer)
    prefiling_firm().filed = True
    db.session.commit()
    clock.advance(timedelta(days=91))
    assert fire_due_timers(app) == 1
    member = member_of(chu)
    assert (member.in_custody, member.firm_id) == (False, prefiling_firm().id)
    assert watch_of(chu).outcome == "机构已按期备案"


def test_the_limit_is_a_setting(app, world, upload, chu):
    app.config["MEMBERFLOW_PREFILING_DAYS"] = 30
    try:
        review(apply(upload, chu), world.local_reviewer)
    finally:
        app.config["MEMBERFLOW_PREFILING_DAYS"] = 90
    db.session.commit()
    clock.advance(timedelta(days=30, minutes=1))
    assert fire_due_timers(app) == 1
    assert member_of(chu).in_custody is True


def test_a_new_firm_is_recorded_unfiled(world, upload, chu):
    code = "91310000MA1FL0000"
    from stdnum.cn import uscc

    code += uscc.calc_check_digit(code)
    review(apply(upload, chu, name="上海新设评估有限公司", code=code), world.local_reviewer)
    firm = db.session.scalars(select(Organization).where(Organization.credit_code == code)).one()
    assert (firm.filed, firm.local_association_id, member_of(chu).firm_id) == (False, world.local_bj.id, firm.id)


@pytest.mark.parametrize(
    ("name", "code", "errors"),
    [
        (
            "北京筹建中评估有限公司",
            "91110108MA01ABCD1X",
            {"credit_code": "统一社会信用代码格式不正确，请核对（18 位，含校验位）"},
        ),
        (
            "北京中和资产评估有限公司",
            PREFILING_CODE,
            {"firm_name": "「北京中和资产评估有限公司」已完成备案，请申请转所"},
        ),
    ],
)
def test_field_checks(world, upload, chu, name, code, errors):
    instance = services.start_process("prefiling_transfer", chu)
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, chu, form(upload, chu, name=name, code=code))
    assert err.value.field_errors == errors


def test_filed_firm_found_by_credit_code(world, upload, chu):
    """R-TRF-9: a filed firm's credit code is refused."""
    from stdnum.cn import uscc

    code = "91110000MA00HXYH0"
    code += uscc.calc_check_digit(code)
    world.firm_bj2.credit_code = code
    db.session.flush()
    instance = services.start_process("prefiling_transfer", chu)
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, chu, form(upload, chu, name="另一个名字", code=code))
    assert err.value.field_errors == {"firm_name": "「北京华信众合资产评估有限公司」已完成备案，请申请转所"}


def test_return_reject_and_another_province(world, upload, chu):
    instance = apply(upload, chu)
    with pytest.raises(NotFound):
        review(instance, world.other_local_reviewer)
    review(instance, world.local_reviewer, "return", "转所表未盖章")
    assert open_task(instance).bpmn_id == "Task_PrefilingApply"
    services.submit_task(open_task(instance).id, chu, form(upload, chu))
    review(instance, world.local_reviewer, "reject", "机构不存在")
    assert (instance.status, instance.outcome) == ("rejected", "不予通过：机构不存在")
    assert member_of(chu).firm_id == world.firm_bj2.id


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"kind": "non_practicing"}, "只有执业会员可以申请预备案转所"),  # R-TRF-1
        ({"annual_inspection": "in_progress"}, "年检进行中"),  # R-TRF-2
        ({"annual_inspection": "deferred"}, "年检暂缓期间"),  # R-TRF-2
        ({"annual_inspection": "failed"}, "年检未通过"),  # R-TRF-2
        ({"is_shareholder": True}, "股东"),  # R-TRF-3
    ],
)
def test_every_refusal_row(world, chu, fields, reason):
    set_member(chu, **fields)
    with pytest.raises(NotEligible, match=reason):
        services.start_process("prefiling_transfer", chu)


def test_one_member_change_at_a_time_r_one_1(world, upload, chu):
    apply(upload, chu)
    with pytest.raises(NotEligible, match="「预备案转所申请」正在办理中"):
        services.start_process("transfer", chu)


def test_the_watch_cannot_be_started_by_a_person(world, chu):
    from app.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.start_process("prefiling_watch", chu)


def test_the_form_asks_what_the_procedures_list_and_places_the_firm_under_the_incoming_association(world, upload, chu):
    """Procedures §四(二)2②: 转入协会名称, 劳动合同有效期 and the five attachments (issue 14 item 5)."""
    instance = services.start_process("prefiling_transfer", chu)
    data = form(upload, chu)
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, chu, {k: v for k, v in data.items() if k != "social_security"})
    assert set(err.value.field_errors) == {"social_security"}
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, chu, {**data, "incoming_association_id": world.firm_bj.id})
    assert err.value.field_errors == {"incoming_association_id": "转入协会名称的选项无效"}  # only local associations
    new_code = "91310104MA1NEWF1XK"  # a new firm, not known yet: created under the incoming association
    services.submit_task(
        open_task(instance).id,
        chu,
        form(upload, chu, name="上海新设评估有限公司", code=new_code, association=world.local_sh),
    )
    review(instance, world.local_reviewer)
    firm = db.session.scalars(select(Organization).where(Organization.credit_code == new_code)).one()
    assert (firm.local_association_id, firm.province, firm.filed) == (world.local_sh.id, "上海", False)
    assert member_of(chu).local_association_id == world.local_sh.id


def test_a_name_of_one_filed_firm_and_the_code_of_another_names_the_firm_of_that_name(world, chu):
    """R-TRF-9: the refusal on the name field names the filed firm of that name, on PostgreSQL too (rows without an
    ORDER BY come back there in heap order, not insertion order, once rows have been deleted or updated)."""
    from stdnum.cn import uscc

    from app.members.transfers import prefiling_context
    from tests.heap import in_either_heap_order

    codes = [c + uscc.calc_check_digit(c) for c in ("91110000MA00NAMA0", "91110000MA00CDEB0")]
    named, coded = (
        Organization(kind="firm", name=name, credit_code=code, filed=True)
        for name, code in zip(("甲评估有限公司", "乙评估有限公司"), codes, strict=True)
    )
    db.session.add_all([named, coded])
    db.session.commit()

    def check():
        with pytest.raises(Invalid) as err:
            prefiling_context(chu.id, "甲评估有限公司", codes[1], world.local_bj.id)
        assert err.value.field_errors == {"firm_name": "「甲评估有限公司」已完成备案，请申请转所"}

    in_either_heap_order(Organization, named.id, check)
    in_either_heap_order(Organization, coded.id, check)
