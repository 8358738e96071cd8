"""Administrator pages: /admin/organizations, /admin/users (roles), /admin/audit, /admin/outbox (dev SMS)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug import Response

from app.accounts.rights import ANALYST_LABEL, ANALYST_ROLE, require_admin
from app.admin import services
from app.admin.audit import ACTION_LABELS, list_admin_actions
from app.errors import Invalid
from app.i18n import N_
from app.notify.services import list_outbox
from app.organizations.models import ORG_KINDS
from app.organizations.societies import role_label
from app.roles import REVIEWER_ROLES
from app.routing import page_number, record_id

bp = Blueprint("admin", __name__, url_prefix="/admin")
MAX_PAGE = 100_000  # bounds the offset (a huge ?page= would overflow the database integer)
ORG_KIND_LABELS = {
    "national_association": N_("全国协会"),
    "local_association": N_("地方协会"),
    "firm": N_("资产评估机构"),
    "finance_department": N_("地方财政部门"),
    "caa": N_("全国拍卖行业协会"),
    "provincial_auction_association": N_("省级拍卖行业协会"),
    "auction_firm": N_("拍卖企业"),
}


@bp.before_request
@login_required
def _admins_only() -> None:
    require_admin(current_user)


def _organizations_page(errors: dict | None = None, status: int = 200) -> tuple[str, int]:
    orgs = services.list_organizations()
    return render_template(
        "admin/organizations.html",
        orgs=orgs,
        kinds={k: ORG_KIND_LABELS[k] for k in ORG_KINDS},
        associations=[o for o in orgs if o.kind in ("local_association", "provincial_auction_association")],
        form=request.form,
        errors=errors or {},
    ), status


@bp.get("/organizations")
def organizations() -> tuple[str, int]:
    return _organizations_page()


@bp.post("/organizations")
def create_organization() -> tuple[str, int] | Response:
    try:
        org = services.create_organization(
            request.form.get("kind", ""),
            request.form.get("name", ""),
            request.form.get("province", ""),
            request.form.get("local_association_id", type=record_id),
            request.form.get("filed") == "on",
        )
    except Invalid as err:
        flash(err.message, "error")
        return _organizations_page(err.field_errors, 422)
    flash(gettext("已添加 %(name)s", name=org.name), "success")
    return redirect(url_for(".organizations"))


@bp.get("/users")
def users() -> str:
    query = request.args.get("q", "")
    page = max(request.args.get("page", 1, type=page_number), 1)
    found, has_next = services.search_users(query, page)
    return render_template(
        "admin/users.html",
        users=found,
        page=page,
        has_next=has_next,
        q=query,
        roles={**{r: role_label(r) for r in REVIEWER_ROLES}, ANALYST_ROLE: ANALYST_LABEL},
        orgs=services.list_organizations(),
    )


@bp.post("/users/<int:user_id>/grants")
def grant(user_id: int) -> Response:
    services.grant_role(
        current_user, user_id, request.form.get("role", ""), request.form.get("organization_id", 0, type=record_id)
    )
    flash(gettext("已授予角色"), "success")
    return redirect(url_for(".users", q=request.args.get("q", "")))


@bp.post("/grants/<int:grant_id>/revoke")
def revoke(grant_id: int) -> Response:
    services.revoke_role(current_user, grant_id)
    flash(gettext("已撤销角色"), "success")
    return redirect(url_for(".users", q=request.args.get("q", "")))


@bp.get("/outbox")
def outbox() -> str:
    mobile = request.args.get("mobile", "")
    return render_template("admin/outbox.html", messages=list_outbox(mobile or None), mobile=mobile)


@bp.get("/audit")
def audit() -> str:
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    return render_template("admin/audit.html", page=list_admin_actions(page), labels=ACTION_LABELS)
