"""Writing a checked member import file in bulk (app/members/imports.py checks it): accounts without passwords,
member records, credit records; a second import of a member number updates it."""

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from app import clock
from app.accounts.binding import claimable
from app.accounts.models import User
from app.extensions import db
from app.files.import_rows import Outcome, chunks
from app.members.models import Member
from app.members.record_models import CreditRecord


def write_members(
    good: list[dict[str, Any]], users: dict[str, User], members: dict[str, tuple[int, int]], outcome: Outcome
) -> None:
    now = clock.now()
    fresh = [v for v in good if v["id_number"] not in users]
    if fresh:
        rows = [
            {
                "mobile": v["mobile"],
                "name": v["name"],
                "id_number": v["id_number"],
                "id_type": v["id_type"],
                "legacy_login": v["legacy_login"],
                "password_hash": "",  # no password is imported; the person sets one (issue 14 item 2)
                "imported_at": now,
                "created_at": now,
            }
            for v in fresh
        ]
        db.session.execute(insert(User), rows)
    user_changes = []
    for v in good:
        user = users.get(v["id_number"])
        if user is None:
            continue
        change: dict[str, Any] = {"legacy_login": v["legacy_login"] or user.legacy_login}
        if claimable(user):
            change.update(name=v["name"], mobile=v["mobile"])
        if any(getattr(user, k) != value for k, value in change.items()):  # a re-import mostly changes nothing
            user_changes.append({"id": user.id, **change})
    if user_changes:
        db.session.execute(update(User), user_changes)
    user_ids = _user_ids([v["id_number"] for v in good])
    _write_members(good, user_ids, members, outcome, now)


def _user_ids(id_numbers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(id_numbers):
        found.update(
            {n or "": i for n, i in db.session.execute(select(User.id_number, User.id).where(User.id_number.in_(part)))}
        )
    return found


MEMBER_FIELDS = ("kind", "firm_id", "local_association_id", "in_custody", "joined_on", "practice_started_on")


def _member_fields(v: dict[str, Any]) -> dict[str, Any]:
    return {k: v[k] for k in MEMBER_FIELDS}


def _current_fields(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    found: dict[int, tuple[Any, ...]] = {}
    columns = [getattr(Member, k) for k in MEMBER_FIELDS]
    for part in chunks(ids):
        found.update(
            {
                row[0]: tuple(row[1:])
                for row in db.session.execute(select(Member.id, *columns).where(Member.id.in_(part)))
            }
        )
    return found


def _write_members(
    good: list[dict[str, Any]],
    user_ids: dict[str, int],
    members: dict[str, tuple[int, int]],
    outcome: Outcome,
    now: datetime,
) -> None:
    fresh = [v for v in good if v["member_number"] not in members]
    if fresh:
        db.session.execute(
            insert(Member),
            [
                {
                    **_member_fields(v),
                    "user_id": user_ids[v["id_number"]],
                    "member_number": v["member_number"],
                    "status": "active",
                    "created_at": now,
                }
                for v in fresh
            ],
        )
    again = [v for v in good if v["member_number"] in members]
    current = _current_fields([members[v["member_number"]][0] for v in again])
    changed = [
        {"id": members[v["member_number"]][0], **_member_fields(v)}
        for v in again
        if current.get(members[v["member_number"]][0]) != tuple(v[k] for k in MEMBER_FIELDS)
    ]
    if changed:  # only what differs: one UPDATE per row is the slow part of a re-import on PostgreSQL
        db.session.execute(update(Member), changed)
    member_ids: dict[str, int] = {}
    for part in chunks([v["member_number"] for v in good]):
        stmt = select(Member.member_number, Member.id).where(Member.member_number.in_(part))
        member_ids.update({k: v for k, v in db.session.execute(stmt)})
    for part in chunks([member_ids[v["member_number"]] for v in good]):
        db.session.execute(
            delete(CreditRecord).where(CreditRecord.member_id.in_(part), CreditRecord.source == "import")
        )
    credit = [
        {"member_id": member_ids[v["member_number"]], "content": c, "source": "import", "created_at": now}
        for v in good
        for c in v["credit"]
    ]
    if credit:
        db.session.execute(insert(CreditRecord), credit)
    outcome.created, outcome.updated = len(fresh), len(again)
