"""System administrator pages: organisations, reviewer roles, the development SMS outbox."""

import pytest
from sqlalchemy import select

from app.accounts.models import RoleGrant
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.notify import send_sms
from app.organizations.models import Organization

ADMIN_PAGES = ("/admin/organizations", "/admin/users", "/admin/outbox")


def as_user(app, user):
    client = app.test_client()
    assert client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_are_for_administrators_only(app, world, client, path):
    assert client.get(path).status_code == 302  # login first
    assert as_user(app, world.local_reviewer).get(path).status_code == 403
    assert as_user(app, world.admin).get(path).status_code == 200


def test_admin_actions_are_refused_to_others(app, world):
    reviewer = as_user(app, world.local_reviewer)
    assert reviewer.post("/admin/organizations", data={"kind": "firm", "name": "X"}).status_code == 403
    data = {"role": "firm", "organization_id": world.firm_bj.id}
    assert reviewer.post(f"/admin/users/{world.local_reviewer.id}/grants", data=data).status_code == 403
    grant_id = world.local_reviewer.grants[0].id
    assert reviewer.post(f"/admin/grants/{grant_id}/revoke").status_code == 403


def test_admin_adds_a_firm_under_its_local_association(app, world):
    admin = as_user(app, world.admin)
    form = {"kind": "firm", "name": "北京新设资产评估有限公司", "province": "北京", "filed": "on"}
    resp = admin.post("/admin/organizations", data=form)
    assert resp.status_code == 422 and "资产评估机构须选择所属地方协会" in resp.get_data(as_text=True)
    resp = admin.post("/admin/organizations", data={**form, "local_association_id": world.local_bj.id})
    assert resp.status_code == 302
    firm = db.session.scalar(select(Organization).where(Organization.name == form["name"]))
    assert firm.local_association_id == world.local_bj.id and firm.filed


def test_admin_grants_and_revokes_a_reviewer_role(app, world):
    admin = as_user(app, world.admin)
    data = {"role": "local_association", "organization_id": world.firm_bj.id}
    assert admin.post(f"/admin/users/{world.applicant.id}/grants", data=data).status_code == 422  # kind mismatch
    data = {"role": "local_association", "organization_id": world.local_sh.id}
    assert admin.post(f"/admin/users/{world.applicant.id}/grants", data=data).status_code == 302
    grant = db.session.scalar(select(RoleGrant).where(RoleGrant.user_id == world.applicant.id))
    assert (grant.role, grant.organization_id) == ("local_association", world.local_sh.id)
    assert "上海市资产评估协会" in admin.get("/admin/users?q=张三").get_data(as_text=True)
    assert admin.post(f"/admin/grants/{grant.id}/revoke").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(RoleGrant).where(RoleGrant.user_id == world.applicant.id)) is None


def test_the_outbox_shows_what_would_have_been_sent(app, world):
    send_sms("13800000001", "【中国资产评估协会】测试短信")
    db.session.commit()
    html = as_user(app, world.admin).get("/admin/outbox?mobile=13800000001").get_data(as_text=True)
    assert "测试短信" in html
