"""The benchmark's realistic fill: people and members at national scale, bulk-inserted (scripts/bench_workflow.py).

Applicants spread the bulk instances over ≥ 20,000 people; 40,000 of the people are active members of the filed
firms. Rows go in with Core `insert()` executemany, in chunks, one commit per chunk: no ORM objects.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text

from app import clock
from app.accounts.models import User
from app.extensions import db
from app.members.models import Member
from app.organizations.models import Organization

CHUNK = 5000
MOBILE_PREFIX = "159"


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


def add_people(applicants: int, members: int, rng: random.Random) -> list[tuple[int, str]]:
    """`applicants + members // 2` people: the first `applicants` apply, the last `members` are active members.

    (The middle half of the applicants are members too: transfers and status changes are theirs.) Returns the
    applicants as (id, name).
    """
    people = max(applicants, applicants // 2 + members)
    now = clock.now()
    users = [
        {
            "mobile": f"{MOBILE_PREFIX}{i:08d}",
            "name": f"填充{i:05d}",
            "id_number": f"2201051980{i:08d}",
            "password_hash": "x",
            "verified_at": now,
            "created_at": now,
        }
        for i in range(people)
    ]
    for chunk in _chunks(users):
        db.session.execute(insert(User.__table__), chunk)
        db.session.commit()
    ids = db.session.execute(
        select(User.id, User.name).where(User.mobile.like(f"{MOBILE_PREFIX}%")).order_by(User.id)
    ).all()
    firms = db.session.execute(
        select(Organization.id, Organization.local_association_id).where(
            Organization.kind == "firm", Organization.filed, Organization.local_association_id.is_not(None)
        )
    ).all()
    member_rows = []
    for k, (user_id, _name) in enumerate(ids[people - members :]):
        firm_id, local_id = firms[rng.randrange(len(firms))]
        joined = date(2010, 1, 1) + timedelta(days=rng.randrange(5000))
        member_rows.append(
            {
                "user_id": user_id,
                "member_number": f"F{k:09d}",
                "kind": "full" if rng.random() < 0.8 else "trainee",
                "firm_id": firm_id,
                "local_association_id": local_id,
                "status": "active",
                "joined_on": joined,
                "practice_started_on": joined,
                "annual_inspection": "passed",
                "created_at": now,
            }
        )
    for chunk in _chunks(member_rows):
        db.session.execute(insert(Member.__table__), chunk)
        db.session.commit()
    return [(i, n) for i, n in ids[:applicants]]


def fix_sequences() -> None:
    """PostgreSQL: bulk rows came with explicit ids; move each id sequence past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("process_instance", "human_task", "audit_event"):
        top = db.session.scalar(text(f"SELECT max(id) FROM {table}"))  # noqa: S608 - fixed table names
        if top:
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {int(top)})"))
    db.session.commit()


def count_rows(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)
