"""The association's records pages (issue 14 item 4): annual inspection rounds, dues, suspension and expulsion."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug import Response

from app import clock
from app.errors import DomainError
from app.files.import_rows import parse_day
from app.members import record_queries, records
from app.organizations.services import list_local_associations

bp = Blueprint("records", __name__, url_prefix="/admin/records")


@bp.before_request
@login_required
def _admins_and_local_staff() -> None:
    records.records_scope(current_user)  # administrators, or local association staff for their own members


def _page(status: int = 200) -> tuple[str, int]:
    number = request.args.get("number", "")
    scope = records.records_scope(current_user)
    return render_template(
        "admin/records.html",
        rounds=record_queries.list_rounds(scope),
        sanctions=record_queries.list_sanctions(scope),
        associations=[a for a in list_local_associations() if scope is None or a.id in scope],
        labels=records.INSPECTION_LABELS,
        year=clock.today().year,
        today=clock.today().isoformat(),
        number=number,
        file=record_queries.member_file(number, scope) if number else None,
    ), status


@bp.get("")
def index() -> tuple[str, int]:
    return _page()


def _day(name: str, default: date | None = None) -> date | None:
    text = request.form.get(name, "").strip()
    return parse_day(text) if text else default


def _act(action: str) -> None:
    form = request.form
    if action == "open":
        found = records.open_inspection_round(
            current_user, form.get("local_association_id", 0, type=int), form.get("year", 0, type=int)
        )
        flash(_("已开启 %(year)d 年度年检，该协会的在册会员均为“年检中”", year=found.year), "success")
    elif action == "mark":
        numbers = form.get("numbers", "").replace("，", ",").replace("\n", ",").split(",")
        count = records.mark_inspection(
            current_user, form.get("round_id", 0, type=int), numbers, form.get("status", ""), form.get("note", "")
        )
        flash(_("已登记 %(n)d 名会员的年检结果", n=count), "success")
    elif action == "dues":
        member = records.member_by_number(form.get("number", ""), current_user)
        amount = form.get("amount", "")
        records.record_dues(
            current_user, member, form.get("year", 0, type=int), int(amount) if amount.isdigit() else -1, "paid" in form
        )
        flash(_("已登记会费"), "success")
    elif action == "sanction":
        member = records.member_by_number(form.get("number", ""), current_user)
        starts = _day("starts_on", clock.today())
        records.sanction_member(
            current_user, member, form.get("kind", ""), form.get("reason", ""), starts or clock.today(), _day("ends_on")
        )
        flash(_("已登记"), "success")
    elif action == "lift":
        records.lift_suspension(current_user, form.get("sanction_id", 0, type=int))
        flash(_("已恢复会员资格"), "success")


@bp.post("/<action>")
def act(action: str) -> tuple[str, int] | Response:
    try:
        _act(action)
    except DomainError as err:
        flash(err.message, "error")
        return _page(err.status)
    return redirect(url_for(".index", number=request.args.get("number", "")))
