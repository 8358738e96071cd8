"""Every row of rules/certificate_print.dmn (R-CER-1, R-CER-2, R-CER-3, R-CER-4)."""

import pytest

from app.engine.specs import catalog

OK = {
    "member_status": "active",
    "in_custody": False,
    "member_kind": "full",
    "certificate_kind": "full",
    "current_certificate_kind": "full",
    "annual_inspection": "passed",
    "today": "2026-11-24",
    "missing_filings": "",
}


@pytest.mark.parametrize(
    ("changes", "row", "allowed", "reason_part"),
    [
        ({"member_status": "resigned"}, 1, False, "已退会"),  # R-CER-2
        ({"member_status": "expelled", "in_custody": True}, 1, False, "已退会"),  # R-ACC-5, first row wins
        ({"in_custody": True}, 2, False, "协会代管期间不能打印电子证书"),  # R-CER-2, R-TRF-7
        ({"member_kind": "non_practicing", "current_certificate_kind": "non_practicing"}, 3, False, "已转为非执业会员"),
        ({"member_kind": "non_practicing", "certificate_kind": "other_professional"}, 3, False, "不能打印执业会员证书"),
        ({"member_kind": "full", "certificate_kind": "trainee"}, 4, False, "身份已变更"),  # R-CER-4
        ({"annual_inspection": "failed"}, 5, False, "年检未通过"),  # R-CER-2
        ({"missing_filings": "印鉴"}, 6, False, "尚未备案印鉴"),  # R-CER-3 names what is missing
        ({"missing_filings": "头像、签字、印鉴"}, 6, False, "尚未备案头像、签字、印鉴"),
        ({"missing_filings": "印鉴", "today": "2024-04-30"}, 8, True, ""),  # R-CER-3 only after 2024-04-30
        ({"certificate_kind": None, "current_certificate_kind": None, "member_kind": "other"}, 7, False, "暂不提供"),
        (
            {
                "member_kind": "trainee",
                "certificate_kind": "other_professional",
                "current_certificate_kind": "other_professional",
            },
            8,
            True,
            "",
        ),  # R-CER-1 other professional
        ({}, 8, True, ""),  # R-CER-1
        ({"annual_inspection": None}, 8, True, ""),  # no inspection result yet
        ({"annual_inspection": "deferred"}, 8, True, ""),  # only a failed inspection blocks (R-CER-2)
        (
            {
                "member_kind": "non_practicing",
                "certificate_kind": "non_practicing",
                "current_certificate_kind": "non_practicing",
            },
            8,
            True,
            "",
        ),
    ],
)
def test_certificate_print_rules(app, changes, row, allowed, reason_part):
    """R-CER-2, R-CER-3, R-CER-4: each row of the print rules, as the comments on the cases say."""
    decision = catalog().decide("certificate_print", {**OK, **changes})
    assert (decision.row, decision.outputs["allowed"]) == (row, allowed)
    assert reason_part in decision.outputs["reason"]


@pytest.mark.parametrize(
    ("member_kind", "qualified", "row", "kind", "title"),
    [
        ("trainee", False, 1, "other_professional", "其他专业人员证书"),  # R-CER-1 other professional
        ("trainee", True, 2, "trainee", "见习执业会员证书"),
        ("full", True, 3, "full", "正式执业会员证书"),
        ("non_practicing", True, 4, "non_practicing", "非执业会员证书"),
        ("expelled_kind", True, 5, None, ""),
    ],
)
def test_certificate_kind_rows(app, member_kind, qualified, row, kind, title):
    """R-CER-1: the four certificate kinds."""
    decision = catalog().decide(
        "certificate_kind", {"member_kind": member_kind, "has_appraiser_qualification": qualified}
    )
    assert (decision.row, decision.outputs["certificate_kind"], decision.outputs["title"]) == (row, kind, title)
