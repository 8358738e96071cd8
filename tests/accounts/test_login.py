"""Login by password or SMS code: lockout (R-ACC-3), daily code limit (R-ACC-4), reset, first-login routing."""

import base64
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app import clock
from app.accounts.codes import RESEND_INTERVAL
from app.accounts.models import User
from app.demo import DEMO_PASSWORD
from app.extensions import db


def login(client, mobile, password):
    return client.post("/login", data={"mobile": mobile, "password": password})


def code_from(text: str) -> str:
    return re.search(r"验证码为 (\d{6})", text).group(1)


def test_five_wrong_passwords_lock_the_account_for_an_hour(client, world):
    """R-ACC-3: five wrong passwords lock the account for one hour."""
    mobile = world.applicant.mobile
    for left in (4, 3, 2, 1):
        resp = login(client, mobile, "wrong")
        assert resp.status_code == 401 and f"再错 {left} 次账号将被锁定 1 小时" in resp.get_data(as_text=True)
    resp = login(client, mobile, "wrong")
    assert "已连续错误 5 次，账号锁定至" in resp.get_data(as_text=True)
    resp = login(client, mobile, DEMO_PASSWORD)  # the sixth attempt, even with the right password
    text = resp.get_data(as_text=True)
    assert resp.status_code == 401 and "账号已锁定，请于" in text and "（北京时间）后再登录" in text
    clock.advance(timedelta(minutes=59))
    assert login(client, mobile, DEMO_PASSWORD).status_code == 401
    clock.advance(timedelta(minutes=1, seconds=1))
    assert login(client, mobile, DEMO_PASSWORD).status_code == 302


