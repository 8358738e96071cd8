"""Importing existing members from the old platform (issue 14 item 1): each member gets an account with the
mobile and old login name on record and no password, the member record (number, kind, firm, association) and
the credit records; validated row by row, all or nothing, and a second import updates by member number."""

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, text

from app.accounts.binding import claimable
from app.accounts.id_documents import ID_TYPES, TYPE_BY_LABEL, document_error
from app.accounts.mobiles import parse_mobile
from app.accounts.models import User
from app.accounts.registration import NAME_PATTERN, normalize_id_number
from app.extensions import db
from app.files.import_rows import Outcome, Progress, chunks, counted_rows, duplicate_reason, parse_day, yes_no
from app.files.tables import Table
from app.members.import_writes import write_members
from app.members.models import MEMBER_KINDS, Member
from app.organizations.imports import compact_code, credit_code_error
from app.organizations.models import Organization

COLUMNS = (
    "会员编号",
    "姓名",
    "证件号码",
    "手机号",
    "会员类型",
    "所在机构统一社会信用代码",
    "所属地方协会",
    "协会代管",
    "入会日期",
    "执业开始日期",
    "原平台用户名",
    "信用档案",
    "证件类型",  # optional: 居民身份证 when absent or empty (app/accounts/id_documents.py)
)
REQUIRED = COLUMNS[:5] + ("入会日期",)
EXAMPLE = (
    "2015000001",
    "张示例",
    "11010519491231002X",
    "13812345678",
    "正式执业会员",
    "91110108MA01ABCE1F",
    "",
    "否",
    "2015-03-01",
    "2015-03-01",
    "zhangsl",
    "2021-05 警告（示例）；2023-01 通报批评（示例）",
    "居民身份证",
)
KIND_BY_LABEL = {label: key for key, label in MEMBER_KINDS.items()}
NUMBER = re.compile(r"[0-9A-Za-z-]{4,20}", re.ASCII)
LOGIN = re.compile(r"[0-9A-Za-z_.@-]{2,60}", re.ASCII)
CREDIT_SEPARATORS = re.compile(r"[；;\n]+")


@dataclass
class _Known:
    """What the database already holds for the file's numbers, IDs, mobiles and login names (bulk look-ups)."""

    members: dict[str, tuple[int, int]]  # member number -> (member id, user id)
    users: dict[str, User]  # ID number -> account
    mobiles: dict[str, str | None]  # mobile -> the owner's ID number
    logins: dict[str, str | None]  # old login name -> the owner's ID number
    active_numbers: dict[int, str]  # user id -> number of the active membership
    firms: dict[str, tuple[int, int | None]]  # credit code -> (firm id, its local association)
    associations: dict[str, int]  # name -> id


def _lookup(key: Any, value: Any, values: list[Any], *where: Any) -> dict[Any, Any]:
    """key -> value for the rows whose `key` is among `values`, in IN-lists of a safe size."""
    found: dict[Any, Any] = {}
    for part in chunks(values):
        found.update({k: v for k, v in db.session.execute(select(key, value).where(key.in_(part), *where))})
    return found


def _load(rows: list[dict[str, str]]) -> _Known:
    def column(name: str) -> list[str]:
        return sorted({r.get(name, "") for r in rows if r.get(name)})

    ids = sorted({normalize_id_number(r.get("证件号码", "")) for r in rows if r.get("证件号码")})
    users: dict[str, User] = {}
    for part in chunks(ids):
        users.update({u.id_number or "": u for u in db.session.scalars(select(User).where(User.id_number.in_(part)))})
    members: dict[str, tuple[int, int]] = {}
    for part in chunks(column("会员编号")):
        stmt = select(Member.member_number, Member.id, Member.user_id).where(Member.member_number.in_(part))
        members.update({n: (i, u) for n, i, u in db.session.execute(stmt)})
    firms: dict[str, tuple[int, int | None]] = {}
    codes = sorted({compact_code(r.get("所在机构统一社会信用代码", "")) for r in rows} - {""})
    for part in chunks(codes):
        firm_stmt = select(Organization.credit_code, Organization.id, Organization.local_association_id).where(
            Organization.credit_code.in_(part), Organization.kind == "firm"
        )
        firms.update({c or "": (i, a) for c, i, a in db.session.execute(firm_stmt)})
    return _Known(
        members=members,
        users=users,
        mobiles=_lookup(User.mobile, User.id_number, column("手机号")),
        logins=_lookup(User.legacy_login, User.id_number, column("原平台用户名")),
        active_numbers=_lookup(
            Member.user_id, Member.member_number, [u.id for u in users.values()], Member.status == "active"
        ),
        firms=firms,
        associations={
            name: org_id
            for name, org_id in db.session.execute(
                select(Organization.name, Organization.id).where(Organization.kind == "local_association")
            )
        },
    )


