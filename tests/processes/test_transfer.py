"""Walks processes/transfer.bpmn through the services with a moved clock
(R-TRF-2, R-TRF-3, R-TRF-4, R-TRF-5, R-TRF-6, R-ONE-1)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.errors import Invalid, NotAllowed, NotEligible, NotFound
from app.extensions import db
from app.members.models import Member
from app.scheduler import fire_due_timers
from app.workflow import queries, services
from app.workflow.models import AuditEvent, HumanTask
from tests.processes.walk import open_task, person, review
from tests.workflow.drafts import typed


@pytest.fixture
def wang(world):
    return person("13800000003")


def apply(world, upload, user, firm, **overrides):
    instance = services.start_process("transfer", user)
    files = {
        k: [upload(user, f"{k}.png")]
        for k in ("leaving_certificate", "new_labour_contract", "archive_certificate", "social_security")
    }
    services.submit_task(open_task(instance).id, user, {"new_firm_id": firm.id, **files, **overrides})
    return instance


def test_old_firm_silent_7_days_counts_as_approval(app, world, upload, wang):
    """R-TRF-4: the old firm's 7 days of silence count as approval."""
    instance = apply(world, upload, wang, world.firm_bj2)
    task = open_task(instance)
    assert (task.role, task.organization_id, task.due_note) == ("firm", world.firm_bj.id, "7 天内未处理将视为同意")
    assert timedelta(days=7) - timedelta(seconds=5) < task.due_at - clock.now() <= timedelta(days=7)
    db.session.commit()

    clock.advance(timedelta(days=6, hours=23))
    assert fire_due_timers(app) == 0
    clock.advance(timedelta(hours=2))
    assert fire_due_timers(app) == 1

    task = open_task(instance)
    assert (task.role, task.organization_id) == ("local_association", world.local_bj.id)
    timer = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "timer")).one()
    assert (timer.step, timer.comment) == ("原机构确认", "7 天内未处理将视为同意")
    review(instance, world.local_reviewer)
    member = db.session.scalars(select(Member).where(Member.user_id == wang.id)).one()
    assert member.firm_id == world.firm_bj2.id and instance.status == "approved"
    assert instance.outcome == "已转入北京华信众合资产评估有限公司（北京资产评估协会）"


def test_a_transfer_out_of_the_branch_is_confirmed_by_its_own_reviewer_r_trf_4(world, upload):
    """Demo data: 天津分公司 has its own reviewer (冯分所), so 冯二's transfer waits for a person, not for the
    7-day timer; the head office's reviewer neither sees nor decides it."""
    feng = person("13800000022")  # at 北京中和's 天津分公司
    instance = apply(world, upload, feng, world.firm_bj2)
    task = open_task(instance)
    assert (task.name, task.organization_id) == ("原机构确认", world.branch_bj.id)
    assert [t.id for t in queries.list_inbox(world.branch_reviewer).items] == [task.id]
    assert task.id not in [t.id for t in queries.list_inbox(world.firm_reviewer).items]
    with pytest.raises(NotFound):
        review(instance, world.firm_reviewer)
    review(instance, world.branch_reviewer)
    assert open_task(instance).organization_id == world.local_bj.id


def test_cross_province_needs_both_associations(world, upload, wang):
    """R-TRF-4, R-TRF-5: the incoming association follows from the new firm and approves too."""
    instance = apply(world, upload, wang, world.firm_sh)
    review(instance, world.firm_reviewer)
    review(instance, world.local_reviewer)
    task = open_task(instance)
    assert (task.name, task.organization_id) == ("转入地协会审核", world.local_sh.id)
    review(instance, world.other_local_reviewer)
    member = db.session.scalars(select(Member).where(Member.user_id == wang.id)).one()
    assert (member.firm_id, member.local_association_id) == (world.firm_sh.id, world.local_sh.id)