def test_the_lock_time_is_shown_in_beijing_time(client, world):
    for _ in range(5):
        resp = login(client, world.applicant.mobile, "wrong")
    until = db.session.scalar(select(User.locked_until).where(User.id == world.applicant.id))
    beijing = (until + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert f"锁定至 {beijing}（北京时间）" in resp.get_data(as_text=True)


def test_a_refused_login_still_counts_although_the_refusal_rolls_back(client, world):
    login(client, world.applicant.mobile, "wrong")
    db.session.rollback()
    assert db.session.scalar(select(User.failed_logins).where(User.id == world.applicant.id)) == 1


def test_a_right_password_resets_the_count(client, world):
    for _ in range(4):
        login(client, world.applicant.mobile, "wrong")
    assert login(client, world.applicant.mobile, DEMO_PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(4):
        assert login(client, world.applicant.mobile, "wrong").status_code == 401
    assert login(client, world.applicant.mobile, DEMO_PASSWORD).status_code == 302


def test_api_basic_auth_failures_count_towards_the_lock(app, world):
    api = app.test_client()
    token = base64.b64encode(f"{world.applicant.mobile}:wrong".encode()).decode()
    for _ in range(5):
        assert api.get("/api/v1/inbox", headers={"Authorization": f"Basic {token}"}).status_code == 401
    assert login(app.test_client(), world.applicant.mobile, DEMO_PASSWORD).status_code == 401


def send_code(client, mobile, purpose_path="/login", **extra):
    data = {"mobile": mobile, "action": "send_code", **extra}
    if purpose_path == "/login":
        data["mode"] = "sms"
    return client.post(purpose_path, data=data)


def test_login_by_sms_code_from_the_outbox(client, world, last_sms):
    assert send_code(client, world.applicant.mobile).status_code == 200
    code = code_from(last_sms(world.applicant.mobile))
    resp = client.post("/login", data={"mode": "sms", "mobile": world.applicant.mobile, "code": code})
    assert resp.status_code == 302
    client.post("/logout")
    resp = client.post("/login", data={"mode": "sms", "mobile": world.applicant.mobile, "code": code})
    assert resp.status_code == 401  # used once


def test_a_wrong_or_expired_code_is_refused(client, world, last_sms):
    send_code(client, world.applicant.mobile)
    code = code_from(last_sms(world.applicant.mobile))
    wrong = "000000" if code != "000000" else "111111"
    resp = client.post("/login", data={"mode": "sms", "mobile": world.applicant.mobile, "code": wrong})
    assert resp.status_code == 401 and "验证码错误" in resp.get_data(as_text=True)
    clock.advance(timedelta(minutes=5))
    resp = client.post("/login", data={"mode": "sms", "mobile": world.applicant.mobile, "code": code})
    assert resp.status_code == 401 and "验证码已过期" in resp.get_data(as_text=True)


def test_at_most_five_codes_per_number_per_day(client, world):
    """R-ACC-4: at most five SMS codes per number per day."""
    for _ in range(5):
        assert send_code(client, world.applicant.mobile).status_code == 200
        clock.advance(RESEND_INTERVAL)  # past the 60 s resend interval (test_resend_interval.py)
    resp = send_code(client, world.applicant.mobile)
    assert resp.status_code == 429 and "今日获取验证码已达 5 次" in resp.get_data(as_text=True)
    assert send_code(client, world.applicant.mobile, "/password/reset").status_code == 429  # every purpose counts
    assert send_code(client, world.returning.mobile).status_code == 200  # per number
    clock.advance(timedelta(days=1))
    assert send_code(client, world.applicant.mobile).status_code == 200


def test_codes_go_only_to_registered_numbers(client, world):
    resp = send_code(client, "13999999999")
    assert resp.status_code == 422 and "该手机号尚未注册" in resp.get_data(as_text=True)


def test_password_reset_by_sms_code(client, world, last_sms):
    send_code(client, world.applicant.mobile, "/password/reset")
    code = code_from(last_sms(world.applicant.mobile))
    form = {"mobile": world.applicant.mobile, "code": code, "action": "reset"}
    resp = client.post("/password/reset", data={**form, "password": "short1", "confirm": "short1"})
    assert resp.status_code == 422 and "密码至少 8 位" in resp.get_data(as_text=True)
    resp = client.post("/password/reset", data={**form, "password": "newpass123", "confirm": "newpass123"})
    assert resp.status_code == 302
    assert login(client, world.applicant.mobile, DEMO_PASSWORD).status_code == 401
    assert login(client, world.applicant.mobile, "newpass123").status_code == 302


def test_first_login_of_a_plain_account_goes_to_identity_choice(client, world):
    resp = login(client, world.applicant.mobile, DEMO_PASSWORD)
    assert resp.headers["Location"].endswith("/identity")
    client.post("/logout")
    assert login(client, world.firm_reviewer.mobile, DEMO_PASSWORD).headers["Location"].endswith("/")


def test_pages_with_forms_carry_a_csrf_token(app, world):
    for path in ("/login", "/login?mode=sms", "/register", "/password/reset"):
        html = app.test_client().get(path).get_data(as_text=True)
        assert 'name="csrf_token"' in html, path


def test_session_cookie_is_httponly_and_samesite(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "https://evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(client, world, target):
    resp = client.post(f"/login?next={target}", data={"mobile": world.firm_reviewer.mobile, "password": DEMO_PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


def test_login_returns_to_a_page_of_this_site(client, world):
    resp = client.post("/login?next=/inbox", data={"mobile": world.firm_reviewer.mobile, "password": DEMO_PASSWORD})
    assert resp.headers["Location"] == "/inbox"


def test_a_guess_counted_meanwhile_by_another_request_is_not_lost(app, world):
    """The count is incremented in SQL: a request holding a stale count does not overwrite another's guess."""
    from app.accounts.login import _reserve_attempt

    stale = db.session.get(User, world.applicant.id)
    assert stale.failed_logins == 0
    with db.engine.begin() as other_request:  # another request's wrong guess, committed meanwhile
        other_request.execute(update(User).where(User.id == stale.id).values(failed_logins=User.failed_logins + 1))
    with app.test_request_context():
        assert _reserve_attempt(stale) == 2
    db.session.expire_all()
    assert db.session.get(User, world.applicant.id).failed_logins == 2
