"""Business dates are the association's (Beijing) calendar days: each dated rule at the midnight boundary, where
Beijing is already on the next day and UTC is not."""

from datetime import date

import pytest
from sqlalchemy import update

from app.errors import Invalid, NotEligible
from app.extensions import db
from app.members.models import Member
from app.workflow import services
from app.workflow.facts import person_facts
from tests.processes.test_departed_custody import apply
from tests.processes.walk import open_task, person, set_member

BEFORE_MIDNIGHT = "2026-12-31T15:30"  # 23:30 on 31 December in Beijing
AFTER_MIDNIGHT = "2026-12-31T16:30"  # 00:30 on 1 January 2027 in Beijing; UTC is still on 31 December


def test_practice_months_count_to_the_beijing_day(world, clock_at):
    """R-STA-1: 24 months from 1 January 2025 are complete on 1 January 2027, Beijing time."""
    chen = person("13800000032")
    set_member(chen, practice_started_on=date(2025, 1, 1))
    clock_at(BEFORE_MIDNIGHT)
    assert person_facts(chen)["practice_months"] == 23
    assert "24" in services.check_eligibility("status_full", chen)[1]
    clock_at(AFTER_MIDNIGHT)
    assert person_facts(chen)["practice_months"] == 24
    assert services.check_eligibility("status_full", chen)[1] is None


@pytest.mark.parametrize(("moment", "allowed"), [(BEFORE_MIDNIGHT, False), (AFTER_MIDNIGHT, True)])
def test_the_30_days_since_leaving_count_beijing_days(world, upload, clock_at, moment, allowed):
    """R-TRF-10: left on 2 December; on 1 January (Beijing) 30 days have passed, on 31 December only 29."""
    clock_at(moment)
    if allowed:
        assert open_task(apply(world, upload, left_on="2026-12-02")).role == "local_association"
    else:
        with pytest.raises(Invalid) as err:
            apply(world, upload, left_on="2026-12-02")
        assert "left_on" in err.value.field_errors


def test_the_rejoining_year_ends_on_the_beijing_day(world, clock_at):
    """R-RES-3: resigned on 1 January 2026, joining again is possible from 1 January 2027, Beijing time."""
    zheng = person("13800000036")
    db.session.execute(update(Member).where(Member.user_id == zheng.id).values(left_on=date(2026, 1, 1)))
    clock_at(BEFORE_MIDNIGHT)
    with pytest.raises(NotEligible, match="2027-01-01 起可再次申请"):
        services.start_process("join_practicing", zheng)
    clock_at(AFTER_MIDNIGHT)
    assert services.start_process("join_practicing", zheng).status == "running"


@pytest.mark.parametrize(
    ("left_on", "moment", "until"),
    [
        (date(2027, 3, 1), "2028-02-29T04:00", "2028-03-01"),  # a year, not 365 days: 2028 has 29 February
        (date(2028, 2, 29), "2029-02-28T04:00", "2029-03-01"),  # no 29 February next year: 1 March
    ],
)
def test_the_rejoining_year_is_a_calendar_year(world, clock_at, left_on, moment, until):
    """R-RES-3: joining again is blocked for one year, which is not always 365 days."""
    zheng = person("13800000036")
    db.session.execute(update(Member).where(Member.user_id == zheng.id).values(left_on=left_on))
    clock_at(moment)
    with pytest.raises(NotEligible, match=f"{until} 起可再次申请"):
        services.start_process("join_practicing", zheng)
