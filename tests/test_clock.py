"""The one clock: business dates are the association's calendar days (Asia/Shanghai), not UTC dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfoNotFoundError

import pytest

from app import clock, create_app
from app.config import TestConfig


def test_today_is_the_beijing_day_not_the_utc_day(clock_at):
    clock_at("2026-12-31T15:59:00")  # 23:59 on 31 December in Beijing
    assert clock.today() == date(2026, 12, 31)
    clock_at("2026-12-31T16:00:30")  # 00:00:30 on 1 January in Beijing, still 31 December in UTC
    assert clock.today() == date(2027, 1, 1)
    assert clock.now().date() == date(2026, 12, 31)


def test_a_day_starts_at_beijing_midnight():
    assert clock.start_of_day(date(2027, 1, 1)) == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)


def test_times_are_shown_in_beijing_time():
    assert clock.format_local(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "2027-01-01 07:30"
    assert clock.format_local(None) == ""


def test_the_time_zone_is_a_setting(app):
    app.config["MEMBERFLOW_TIMEZONE"] = "UTC"
    try:
        assert clock.local_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2026, 12, 31)
    finally:
        app.config["MEMBERFLOW_TIMEZONE"] = "Asia/Shanghai"


def test_a_mistyped_time_zone_stops_the_start(tmp_path):
    class Cfg(TestConfig):
        MEMBERFLOW_TIMEZONE = "Asia/Beijing"  # no such zone: Beijing time is Asia/Shanghai
        MEMBERFLOW_STORAGE_DIR = str(tmp_path)

    with pytest.raises(ZoneInfoNotFoundError):
        create_app(Cfg)


def test_the_chinese_time_format_is_babels_to_the_minute():
    """format_local writes Chinese times without Babel (the inbox formats 20 a page); the same text as Babel's."""
    from datetime import UTC, datetime

    from babel.dates import format_datetime

    from app.clock import format_local, zone

    for moment in (datetime(2026, 12, 31, 16, 5, 59, tzinfo=UTC), datetime(2026, 1, 1, 0, 0, tzinfo=UTC)):
        expected = format_datetime(moment, "yyyy-MM-dd HH:mm", tzinfo=zone(), locale="zh")
        assert format_local(moment, "zh") == expected
    assert format_local(datetime(2026, 12, 31, 16, 5), "zh") == "2027-01-01 00:05"  # naive means UTC, as Babel reads it
