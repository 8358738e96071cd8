"""Issue 15 item 5: another SMS code for the same number only after 60 seconds, as real portals have."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.accounts.codes import TooManyCodes, send_sms_code
from app.accounts.models import SmsCode
from app.extensions import db


def test_a_second_code_within_60_seconds_is_refused_with_the_wait(world):
    send_sms_code(world.applicant.mobile, "login")
    clock.advance(timedelta(seconds=45))
    with pytest.raises(TooManyCodes, match="请 15 秒后再试"):
        send_sms_code(world.applicant.mobile, "reset")
    clock.advance(timedelta(seconds=15))
    send_sms_code(world.applicant.mobile, "login")
    assert db.session.scalar(select(func.count()).select_from(SmsCode)) == 2


def test_the_interval_is_per_number(world):
    send_sms_code(world.applicant.mobile, "login")
    send_sms_code(world.returning.mobile, "login")
