"""How the inbox words a task's remaining time (R-TRF-4's 7-day rule is read off it)."""

from datetime import UTC, datetime, timedelta

import pytest

from app.workflow.queries import remaining

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=7) - timedelta(seconds=3), "剩余 7 天"),
        (timedelta(days=1, hours=1), "剩余 2 天"),
        (timedelta(hours=5, minutes=10), "剩余 6 小时"),
        (timedelta(minutes=-30), "已超期 1 小时"),
        (timedelta(days=-3, hours=-2), "已超期 3 天"),
    ],
)
def test_remaining_time_is_rounded_the_way_a_reviewer_reads_it(delta, text):
    assert remaining(NOW + delta, NOW) == text


def test_no_due_time_says_nothing():
    assert remaining(None, NOW) is None