def import_members(table: Table, progress: Progress) -> Outcome:
    """Every row valid → accounts, members and credit records written in bulk; else nothing written."""
    outcome = Outcome()
    if db.session.get_bind().dialect.name == "postgresql":
        # fresh statistics, or the look-ups by IN-list scan tables that a previous import just filled (measured:
        # re-importing 50,000 members right after importing them, 334 s with the stale statistics, 76 s without)
        db.session.execute(text("ANALYZE user_account, member"))
    known = _load([r for r in table.rows if r])
    seen: dict[str, dict[str, int]] = {"number": {}, "id": {}, "mobile": {}, "login": {}}
    good: list[dict[str, Any]] = []
    for index, row in counted_rows(table.rows, progress, outcome):
        values, reason = _check_row(row, known, seen)
        if reason:
            outcome.refuse(index + 2, reason)
            continue
        for key, name in (
            ("number", "member_number"),
            ("id", "id_number"),
            ("mobile", "mobile"),
            ("login", "legacy_login"),
        ):
            if values[name]:
                seen[key][values[name]] = index + 2
        good.append(values)
    progress(len(table.rows))
    if not outcome.refused:
        write_members(good, known.users, known.members, outcome)
    return outcome


def _check_row(
    row: dict[str, str], known: _Known, seen: dict[str, dict[str, int]]
) -> tuple[dict[str, Any], str | None]:
    number, name = row.get("会员编号", ""), row.get("姓名", "")
    id_number = normalize_id_number(row.get("证件号码", ""))
    mobile, login = parse_mobile(row.get("手机号", "")), row.get("原平台用户名", "")
    if not NUMBER.fullmatch(number):
        return {}, _("会员编号应为 4–20 位字母或数字")
    if number in seen["number"]:
        return {}, duplicate_reason(_("会员编号"), seen["number"][number])
    if not NAME_PATTERN.fullmatch(name):
        return {}, _("姓名应为 2–30 个汉字或字母")
    id_type = TYPE_BY_LABEL.get(row.get("证件类型", ""))
    if id_type is None:
        return {}, _("证件类型应为：%(types)s", types="、".join(ID_TYPES.values()))
    if err := document_error(id_type, id_number):
        return {}, err
    if id_number in seen["id"]:
        return {}, duplicate_reason(_("证件号码"), seen["id"][id_number])
    if mobile is None:
        return {}, _("手机号应为 11 位中国大陆手机号码")
    if mobile in seen["mobile"]:
        return {}, duplicate_reason(_("手机号"), seen["mobile"][mobile])
    if login and not LOGIN.fullmatch(login):
        return {}, _("原平台用户名应为 2–60 位字母、数字或 _ . @ -")
    if login and login in seen["login"]:
        return {}, duplicate_reason(_("原平台用户名"), seen["login"][login])
    kind = KIND_BY_LABEL.get(row.get("会员类型", ""))
    if kind is None:
        return {}, _("会员类型应为：%(kinds)s", kinds="、".join(MEMBER_KINDS.values()))
    custody = yes_no(row.get("协会代管", ""))
    if custody is None:
        return {}, _("协会代管应填“是”或“否”")
    place, reason = _place(row, kind, custody, known)
    if reason:
        return {}, reason
    joined_on = parse_day(row.get("入会日期", ""))
    started = parse_day(row.get("执业开始日期", "")) if row.get("执业开始日期") else joined_on
    if joined_on is None or started is None:
        return {}, _("日期应写作 2015-03-01")
    if reason := _conflict(number, id_number, mobile, login, known):
        return {}, reason
    return {
        "member_number": number,
        "name": name,
        "id_number": id_number,
        "id_type": id_type,
        "mobile": mobile,
        "legacy_login": login or None,
        "kind": kind,
        "in_custody": custody,
        "joined_on": joined_on,
        "practice_started_on": started if kind != "non_practicing" else None,
        "credit": [c.strip()[:500] for c in CREDIT_SEPARATORS.split(row.get("信用档案", "")) if c.strip()],
        **place,
    }, None


def _place(row: dict[str, str], kind: str, custody: bool, known: _Known) -> tuple[dict[str, Any], str | None]:
    """The firm (practicing members outside custody) and the local association, from the firm or by name."""
    code = compact_code(row.get("所在机构统一社会信用代码", ""))
    if kind == "non_practicing" or custody:
        if code:
            return {}, _("非执业会员和协会代管的会员不在机构执业，所在机构应留空")
        association = known.associations.get(row.get("所属地方协会", ""))
        if association is None:
            return {}, _("地方协会「%(name)s」不存在", name=row.get("所属地方协会", ""))
        return {"firm_id": None, "local_association_id": association}, None
    if err := credit_code_error(code):
        return {}, err
    if code not in known.firms:
        return {}, _("机构不存在：统一社会信用代码 %(code)s 未在平台备案，请先导入机构", code=code)
    firm_id, association_id = known.firms[code]
    if association_id is None:
        return {}, _("机构 %(code)s 未归属地方协会", code=code)
    return {"firm_id": firm_id, "local_association_id": association_id}, None


def _conflict(number: str, id_number: str, mobile: str, login: str, known: _Known) -> str | None:
    """A row that would take another person's member number, membership, mobile or old login name."""
    owner = known.users.get(id_number)
    member = known.members.get(number)
    if member is not None and (owner is None or owner.id != member[1]):
        return _("会员编号 %(number)s 已属于另一位会员（证件号码不同）", number=number)
    if owner is not None and known.active_numbers.get(owner.id, number) != number:
        return _("该证件号码已是会员 %(number)s", number=known.active_numbers[owner.id])
    # an account the person already uses keeps its own mobile: the file's is not written over it
    if known.mobiles.get(mobile, id_number) != id_number and (owner is None or claimable(owner)):
        return _("手机号 %(mobile)s 已被其他账号使用", mobile=mobile)
    if login and known.logins.get(login, id_number) != id_number:
        return _("原平台用户名 %(login)s 已被其他账号使用", login=login)
    return None
