"""Importing existing firms from the old platform (issue 14 item 1): validated row by row, upserted by credit code."""

from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import insert, select, update
from stdnum.cn import uscc

from app import clock
from app.extensions import db
from app.files.import_rows import Outcome, Progress, chunks, counted_rows, duplicate_reason
from app.files.tables import Table
from app.organizations.models import FIRM_FORMS, Organization
from app.organizations.societies import society_for_kind

COLUMNS = ("机构名称", "统一社会信用代码", "所属地方协会", "组织形式", "地址", "法定代表人", "总所统一社会信用代码")
REQUIRED = ("机构名称", "统一社会信用代码", "所属地方协会")
EXAMPLE = (
    "北京示例资产评估有限公司",
    "91110108MA01ABCE1F",
    "北京资产评估协会",
    "公司制",
    "北京市海淀区示例路 1 号",
    "张示例",
    "",
)
FORM_BY_LABEL = {label: key for key, label in FIRM_FORMS.items()}


@lru_cache(maxsize=4096)
def compact_code(raw: str) -> str:
    """An import file names a few hundred firms in 50,000 rows: each code is normalised once."""
    return uscc.compact(raw).upper()


def credit_code_error(code: str) -> str | None:
    """Why `code` is no credit code, in the reader's language (the check is remembered, the message is not)."""
    if not code:
        return _("请填写统一社会信用代码")
    if not _valid_code(code):
        return _("统一社会信用代码 %(code)s 不正确（应为 18 位，且校验位须符合 GB 32100）", code=code)
    return None


@lru_cache(maxsize=4096)
def _valid_code(code: str) -> bool:
    return bool(uscc.is_valid(code))


def _existing_by_code(codes: list[str]) -> dict[str, Organization]:
    found: dict[str, Organization] = {}
    for part in chunks(codes):
        for org in db.session.scalars(select(Organization).where(Organization.credit_code.in_(part))):
            found[org.credit_code or ""] = org
    return found


def import_firms(table: Table, progress: Progress) -> Outcome:
    """Every row valid → new firms inserted, known ones (same credit code) updated; else nothing written."""
    outcome = Outcome()
    associations = {
        o.name: o.id for o in db.session.scalars(select(Organization).where(Organization.kind == "local_association"))
    }
    codes = [uscc.compact(r.get("统一社会信用代码", "")).upper() for r in table.rows]
    existing = _existing_by_code([c for c in codes if c])
    seen: dict[str, int] = {}
    good: list[tuple[int, dict[str, Any], str]] = []
    for index, row in counted_rows(table.rows, progress, outcome):
        number = index + 2
        reason, values = _check_row(row, codes[index], associations, existing, seen, codes)
        if reason:
            outcome.refuse(number, reason)
            continue
        seen[codes[index]] = number
        good.append((number, values, row.get("总所统一社会信用代码", "")))
    progress(len(table.rows))
    if outcome.refused:
        return outcome
    _write(good, existing, outcome)
    return outcome


def _check_row(
    row: dict[str, str],
    code: str,
    associations: dict[str, int],
    existing: dict[str, Organization],
    seen: dict[str, int],
    codes: list[str],
) -> tuple[str | None, dict[str, Any]]:
    if not row.get("机构名称"):
        return _("请填写机构名称"), {}
    if err := credit_code_error(code):
        return err, {}
    if code in seen:
        return duplicate_reason(_("统一社会信用代码"), seen[code]), {}
    known = existing.get(code)
    if known is not None and known.kind != "firm":
        return _("统一社会信用代码 %(code)s 已属于非评估机构的组织「%(name)s」", code=code, name=known.name), {}
    association_id = associations.get(row.get("所属地方协会", ""))
    if association_id is None:
        return _("地方协会「%(name)s」不存在", name=row.get("所属地方协会", "")), {}
    form = row.get("组织形式", "")
    if form and form not in FORM_BY_LABEL:
        return _("组织形式应为“公司制”或“合伙制”"), {}
    head = uscc.compact(row.get("总所统一社会信用代码", "")).upper()
    if head and head not in existing and head not in codes:
        return _("总所（统一社会信用代码 %(code)s）不存在，请先导入总所", code=head), {}
    if head == code:
        return _("总所统一社会信用代码不能是本机构自己的代码"), {}
    return None, {
        "name": row["机构名称"],
        "credit_code": code,
        "local_association_id": association_id,
        "firm_form": FORM_BY_LABEL.get(form),
        "address": row.get("地址") or None,
        "legal_representative": row.get("法定代表人") or None,
    }


def _write(good: list[tuple[int, dict[str, Any], str]], existing: dict[str, Organization], outcome: Outcome) -> None:
    society = society_for_kind("firm")
    now = clock.now()
    new = [v for _n, v, _h in good if v["credit_code"] not in existing]
    changed = [{"id": existing[v["credit_code"]].id, **v} for _n, v, _h in good if v["credit_code"] in existing]
    if new:
        db.session.execute(
            insert(Organization),
            [
                {
                    **v,
                    "kind": "firm",
                    "filed": True,
                    "filed_at": now,
                    "filing_history": [],
                    "society_id": society.id if society else None,
                }
                for v in new
            ],
        )
    if changed:
        db.session.execute(update(Organization), changed)
    head_codes = [uscc.compact(h).upper() for _n, _v, h in good if h]
    wanted = [v["credit_code"] for _n, v, _h in good] + head_codes
    ids = {o.credit_code: o.id for o in _existing_by_code(wanted).values()}
    heads = [{"id": ids[v["credit_code"]], "head_office_id": ids[uscc.compact(h).upper()]} for _n, v, h in good if h]
    if heads:
        db.session.execute(update(Organization), heads)
    outcome.created, outcome.updated = len(new), len(changed)
