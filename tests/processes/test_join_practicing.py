"""Walks processes/join_practicing.bpmn through the services (R-JOIN-2, R-JOIN-3, R-JOIN-7, R-JOIN-9)."""

import pytest
from sqlalchemy import select

from app.errors import Conflict, Invalid, NotAllowed, NotEligible, NotFound
from app.extensions import db
from app.members.models import Member
from app.workflow import services
from app.workflow.drafts import draft_of
from app.workflow.models import AuditEvent, HumanTask
from tests.workflow.drafts import typed


def open_task(instance, **where):
    stmt = select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    for key, value in where.items():
        stmt = stmt.where(getattr(HumanTask, key) == value)
    return db.session.scalars(stmt).one()


def application(world, upload, user=None, **overrides):
    user = user or world.applicant
    files = {
        k: [upload(user, f"{k}.png")]
        for k in ("photo", "signature", "archive_certificate", "social_security", "labour_contract")
    }
    data = {
        "firm_id": world.firm_bj.id,
        "kind": "trainee",
        "education": "bachelor",
        "qualification_number": "ZC2024001",
        "contract_valid_until": "2029-12-31",
        "archive_location": "北京市人才服务中心",
        "no_disqualification": True,
        **files,
        **overrides,
    }
    return {k: v for k, v in data.items() if v is not None}


def submit_application(world, upload, user=None, **overrides):
    user = user or world.applicant
    instance = services.start_process("join_practicing", user)
    services.submit_task(open_task(instance).id, user, {"agree_rules": True})
    return services.submit_task(open_task(instance).id, user, application(world, upload, user, **overrides))


def review(world, instance, reviewer, decision="approve", comment=None):
    task = open_task(instance)
    data = {"decision": decision, **({"comment": comment} if comment else {})}
    return services.submit_task(task.id, reviewer, data)


def test_full_walk_makes_a_member_with_number_firm_and_kind(world, upload):
    """R-JOIN-3: notice → form → firm → local association → national association → member."""
    instance = submit_application(world, upload)
    task = open_task(instance)
    assert (task.role, task.organization_id, task.name) == ("firm", world.firm_bj.id, "机构确认")
    review(world, instance, world.firm_reviewer)
    assert (open_task(instance).role, open_task(instance).organization_id) == (
        "local_association",
        world.local_bj.id,
    )
    review(world, instance, world.local_reviewer)
    assert open_task(instance).organization_id == world.national.id
    review(world, instance, world.national_reviewer)

    assert instance.status == "approved"
    member = db.session.scalars(select(Member).where(Member.user_id == world.applicant.id)).one()
    assert (member.firm_id, member.kind, member.local_association_id) == (
        world.firm_bj.id,
        "trainee",
        world.local_bj.id,
    )
    assert member.member_number.startswith(str(member.joined_on.year))
    assert member.practice_started_on == member.joined_on  # R-STA-1 counts from joining
    assert instance.outcome == f"已成为见习执业会员，会员编号 {member.member_number}"
    assert "End_Member" in instance.progress["done"] and instance.progress["current"] == []
    assert ["Gw_Firm", "Task_LocalReview"] in instance.progress["taken"]
    assert ["Gw_Firm", "Task_Apply"] not in instance.progress["taken"]  # never returned: not drawn as taken
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.instance_id == instance.id).order_by(AuditEvent.id)
        )
    ]
    assert actions == ["started", "submitted", "submitted", "approved", "approved", "approved"]


def test_firm_return_goes_back_to_applicant_with_answers_prefilled(world, upload):
    """R-JOIN-3: a firm refusal returns the application to the applicant to resubmit."""
    instance = submit_application(world, upload)
    review(world, instance, world.firm_reviewer, "return", "劳动合同缺少盖章页")
    task = open_task(instance)
    assert task.user_id == world.applicant.id and task.bpmn_id == "Task_Apply"
    assert typed(task)["qualification_number"] == "ZC2024001"
    assert ["Gw_Firm", "Task_Apply"] in instance.progress["taken"]  # the return arrow is drawn as taken
    services.submit_task(task.id, world.applicant, application(world, upload, position="评估师"))
    assert open_task(instance).role == "firm"


def test_each_review_starts_blank_r_join_3(world, upload):
    """A resubmitted application's second firm round, and the local association after the firm, start with no
    decision and no comment: the earlier round's 退回 and its comment are not the reviewer's answer (issue 16)."""
    instance = submit_application(world, upload)
    review(world, instance, world.firm_reviewer, "return", "劳动合同缺少盖章页")
    services.submit_task(open_task(instance).id, world.applicant, application(world, upload))
    second_round = open_task(instance)
    assert second_round.role == "firm" and draft_of(second_round, world.firm_reviewer.id) is None

    review(world, instance, world.firm_reviewer, "approve", "材料齐全")
    local = open_task(instance)
    assert local.role == "local_association" and draft_of(local, world.local_reviewer.id) is None


def test_return_needs_a_comment(world, upload):
    instance = submit_application(world, upload)
    with pytest.raises(Invalid) as err:
        review(world, instance, world.firm_reviewer, "return")
    assert err.value.field_errors == {"comment": "退回时请填写意见说明"}
    assert open_task(instance).role == "firm"


