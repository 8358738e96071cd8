"""Every row of the auctioneer registration tables (R-AUC-1, R-AUC-2)."""

import pytest

from app.engine.specs import catalog


@pytest.mark.parametrize(
    ("state", "row", "registration_type"),
    [
        ("practicing", 1, "registration"),  # R-AUC-1 practicing this year → 注册
        ("not_practicing", 2, "re_registration"),  # R-AUC-1 not practicing → 再注册
        ("never", 3, "first_registration"),  # R-AUC-1 never registered → 首次注册
    ],
)
def test_auctioneer_registration_type(app, state, row, registration_type):
    decision = catalog().decide("auctioneer_registration_type", {"auctioneer_state": state})
    assert (decision.row, decision.outputs["registration_type"]) == (row, registration_type)


def facts(**kw):
    return {
        "has_pending_auctioneer_registration": False,
        "auctioneer_registered_next_year": False,
        "auctioneer_state": "practicing",
        "auctioneer_ce_hours": 45,
        **kw,
    }


@pytest.mark.parametrize(
    ("given", "row", "eligible", "reason"),
    [
        (
            facts(has_pending_auctioneer_registration=True),
            1,
            False,
            "您有正在办理的拍卖师注册申请，请在“我的申请”中查看",
        ),
        (facts(auctioneer_registered_next_year=True), 2, False, "您已完成下一年度的拍卖师注册"),
        (facts(auctioneer_state="never", auctioneer_ce_hours=0), 3, True, ""),  # R-AUC-1 first registration
        (
            facts(auctioneer_ce_hours=44),
            4,
            False,
            "继续教育总学时不足 45 学时（本年度已有 44 学时），不能提交注册申请",
        ),  # R-AUC-2
        (facts(auctioneer_state="not_practicing", auctioneer_ce_hours=0), 4, False, None),  # R-AUC-2 再注册 too
        (facts(auctioneer_ce_hours=45), 5, True, ""),  # R-AUC-2 exactly 45 is enough
    ],
)
def test_auctioneer_registration_eligibility(app, given, row, eligible, reason):
    decision = catalog().decide("auctioneer_registration_eligibility", given)
    assert (decision.row, decision.outputs["eligible"]) == (row, eligible)
    if reason is not None:
        assert decision.outputs["reason"] == reason


@pytest.mark.parametrize(
    ("member", "join", "row", "amount_fen", "purpose"),
    [
        (True, False, 1, 0, "会员免缴"),  # R-AUC-5 branch members are exempt
        (True, True, 1, 0, "会员免缴"),
        (False, True, 2, 100000, "下一年度拍卖师分会会费"),  # R-AUC-5 joining: 1000 yuan, no registration fee
        (False, False, 3, 20000, "拍卖师注册费"),  # R-AUC-5 not joining: the registration fee
    ],
)
def test_auctioneer_fee(app, member, join, row, amount_fen, purpose):
    decision = catalog().decide("auctioneer_fee", {"auctioneer_branch_member": member, "join_branch": join})
    assert (decision.row, decision.outputs["amount_fen"], decision.outputs["purpose"]) == (row, amount_fen, purpose)
