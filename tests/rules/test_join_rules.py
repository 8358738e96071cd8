"""Every row of the joining decision tables (R-JOIN-1, R-JOIN-2, R-RES-3)."""

import pytest

from app.engine.specs import catalog

FIRST_TIME = "首次申请执业只能选择见习执业会员；2023年以前曾为执业会员的方可选择正式执业会员"


@pytest.mark.parametrize(
    ("kind", "prior", "row", "allowed", "reason"),
    [
        ("trainee", False, 1, True, ""),  # R-JOIN-2 anyone may be a trainee
        ("trainee", True, 1, True, ""),
        ("full", True, 2, True, ""),  # R-JOIN-2 practising member before 2023
        ("full", False, 3, False, FIRST_TIME),  # R-JOIN-2 first-time applicant
        ("honorary", False, 4, False, "无效的会员类别"),
    ],
)
def test_join_kind(app, kind, prior, row, allowed, reason):
    decision = catalog().decide("join_kind", {"kind": kind, "prior_practicing_before_2023": prior})
    assert (decision.row, decision.outputs["allowed"], decision.outputs["reason"]) == (row, allowed, reason)


@pytest.mark.parametrize(
    ("facts", "row", "eligible", "reason_part"),
    [
        ({"is_member": True, "has_pending_join": False, "rejoin_blocked_until": None}, 1, False, "已是会员"),
        ({"is_member": False, "has_pending_join": True, "rejoin_blocked_until": None}, 2, False, "正在办理"),
        (
            {"is_member": False, "has_pending_join": False, "rejoin_blocked_until": "2027-03-01"},
            3,
            False,
            "2027-03-01 起可再次申请",
        ),  # R-RES-3
        ({"is_member": False, "has_pending_join": False, "rejoin_blocked_until": None}, 4, True, ""),  # R-JOIN-1
    ],
)
def test_join_eligibility(app, facts, row, eligible, reason_part):
    decision = catalog().decide("join_practicing_eligibility", facts)
    assert (decision.row, decision.outputs["eligible"]) == (row, eligible)
    assert reason_part in decision.outputs["reason"]
