"""The firm admin's pages: the power-of-attorney template (R-ADM-3) and staff accounts (/firm/staff)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug import Response

from app.accounts import staff
from app.accounts.rights import active_grants
from app.errors import Invalid, NotAllowed
from app.organizations.templates_pdf import power_of_attorney_pdf

bp = Blueprint("firm_admin", __name__)


@bp.get("/firm-admin/power-of-attorney.pdf")
@login_required
def power_of_attorney() -> Response:
    return Response(
        power_of_attorney_pdf(),
        mimetype="application/pdf",
        headers={"Content-Disposition": "attachment; filename=power-of-attorney.pdf"},
    )


def _admin_firm_id() -> int:
    firm_id = next((g.organization_id for g in active_grants(current_user) if g.role == "firm_admin"), None)
    if firm_id is None:
        raise NotAllowed(gettext("只有机构管理员可以管理工作人员"))
    return firm_id


def _staff_page(errors: dict | None = None, status: int = 200) -> tuple[str, int]:
    firm_id = _admin_firm_id()
    return render_template(
        "accounts/staff.html", staff=staff.list_staff(current_user, firm_id), form=request.form, errors=errors or {}
    ), status


@bp.get("/firm/staff")
@login_required
def staff_list() -> tuple[str, int]:
    return _staff_page()


@bp.post("/firm/staff")
@login_required
def staff_add() -> tuple[str, int] | Response:
    form = request.form
    try:
        user = staff.add_staff(
            current_user, _admin_firm_id(), form.get("mobile", ""), form.get("name", ""), form.get("id_number", "")
        )
    except Invalid as err:
        flash(err.message, "error")
        return _staff_page(err.field_errors, 422)
    flash(gettext("已为 %(name)s 开通本机构审核权限", name=user.name), "success")
    return redirect(url_for(".staff_list"))


@bp.post("/firm/staff/<int:user_id>/remove")
@login_required
def staff_remove(user_id: int) -> Response:
    staff.remove_staff(current_user, _admin_firm_id(), user_id)
    flash(gettext("已取消该人员的本机构权限"), "success")
    return redirect(url_for(".staff_list"))
