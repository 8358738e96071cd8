"""What a form's organisation field (widget "organization") may be given: one filter per kind of field, used to list
the few (local associations), to check a submitted id, and to search the many (5,000 filed firms: issues 13, 16)."""

from collections.abc import Collection
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, func, or_, select

from app.dbread import read
from app.extensions import db
from app.organizations.models import Organization
from app.routing import MAX_ID

SEARCH_LIMIT = 20  # matches one answer gives: the rest wait for a longer fragment
LISTED_KINDS = frozenset({"local_association"})  # 31 at most (R-JOIN-4): a plain <select> is simpler there


class Choice(NamedTuple):
    id: int
    name: str
    credit_code: str | None


def field_kind(ui: dict[str, Any]) -> str:
    """The kind of organisation an organisation field offers: a field naming no kind (or "firm") offers firms."""
    kind = ui.get("organization_kind")
    return kind if kind in ("local_association", "auction_firm") else "firm"


def is_searched(ui: dict[str, Any]) -> bool:
    """Whether the page searches the field's organisations (a combobox) rather than listing them all."""
    return ui.get("widget") == "organization" and field_kind(ui) not in LISTED_KINDS


def _scope(kind: str) -> ColumnElement[bool]:
    """The one filter: firms must be filed (R-FIL-1); auction firms in preparation count (R-AUC-4)."""
    if kind == "firm":
        return and_(Organization.kind == "firm", Organization.filed)
    return Organization.kind == kind


def _columns():  # type: ignore[no-untyped-def]
    return select(Organization.id, Organization.name, Organization.credit_code)


def listed(kind: str) -> list[Choice]:
    """Every organisation the field offers, by name: columns, not ORM objects with their JSON."""
    return [
        Choice(*row)
        for row in db.session.execute(_columns().where(_scope(kind)).order_by(Organization.name, Organization.id))
    ]


def among(kind: str, ids: list[Any]) -> list[Choice]:
    """Those of the submitted `ids` the field offers (a posted value is whatever the client sent)."""
    wanted = [i for i in ids if isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= MAX_ID]
    if not wanted:
        return []
    return [Choice._make(row) for row in read(_among(kind), {"ids": wanted})]


_AMONG: dict[str, Select[Any]] = {}


def _among(kind: str) -> Select[Any]:
    """among's statement for `kind`, built once (issue 13: every submitted form with an organisation field runs it,
    and building it cost more than running it)."""
    stmt = _AMONG.get(kind)
    if stmt is None:
        stmt = _AMONG[kind] = _columns().where(_scope(kind), Organization.id.in_(bindparam("ids", expanding=True)))
    return stmt


def search(
    kind: str, text: str, limit: int = SEARCH_LIMIT, among: Collection[int] | None = None
) -> tuple[list[Choice], bool]:
    """Up to `limit` organisations the field offers whose name or unified social credit code contains `text` (a plain
    substring: no pinyin), those starting with it first, then by name; and whether there are more. An empty text
    gives the first by name; `among`: only organisations of these ids. One statement; a scan of the kind's rows,
    about 1 ms at 5,000 firms."""
    fragment = text.strip()[:100]
    stmt = _columns().where(_scope(kind))
    if among is not None:
        stmt = stmt.where(Organization.id.in_(among))
    if fragment:
        pattern = "%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        starts = pattern[1:]
        stmt = stmt.where(
            or_(
                Organization.name.ilike(pattern, escape="\\"),
                func.upper(Organization.credit_code).like(pattern.upper(), escape="\\"),
            )
        ).order_by(case((Organization.name.ilike(starts, escape="\\"), 0), else_=1))
    rows = [
        Choice(*row) for row in db.session.execute(stmt.order_by(Organization.name, Organization.id).limit(limit + 1))
    ]
    return rows[:limit], len(rows) > limit


def typed(kind: str, text: str) -> int | None:
    """The organisation whose full name or credit code is exactly `text`, if just one: what a person typed and sent
    without picking from the list (or without the page script)."""
    value = text.strip()
    if not value:
        return None
    stmt = (
        select(Organization.id)
        .where(_scope(kind), or_(Organization.name == value, Organization.credit_code == value.upper()))
        .limit(2)
    )
    found = list(db.session.scalars(stmt))
    return found[0] if len(found) == 1 else None
