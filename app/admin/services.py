"""Administrator actions: create organisations, grant and revoke reviewer roles."""

from flask_babel import gettext
from sqlalchemy import or_, select

from app.accounts.models import RoleGrant, User
from app.accounts.rights import ANALYST_ORG_KINDS, ANALYST_ROLE
from app.accounts.sessions import revoke_credentials
from app.admin.audit import record_admin_action
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.organizations.models import ORG_KINDS, Organization
from app.organizations.societies import society_for_kind
from app.roles import REVIEWER_ROLES

# which kind of organisation each role acts for
ROLE_ORG_KIND = {role: role for role in REVIEWER_ROLES}


def list_organizations() -> list[Organization]:
    return list(
        db.session.scalars(select(Organization).order_by(Organization.kind, Organization.name, Organization.id))
    )


def create_organization(
    kind: str, name: str, province: str, local_association_id: int | None, filed: bool
) -> Organization:
    errors = {}
    if kind not in ORG_KINDS:
        errors["kind"] = "请选择机构类型"
    if not name.strip():
        errors["name"] = "请填写名称"
    association = db.session.get(Organization, local_association_id) if local_association_id else None
    if kind == "firm" and (association is None or association.kind != "local_association"):
        errors["local_association_id"] = "资产评估机构须选择所属地方协会"
    if kind == "auction_firm" and (association is None or association.kind != "provincial_auction_association"):
        errors["local_association_id"] = "拍卖企业须选择所属省级拍卖行业协会"
    society = society_for_kind(kind)
    if errors:
        raise Invalid(gettext("机构信息有误，请按提示修改"), errors)
    org = Organization(
        kind=kind,
        name=name.strip(),
        province=province.strip() or None,
        local_association=association if kind in ("firm", "auction_firm") else None,
        filed=filed and kind == "firm",
        society_id=society.id if society else None,
    )
    db.session.add(org)
    db.session.flush()
    return org


def search_users(query: str, page: int = 1, per_page: int = 50) -> tuple[list[User], bool]:
    """One page of users whose mobile or name contains `query` (typed wildcards match themselves); and whether
    there is a next page."""
    stmt = select(User).order_by(User.id).limit(per_page + 1).offset((page - 1) * per_page)
    text = query.strip()[:100]
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(User.mobile.like(like, escape="\\"), User.name.like(like, escape="\\")))
    rows = list(db.session.scalars(stmt))
    return rows[:per_page], len(rows) > per_page


def grant_role(actor: User, user_id: int, role: str, organization_id: int) -> RoleGrant:
    user = db.session.get(User, user_id)
    org = db.session.get(Organization, organization_id)
    if user is None or org is None:
        raise NotFound(gettext("用户或机构不存在"))
    if role == ANALYST_ROLE:
        if org.kind not in ANALYST_ORG_KINDS:
            raise Invalid(gettext("业务分析员须授予全国协会"), {"role": gettext("请选择全国协会或全国拍卖行业协会")})
    elif role not in ROLE_ORG_KIND or org.kind != ROLE_ORG_KIND[role]:
        raise Invalid(gettext("角色与机构类型不符"), {"role": "请选择与该机构类型对应的角色"})
    if any(g.role == role and g.organization_id == organization_id for g in user.grants):
        raise Conflict(gettext("该用户已拥有此角色"))
    grant = RoleGrant(user_id=user.id, role=role, organization_id=org.id)
    db.session.add(grant)
    db.session.flush()
    record_admin_action(actor, "role.grant", f"user:{user.id}", _grant_details(user, role, org))
    db.session.expire(user, ["grants"])
    return grant


def revoke_role(actor: User, grant_id: int) -> None:
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None:
        raise NotFound(gettext("该角色不存在"))
    details = _grant_details(grant.user, grant.role, grant.organization)
    record_admin_action(actor, "role.revoke", f"user:{grant.user_id}", details)
    db.session.delete(grant)
    db.session.flush()
    revoke_credentials(grant.user_id)


def _grant_details(user: User, role: str, org: Organization) -> dict[str, str]:
    return {"role": role, "organization": org.name, "user": user.name}
