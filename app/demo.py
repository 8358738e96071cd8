"""Demo organisations and one login per role; the README lists them. Also the tests' standard world."""

import io
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from stdnum.cn import ric
from werkzeug.datastructures import FileStorage

from app import clock
from app.accounts.models import RoleGrant, User
from app.extensions import db
from app.members.models import Member, Qualification
from app.organizations.models import Organization
from app.organizations.societies import Society

DEMO_PASSWORD = "Demo@2026"


@dataclass
class World:
    national: Organization
    local_bj: Organization
    local_sh: Organization
    firm_bj: Organization
    branch_bj: Organization
    firm_bj2: Organization
    firm_sh: Organization
    applicant: User
    returning: User
    firm_reviewer: User
    other_firm_reviewer: User
    branch_reviewer: User  # 天津分公司's own reviewer: a transfer into or out of the branch is confirmed, not timed out
    local_reviewer: User
    other_local_reviewer: User
    national_reviewer: User
    admin: User
    # the auctioneers' association beside it (app/demo_societies.py): organisations and logins by key
    auction: dict[str, Organization] = field(default_factory=dict)
    auction_users: dict[str, User] = field(default_factory=dict)


def _org(**kw: object) -> Organization:
    org = Organization(**kw)
    db.session.add(org)
    return org


def _user(mobile: str, name: str, id_number: str, grants: list[tuple[str, Organization]] = (), **kw: object) -> User:  # type: ignore[assignment]
    # demo people passed the face verification (R-ACC-2) already
    user = User(mobile=mobile, name=name, id_number=id_number, verified_at=clock.now(), **kw)
    user.set_password(DEMO_PASSWORD)
    user.grants = [RoleGrant(role=role, organization=org) for role, org in grants]
    db.session.add(user)
    return user


def load_demo() -> World:
    """Create the demo world (call on an empty database)."""
    from app.demo_societies import adopt_organizations, load_societies

    societies = load_societies()
    national = _org(kind="national_association", name="中国资产评估协会")
    local_bj = _org(kind="local_association", name="北京资产评估协会", province="北京")
    local_sh = _org(kind="local_association", name="上海市资产评估协会", province="上海")
    firm_bj = _org(
        kind="firm",
        name="北京中和资产评估有限公司",
        province="北京",
        filed=True,
        credit_code="91110000100000001X",
        local_association=local_bj,
    )
    branch_bj = _org(
        kind="firm",
        name="北京中和资产评估有限公司天津分公司",
        province="北京",
        filed=True,
        local_association=local_bj,
        head_office=firm_bj,
    )
    firm_bj2 = _org(
        kind="firm", name="北京华信众合资产评估有限公司", province="北京", filed=True, local_association=local_bj
    )
    firm_sh = _org(
        kind="firm", name="上海东洲资产评估有限公司", province="上海", filed=True, local_association=local_sh
    )
    _org(kind="firm", name="北京筹建中评估有限公司", province="北京", filed=False, local_association=local_bj)
    db.session.flush()
    adopt_organizations(societies["cas"])
    w = World(
        national,
        local_bj,
        local_sh,
        firm_bj,
        branch_bj,
        firm_bj2,
        firm_sh,
        applicant=_user("13800000001", "张三", "110105199003071239"),
        returning=_user("13800000002", "李四", "110105198001010016"),
        firm_reviewer=_user("13900000001", "王机构", "110105197501010018", [("firm", firm_bj)]),
        other_firm_reviewer=_user("13900000002", "赵机构", "110105197601010015", [("firm", firm_bj2)]),
        branch_reviewer=_user("13900000004", "冯分所", _valid_id("12010519780202002"), [("firm", branch_bj)]),
        local_reviewer=_user("13700000001", "孙北京", "110105197701010012", [("local_association", local_bj)]),
        other_local_reviewer=_user("13700000002", "周上海", "310105197801010017", [("local_association", local_sh)]),
        national_reviewer=_user("13600000001", "吴中评", "110105197901010017", [("national_association", national)]),
        admin=_user("13500000000", "系统管理员", "110105197001010011", is_admin=True),
    )
    db.session.flush()
    db.session.add_all(
        [
            Qualification(
                user_id=w.applicant.id, kind="appraiser", certificate_number="ZC2024001", passed_on=date(2024, 9, 1)
            ),
            Qualification(
                user_id=w.returning.id, kind="appraiser", certificate_number="ZC2015007", passed_on=date(2015, 9, 1)
            ),
            # 李四 practised before 2023 and resigned in 2021: R-JOIN-2 lets him choose "full"
            Member(
                user_id=w.returning.id,
                member_number="2016000007",
                kind="full",
                firm_id=firm_sh.id,
                local_association_id=local_sh.id,
                status="resigned",
                joined_on=date(2016, 3, 1),
                left_on=date(2021, 6, 30),
            ),
        ]
    )
    db.session.flush()
    _load_transfer_members(w)
    _load_transfer_kind_members(w)
    _load_certificate_members(w)
    from app.demo_lifecycle import load_lifecycle_members

    load_lifecycle_members(w)
    from app.demo_filing import load_filing_demo

    load_filing_demo(w)

    w.auction, w.auction_users = load_auction_demo(societies["caa"])
    return w


