"""Demo: the associations on the platform — the appraisal society and the auctioneers' association beside it."""

from sqlalchemy import select, update

from app.accounts.models import User
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.societies import Society

SOCIETIES = (
    {
        "key": "cas",
        "name": "中国资产评估协会",
        "short_name": "中评协",
        "platform_title": "中国资产评估协会 · 会员业务办理平台",
        "sms_signature": "中国资产评估协会",
        "member_number_prefix": "",
        "top_kind": "national_association",
        "role_labels": {
            "firm": "资产评估机构",
            "local_association": "地方协会",
            "national_association": "中国资产评估协会",
            "finance_department": "地方财政部门",
        },
    },
    {
        "key": "caa",
        "name": "中国拍卖行业协会",
        "short_name": "中拍协",
        "platform_title": "中国拍卖行业协会 · 拍卖师注册平台",
        "sms_signature": "中国拍卖行业协会",
        "member_number_prefix": "PM",
        "top_kind": "caa",
        "role_labels": {
            "auction_firm": "拍卖企业",
            "provincial_auction_association": "省拍卖行业协会",
            "caa": "中国拍卖行业协会",
        },
    },
)


def load_societies() -> dict[str, Society]:
    """Both associations (the appraisal society may exist already: migration 0004 creates it for old data)."""
    found = {s.key: s for s in db.session.scalars(select(Society))}
    for fields in SOCIETIES:
        if fields["key"] not in found:
            found[str(fields["key"])] = society = Society(**fields)
            db.session.add(society)
    db.session.flush()
    return found


def adopt_organizations(society: Society) -> None:
    """Every organisation not in a tree yet belongs to this association (the appraisal demo world)."""
    db.session.execute(update(Organization).where(Organization.society_id.is_(None)).values(society_id=society.id))


def load_auction_tree(society: Society) -> dict[str, Organization]:
    """CAA → provincial auction associations → auction firms, one firm still in preparation (R-AUC-4)."""

    def org(key: str, **kw: object) -> Organization:
        made[key] = Organization(society_id=society.id, **kw)
        db.session.add(made[key])
        return made[key]

    made: dict[str, Organization] = {}
    org("caa", kind="caa", name="中国拍卖行业协会")
    bj = org("bj", kind="provincial_auction_association", name="北京市拍卖行业协会", province="北京")
    sh = org("sh", kind="provincial_auction_association", name="上海市拍卖行业协会", province="上海")
    org("firm_bj", kind="auction_firm", name="北京京华拍卖有限公司", province="北京", local_association=bj)
    org("firm_sh", kind="auction_firm", name="上海申江拍卖有限公司", province="上海", local_association=sh)
    org(
        "firm_prep",
        kind="auction_firm",
        name="北京新源拍卖有限公司（筹建）",
        province="北京",
        local_association=bj,
        in_preparation=True,
    )
    db.session.flush()
    return made


def load_auctioneers(tree: dict[str, Organization]) -> dict[str, User]:
    """One auctioneer per registration case (README rows 157000000xx); years count from today."""
    from app import clock
    from app.auctioneers.models import Auctioneer, AuctioneerYear, CeRecord
    from app.demo import add_person

    year = clock.today().year
    cases = [  # key, mobile, name, ID base, registered years, CE hours this year, branch member
        ("practicing", "15700000011", "冯拍卖", "11010519820101001", [year - 1, year], 48, False),  # → 注册
        ("lapsed", "15700000012", "郭再注", "11010519830202002", [year - 2], 50, False),  # → 再注册
        ("short", "15700000014", "林学时", "11010519850404004", [year], 44, False),  # R-AUC-2: 44 < 45
        ("branch", "15700000015", "马分会", "11010519860505005", [year], 45, True),  # R-AUC-5 会员免缴
    ]
    people: dict[str, User] = {"first": add_person("15700000013", "何首次", "11010519840303003")}  # → 首次注册
    for i, (key, mobile, name, base, years, hours, branch) in enumerate(cases):
        user = add_person(mobile, name, base)
        auctioneer = Auctioneer(
            user_id=user.id, management_number=f"PM1100{i + 1:04d}", firm_id=tree["firm_bj"].id, branch_member=branch
        )
        db.session.add(auctioneer)
        db.session.flush()
        for y in years:
            db.session.add(AuctioneerYear(auctioneer_id=auctioneer.id, year=y, registered_at=clock.now()))
        db.session.add(CeRecord(auctioneer_id=auctioneer.id, year=year, item="拍卖法律法规与职业道德", hours=hours))
        people[key] = user
    db.session.flush()
    return people
