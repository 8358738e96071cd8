"""Auctioneers' facts for the registration rules, their records, and the registration's BPMN operations."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext
from sqlalchemy import ColumnElement, Date, exists, func, select

from app import clock
from app.accounts.models import User
from app.auctioneers.models import (
    ITEM_TYPES,
    PERSONAL_FIELDS,
    REGISTRATION_TYPES,
    Auctioneer,
    AuctioneerYear,
    CeRecord,
    PracticeRecord,
)
from app.engine.scripting import operation
from app.engine.specs import catalog
from app.errors import Invalid, NotFound
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.societies import society_for_kind, top_organization
from app.workflow.facts import Person, fact_provider, running_application
from app.workflow.models import ProcessInstance

PROCESS_ID = "auctioneer_registration"


def auctioneer_of(user_id: int) -> Auctioneer | None:
    return db.session.scalar(select(Auctioneer).where(Auctioneer.user_id == user_id))


def find_auctioneer(management_number: str) -> Auctioneer | None:
    """Look-up by 拍卖师管理号 (shown and searchable)."""
    return db.session.scalar(select(Auctioneer).where(Auctioneer.management_number == management_number.strip()))


def _auctioneer_values(person: Person) -> dict[str, ColumnElement[Any]]:
    own = Auctioneer.user_id == person.id

    def registered(*year: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(AuctioneerYear.auctioneer_id == Auctioneer.id, own, *year)

    return {
        "this_year": registered(AuctioneerYear.year == person.year),
        "any_year": registered(),
        "next_year": registered(AuctioneerYear.year == person.year + 1),
        "ce_hours": select(func.coalesce(func.sum(CeRecord.hours), 0))
        .where(CeRecord.auctioneer_id == Auctioneer.id, own, CeRecord.year == person.year)
        .scalar_subquery(),
        "branch_member": select(Auctioneer.branch_member).where(own).scalar_subquery(),
        "pending": running_application(person.id, ProcessInstance.process_id == PROCESS_ID),
    }


@fact_provider(_auctioneer_values)
def auctioneer_facts(_user: User, values: Mapping[str, Any]) -> dict[str, Any]:
    """R-AUC-1 account state (practicing this year / registered before / never) and R-AUC-2 this year's CE hours."""
    return {
        "auctioneer_state": "practicing"
        if values["this_year"]
        else ("not_practicing" if values["any_year"] else "never"),
        "auctioneer_ce_hours": int(values["ce_hours"] or 0),
        "auctioneer_registered_next_year": bool(values["next_year"]),
        "auctioneer_branch_member": bool(values["branch_member"]),
        "has_pending_auctioneer_registration": bool(values["pending"]),
    }


@operation("auctioneers/registration_type")
def registration_type(user_id: int) -> dict[str, Any]:
    """R-AUC-1 (DMN auctioneer_registration_type): the type follows the account; always for the next year."""
    from app.workflow.facts import person_facts

    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(gettext("申请人不存在"))
    out = catalog().decide("auctioneer_registration_type", person_facts(user)).outputs
    auctioneer = auctioneer_of(user_id)
    return {
        "type": out["registration_type"],
        "label": REGISTRATION_TYPES[out["registration_type"]],
        "year": clock.today().year + 1,  # 申请注册年度
        "management_number": auctioneer.management_number if auctioneer else None,
    }


@operation("auctioneers/fee")
def fee(user_id: int, join_branch: bool) -> dict[str, Any]:
    """R-AUC-5 (DMN auctioneer_fee): what this application costs: nothing, the branch fee or the registration fee."""
    from app.workflow.facts import person_facts

    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(gettext("申请人不存在"))
    out = catalog().decide("auctioneer_fee", {**person_facts(user), "join_branch": bool(join_branch)}).outputs
    return {"amount_fen": int(out["amount_fen"]), "purpose": out["purpose"], "join_branch": bool(join_branch)}


@operation("auctioneers/firm_context")
def firm_context(
    firm_id: int, consent_statement: list[Any] | None = None, new_management_number: str | None = None
) -> dict[str, Any]:
    """The auction firm and the associations above it (R-AUC-7); a firm in preparation needs its consent (R-AUC-4);
    a first registration's management number must not belong to another auctioneer already."""
    if new_management_number and find_auctioneer(new_management_number) is not None:
        raise Invalid(
            gettext("该执业证书管理号已登记给其他拍卖师"), {"management_number": gettext("该管理号已被使用，请核对")}
        )
    firm = db.session.get(Organization, firm_id)
    if firm is None or firm.kind != "auction_firm" or firm.local_association is None:
        raise Invalid(gettext("请选择拍卖企业"), {"firm_id": gettext("请选择拍卖企业")})
    if firm.in_preparation and not consent_statement:
        message = gettext("所选拍卖企业为筹建状态：请上传企业出具的同意拍卖师注册说明")
        raise Invalid(message, {"consent_statement": message})
    society = society_for_kind("caa")
    caa = top_organization(society) if society else None
    if caa is None:
        raise NotFound(gettext("未配置全国拍卖行业协会"))
    return {
        "id": firm.id,
        "name": firm.name,
        "in_preparation": firm.in_preparation,
        "provincial_id": firm.local_association_id,
        "provincial_name": firm.local_association.name,
        "caa_id": caa.id,
    }


