"""Demo data for firm filing (issue 11): finance departments and reviewers, an applicant, people to list."""

from datetime import date

from sqlalchemy import select

from app import clock
from app.accounts.models import User
from app.demo import World, _org, _user, add_member
from app.demo_lifecycle import months_ago
from app.extensions import db
from app.members.models import MemberPenalty, Qualification
from app.organizations.models import FirmPerson, Organization


def load_filing_demo(w: World) -> dict[str, User]:
    """README rows 13400000001/2, 13800000041…45 and 13800000050: one finance department per demo province."""
    today = clock.today()
    finance_bj = _org(kind="finance_department", name="北京市财政局", province="北京")
    finance_sh = _org(kind="finance_department", name="上海市财政局", province="上海")
    db.session.flush()
    people = {
        "13400000001": _user("13400000001", "钱财北", "110105197202020013", [("finance_department", finance_bj)]),
        "13400000002": _user("13400000002", "孙财沪", "310105197303030015", [("finance_department", finance_sh)]),
        "13800000041": _user("13800000041", "林立", "110105198808080015"),  # files a new firm
    }
    prefiling = db.session.scalars(select(Organization).where(Organization.name == "北京筹建中评估有限公司")).one()
    cases = [  # mobile, name, ID base, firm, custody, practice months: in custody, ready to be listed (R-FIL-3)
        ("13800000042", "何平", "11010519800101004", None, True, 120),
        ("13800000043", "罗兰", "11010519810202005", None, True, 96),
        ("13800000044", "宋雨", "11010519920303006", None, True, 18),  # under 3 years: not a senior partner
        ("13800000045", "邓亮", "11010519830404007", prefiling, False, 60),  # pre-filed into 北京筹建中 (R-TRF-9)
        ("13800000050", "薛停", "11010519820808001", None, True, 120),  # suspended 20..14 months ago: not senior
    ]
    for i, (mobile, name, base, firm, custody, months) in enumerate(cases):
        user, member = add_member(
            mobile,
            name,
            base,
            member_number=f"20220000{41 + i}",
            kind="full",
            firm_id=firm.id if firm else None,
            local_association_id=w.local_bj.id,
            joined_on=date(2020, 1, 6),
            in_custody=custody,
            annual_inspection="passed",
            practice_started_on=months_ago(today, months),
        )
        db.session.add(
            Qualification(
                user_id=user.id, kind="appraiser", certificate_number=f"ZC20180{41 + i}", passed_on=date(2018, 9, 1)
            )
        )
        people[mobile] = user
        if mobile == "13800000050":  # Asset Appraisal Law art. 15: a suspension in the last three years
            db.session.add(
                MemberPenalty(
                    member_id=member.id,
                    kind="suspension",
                    starts_on=months_ago(today, 20),
                    ends_on=months_ago(today, 14),
                    note="违反资产评估执业准则，停止执业六个月（演示数据）",
                )
            )
    db.session.flush()
    people |= _load_filed_partnership(w)
    return people


def _load_filed_partnership(w: World) -> dict[str, User]:
    """A filed partnership with its filed people and admin: a change that removes 冯正 frees him to transfer."""
    today = clock.today()
    firm = _org(
        kind="firm",
        name="北京正衡资产评估事务所",
        province="北京",
        filed=True,
        credit_code="91110105MA01QRT343",
        firm_form="partnership",
        local_association=w.local_bj,
    )
    db.session.flush()
    people = {"13900000003": _user("13900000003", "郭正", "110105197404040039", [("firm_admin", firm), ("firm", firm)])}
    cases = [  # mobile, name, ID base: three senior partners, all appraisers
        ("13800000046", "冯正", "11010519790505008"),  # shareholder: transfer refused until the change (R-TRF-3)
        ("13800000047", "蒋衡", "11010519780606009"),
        ("13800000048", "韩和", "11010519770707000"),
    ]
    for i, (mobile, name, base) in enumerate(cases):
        user, member = add_member(
            mobile,
            name,
            base,
            member_number=f"20150000{46 + i}",
            kind="full",
            firm_id=firm.id,
            local_association_id=w.local_bj.id,
            joined_on=date(2015, 3, 2),
            annual_inspection="passed",
            practice_started_on=months_ago(today, 120),
            is_shareholder=True,
        )
        db.session.add(
            FirmPerson(
                firm_id=firm.id,
                person_kind="natural",
                name=name,
                id_number=user.id_number,
                member_id=member.id,
                is_shareholder=True,
                is_appraiser=True,
                filed=True,
            )
        )
        people[mobile] = user
    # R-FIL-4: a land valuer (not a member) whom 北京正衡 lists as an other-field appraiser
    cao = _user("13800000049", "曹地", "110105198609090018")
    db.session.flush()
    db.session.add(
        FirmPerson(
            firm_id=firm.id,
            person_kind="natural",
            name="曹地",
            id_number=cao.id_number,
            is_other_field_appraiser=True,
            other_field_type="land",
            certificate_number="TD2019001",
            filed=True,
        )
    )
    people["13800000049"] = cao
    db.session.flush()
    return people