def load_auction_demo(caa: Society) -> tuple[dict[str, Organization], dict[str, User]]:
    """The auction association's tree, one reviewer per level (R-AUC-7) and an auctioneer per registration case."""
    from app.demo_societies import load_auction_tree, load_auctioneers

    tree = load_auction_tree(caa)
    people = {
        "firm_reviewer": _user("15700000001", "刘拍卖", "110105197206120011", [("auction_firm", tree["firm_bj"])]),
        "prep_reviewer": _user("15700000002", "陈筹建", "110105197303030018", [("auction_firm", tree["firm_prep"])]),
        "provincial_reviewer": _user(
            "15700000003", "杨省拍协", "110105197404040012", [("provincial_auction_association", tree["bj"])]
        ),
        "caa_reviewer": _user("15700000004", "黄中拍协", "110105197505050017", [("caa", tree["caa"])]),
    }
    people.update(load_auctioneers(tree))
    db.session.flush()
    return tree, people


def _valid_id(base: str) -> str:
    """A GB 11643 number from its 17-digit base (the check digit computed)."""
    return base + ric.calc_check_digit(base + "0")


def add_person(mobile: str, name: str, id_base: str) -> User:
    """A demo person with a valid GB 11643 number (check digit computed from the 17-digit base)."""
    user = _user(mobile, name, _valid_id(id_base))
    db.session.flush()
    return user


def add_member(mobile: str, name: str, id_base: str, **fields: object) -> tuple[User, Member]:
    """A demo person with a valid GB 11643 number (check digit computed from the 17-digit base) and a membership."""
    user = add_person(mobile, name, id_base)
    member = Member(user_id=user.id, **fields)
    db.session.add(member)
    db.session.flush()
    return user, member


def _load_transfer_members(w: World) -> None:
    """Practising members at 北京中和 for the transfer process: one may move, the others are blocked."""
    cases = [  # mobile, name, ID number, annual inspection, shareholder
        ("13800000003", "王五", "110105198503030014", "passed", False),  # may transfer (R-TRF-4)
        ("13800000004", "赵六", "110105198604040015", "failed", False),  # R-TRF-2 failed inspection
        ("13800000005", "钱七", "110105198705050016", "passed", True),  # R-TRF-3 shareholder
    ]
    for i, (mobile, name, id_number, inspection, shareholder) in enumerate(cases):
        add_member(
            mobile,
            name,
            id_number[:17],
            member_number=f"20190000{30 + i}",
            kind="full",
            firm_id=w.firm_bj.id,
            local_association_id=w.local_bj.id,
            joined_on=date(2019, 7, 1),
            annual_inspection=inspection,
            is_shareholder=shareholder,
        )


