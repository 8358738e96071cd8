"""Importing the association's records (issue 14 item 4): annual inspection results and dues per year, validated
row by row, all or nothing, as the member and firm files are."""

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import insert, select, update

from app.accounts.models import User
from app.extensions import db
from app.files.import_rows import Outcome, Progress, chunks, counted_rows, duplicate_reason, parse_day, yes_no
from app.files.tables import Table
from app.members.models import Member
from app.members.record_models import DuesRecord, InspectionResult, InspectionRound
from app.members.records import INSPECTION_LABELS, refresh_arrears, set_inspection_results

INSPECTION_COLUMNS = ("会员编号", "年度", "年检结果", "说明")
INSPECTION_EXAMPLE = ("2015000001", "2026", "未通过", "未按期提交年检材料")
DUES_COLUMNS = ("会员编号", "年度", "应缴金额", "是否已缴", "缴费日期")
DUES_EXAMPLE = ("2015000001", "2026", "1200", "否", "")
RESULT_BY_LABEL = {"通过": "passed", **{label: key for key, label in INSPECTION_LABELS.items() if key != "in_progress"}}


def _members(rows: list[dict[str, str]]) -> dict[str, tuple[int, int]]:
    """member number → (member id, local association id)."""
    found: dict[str, tuple[int, int]] = {}
    numbers = sorted({r.get("会员编号", "") for r in rows if r})
    for part in chunks(numbers):
        stmt = select(Member.member_number, Member.id, Member.local_association_id).where(
            Member.member_number.in_(part)
        )
        found.update({n: (i, a) for n, i, a in db.session.execute(stmt)})
    return found


def _year(text: str) -> int | None:
    return int(text) if text.isdigit() and 1990 <= int(text) <= 2100 else None


def import_inspection(table: Table, progress: Progress, actor: User | None) -> Outcome:
    """Results for members of opened rounds (the round of the member's association and the year)."""
    outcome, members = Outcome(), _members(table.rows)
    rounds = {(r.local_association_id, r.year): r.id for r in db.session.scalars(select(InspectionRound))}
    in_round = {(r, m) for r, m in db.session.execute(select(InspectionResult.round_id, InspectionResult.member_id))}
    seen: dict[tuple[str, int], int] = {}
    by_round: dict[int, dict[str, tuple[str, str]]] = {}
    for index, row in counted_rows(table.rows, progress, outcome):
        number, year = row.get("会员编号", ""), _year(row.get("年度", ""))
        status = RESULT_BY_LABEL.get(row.get("年检结果", ""))
        round_id = rounds.get((members[number][1], year)) if number in members and year else None
        reason = None
        if number not in members:
            reason = _("会员编号 %(number)s 不存在", number=number)
        elif year is None:
            reason = _("年度应为四位数字，如 2026")
        elif status is None:
            reason = _("年检结果应为：通过、暂缓、未通过")
        elif (number, year) in seen:
            reason = duplicate_reason(_("会员编号和年度"), seen[(number, year)])
        elif round_id is None or (round_id, members[number][0]) not in in_round:
            reason = _("该会员所属地方协会 %(year)d 年度的年检未开启或不含该会员", year=year)
        if reason or round_id is None or year is None or status is None:
            outcome.refuse(index + 2, reason or "")
            continue
        seen[(number, year)] = index + 2
        by_round.setdefault(round_id, {})[number] = (status, row.get("说明", "")[:200])
    progress(len(table.rows))
    if outcome.refused or actor is None:
        return outcome
    for round_id, results in by_round.items():
        round_obj = db.session.get(InspectionRound, round_id)
        assert round_obj is not None
        set_inspection_results(actor, round_obj, results)
    outcome.updated = sum(len(r) for r in by_round.values())
    return outcome


def import_dues(table: Table, progress: Progress, actor: User | None) -> Outcome:
    """会费 per member and year: new years inserted, known ones updated; the arrears recomputed once."""
    outcome, members = Outcome(), _members(table.rows)
    seen: dict[tuple[str, int], int] = {}
    good: list[dict[str, Any]] = []
    for index, row in counted_rows(table.rows, progress, outcome):
        number, year = row.get("会员编号", ""), _year(row.get("年度", ""))
        amount, paid = row.get("应缴金额", ""), yes_no(row.get("是否已缴", ""))
        paid_on = parse_day(row.get("缴费日期", "")) if row.get("缴费日期") else None
        reason = None
        if number not in members:
            reason = _("会员编号 %(number)s 不存在", number=number)
        elif year is None:
            reason = _("年度应为四位数字，如 2026")
        elif not amount.isdigit():
            reason = _("应缴金额应为不小于 0 的整数（元）")
        elif paid is None:
            reason = _("是否已缴应填“是”或“否”")
        elif row.get("缴费日期") and paid_on is None:
            reason = _("日期应写作 2015-03-01")
        elif (number, year) in seen:
            reason = duplicate_reason(_("会员编号和年度"), seen[(number, year)])
        if reason:
            outcome.refuse(index + 2, reason)
            continue
        seen[(number, year)] = index + 2  # type: ignore[index]
        values = {"member_id": members[number][0], "year": year, "amount": int(amount), "paid": paid}
        good.append({**values, "paid_on": paid_on if paid else None, "recorded_by_id": actor.id if actor else None})
    progress(len(table.rows))
    if not outcome.refused:
        _write_dues(good, outcome)
    return outcome


def _write_dues(good: list[dict[str, Any]], outcome: Outcome) -> None:
    member_ids = sorted({v["member_id"] for v in good})
    existing: dict[tuple[int, int], int] = {}
    for part in chunks(member_ids):
        stmt = select(DuesRecord.member_id, DuesRecord.year, DuesRecord.id).where(DuesRecord.member_id.in_(part))
        existing.update({(m, y): i for m, y, i in db.session.execute(stmt)})
    fresh = [v for v in good if (v["member_id"], v["year"]) not in existing]
    changed = [
        {"id": existing[(v["member_id"], v["year"])], **v} for v in good if (v["member_id"], v["year"]) in existing
    ]
    if fresh:
        db.session.execute(insert(DuesRecord), fresh)
    if changed:
        db.session.execute(update(DuesRecord), changed)
    for part in chunks(member_ids):
        refresh_arrears(part)
    outcome.created, outcome.updated = len(fresh), len(changed)
