"""Organisation look-ups used by forms and by BPMN service tasks."""

from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app.engine.scripting import operation
from app.errors import NotFound
from app.extensions import db
from app.organizations.models import Organization
from app.routing import MAX_ID


def filed_firm_choices() -> list[tuple[int, str]]:
    """(id, name) of every filed firm by name: what a form's firm field offers (5,000 at national scale, so the
    columns alone, not the ORM objects with their JSON)."""
    stmt = (
        select(Organization.id, Organization.name)
        .where(Organization.kind == "firm", Organization.filed)
        .order_by(Organization.name)
    )
    return [(i, name) for i, name in db.session.execute(stmt)]


def list_local_associations() -> list[Organization]:
    stmt = select(Organization).where(Organization.kind == "local_association").order_by(Organization.name)
    return list(db.session.scalars(stmt))


def filed_firms_by_id(ids: list[Any]) -> list[Organization]:
    # a submitted firm_id is whatever the client sent: beyond an id column's range it names no firm
    wanted = [i for i in ids if isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= MAX_ID]
    if not wanted:
        return []
    stmt = select(Organization).where(Organization.id.in_(wanted), Organization.kind == "firm", Organization.filed)
    return list(db.session.scalars(stmt))


def organizations_of_kind(kind: str, ids: list[Any] | None = None) -> list[Organization]:
    """Organisations of one kind by name (e.g. auction firms), or only those among submitted `ids`."""
    stmt = select(Organization).where(Organization.kind == kind).order_by(Organization.name)
    if ids is not None:
        wanted = [i for i in ids if isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= MAX_ID]
        if not wanted:
            return []
        stmt = stmt.where(Organization.id.in_(wanted))
    return list(db.session.scalars(stmt))


def national_association() -> Organization:
    org = db.session.scalar(select(Organization).where(Organization.kind == "national_association"))
    if org is None:
        raise NotFound(gettext("未配置全国协会"))
    return org


@operation("organizations/firm_context")
def firm_context(firm_id: int) -> dict[str, Any]:
    """The firm and the associations that review its members' applications."""
    firm = db.session.get(Organization, firm_id)
    if firm is None or firm.kind != "firm" or firm.local_association is None:
        raise NotFound(f"机构 {firm_id} 不存在或未归属地方协会")
    return {
        "id": firm.id,
        "name": firm.name,
        "local_association_id": firm.local_association_id,
        "local_association_name": firm.local_association.name,
        "national_association_id": national_association().id,
    }