def _load_transfer_kind_members(w: World) -> None:
    """Members for custody (R-TRF-7) and the branch transfer (R-TRF-8); a Shanghai branch of 北京中和."""
    _org(
        kind="firm",
        name="北京中和资产评估有限公司上海分公司",
        province="上海",
        filed=True,
        local_association=w.local_sh,
        head_office=w.firm_bj,
    )
    cases = [  # mobile, name, ID number base, firm
        ("13800000021", "郑一", "11010519881102001", w.firm_bj),  # may apply for custody or a branch transfer
        ("13800000022", "冯二", "11010519890203002", w.branch_bj),  # at a branch: may move to the head office
        ("13800000023", "褚三", "11010519900304003", w.firm_bj2),  # may move to 北京筹建中 (pre-filing, R-TRF-9)
        ("13800000024", "卫四", "11010519910405004", w.firm_bj),  # left 北京中和, not transferred (R-TRF-10)
    ]
    prefiling = db.session.scalars(select(Organization).where(Organization.name == "北京筹建中评估有限公司")).one()
    prefiling.credit_code = "91110108MA01ABCD1E"  # valid (stdnum.cn.uscc), not filed yet
    for i, (mobile, name, base, firm) in enumerate(cases):
        add_member(
            mobile,
            name,
            base,
            member_number=f"20210000{21 + i}",
            kind="full",
            firm_id=firm.id,
            local_association_id=firm.local_association_id,
            joined_on=date(2021, 4, 1),
            annual_inspection="passed",
        )


def _load_certificate_members(w: World) -> None:
    """One member per electronic-certificate case (R-CER-2, R-CER-3), with generated photo/signature/seal images."""
    from app.certificates.samples import sample_photo_png, seal_png, signature_png
    from app.files.services import store_upload
    from app.members.models import CoreFiling

    cases = [  # mobile, name, kind, firm, in custody, annual inspection, filings
        ("13800000011", "王喆", "full", w.firm_bj, False, "passed", ("photo", "signature", "seal")),  # may print
        ("13800000012", "李堃", "full", None, True, "passed", ("photo", "signature", "seal")),  # custody
        ("13800000013", "陈䶮", "full", w.firm_bj2, False, "failed", ("photo", "signature", "seal")),  # inspection
        ("13800000014", "孙静", "trainee", w.firm_bj, False, "passed", ("photo", "signature")),  # no seal (R-CER-3)
        ("13800000015", "周敏", "non_practicing", None, False, "passed", ("photo", "signature", "seal")),  # may print
    ]
    for i, (mobile, name, kind, firm, custody, inspection, filings) in enumerate(cases):
        user, member = add_member(
            mobile,
            name,
            f"110105198{i + 1}0{i + 1}0{i + 1}01{i + 1}",
            member_number=f"20200000{11 + i}",
            kind=kind,
            firm_id=firm.id if firm else None,
            local_association_id=w.local_bj.id,
            joined_on=date(2020, 5, 1),
            in_custody=custody,
            annual_inspection=inspection,
        )
        images = {"photo": sample_photo_png(i), "signature": signature_png(name), "seal": seal_png(name)}
        for filing in filings:
            file = FileStorage(io.BytesIO(images[filing]), filename=f"{filing}.png")
            att = store_upload(file, user.id, allow="image")
            db.session.add(CoreFiling(member_id=member.id, kind=filing, attachment_id=att.id, filed_by_id=user.id))
        if i == 0:
            exam = store_upload(FileStorage(io.BytesIO(sample_photo_png(7)), filename="exam.png"), user.id)
            db.session.add(
                Qualification(
                    user_id=user.id,
                    kind="appraiser",
                    certificate_number="ZC2019011",
                    passed_on=date(2019, 9, 1),
                    exam_photo_attachment_id=exam.id,
                )
            )
    db.session.flush()


def demo_loaded() -> bool:
    return db.session.scalar(select(Organization.id).limit(1)) is not None


def load_missing_auction_demo() -> bool:
    """A demo database made before the auction association arrived gets its part (init-demo); False if present."""
    from app.demo_societies import load_societies

    if db.session.scalar(select(Organization.id).where(Organization.kind == "caa").limit(1)) is not None:
        return False
    load_auction_demo(load_societies()["caa"])
    return True
