"""Every row of the status-change and resignation decision tables
(R-STA-1, R-STA-2, R-STA-3, R-RES-1, R-RES-4, R-ONE-1)."""

import pytest

from app.engine.specs import catalog

PENDING = "退会申请"


def decide(table, facts):
    decision = catalog().decide(table, facts)
    return decision.row, decision.outputs["eligible"], decision.outputs["reason"]


def full(**kw):
    return {
        "member_kind": "trainee",
        "pending_member_change": None,
        "practice_months": 24,
        "has_qualification": True,
        "in_custody": False,
    } | kw


@pytest.mark.parametrize(
    ("facts", "row", "eligible", "reason_part"),
    [
        (full(member_kind="full"), 1, False, "只有见习执业会员"),
        (full(member_kind=None), 1, False, "只有见习执业会员"),
        (full(pending_member_change=PENDING), 2, False, "「退会申请」正在办理中"),  # R-ONE-1
        (full(practice_months=23), 3, False, "目前 23 个月"),
        (full(has_qualification=False), 4, False, "资产评估师"),
        (full(in_custody=True), 5, False, "协会代管"),
        (full(), 6, True, ""),
    ],
)
def test_status_full_eligibility(app, facts, row, eligible, reason_part):
    got = decide("status_full_eligibility", facts)
    assert got[:2] == (row, eligible) and reason_part in got[2]


def non_practicing(**kw):
    return {"member_kind": "full", "pending_member_change": None, "has_qualification": True} | kw


@pytest.mark.parametrize(
    ("facts", "row", "eligible", "reason_part"),
    [
        (non_practicing(member_kind="non_practicing"), 1, False, "已是非执业会员"),
        (non_practicing(member_kind=None), 2, False, "只有执业会员"),
        (non_practicing(pending_member_change=PENDING), 3, False, "正在办理中"),
        (non_practicing(has_qualification=False), 4, False, "资格"),
        (non_practicing(), 5, True, ""),
        (non_practicing(member_kind="trainee"), 5, True, ""),
    ],
)
def test_status_non_practicing_eligibility(app, facts, row, eligible, reason_part):
    got = decide("status_non_practicing_eligibility", facts)
    assert got[:2] == (row, eligible) and reason_part in got[2]


def practicing(**kw):
    return {"member_kind": "non_practicing", "pending_member_change": None, "unpaid_dues": 0} | kw


@pytest.mark.parametrize(
    ("facts", "row", "eligible", "reason_part"),
    [
        (practicing(member_kind="full"), 1, False, "只有非执业会员"),
        (practicing(pending_member_change=PENDING), 2, False, "正在办理中"),
        (practicing(unpaid_dues=1200), 3, False, "欠缴会费 1200 元"),
        (practicing(), 4, True, ""),
    ],
)
def test_status_practicing_eligibility(app, facts, row, eligible, reason_part):
    got = decide("status_practicing_eligibility", facts)
    assert got[:2] == (row, eligible) and reason_part in got[2]


@pytest.mark.parametrize(
    ("facts", "row", "eligible", "reason_part"),
    [
        ({"is_member": False, "pending_member_change": None}, 1, False, "不是会员"),
        ({"is_member": True, "pending_member_change": PENDING}, 2, False, "正在办理中"),
        ({"is_member": True, "pending_member_change": None}, 3, True, ""),  # R-RES-4 dues do not block
    ],
)
def test_resign_eligibility(app, facts, row, eligible, reason_part):
    got = decide("resign_eligibility", facts)
    assert got[:2] == (row, eligible) and reason_part in got[2]