def test_association_reject_ends_the_application(world, upload):
    instance = submit_application(world, upload)
    review(world, instance, world.firm_reviewer)
    review(world, instance, world.local_reviewer, "reject", "不符合执业条件")
    assert instance.status == "rejected" and instance.outcome == "不予通过：不符合执业条件"
    assert db.session.scalar(select(Member).where(Member.user_id == world.applicant.id)) is None


def test_full_kind_refused_for_first_time_applicant_r_join_2(world, upload):
    instance = services.start_process("join_practicing", world.applicant)
    services.submit_task(open_task(instance).id, world.applicant, {"agree_rules": True})
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, world.applicant, application(world, upload, kind="full"))
    assert "首次申请执业只能选择见习执业会员" in err.value.field_errors["kind"]
    assert open_task(instance).bpmn_id == "Task_Apply"


def test_full_kind_allowed_for_member_before_2023_r_join_2(world, upload):
    instance = submit_application(world, upload, user=world.returning, kind="full")
    assert open_task(instance).role == "firm"


def test_withdraw_allowed_at_firm_stage_then_abandon_r_join_7(world, upload):
    """R-JOIN-7, R-REC-2: withdrawn before the association stage, then abandoned."""
    instance = submit_application(world, upload)
    services.applicant_action(instance.id, world.applicant, "withdraw")
    assert open_task(instance).bpmn_id == "Task_Apply"
    services.applicant_action(instance.id, world.applicant, "abandon")
    assert instance.status == "abandoned"
    assert (
        db.session.scalars(
            select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
        ).all()
        == []
    )


def test_withdraw_refused_once_the_association_has_it_r_join_7(world, upload):
    """R-JOIN-7, R-REC-2: no withdrawal once the association has it."""
    instance = submit_application(world, upload)
    review(world, instance, world.firm_reviewer)
    with pytest.raises(NotAllowed):
        services.applicant_action(instance.id, world.applicant, "withdraw")
    assert open_task(instance).role == "local_association"


def test_only_the_applicant_may_withdraw(world, upload):
    instance = submit_application(world, upload)
    with pytest.raises(NotAllowed):
        services.applicant_action(instance.id, world.firm_reviewer, "withdraw")


def test_reviewer_of_another_firm_cannot_see_or_complete(world, upload):
    instance = submit_application(world, upload)
    task = open_task(instance)
    with pytest.raises(NotFound):
        services.submit_task(task.id, world.other_firm_reviewer, {"decision": "approve"})
    review(world, instance, world.firm_reviewer)
    with pytest.raises(NotFound):
        services.submit_task(open_task(instance).id, world.other_local_reviewer, {"decision": "approve"})
    assert open_task(instance).role == "local_association"


def test_completed_task_cannot_be_completed_again(world, upload):
    instance = submit_application(world, upload)
    task = open_task(instance)
    review(world, instance, world.firm_reviewer)
    with pytest.raises(Conflict):
        services.submit_task(task.id, world.firm_reviewer, {"decision": "approve"})


def test_claimed_task_is_reserved_for_its_assignee(world, upload):
    instance = submit_application(world, upload)
    task = open_task(instance)
    colleague = world.other_firm_reviewer
    colleague.grants.append(type(world.firm_reviewer.grants[0])(role="firm", organization_id=world.firm_bj.id))
    db.session.flush()
    services.claim_task(task.id, world.firm_reviewer)
    with pytest.raises(Conflict):
        services.submit_task(task.id, colleague, {"decision": "approve"})
    services.unclaim_task(task.id, world.firm_reviewer)
    services.submit_task(task.id, colleague, {"decision": "approve"})


def test_second_application_refused_while_one_runs(world, upload):
    services.start_process("join_practicing", world.applicant)
    with pytest.raises(NotEligible, match="正在办理的入会申请"):
        services.start_process("join_practicing", world.applicant)


def test_someone_elses_attachment_cannot_be_referenced(world, upload):
    instance = services.start_process("join_practicing", world.applicant)
    services.submit_task(open_task(instance).id, world.applicant, {"agree_rules": True})
    stolen = upload(world.returning, "their_photo.png")
    with pytest.raises(NotAllowed):
        services.submit_task(open_task(instance).id, world.applicant, application(world, upload, photo=[stolen]))


def test_a_reviewer_cannot_steer_the_process_with_extra_fields(world, upload):
    """Only the form's own fields reach the process: a forged firm/scope is dropped, not merged."""
    instance = submit_application(world, upload)
    forged = {"decision": "approve", "firm": {"local_association_id": world.local_sh.id}, "firm_id": world.firm_sh.id}
    services.submit_task(open_task(instance).id, world.firm_reviewer, forged)
    assert (open_task(instance).role, open_task(instance).organization_id) == ("local_association", world.local_bj.id)


def test_task_data_cannot_replace_the_sandbox_guards():
    from app.engine.scripting import SCRIPT_ENGINE

    assert SCRIPT_ENGINE.environment.evaluate("member['k']", {"member": {"k": 1}, "_getitem_": 0}) == 1


def test_a_trainee_without_the_appraiser_qualification_joins_without_its_number(world, upload):
    """Issue 14 item 5: 其他专业人员 join as practicing trainees; the certificate number is asked of full members."""
    instance = submit_application(world, upload, qualification_number=None)
    assert open_task(instance).role == "firm"
    user = world.returning  # practising before 2023: may choose full (R-JOIN-2)
    with pytest.raises(Invalid) as err:
        submit_application(world, upload, user=user, kind="full", qualification_number=None)
    assert "qualification_number" in err.value.field_errors
