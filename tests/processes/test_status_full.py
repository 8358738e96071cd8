"""Walks processes/status_full.bpmn: trainee → full member (R-STA-1, R-STA-4, R-ONE-1)."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.engine.specs import load_catalog
from app.errors import NotAllowed, NotEligible
from app.extensions import db
from app.members.models import Member
from app.workflow import services
from app.workflow.models import HumanTask

ROOT = Path(__file__).resolve().parents[2]


def person(mobile):
    return db.session.scalars(select(User).where(User.mobile == mobile)).one()


def member_of(user):
    return db.session.scalars(select(Member).where(Member.user_id == user.id)).one()


def open_task(instance):
    stmt = select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    return db.session.scalars(stmt).one()


def review(instance, reviewer, decision="approve", comment=None):
    data = {"decision": decision, **({"comment": comment} if comment else {})}
    return services.submit_task(open_task(instance).id, reviewer, data)


def apply_for_full(user):
    instance = services.start_process("status_full", user)
    return services.submit_task(open_task(instance).id, user, {})


def test_trainee_at_23_months_is_refused_with_the_months(world):
    with pytest.raises(NotEligible, match="执业满 24 个月.*目前 23 个月"):
        services.start_process("status_full", person("13800000031"))


def test_trainee_at_24_months_becomes_full_only_at_the_national_approval(world):
    """R-STA-1, R-STA-4: firm → local → national, full only at the end."""
    user = person("13800000032")
    instance = apply_for_full(user)
    task = open_task(instance)
    assert (task.role, task.organization_id, task.name) == ("firm", world.firm_bj.id, "机构意见")
    review(instance, world.firm_reviewer)
    assert (open_task(instance).role, open_task(instance).organization_id) == ("local_association", world.local_bj.id)
    review(instance, world.local_reviewer)
    assert open_task(instance).organization_id == world.national.id
    assert member_of(user).kind == "trainee"
    review(instance, world.national_reviewer)
    assert (instance.status, instance.outcome) == ("approved", "已转为正式执业会员")
    assert member_of(user).kind == "full"


def test_firm_return_gives_the_applicant_the_form_back_and_resubmitting_goes_on(world):
    user = person("13800000032")
    instance = apply_for_full(user)
    review(instance, world.firm_reviewer, "return", "请补充诚信记录说明")
    assert (open_task(instance).role, open_task(instance).user_id) == ("applicant", user.id)
    services.submit_task(open_task(instance).id, user, {})
    assert open_task(instance).role == "firm"


def test_association_rejection_ends_it_and_the_member_stays_trainee(world):
    user = person("13800000032")
    instance = apply_for_full(user)
    review(instance, world.firm_reviewer)
    review(instance, world.local_reviewer, "reject", "资格证书信息不符")
    assert (instance.status, instance.outcome) == ("rejected", "不予通过：资格证书信息不符")
    assert member_of(user).kind == "trainee"


def test_withdraw_while_the_firm_has_it_then_abandon(world):
    user = person("13800000032")
    instance = apply_for_full(user)
    services.applicant_action(instance.id, user, "withdraw")
    assert open_task(instance).role == "applicant"
    services.applicant_action(instance.id, user, "abandon")
    assert instance.status == "abandoned"


def test_no_withdrawal_once_the_association_has_it(world):
    user = person("13800000032")
    instance = apply_for_full(user)
    review(instance, world.firm_reviewer)
    with pytest.raises(NotAllowed):
        services.applicant_action(instance.id, user, "withdraw")


def test_a_pending_status_change_blocks_a_resignation_with_its_name(world):
    user = person("13800000032")
    apply_for_full(user)
    with pytest.raises(NotEligible, match="「见习转正式执业会员申请」正在办理中"):
        services.start_process("resign", user)


def test_changing_the_threshold_in_the_dmn_file_changes_the_rule(app, world, tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    table = rules / "status_full_eligibility.dmn"
    table.write_text(table.read_text(encoding="utf-8").replace("&lt; 24", "&lt; 18"), encoding="utf-8")
    cat = load_catalog(ROOT / "processes", rules, ROOT / "forms")
    monkeypatch.setitem(app.extensions, "memberflow.catalog", cat)
    instance = apply_for_full(person("13800000031"))  # 23 months: refused under 24, allowed under 18
    assert open_task(instance).role == "firm"
