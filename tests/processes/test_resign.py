"""Walks processes/resign.bpmn (R-RES-1, R-RES-2, R-RES-3, R-RES-4, R-ONE-1)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.errors import Invalid, NotEligible
from app.extensions import db
from app.members.services import one_year_after
from app.workflow import services
from app.workflow.models import AuditEvent
from tests.processes.test_status_full import member_of, open_task, person, review


def resign(user, upload):
    instance = services.start_process("resign", user)
    letter = [upload(user, "letter.png")]
    return services.submit_task(open_task(instance).id, user, {"resignation_letter": letter, "confirm": True})


def test_resignation_through_firm_local_national_sets_resigned_and_blocks_rejoining_a_year(world, upload):
    """R-RES-2: applicant → firm → local → national; R-RES-3: rejoining blocked for a year."""
    user = person("13800000032")
    instance = resign(user, upload)
    assert (open_task(instance).role, open_task(instance).organization_id) == ("firm", world.firm_bj.id)
    review(instance, world.firm_reviewer)
    review(instance, world.local_reviewer)
    review(instance, world.national_reviewer)
    member = member_of(user)
    today = clock.today()
    assert (instance.status, member.status, member.left_on) == ("approved", "resigned", today)
    until = one_year_after(today).isoformat()
    with pytest.raises(NotEligible, match=f"{until} 起可再次申请"):
        services.start_process("join_practicing", user)


def test_a_signed_letter_is_required(world):
    """R-RES-1: a signed handwritten letter is required."""
    user = person("13800000032")
    instance = services.start_process("resign", user)
    with pytest.raises(Invalid):
        services.submit_task(open_task(instance).id, user, {"confirm": True})


@pytest.mark.parametrize("mobile", ["13800000035", "13800000033"])  # in custody; non-practicing
def test_no_firm_opinion_in_custody_or_non_practicing(world, upload, mobile):
    """R-RES-2: no firm opinion in custody or when non-practicing."""
    instance = resign(person(mobile), upload)
    assert (open_task(instance).role, open_task(instance).organization_id) == ("local_association", world.local_bj.id)


def test_local_return_goes_back_to_the_member(world, upload):
    user = person("13800000035")
    instance = resign(user, upload)
    review(instance, world.local_reviewer, "return", "申请书未签名")
    assert (open_task(instance).role, open_task(instance).user_id) == ("applicant", user.id)


def test_a_pending_resignation_blocks_a_status_change_and_a_transfer(world, upload):
    user = person("13800000032")
    resign(user, upload)
    for process_id in ("status_full", "transfer"):
        with pytest.raises(NotEligible, match="「退会申请」正在办理中"):
            services.start_process(process_id, user)


def test_resigned_demo_member_is_refused_rejoining_with_the_date(world):
    user = person("13800000036")
    left_on = member_of(user).left_on
    with pytest.raises(NotEligible, match=f"{one_year_after(left_on).isoformat()} 起可再次申请"):
        services.start_process("join_practicing", user)


def test_after_a_year_rejoining_is_allowed_and_unpaid_dues_are_pointed_out(world, upload):
    user = person("13800000034")  # 1,200 yuan unpaid: resignation is not blocked (R-RES-4)
    instance = resign(user, upload)
    for reviewer in (world.firm_reviewer, world.local_reviewer, world.national_reviewer):
        review(instance, reviewer)
    clock.advance(timedelta(days=366))
    rejoin = services.start_process("join_practicing", user)
    started = db.session.scalars(select(AuditEvent).where(AuditEvent.instance_id == rejoin.id)).one()
    assert started.comment == "提示：您以往会籍有欠缴会费 1200 元，请在入会审核前缴清"


def test_no_warning_without_dues(world):
    instance = services.start_process("join_practicing", world.applicant)
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance.id)).one().comment is None
