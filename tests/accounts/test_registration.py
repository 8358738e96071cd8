"""Registration (R-ACC-1) and face verification (R-ACC-2) through the pages."""

import re

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.errors import NotAllowed
from app.extensions import db
from app.workflow import services
from tests.accounts.conftest import REGISTRATION


def user_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(User))


def test_registering_the_gb11643_sample_creates_an_unverified_account_and_asks_for_the_face_check(
    client, world, register
):
    """R-ACC-1: mobile, name and a valid GB 11643 ID number make an account; R-ACC-2: the face check comes next."""
    resp = register(client)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/identity/verify")
    user = db.session.scalar(select(User).where(User.mobile == "13912345678"))
    assert user.id_number == "11010519491231002X" and user.verified_at is None
    assert user.password_hash != "abc12345"


def test_lowercase_x_is_accepted_as_the_check_character(client, world, register):
    resp = register(client, id_number="11010519491231002x")
    assert resp.status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "110105194912310021", "身份证号码校验位不正确，请核对最后一位"),
        ("id_number", "110105194913310021", "身份证号码中的出生日期无效"),
        ("id_number", "11010519491231002", "身份证号码应为 18 位"),
        ("mobile", "1391234567", "请输入 11 位中国大陆手机号码"),
        ("mobile", "13800000001", "该手机号已注册，请直接登录或找回密码"),
        ("password", "abcdefgh", "密码至少 8 位，须同时包含字母和数字"),
        ("password", "a1b2c3", "密码至少 8 位，须同时包含字母和数字"),
        ("confirm", "abc123456", "两次输入的密码不一致"),
        ("name", "不匹配", "姓名与身份证号码不一致（公安身份核验未通过）"),
    ],
)
def test_each_refusal_is_a_chinese_message_on_the_field_and_nothing_is_stored(
    client, world, register, field, value, message
):
    before = user_count()
    resp = register(client, **{field: value})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert re.search(rf'id="f-{field}-error" role="alert">{re.escape(message)}<', html)
    assert user_count() == before


def test_an_id_number_already_registered_is_refused(client, world, register):
    resp = register(client, id_number=world.returning.id_number)
    assert resp.status_code == 422 and "该身份证号已注册账号" in resp.get_data(as_text=True)


def test_the_mobile_number_is_proved_by_an_sms_code(client, world, last_sms):
    before = user_count()
    resp = client.post("/register", data=REGISTRATION)
    assert resp.status_code == 422 and "请先获取短信验证码" in resp.get_data(as_text=True)
    client.post("/register", data={"mobile": REGISTRATION["mobile"], "action": "send_code"})
    code = re.search(r"注册验证码为 (\d{6})", last_sms(REGISTRATION["mobile"])).group(1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        resp = client.post("/register", data={**REGISTRATION, "code": wrong})
        assert resp.status_code == 422 and "验证码错误" in resp.get_data(as_text=True)
    resp = client.post("/register", data={**REGISTRATION, "code": code})  # five wrong tries spent the code
    assert resp.status_code == 422 and "请先获取短信验证码" in resp.get_data(as_text=True)
    assert user_count() == before


def test_a_registration_code_goes_only_to_a_new_number(client, world):
    resp = client.post("/register", data={"mobile": world.applicant.mobile, "action": "send_code"})
    assert resp.status_code == 422 and "该手机号已注册" in resp.get_data(as_text=True)
    resp = client.post("/register", data={"mobile": "12345", "action": "send_code"})
    assert resp.status_code == 422 and "请输入 11 位中国大陆手机号码" in resp.get_data(as_text=True)


def test_the_page_states_the_password_policy(client):
    assert "密码至少 8 位，须同时包含字母和数字" in client.get("/register").get_data(as_text=True)


def test_no_business_before_face_verification(client, world, register):
    """R-ACC-2: no business before the real-name face verification."""
    register(client)
    user = db.session.scalar(select(User).where(User.mobile == REGISTRATION["mobile"]))
    with pytest.raises(NotAllowed, match="请先完成实名认证"):
        services.start_process("join_practicing", user)
    assert client.post("/processes/join_practicing/start").status_code == 403


def _face_url(client) -> str:
    client.post("/identity/verify/start")
    html = client.get("/identity/verify").get_data(as_text=True)
    return re.search(r'href="http://localhost(/dev/face/[^"]+)"', html).group(1)


def test_face_verification_on_the_phone_page_verifies_the_account(client, world, register):
    register(client)
    phone_url = _face_url(client)
    resp = client.post("/identity/verify/check")
    assert "尚未完成人脸识别" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "验证通过" in client.get(phone_url).get_data(as_text=True)
    client.post(phone_url, data={"result": "passed"})
    resp = client.post("/identity/verify/check")
    assert resp.headers["Location"].endswith("/identity")
    user = db.session.scalar(select(User).where(User.mobile == REGISTRATION["mobile"]))
    assert user.verified_at is not None
    assert client.post("/processes/join_practicing/start").status_code == 302


def test_a_failed_face_check_leaves_the_account_unverified(client, world, register):
    register(client)
    phone_url = _face_url(client)
    client.post(phone_url, data={"result": "failed"})
    client.post("/identity/verify/check")
    db.session.expire_all()
    assert db.session.scalar(select(User.verified_at).where(User.mobile == REGISTRATION["mobile"])) is None
    assert client.post(phone_url, data={"result": "passed"}).status_code == 404  # a decided session stays decided


def test_a_face_session_belongs_to_its_account(client, world, logged_in, register):
    register(client)
    _face_url(client)
    other = logged_in(world.applicant)
    with client.session_transaction() as sess:
        session_id = sess["face_session"]
    with other.session_transaction() as sess:
        sess["face_session"] = session_id
    assert other.post("/identity/verify/check").status_code == 404
