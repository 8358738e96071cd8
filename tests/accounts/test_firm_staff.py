"""The firm admin's pages: staff accounts with the firm's review rights, the power-of-attorney template."""

import pytest
from sqlalchemy import select

from app.accounts.firm_admin import appoint_firm_admin
from app.accounts.models import RoleGrant, User
from app.extensions import db


@pytest.fixture
def firm_admin(world):
    """张三 approved as admin of 北京中和 (the BPMN service operation, as the process calls it)."""
    appoint_firm_admin(world.applicant.id, world.firm_bj.id)
    db.session.commit()
    return world.applicant


def test_the_admin_acts_for_the_firm_and_the_previous_admin_loses_it(world, firm_admin, logged_in):
    appoint_firm_admin(world.returning.id, world.firm_bj.id)
    db.session.commit()
    roles = set(db.session.scalars(select(RoleGrant.role).where(RoleGrant.user_id == firm_admin.id)))
    assert roles == set()
    assert logged_in(world.returning).get("/firm/staff").status_code == 403  # 李四 resigned: no rights (R-ACC-5)


def test_a_new_staff_account_gets_the_firms_review_rights_and_its_password_by_sms(
    world, firm_admin, logged_in, last_sms
):
    client = logged_in(firm_admin)
    form = {"mobile": "13711112222", "name": "刘员工", "id_number": "11010519491231002X"}
    resp = client.post("/firm/staff", data=form)
    assert resp.status_code == 302
    staff = db.session.scalar(select(User).where(User.mobile == "13711112222"))
    assert [(g.role, g.organization_id) for g in staff.grants] == [("firm", world.firm_bj.id)]
    assert staff.verified_at is None
    assert "初始密码" in last_sms("13711112222")
    assert "刘员工" in client.get("/firm/staff").get_data(as_text=True)


def test_an_existing_account_is_added_by_mobile_and_removed_again(world, firm_admin, logged_in):
    client = logged_in(firm_admin)
    person = world.other_firm_reviewer
    form = {"mobile": person.mobile, "name": person.name, "id_number": person.id_number}
    assert client.post("/firm/staff", data=form).status_code == 302
    assert client.post("/firm/staff", data=form).status_code == 422
    resp = client.post(f"/firm/staff/{world.other_firm_reviewer.id}/remove")
    assert resp.status_code == 302
    db.session.expire_all()
    assert [g.organization_id for g in world.other_firm_reviewer.grants] == [world.firm_bj2.id]


def test_staff_form_refuses_a_bad_id_number_on_the_field(world, firm_admin, logged_in):
    client = logged_in(firm_admin)
    resp = client.post(
        "/firm/staff", data={"mobile": "13711112222", "name": "刘员工", "id_number": "110105194912310021"}
    )
    assert resp.status_code == 422 and "身份证号码校验位不正确" in resp.get_data(as_text=True)


def test_only_a_firm_admin_manages_staff(world, firm_admin, logged_in):
    reviewer = logged_in(world.firm_reviewer)  # a firm reviewer, not the admin
    assert reviewer.get("/firm/staff").status_code == 403
    assert reviewer.post("/firm/staff", data={"mobile": "13711112222"}).status_code == 403
    assert reviewer.post(f"/firm/staff/{world.firm_reviewer.id}/remove").status_code == 403
    assert logged_in(firm_admin).post(f"/firm/staff/{firm_admin.id}/remove").status_code == 403


def test_the_staff_menu_shows_for_the_admin_only(world, firm_admin, logged_in):
    assert "工作人员" in logged_in(firm_admin).get("/").get_data(as_text=True)
    assert "工作人员" not in logged_in(world.firm_reviewer).get("/").get_data(as_text=True)


def test_the_power_of_attorney_template_downloads_as_pdf(world, logged_in, client):
    resp = logged_in(world.applicant).get("/firm-admin/power-of-attorney.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF")
    assert client.get("/firm-admin/power-of-attorney.pdf").status_code == 302  # login first
