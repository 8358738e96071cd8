"""Every row of the firm filing decision tables (R-FIL-3, R-FIL-4, R-FIL-5, Asset Appraisal Law art. 15, R-ADM-1)."""

import pytest

from app.engine.specs import catalog


def decide(table, facts):
    decision = catalog().decide(table, facts)
    return decision.rule_id, decision.outputs


def person(role, **kw):
    return {
        "role": role,
        "found": True,
        "member_status": "active",
        "member_kind": "full",
        "practising_elsewhere": False,
        "qualified": True,
    } | kw


@pytest.mark.parametrize(
    ("facts", "rule", "reason_part"),
    [
        (
            person("appraiser", found=False, member_status=None, member_kind=None),
            "FP_appraiser_not_member",
            "不在会员库中",
        ),
        (person("appraiser", member_status="resigned"), "FP_appraiser_resigned", "已退会"),  # R-FIL-3
        (person("appraiser", member_kind="non_practicing"), "FP_appraiser_non_practicing", "非执业会员"),
        (person("appraiser", qualified=False), "FP_appraiser_no_exam", "资格考试"),
        (person("appraiser", practising_elsewhere=True), "FP_appraiser_elsewhere", "请该会员先转入协会代管"),
        (person("other_field", member_status="expelled"), "FP_other_resigned", "已退会"),  # R-FIL-4
        (person("other_field", practising_elsewhere=True), "FP_other_elsewhere", "其他机构执业"),
        (person("executive", member_status="resigned"), "FP_executive_resigned", "高管"),  # R-FIL-5
        (person("executive", practising_elsewhere=True), "FP_executive_elsewhere", "高管"),
        (person("appraiser"), "FP_ok", ""),
        (
            person("executive", found=False, member_status=None, member_kind=None),
            "FP_ok",
            "",
        ),  # R-FIL-5 not found passes
        (person("other_field", found=False, member_status=None, qualified=False), "FP_ok", ""),  # R-FIL-4
        (person("other_field", member_kind="non_practicing", qualified=False), "FP_ok", ""),
    ],
)
def test_firm_person_check(app, facts, rule, reason_part):
    got_rule, out = decide("firm_person_check", facts)
    assert got_rule == rule and out["allowed"] is (rule == "FP_ok") and reason_part in out["reason"]


SENIOR = (
    "{0}中应有三分之二以上为具有三年以上从业经历、最近三年未受停止从业处罚的资产评估师："
    "{0} {1} 名，符合条件 {2} 名，至少需要 {3} 名（《资产评估法》第十五条）"
)


SUSPENDED = "；另有 {0} 名最近三年受过停止从业处罚，不计入（《资产评估法》第十五条）"


def structure(firm_form, appraisers, owners, senior, suspended=0):
    return {
        "firm_form": firm_form,
        "appraisers": appraisers,
        "owners": owners,
        "senior_appraiser_owners": senior,
        "suspended_owners": suspended,
    }


@pytest.mark.parametrize(
    ("facts", "rule", "reason"),
    [
        (
            structure("partnership", 1, 2, 2),
            "FS_partnership_appraisers",
            "合伙制机构应当有两名以上执业资产评估师，当前 1 名，还差 1 名（《资产评估法》第十五条）",
        ),
        (
            structure("partnership", 2, 1, 1),
            "FS_partnership_partners",
            "合伙制机构应当有两名以上合伙人，当前 1 名（《合伙企业法》第十四条）",
        ),
        (
            structure("partnership", 3, 3, 1, 1),  # a suspension in the last three years: not counted
            "FS_partnership_suspended",
            SENIOR.format("合伙人", 3, 1, 2).removesuffix("（《资产评估法》第十五条）") + SUSPENDED.format(1),
        ),
        (
            structure("company", 8, 2, 1, 1),
            "FS_company_suspended",
            SENIOR.format("股东", 2, 1, 2).removesuffix("（《资产评估法》第十五条）") + SUSPENDED.format(1),
        ),
        (structure("company", 8, 3, 2, 1), "FS_ok", ""),  # the suspended one is the third: two thirds still hold
        (
            structure("partnership", 3, 3, 1),
            "FS_partnership_senior",
            SENIOR.format("合伙人", 3, 1, 2),
        ),
        (
            structure("company", 7, 2, 2),
            "FS_company_appraisers",
            "公司制机构应当有八名以上执业资产评估师，当前 7 名，还差 1 名（《资产评估法》第十五条）",
        ),
        (
            structure("company", 8, 1, 1),
            "FS_company_shareholders",
            "公司制机构应当有两名以上股东，当前 1 名（《资产评估法》第十五条）",
        ),
        (
            structure("company", 8, 2, 1),
            "FS_company_senior",  # with exactly two, both must meet it
            SENIOR.format("股东", 2, 1, 2),
        ),
        (structure("company", 8, 3, 2), "FS_ok", ""),
        (structure("branch", 1, 0, 0), "FS_branch", ""),  # a branch: art. 15 binds its head office
        (structure("partnership", 2, 2, 2), "FS_ok", ""),
    ],
)
def test_firm_structure(app, facts, rule, reason):
    got_rule, out = decide("firm_structure", facts)
    assert (got_rule, out["allowed"], out["reason"]) == (rule, rule in ("FS_ok", "FS_branch"), reason)


@pytest.mark.parametrize(
    ("table", "facts", "rule"),
    [
        ("firm_filing_eligibility", {"is_firm_admin": True, "has_pending_firm_filing": False}, "FE_admin"),  # R-ADM-1
        ("firm_filing_eligibility", {"is_firm_admin": False, "has_pending_firm_filing": True}, "FE_pending"),
        ("firm_filing_eligibility", {"is_firm_admin": False, "has_pending_firm_filing": False}, "FE_ok"),
        ("firm_change_eligibility", {"is_firm_admin": False, "has_pending_firm_change": False}, "FC_not_admin"),
        ("firm_change_eligibility", {"is_firm_admin": True, "has_pending_firm_change": True}, "FC_pending"),
        ("firm_change_eligibility", {"is_firm_admin": True, "has_pending_firm_change": False}, "FC_ok"),
    ],
)
def test_who_may_file_or_change(app, table, facts, rule):
    got_rule, out = decide(table, facts)
    assert got_rule == rule and out["eligible"] is rule.endswith("_ok")