def test_same_province_skips_the_incoming_association(world, upload, wang):
    """R-TRF-4: same province, one association."""
    instance = apply(world, upload, wang, world.firm_bj2)
    review(instance, world.firm_reviewer)
    review(instance, world.local_reviewer)
    assert instance.status == "approved"


@pytest.mark.parametrize(
    ("mobile", "reason"),
    [
        ("13800000004", "年检未通过，不能转所"),  # R-TRF-2
        ("13800000005", "股东"),  # R-TRF-3
        ("13800000001", "只有执业会员可以申请转所"),
    ],  # R-TRF-1
)
def test_blocked_members_are_refused_before_start(world, mobile, reason):
    """R-TRF-2, R-TRF-3: inspection and shareholder blocks."""
    with pytest.raises(NotEligible, match=reason):
        services.start_process("transfer", person(mobile))


def test_one_member_change_at_a_time_r_one_1(world, upload, wang):
    apply(world, upload, wang, world.firm_bj2)
    with pytest.raises(NotEligible, match="「转所申请」正在办理中"):
        services.start_process("transfer", wang)


def test_transfer_to_the_own_firm_is_refused_on_the_field(world, upload, wang):
    instance = services.start_process("transfer", wang)
    with pytest.raises(Invalid) as err:
        services.submit_task(
            open_task(instance).id,
            wang,
            {
                "new_firm_id": world.firm_bj.id,
                **{
                    k: [upload(wang, f"{k}.png")]
                    for k in ("leaving_certificate", "new_labour_contract", "archive_certificate", "social_security")
                },
            },
        )
    assert err.value.field_errors == {"new_firm_id": "转入机构不能是当前所在机构"}


def test_withdraw_until_the_association_stage_r_trf_6(world, upload, wang):
    """R-TRF-6: withdrawal until the association stage."""
    instance = apply(world, upload, wang, world.firm_bj2)
    services.applicant_action(instance.id, wang, "withdraw")
    assert open_task(instance).bpmn_id == "Task_TransferApply"
    services.submit_task(open_task(instance).id, wang, typed(open_task(instance)) | {"new_firm_id": world.firm_bj2.id})
    review(instance, world.firm_reviewer)
    with pytest.raises(NotAllowed):
        services.applicant_action(instance.id, wang, "withdraw")


def test_earlier_uploads_are_prefilled_r_trf_5(world, upload, wang):
    """R-TRF-5: archive certificate and social security proof are prefilled from earlier uploads."""
    earlier = upload(wang, "archive.png")
    db.session.add(
        AuditEvent(
            instance_id=services.start_process("transfer", wang).id,
            actor_id=wang.id,
            role="applicant",
            action="submitted",
            data={"archive_certificate": [earlier]},
        )
    )
    db.session.flush()
    instance = services.start_process("join_practicing", person("13800000001"))  # unrelated person: no prefill
    assert "archive_certificate" not in (typed(open_task(instance)) or {})
    services.applicant_action(
        db.session.scalars(select(HumanTask.instance_id).where(HumanTask.user_id == wang.id)).one(), wang, "abandon"
    )
    second = services.start_process("transfer", wang)
    assert typed(open_task(second))["archive_certificate"] == [earlier]


def test_the_social_security_transfer_voucher_is_asked_for_and_optional_for_the_retired(world, upload, wang):
    """Procedures §四(一)2: 离职证明及社保转出凭证 (retired members have none: 退休证 in 社保缴纳证明's place)."""
    voucher = [upload(wang, "voucher.png")]
    instance = apply(world, upload, wang, world.firm_bj2, social_security_transfer=voucher)
    submitted = db.session.scalars(
        select(AuditEvent.data).where(AuditEvent.instance_id == instance.id, AuditEvent.action == "submitted")
    ).one()
    assert submitted["social_security_transfer"][0]["id"] == voucher[0]["id"]
    assert open_task(apply(world, upload, person("13800000021"), world.firm_bj2)).role == "firm"  # without: accepted
