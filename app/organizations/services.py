"""Organisation look-ups used by forms and by BPMN service tasks."""

from typing import Any

from flask_babel import gettext
from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from app.dbread import read
from app.engine.scripting import operation
from app.errors import NotFound
from app.extensions import db
from app.organizations.models import Organization


def list_local_associations() -> list[Organization]:
    stmt = (
        select(Organization)
        .where(Organization.kind == "local_association")
        .order_by(Organization.name, Organization.id)
    )
    return list(db.session.scalars(stmt))


# the national association (the appraisal society's; one per platform), the lowest id should there be two
_NATIONAL_ID = (
    select(Organization.id).where(Organization.kind == "national_association").order_by(Organization.id).limit(1)
)
_NATIONAL = select(Organization).where(Organization.id == _NATIONAL_ID.scalar_subquery())


def national_association() -> Organization:
    org = db.session.scalar(_NATIONAL)
    if org is None:
        raise NotFound(gettext("未配置全国协会"))
    return org


# the firm, its local association's name and the national association's id in one statement, built once (issue 13:
# it was three statements, and ORM rows nobody keeps, on every application form submitted)
_LOCAL = aliased(Organization)
_FIRM_CONTEXT = (
    select(
        Organization.id,
        Organization.name,
        Organization.local_association_id,
        _LOCAL.name.label("local_association_name"),
        _NATIONAL_ID.scalar_subquery().label("national_association_id"),
    )
    .join(_LOCAL, _LOCAL.id == Organization.local_association_id)
    .where(Organization.id == bindparam("firm_id"), Organization.kind == "firm")
)


@operation("organizations/firm_context")
def firm_context(firm_id: int) -> dict[str, Any]:
    """The firm and the associations that review its members' applications."""
    firm = read(_FIRM_CONTEXT, {"firm_id": firm_id}).one_or_none()
    if firm is None:
        raise NotFound(f"机构 {firm_id} 不存在或未归属地方协会")
    if firm.national_association_id is None:
        raise NotFound(gettext("未配置全国协会"))
    return dict(firm._mapping)
