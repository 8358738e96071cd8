"""R-ACC-5 (former members log in but hold no rights), R-ACC-6 identity choice, switching identities."""

from datetime import date

import pytest

from app.accounts.models import RoleGrant
from app.extensions import db
from app.members.models import Member
from app.workflow import services
from app.workflow.models import HumanTask


@pytest.fixture
def lapsed_reviewer(world):
    """李四 resigned in 2021 but still holds a reviewer grant for a firm and is an administrator."""
    db.session.add(RoleGrant(user_id=world.returning.id, role="firm", organization_id=world.firm_bj.id))
    world.returning.is_admin = True
    db.session.commit()
    return world.returning


@pytest.fixture
def firm_task(world, upload):
    from tests.processes.test_join_practicing import submit_application

    instance = submit_application(world, upload)
    db.session.commit()
    return db.session.query(HumanTask).filter_by(instance_id=instance.id, status="open").one()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/inbox"),
        ("get", "/inbox/done"),
        ("post", "/tasks/{task}/claim"),
        ("get", "/firm/staff"),
        ("get", "/admin/users"),
        ("get", "/admin/organizations"),
        ("get", "/admin/outbox"),
        ("get", "/api/v1/inbox"),
        ("post", "/api/v1/tasks/{task}/claim"),
    ],
)
def test_a_resigned_member_is_refused_on_every_business_endpoint(logged_in, lapsed_reviewer, firm_task, method, path):
    client = logged_in(lapsed_reviewer)
    headers = {"X-Requested-With": "XMLHttpRequest"}
    resp = getattr(client, method)(path.format(task=firm_task.id), headers=headers)
    assert resp.status_code == 403


def test_a_resigned_member_cannot_act_on_a_firm_task_even_directly(logged_in, lapsed_reviewer, firm_task):
    """R-ACC-5: the former role's task answers 403 with the reason (it was 404, as for a stranger)."""
    client = logged_in(lapsed_reviewer)
    assert client.get(f"/tasks/{firm_task.id}").status_code == 403
    assert client.post(f"/tasks/{firm_task.id}", data={"decision": "approve"}).status_code == 403


def test_a_resigned_member_still_logs_in_and_may_apply_again(logged_in, lapsed_reviewer):
    client = logged_in(lapsed_reviewer)
    assert client.get("/identity").status_code == 200
    assert client.post("/processes/join_practicing/start").status_code == 302
    assert "待办任务" not in client.get("/applications").get_data(as_text=True)


def test_an_expelled_member_holds_no_rights_either(logged_in, world):
    db.session.add(
        Member(
            user_id=world.firm_reviewer.id,
            member_number="2010000001",
            kind="full",
            firm_id=world.firm_bj.id,
            local_association_id=world.local_bj.id,
            status="expelled",
            joined_on=date(2010, 1, 1),
        )
    )
    db.session.commit()
    assert logged_in(world.firm_reviewer).get("/inbox").status_code == 403


def test_a_member_who_rejoined_has_rights_again(logged_in, lapsed_reviewer, world):
    db.session.add(
        Member(
            user_id=world.returning.id,
            member_number="2026000001",
            kind="full",
            firm_id=world.firm_bj.id,
            local_association_id=world.local_bj.id,
            joined_on=date(2026, 1, 1),
        )
    )
    db.session.commit()
    assert logged_in(world.returning).get("/inbox").status_code == 200


def test_identity_choice_offers_the_four_identities(logged_in, world):
    """R-ACC-6: after registration the user chooses one of four identities."""
    html = logged_in(world.applicant).get("/identity").get_data(as_text=True)
    for label in ("申请执业会员入会", "申请非执业会员入会", "申请机构管理员", "新资产评估机构备案"):
        assert label in html
    assert "该业务即将开通" not in html  # R-ACC-6: the firm filing (issue 11) is open now
    assert 'action="/processes/firm_filing/start"' in html
    assert 'action="/processes/join_practicing/start"' in html and 'action="/processes/firm_admin/start"' in html
    assert 'action="/processes/join_non_practicing/start"' in html  # R-JOIN-4


def test_a_person_with_several_roles_switches_and_the_menu_follows(logged_in, world):
    db.session.add(RoleGrant(user_id=world.local_reviewer.id, role="firm", organization_id=world.firm_bj.id))
    world.local_reviewer.is_admin = True
    db.session.commit()
    client = logged_in(world.local_reviewer)
    html = client.get("/").get_data(as_text=True)
    assert "地方协会 · 北京资产评估协会" in html and "资产评估机构 · 北京中和资产评估有限公司" in html
    assert "待办任务" in html and "用户与角色" not in html
    client.post("/identity/switch", data={"identity": "admin"})
    html = client.get("/").get_data(as_text=True)
    assert "用户与角色" in html and "待办任务" not in html
    client.post("/identity/switch", data={"identity": "personal"})
    assert "身份选择" in client.get("/").get_data(as_text=True)


def test_switching_to_an_identity_one_does_not_hold_is_refused(logged_in, world):
    client = logged_in(world.applicant)
    assert client.post("/identity/switch", data={"identity": f"firm:{world.firm_bj.id}"}).status_code == 403


def test_start_process_refuses_an_unverified_account(world):
    world.applicant.verified_at = None
    with pytest.raises(services.NotAllowed, match="请先完成实名认证"):
        services.start_process("join_practicing", world.applicant)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/identity/verify"),
        ("post", "/identity/verify/start"),
        ("post", "/identity/verify/check"),
        ("get", "/identity"),
        ("post", "/identity/switch"),
        ("get", "/firm/staff"),
        ("post", "/firm/staff"),
        ("post", "/firm/staff/1/remove"),
        ("get", "/firm-admin/power-of-attorney.pdf"),
        ("post", "/admin/users/1/grants"),
        ("post", "/admin/grants/1/revoke"),
        ("post", "/admin/organizations"),
    ],
)
def test_account_pages_need_a_login(client, world, method, path):
    resp = getattr(client, method)(path)
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_the_dev_face_page_exists_only_with_the_dev_backend(app, client, world):
    app.config["MEMBERFLOW_IDENTITY_BACKEND"] = "other"
    try:
        assert client.get("/dev/face/anything").status_code == 404
    finally:
        app.config["MEMBERFLOW_IDENTITY_BACKEND"] = "dev"
