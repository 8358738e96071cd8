"""The administrative audit log: role grants and revocations, staff changes, member-record edits by staff
and certificate revocations, read by administrators at /admin/audit (newest first, paged)."""

import pytest
from sqlalchemy import select

from app.accounts.firm_admin import appoint_firm_admin
from app.accounts.models import RoleGrant, User
from app.admin.audit import AdminAuditEntry, record_admin_action
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.members.models import Member


def log_in(app, user):
    client = app.test_client()
    assert client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD}).status_code == 302
    return client


def entries():
    db.session.expire_all()
    return list(db.session.scalars(select(AdminAuditEntry).order_by(AdminAuditEntry.id)))


def test_role_grant_and_revocation_are_logged_with_who_and_what(app, world):
    admin = log_in(app, world.admin)
    admin.post(
        f"/admin/users/{world.applicant.id}/grants",
        data={"role": "firm", "organization_id": world.firm_bj.id},
    )
    grant_id = db.session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == world.applicant.id))
    admin.post(f"/admin/grants/{grant_id}/revoke")
    granted, revoked = entries()
    assert (granted.action, granted.actor_id, granted.target) == (
        "role.grant",
        world.admin.id,
        f"user:{world.applicant.id}",
    )
    assert granted.details == {"role": "firm", "organization": world.firm_bj.name, "user": "张三"}
    assert revoked.action == "role.revoke" and revoked.details["role"] == "firm"


def test_staff_changes_and_firm_admin_appointments_are_logged(app, world):
    appoint_firm_admin(world.applicant.id, world.firm_bj.id)
    db.session.commit()
    client = log_in(app, world.applicant)
    reviewer = world.other_firm_reviewer
    form = {"mobile": reviewer.mobile, "name": reviewer.name, "id_number": reviewer.id_number}
    assert client.post("/firm/staff", data=form).status_code == 302
    assert client.post(f"/firm/staff/{reviewer.id}/remove").status_code == 302
    assert [(e.action, e.actor_id) for e in entries()] == [
        ("firm_admin.appoint", None),
        ("staff.add", world.applicant.id),
        ("staff.remove", world.applicant.id),
    ]


def test_member_record_edits_and_certificate_revocations_are_logged(app, world):
    user = db.session.scalar(select(User).where(User.mobile == "13800000011"))
    member = db.session.scalar(select(Member).where(Member.user_id == user.id))
    holder = log_in(app, user)
    holder.post("/certificate/print")
    staff = log_in(app, world.local_reviewer)
    resp = staff.post(f"/association/members/{member.id}/fields", data={"name": "王喆", "member_number": "2020000099"})
    assert resp.status_code == 302
    assert staff.post(f"/association/members/{member.id}/photo").status_code == 302
    assert staff.post(f"/association/members/{member.id}/revoke").status_code == 302
    edit, photo, revoke = entries()
    assert (edit.action, edit.actor_id, edit.target) == ("member.edit", world.local_reviewer.id, f"member:{member.id}")
    assert edit.details["member_number"] == ["2020000011", "2020000099"]
    assert photo.action == "member.photo"
    assert revoke.action == "certificate.revoke" and revoke.details["serials"] == ["2020000011-01"]


def test_the_admin_page_lists_newest_first_and_pages(app, world):
    for i in range(55):
        record_admin_action(world.admin, "role.grant", f"user:{i}", {"n": i})
    db.session.commit()
    admin = log_in(app, world.admin)
    first = admin.get("/admin/audit").get_data(as_text=True)
    assert "user:54" in first and "user:4<" not in first and first.index("user:54") < first.index("user:53")
    second = admin.get("/admin/audit?page=2").get_data(as_text=True)
    assert "user:4<" in second and "user:54" not in second
    assert "系统管理员" in first and "授予角色" in first


@pytest.mark.parametrize("who", ["firm_reviewer", "applicant"])
def test_only_administrators_read_the_audit_log(app, world, who):
    assert log_in(app, getattr(world, who)).get("/admin/audit").status_code == 403


def test_granting_review_rights_to_an_existing_account_needs_its_name_and_id(app, world):
    """Manual ch.1 §六.二: the mobile alone must not hand a stranger's account the firm's review rights."""
    appoint_firm_admin(world.applicant.id, world.firm_bj.id)
    db.session.commit()
    client = log_in(app, world.applicant)
    reviewer = world.other_firm_reviewer
    for name, id_number in ((reviewer.name, ""), ("别人", reviewer.id_number), ("", "")):
        resp = client.post("/firm/staff", data={"mobile": reviewer.mobile, "name": name, "id_number": id_number})
        assert resp.status_code == 422 and "姓名和身份证号与该手机号的账号不符" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert [g.organization_id for g in reviewer.grants] == [world.firm_bj2.id]
    form = {"mobile": reviewer.mobile, "name": reviewer.name, "id_number": reviewer.id_number.lower()}
    assert client.post("/firm/staff", data=form).status_code == 302
