"""Demo members for status changes, resignation and the personal center (README rows 13800000031…)."""

from datetime import date, timedelta

from app import clock
from app.accounts.models import User
from app.demo import World, add_member
from app.extensions import db
from app.members.models import Qualification


def months_ago(today: date, months: int) -> date:
    """The same day `months` months before `today` (day capped at 28, so the count is exact)."""
    total = today.year * 12 + today.month - 1 - months
    return date(total // 12, total % 12 + 1, min(today.day, 28))


def load_lifecycle_members(w: World) -> dict[str, User]:
    """One member per case; dates count back from today so the thresholds hold whenever the demo is loaded."""
    today = clock.today()
    cases = [  # mobile, name, kind, firm, custody, practice months, unpaid dues, status
        ("13800000031", "刘洋", "trainee", w.firm_bj, False, 23, 0, "active"),  # R-STA-1: one month short
        ("13800000032", "陈晨", "trainee", w.firm_bj, False, 24, 0, "active"),  # R-STA-1: may become full
        ("13800000033", "杨帆", "non_practicing", None, False, None, 0, "active"),  # R-STA-3 may return
        ("13800000034", "黄磊", "full", w.firm_bj, False, 60, 1200, "active"),  # R-STA-3/R-RES-4 unpaid dues
        ("13800000035", "吴桐", "full", None, True, 40, 0, "active"),  # custody: resignation skips the firm
        ("13800000036", "郑爽", "full", w.firm_bj2, False, None, 800, "resigned"),  # R-RES-3 left 3 months ago
    ]
    people: dict[str, User] = {}
    for i, (mobile, name, kind, firm, custody, months, dues, status) in enumerate(cases):
        user, _member = add_member(
            mobile,
            name,
            f"1101051990{i + 1:02d}{i + 1:02d}031",
            member_number=f"20210000{31 + i}",
            kind=kind,
            firm_id=firm.id if firm else None,
            local_association_id=w.local_bj.id,
            joined_on=date(2021, 1, 4),
            in_custody=custody,
            annual_inspection="passed",
            practice_started_on=months_ago(today, months) if months is not None else None,
            unpaid_dues=dues,
            status=status,
            left_on=today - timedelta(days=90) if status == "resigned" else None,
        )
        db.session.add(
            Qualification(
                user_id=user.id, kind="appraiser", certificate_number=f"ZC20200{31 + i}", passed_on=date(2020, 9, 1)
            )
        )
        people[mobile] = user
    db.session.flush()
    return people
