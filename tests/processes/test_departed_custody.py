"""Walks processes/departed_custody.bpmn: a firm moves a departed appraiser into custody (R-TRF-10)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.errors import Conflict, Invalid, NotEligible, NotFound
from app.extensions import db
from app.workflow import services
from app.workflow.models import ProcessInstance
from tests.processes.walk import member_of, open_task, person, review


@pytest.fixture
def wei(world):
    return person("13800000024")  # left 北京中和


def form(upload, firm_user, days=31, number="2021000024", name="卫四", left_on=None):
    return {
        "member_number": number,
        "member_name": name,
        "left_on": left_on or (clock.today() - timedelta(days=days)).isoformat(),
        "leaving_proof": [upload(firm_user, "proof.png")],
    }


def apply(world, upload, **kw):
    instance = services.start_process("departed_custody", world.firm_reviewer)
    services.submit_task(open_task(instance).id, world.firm_reviewer, form(upload, world.firm_reviewer, **kw))
    return instance


def test_firm_asks_and_the_local_association_approves(world, upload, wei):
    instance = apply(world, upload)
    assert instance.applicant_id == world.firm_reviewer.id
    task = open_task(instance)
    assert (task.role, task.organization_id) == ("local_association", world.local_bj.id)
    with pytest.raises(NotFound):  # another province's association cannot act
        review(instance, world.other_local_reviewer)
    review(instance, world.local_reviewer)
    member = member_of(wei)
    assert (member.in_custody, member.firm_id) == (True, None)
    assert (instance.status, instance.outcome) == ("approved", "卫四已由北京资产评估协会代管")
    watch = db.session.scalars(
        select(ProcessInstance).where(
            ProcessInstance.process_id == "custody_watch", ProcessInstance.applicant_id == wei.id
        )
    ).one()
    assert watch.status == "running"  # the custody year is watched for the appraiser


def test_return_and_reject(world, upload, wei):
    instance = apply(world, upload)
    review(instance, world.local_reviewer, "return", "请补充离职证明")
    assert open_task(instance).bpmn_id == "Task_DepartedApply"
    services.submit_task(open_task(instance).id, world.firm_reviewer, form(upload, world.firm_reviewer))
    review(instance, world.local_reviewer, "reject", "该人员已联系转所")
    assert (instance.status, member_of(wei).in_custody) == ("rejected", False)


@pytest.mark.parametrize(
    ("kw", "errors"),
    [
        ({"days": 29}, {"left_on": "离职未满 30 日（已离职 29 日），请待满 30 日仍未转所后再申请"}),
        ({"days": -1}, {"left_on": "离职日期不能晚于今天"}),
        ({"name": "别人"}, {"member_number": "本机构没有该会员编号与姓名相符的执业人员"}),
        ({"number": "2021000023", "name": "褚三"}, {"member_number": "本机构没有该会员编号与姓名相符的执业人员"}),
    ],
)
def test_field_checks(world, upload, wei, kw, errors):
    instance = services.start_process("departed_custody", world.firm_reviewer)
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, world.firm_reviewer, form(upload, world.firm_reviewer, **kw))
    assert err.value.field_errors == errors


def test_exactly_30_days_is_enough(world, upload, wei):
    assert open_task(apply(world, upload, days=30)).role == "local_association"


def test_already_in_custody_or_own_change_under_way(world, upload, wei):
    services.start_process("transfer", wei)  # the appraiser's own transfer is under way
    instance = services.start_process("departed_custody", world.firm_reviewer)
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, world.firm_reviewer, form(upload, world.firm_reviewer))
    assert err.value.field_errors == {"member_number": "该人员的「转所申请」正在办理中，不能申请转入协会代管"}
    member = member_of(wei)
    member.in_custody = True
    db.session.flush()
    with pytest.raises(Invalid) as err:
        services.submit_task(open_task(instance).id, world.firm_reviewer, form(upload, world.firm_reviewer))
    assert err.value.field_errors == {"member_number": "该人员已在协会代管中"}


def test_only_firm_users_may_start(world, wei):
    with pytest.raises(NotEligible, match="只有机构审核人员"):
        services.start_process("departed_custody", wei)


def test_the_start_page_offers_it_to_firm_users_only(app, world, wei):
    from app.demo import DEMO_PASSWORD

    def home(user):
        client = app.test_client()
        assert client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD}).status_code == 302
        return client.get("/").get_data(as_text=True)

    assert "离职人员转入协会代管" in home(world.firm_reviewer)
    assert "离职人员转入协会代管" not in home(wei)


def test_appraiser_transferred_meanwhile_the_approval_is_refused(world, upload, wei):
    instance = apply(world, upload)
    member = member_of(wei)
    member.firm_id = world.firm_bj2.id  # transferred while the firm's request waited
    db.session.flush()
    with pytest.raises(NotEligible, match="该人员已不在本机构"):
        review(instance, world.local_reviewer)
    assert member_of(wei).in_custody is False
    review(instance, world.local_reviewer, "reject", "已转所")
    assert instance.status == "rejected"


def test_the_firm_may_start_several_one_per_appraiser_r_one_1(world):
    first = services.start_process("departed_custody", world.firm_reviewer)
    second = services.start_process("departed_custody", world.firm_reviewer)
    assert (first.status, second.status) == ("running", "running")


def test_a_second_request_for_the_same_appraiser_is_refused_r_one_1(world, upload, wei):
    apply(world, upload)
    second = services.start_process("departed_custody", world.firm_reviewer)
    with pytest.raises(Conflict, match="正在办理"):
        services.submit_task(open_task(second).id, world.firm_reviewer, form(upload, world.firm_reviewer))
