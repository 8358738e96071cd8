"""Server-side session revocation: a copied session cookie dies with logout, password reset, role loss
and resignation (R-ACC-3, R-ACC-5)."""

import re

from sqlalchemy import select

from app.accounts.models import RoleGrant, User
from app.extensions import db
from app.members.models import Member


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """A fresh browser presenting a copied session cookie; answers the API's instance list."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/api/v1/instances")


def test_a_cookie_replayed_after_logout_is_refused(app, world, logged_in):
    client = logged_in(world.applicant)
    cookie = cookie_of(client)
    assert replay(app, cookie).status_code == 200
    client.post("/logout")
    assert replay(app, cookie).status_code == 401


def test_logout_ends_the_sessions_on_every_device(app, world, logged_in):
    phone, laptop = logged_in(world.applicant), logged_in(world.applicant)
    phone.post("/logout")
    assert laptop.get("/api/v1/instances").status_code == 401


def test_a_password_reset_ends_every_session(app, world, logged_in, last_sms):
    client = logged_in(world.applicant)
    stranger = app.test_client()
    stranger.post("/password/reset", data={"mobile": world.applicant.mobile, "action": "send_code"})
    code = re.search(r"验证码为 (\d{6})", last_sms(world.applicant.mobile)).group(1)
    form = {"mobile": world.applicant.mobile, "code": code, "password": "newpass123", "confirm": "newpass123"}
    assert stranger.post("/password/reset", data=form).status_code == 302
    assert client.get("/api/v1/instances").status_code == 401


def test_revoking_a_role_ends_the_reviewers_sessions(app, world, logged_in):
    reviewer = logged_in(world.firm_reviewer)
    assert reviewer.get("/api/v1/inbox").status_code == 200
    grant_id = db.session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == world.firm_reviewer.id))
    admin = logged_in(world.admin)
    assert admin.post(f"/admin/grants/{grant_id}/revoke").status_code == 302
    assert reviewer.get("/api/v1/inbox").status_code == 401


def test_resignation_ends_the_members_sessions(app, world, logged_in):
    from app.members.lifecycle import resign_member

    user = db.session.scalar(select(User).where(User.mobile == "13800000032"))
    client = logged_in(user)
    resign_member(db.session.scalar(select(Member.id).where(Member.user_id == user.id)))
    db.session.commit()
    assert client.get("/api/v1/instances").status_code == 401