@operation("auctioneers/register")
def register(
    user_id: int,
    year: int,
    firm_id: int,
    management_number: str,
    practice: dict[str, Any] | None = None,
    joined_branch: bool = False,
    personal: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """After the CAA approves: the auctioneer (recorded at first registration with the management number and the
    personal data form of the application) is registered for `year`; a registration's practice record of this
    year is kept (R-AUC-3)."""
    auctioneer = auctioneer_of(user_id)
    if auctioneer is None:
        if find_auctioneer(management_number) is not None:
            raise Invalid(
                gettext("该执业证书管理号已登记给其他拍卖师"), {"management_number": gettext("该管理号已被使用")}
            )
        auctioneer = Auctioneer(user_id=user_id, management_number=management_number.strip())
        db.session.add(auctioneer)
    auctioneer.firm_id = firm_id
    if personal is not None:
        copy_personal_data(auctioneer, personal)
    auctioneer.branch_member = auctioneer.branch_member or bool(joined_branch)  # R-AUC-5: paid the branch fee
    db.session.flush()
    if (
        practice is not None
        and db.session.scalar(
            select(PracticeRecord.id).where(
                PracticeRecord.auctioneer_id == auctioneer.id, PracticeRecord.year == year - 1
            )
        )
        is None
    ):
        record_practice(
            auctioneer,
            year - 1,
            practice["sessions"],
            practice["main_item_type"],
            Decimal(str(practice["turnover_wan"])),
        )
    if (
        db.session.scalar(
            select(AuctioneerYear.id).where(AuctioneerYear.auctioneer_id == auctioneer.id, AuctioneerYear.year == year)
        )
        is None
    ):
        db.session.add(AuctioneerYear(auctioneer_id=auctioneer.id, year=year, registered_at=clock.now()))
    db.session.flush()
    return {"management_number": auctioneer.management_number, "year": year}


def copy_personal_data(auctioneer: Auctioneer, personal: dict[str, Any]) -> None:
    """个人资料 from the 首次注册 form (validated by its schema: dates are ISO dates) onto the record."""
    for name in PERSONAL_FIELDS:
        value = personal.get(name)
        if isinstance(value, str) and isinstance(Auctioneer.__table__.c[name].type, Date):
            value = date.fromisoformat(value)
        setattr(auctioneer, name, value)


def add_ce_record(user: User, item: str, hours: int, proof_attachment_id: int | None) -> CeRecord:
    """R-AUC-3: a CE item of this year, with its hours and proof."""
    auctioneer = auctioneer_of(user.id)
    errors = {}
    if auctioneer is None:
        raise NotFound(gettext("您还不是登记在册的拍卖师"))
    if not item.strip() or len(item) > 200:
        errors["item"] = gettext("请填写继续教育项目（200 字以内）")
    if not 0 < hours <= 200:
        errors["hours"] = gettext("学时须为 1 至 200 之间的整数")
    if proof_attachment_id is None:
        errors["proof"] = gettext("请上传学时证明")
    if errors:
        raise Invalid(gettext("继续教育记录有误，请按提示修改"), errors)
    record = CeRecord(
        auctioneer_id=auctioneer.id,
        year=clock.today().year,
        item=item.strip(),
        hours=hours,
        proof_attachment_id=proof_attachment_id,
    )
    db.session.add(record)
    db.session.flush()
    return record


def record_practice(
    auctioneer: Auctioneer, year: int, sessions: int, main_item_type: str, turnover_wan: Decimal
) -> PracticeRecord:
    """R-AUC-3: one year's practice; a negative or absurd count or turnover is refused."""
    errors = {}
    if not 0 <= sessions <= 10000:
        errors["sessions"] = gettext("主持拍卖场次须在 0 至 10000 之间")
    if main_item_type not in ITEM_TYPES:
        errors["main_item_type"] = gettext("请选择主要拍卖标的类型")
    if not Decimal(0) <= turnover_wan <= Decimal(100000000):
        errors["turnover_wan"] = gettext("成交额（万元）须在 0 至 1 亿之间")
    if errors:
        raise Invalid(gettext("执业记录有误，请按提示修改"), errors)
    record = PracticeRecord(
        auctioneer_id=auctioneer.id,
        year=year,
        sessions=sessions,
        main_item_type=main_item_type,
        turnover_wan=turnover_wan,
    )
    db.session.add(record)
    db.session.flush()
    return record
