"""Existing members come aboard (issue 14 item 2; R-ACC-1, R-ACC-2, R-ACC-3): login with the mobile on record,
binding a new mobile after a face check against the ID on record, the old login name, and every refusal."""

import re

import pytest
from sqlalchemy import select

from app.accounts.models import FaceSession, MemberBinding, User
from app.admin.models import AdminAuditEntry
from app.extensions import db
from app.members.models import Member
from tests.importing import MEMBER_COLUMNS, credit_code, csv_bytes, member_row, run_import

NEW_MOBILE = "13912345678"


@pytest.fixture
def imported(world):
    """One member imported from the old platform: mobile 13500000001, login name old1, no password."""
    world.firm_bj.credit_code = credit_code(999)
    db.session.commit()
    row = member_row(1, credit_code(999), 姓名="周导入")
    job = run_import(world.admin, "members", csv_bytes(MEMBER_COLUMNS, [row]))
    assert job.status == "done", job.report
    return db.session.scalar(select(User).where(User.mobile == "13500000001")), row


def sms_login(client, last_sms, mobile):
    client.post("/login", data={"mode": "sms", "action": "send_code", "mobile": mobile})
    code = re.search(r"验证码为 (\d{6})", last_sms(mobile)).group(1)
    return client.post("/login", data={"mode": "sms", "action": "login", "mobile": mobile, "code": code})


def test_the_mobile_on_record_logs_in_by_sms_then_sets_a_password(app, imported, last_sms):
    user, _row = imported
    client = app.test_client()
    refused = client.post("/login", data={"mobile": user.mobile, "password": "anything1"})
    assert refused.status_code == 401 and "尚未设置密码" in refused.get_data(as_text=True)
    assert client.post("/register", data={"mobile": user.mobile, "action": "send_code"}).status_code == 422
    resp = sms_login(client, last_sms, user.mobile)
    assert resp.headers["Location"].endswith("/password/first")
    resp = client.post("/password/first", data={"password": "abc12345", "confirm": "abc12345"})
    assert resp.headers["Location"].endswith("/identity/verify")  # R-ACC-2 still before any business
    db.session.refresh(user)
    assert user.claimed_at is not None and user.check_password("abc12345")
    by_old_name = app.test_client().post("/login", data={"mobile": "old1", "password": "abc12345"})
    assert by_old_name.status_code == 302  # the old-platform login name works as a login name


def register_and_face(
    app, register, result: str, name: str = "周导入", id_number: str | None = None, mobile=NEW_MOBILE
):
    client = app.test_client()
    resp = register(client, mobile=mobile, name=name, id_number=id_number)
    if resp.status_code != 302:
        return client, resp
    assert resp.headers["Location"].endswith("/register/bind")
    client.post("/register/bind/start")
    face = db.session.scalars(select(FaceSession).order_by(FaceSession.created_at.desc())).first()
    app.test_client().post(f"/dev/face/{face.id}", data={"result": result})
    return client, client.post("/register/bind/check")


def test_a_new_mobile_is_bound_to_the_member_record_after_the_face_check(app, imported, register):
    user, row = imported
    member_before = db.session.scalar(select(Member).where(Member.user_id == user.id))
    client, resp = register_and_face(app, register, "passed", id_number=row["证件号码"])
    assert resp.status_code == 302 and resp.headers["Location"] == "/"  # verified member: straight in
    db.session.expire_all()
    bound = db.session.get(User, user.id)
    assert bound.mobile == NEW_MOBILE and bound.verified_at is not None and bound.check_password("abc12345")
    member = db.session.scalar(select(Member).where(Member.user_id == user.id))
    assert (member.id, member.member_number, member.firm_id, member.kind) == (
        member_before.id,
        row["会员编号"],
        member_before.firm_id,
        "full",
    )
    assert db.session.scalar(select(User).where(User.mobile == "13500000001")) is None  # replaced
    assert db.session.scalars(
        select(AdminAuditEntry.action).where(AdminAuditEntry.target == f"user:{user.id}")
    ).all() == ["member.bind"]
    assert client.get("/").status_code == 200


def test_a_failed_face_check_binds_nothing(app, imported, register):
    user, row = imported
    _client, resp = register_and_face(app, register, "failed", id_number=row["证件号码"])
    assert resp.status_code == 422 and "人脸识别未通过" in resp.get_data(as_text=True)
    db.session.expire_all()
    unchanged = db.session.get(User, user.id)
    assert (unchanged.mobile, unchanged.claimed_at, unchanged.password_hash) == ("13500000001", None, "")
    assert db.session.scalar(select(User).where(User.mobile == NEW_MOBILE)) is None
    assert db.session.scalar(select(MemberBinding.status)) == "refused"


def test_an_id_on_record_taken_over_by_another_account_is_refused(app, imported, register, last_sms):
    user, row = imported
    sms_login(app.test_client(), last_sms, user.mobile)  # the holder of the mobile on record took it over
    _client, resp = register_and_face(app, register, "passed", id_number=row["证件号码"])
    assert resp.status_code == 422 and "该身份证号已注册账号" in resp.get_data(as_text=True)
    assert db.session.scalar(select(MemberBinding)) is None


def test_a_name_other_than_the_one_on_record_is_refused(app, imported, register):
    _user, row = imported
    _client, resp = register_and_face(app, register, "passed", name="周不同", id_number=row["证件号码"])
    assert resp.status_code == 422 and "姓名与原平台会员档案不一致" in resp.get_data(as_text=True)


def test_two_bindings_of_one_account_bind_once(app, imported, register):
    """The conditional UPDATE on claimed_at decides; the second, though its face check passed, binds nothing."""
    user, row = imported
    first, _ = register_and_face(app, register, "passed", id_number=row["证件号码"])
    assert db.session.get(User, user.id).mobile == NEW_MOBILE
    late = MemberBinding(user_id=user.id, new_mobile="13912340000", password_hash="x", face_session_id=None)
    db.session.add(late)
    db.session.commit()
    from app.accounts.binding import _bind
    from app.errors import Invalid

    with pytest.raises(Invalid, match="已绑定其他账号"):
        _bind(late, db.session.get(User, user.id))
