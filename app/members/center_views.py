"""Personal center pages (R-INFO-1, R-INFO-3, R-STA-1..3, R-RES-1)."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug import Response

from app.accounts.models import User
from app.errors import Invalid
from app.i18n import N_
from app.members import center
from app.members.models import BASIC_INFO_FIELDS, CORE_FILING_KINDS, MEMBER_KINDS
from app.members.record_queries import credit_records
from app.members.records import INSPECTION_LABELS

bp = Blueprint("center", __name__)

QUALIFICATION_LABELS = {"appraiser": N_("资产评估师"), "appraiser_jewelry": N_("资产评估师（珠宝）")}


@bp.app_template_global()
def member_record(user: User) -> dict[str, Any] | None:
    """What reviewers see of an applicant who is a member: the data the eligibility rules read."""
    member = center.active_member_of(user)
    if member is None:
        return None
    return {
        "member": member,
        "kind": MEMBER_KINDS[member.kind],
        "months": center.member_months(member),
        "qualifications": [QUALIFICATION_LABELS.get(q.kind, q.kind) for q in center.qualifications(user)],
        "inspection": INSPECTION_LABELS.get(member.annual_inspection or "", "—"),
        "credit": credit_records(member),
        "work": center.work_record(member),
    }


@bp.get("/center")
@login_required
def home() -> str:
    member = center.own_member(current_user)
    actions = center.center_actions(current_user)
    return render_template(
        "members/center.html",
        member=member,
        months=center.member_months(member),
        qualifications=center.qualifications(current_user),
        actions=actions,
        prompt_full=any(a.process_id == "status_full" and a.refusal is None for a in actions),
        filings=center.filing_history(member),
        kinds=MEMBER_KINDS,
        filing_kinds=CORE_FILING_KINDS,
        inspections=INSPECTION_LABELS,
        qualification_labels=QUALIFICATION_LABELS,
        education=center.EDUCATION,
        max_bytes=center.CORE_FILING_MAX_BYTES,
    )


@bp.post("/center/basic")
@login_required
def basic_info() -> Response:
    member = center.own_member(current_user)
    fields = {k: request.form.get(k, "").strip() for k in BASIC_INFO_FIELDS}
    try:
        center.update_basic_info(member, **fields)
    except Invalid as err:
        flash("；".join(err.field_errors.values()) or err.message, "error")
        return redirect(url_for(".home"))
    flash(gettext("基本信息已保存"), "success")
    return redirect(url_for(".home"))


@bp.post("/center/filings/<kind>")
@login_required
def file_core(kind: str) -> Response:
    member = center.own_member(current_user)
    try:
        center.file_core_image(member, current_user, kind, request.files.get("image"))  # type: ignore[arg-type]
    except Invalid as err:
        flash(err.message, "error")
        return redirect(url_for(".home"))
    flash(gettext("%(what)s已更新，立即生效", what=gettext(CORE_FILING_KINDS[kind])), "success")
    return redirect(url_for(".home"))
