"""An auctioneer's own pages: CE-hours summary (学时汇总), practice records, the printable practice record; 去筹."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from sqlalchemy import select

from app import clock
from app.accounts.models import RoleGrant, User
from app.auctioneers.models import PERSONAL_FIELDS, Auctioneer, AuctioneerYear, CeRecord, PracticeRecord
from app.auctioneers.services import PROCESS_ID, auctioneer_of, find_auctioneer
from app.cjk_pdf import titled_document
from app.engine.specs import catalog
from app.errors import NotAllowed, NotFound
from app.extensions import db
from app.formkit import display_values
from app.organizations.models import Organization

CE_REQUIRED_HOURS = 45  # R-AUC-2, shown on the summary; the rule itself is rules/auctioneer_registration_eligibility


@dataclass
class Overview:
    auctioneer: Auctioneer | None
    firm: Organization | None
    years: list[int]
    ce_records: list[CeRecord]
    ce_total: int
    practice: list[PracticeRecord]
    year: int


def overview(user: User) -> Overview:
    year = clock.today().year
    auctioneer = auctioneer_of(user.id)
    if auctioneer is None:
        return Overview(None, None, [], [], 0, [], year)
    years = sorted(
        db.session.scalars(select(AuctioneerYear.year).where(AuctioneerYear.auctioneer_id == auctioneer.id)),
        reverse=True,
    )
    ce = list(
        db.session.scalars(
            select(CeRecord).where(CeRecord.auctioneer_id == auctioneer.id, CeRecord.year == year).order_by(CeRecord.id)
        )
    )
    practice = list(
        db.session.scalars(
            select(PracticeRecord)
            .where(PracticeRecord.auctioneer_id == auctioneer.id)
            .order_by(PracticeRecord.year.desc())
        )
    )
    firm = db.session.get(Organization, auctioneer.firm_id) if auctioneer.firm_id else None
    return Overview(auctioneer, firm, years, ce, sum(r.hours for r in ce), practice, year)


def personal_values(auctioneer: Auctioneer | None) -> list[tuple[str, object]]:
    """个人资料 as the 首次注册 form labels them (empty for an auctioneer recorded before the platform)."""
    if auctioneer is None or auctioneer.id_number is None:
        return []
    form = catalog().process(PROCESS_ID).forms["auctioneer_first_registration"]
    data = {name: getattr(auctioneer, name) for name in PERSONAL_FIELDS}
    values = display_values(form, {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()})
    return [row for name, row in zip(form.order, values, strict=True) if name in PERSONAL_FIELDS]


def practice_record_pdf(user: User) -> bytes:
    """打印执业记录: management number, firm, registered years, practice records and this year's CE hours."""
    view = overview(user)
    if view.auctioneer is None:
        raise NotFound(gettext("您还不是登记在册的拍卖师"))
    pdf = titled_document("拍卖师执业记录", size=11)
    lines = [
        f"姓名：{user.name}　　拍卖师管理号：{view.auctioneer.management_number}",
        f"执业拍卖企业：{view.firm.name if view.firm else '—'}",
        f"已注册年度：{'、'.join(str(y) for y in view.years) or '—'}",
        "",
        "执业记录（年度 / 主持拍卖场次 / 主要拍卖标的类型 / 成交额（万元））：",
        *([f"  {r.year}　{r.sessions} 场　{r.main_item_type}　{r.turnover_wan}" for r in view.practice] or ["  无"]),
        "",
        f"{view.year} 年度继续教育：共 {view.ce_total} 学时",
        *[f"  {r.item}　{r.hours} 学时" for r in view.ce_records],
        "",
        f"打印时间：{clock.format_local(clock.now(), 'zh')}",
    ]
    for line in lines:
        pdf.paragraph(line, 7)
    return bytes(pdf.output())


def _acts_for(actor: User, role: str, organization_id: int | None) -> bool:
    return any(g.role == role and g.organization_id == organization_id for g in actor.grants)


def leave_preparation(actor: User, firm_id: int) -> Organization:
    """R-AUC-4: the auction firm's own staff record that it completed 去筹 (it is no longer in preparation)."""
    firm = db.session.get(Organization, firm_id)
    if firm is None or firm.kind != "auction_firm":
        raise NotFound(gettext("拍卖企业不存在"))
    if not _acts_for(actor, "auction_firm", firm.id):
        raise NotAllowed(gettext("只有本企业的工作人员可以登记去筹"))
    firm.in_preparation = False
    db.session.flush()
    return firm


def search_auctioneer(actor: User, management_number: str) -> Auctioneer | None:
    """Look-up by 拍卖师管理号 for the auction association's reviewers, within their own organisation's tree."""
    found = find_auctioneer(management_number)
    if found is None or found.firm_id is None:
        return None
    firm = db.session.get(Organization, found.firm_id)
    assert firm is not None
    caa_ids = set(
        db.session.scalars(
            select(RoleGrant.organization_id).where(RoleGrant.user_id == actor.id, RoleGrant.role == "caa")
        )
    )
    if (
        caa_ids
        or _acts_for(actor, "auction_firm", firm.id)
        or _acts_for(actor, "provincial_auction_association", firm.local_association_id)
    ):
        return found
    return None
