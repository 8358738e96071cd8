"""One mobile parser everywhere: ASCII digits only, nothing after them (R-ACC-1, R-ACC-4 cap)."""

import base64

import pytest

from app import clock
from app.accounts.codes import RESEND_INTERVAL
from app.accounts.mobiles import parse_mobile
from app.demo import DEMO_PASSWORD

LOOKALIKES = ["1381111222\uff12", "1381111222\u0662", "13811112222\n", "1381111222\u0968", "13811112222\r\n"]


def test_the_parser_takes_ascii_digits_only():
    assert parse_mobile("13811112222") == "13811112222"
    assert parse_mobile(" 13811112222\t") == "13811112222"
    for value in LOOKALIKES + ["12811112222", "1381111222", "138111122223"]:
        assert parse_mobile(value) is None, repr(value)


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_a_lookalike_number_does_not_bypass_the_daily_code_cap(client, lookalike):
    """R-ACC-4: five codes per number and day; a full-width or Arabic-Indic digit is not another number."""
    for _ in range(5):
        assert client.post("/register", data={"mobile": "13811112222", "action": "send_code"}).status_code == 200
        clock.advance(RESEND_INTERVAL)  # past the 60 s resend interval
    resp = client.post("/register", data={"mobile": lookalike, "action": "send_code"})
    assert resp.status_code in (422, 429), resp.status_code
    assert "验证码已发送" not in resp.get_data(as_text=True)


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_registration_refuses_a_lookalike_number(client, register, lookalike):
    resp = register(client, mobile=lookalike)
    assert resp.status_code == 422 and "请输入 11 位中国大陆手机号码" in resp.get_data(as_text=True)


def test_login_and_api_take_the_same_parser(client, app, world):
    lookalike = world.applicant.mobile[:-1] + "\uff10\uff11"[int(world.applicant.mobile[-1] == "0")]
    resp = client.post("/login", data={"mobile": world.applicant.mobile + "\n", "password": DEMO_PASSWORD})
    assert resp.status_code == 401
    token = base64.b64encode(f"{lookalike}:{DEMO_PASSWORD}".encode()).decode()
    assert app.test_client().get("/api/v1/inbox", headers={"Authorization": f"Basic {token}"}).status_code == 401
