"""Organisation look-ups used by forms and by BPMN service tasks."""

from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app.engine.scripting import operation
from app.errors import NotFound
from app.extensions import db
from app.organizations.models import Organization


def list_local_associations() -> list[Organization]:
    stmt = select(Organization).where(Organization.kind == "local_association").order_by(Organization.name)
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
