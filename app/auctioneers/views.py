"""Auctioneer pages: my records, CE hours and registration history; the association side's search and 去筹."""

from collections.abc import Callable

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug import Response

from app.accounts.models import User
from app.auctioneers import panels as _panels  # noqa: F401  (registers the forms' panels)
from app.auctioneers import records, services
from app.auctioneers.detail import registration_detail
from app.auctioneers.history import LEVELS, registration_history
from app.errors import Invalid
from app.extensions import db
from app.files.services import store_upload
from app.organizations.models import Organization
from app.organizations.societies import society_by_key
from app.payments.models import ORDER_STATUSES
from app.workflow.models import ProcessInstance
from app.workflow.presenters import STATUS_LABELS

bp = Blueprint("auctioneers", __name__)


@bp.before_request
def _speak_for_the_auction_association() -> None:
    from flask import g

    g.society = society_by_key("caa")  # every page here is the auction association's


def install_auctioneer_menu(app: Flask) -> None:
    """The menu shows 拍卖师 to auctioneers and applicants, 拍卖师查询 to the auction association's reviewers."""

    @app.context_processor
    def _menu() -> dict[str, object]:
        if not current_user.is_authenticated:
            return {}
        roles = {g.role for g in current_user.grants}
        user_id = current_user.id

        def is_auctioneer() -> bool:
            applied = db.session.scalar(
                select(ProcessInstance.id).where(
                    ProcessInstance.applicant_id == user_id, ProcessInstance.process_id == services.PROCESS_ID
                )
            )
            return bool(applied) or services.auctioneer_of(user_id) is not None

        return {
            # asked only where the menu is shown (a personal identity): a reviewer's pages skip its two queries
            "auctioneer_menu": WhenAsked(is_auctioneer),
            "auction_staff_menu": bool(roles & {"auction_firm", "provincial_auction_association", "caa"}),
        }


class WhenAsked:
    """A yes/no a template may never read: worked out at its first `if`, once."""

    def __init__(self, answer: Callable[[], bool]) -> None:
        self._answer = answer
        self._value: bool | None = None

    def __bool__(self) -> bool:
        if self._value is None:
            self._value = self._answer()
        return self._value


@bp.get("/auctioneer")
@login_required
def center() -> str:
    view = records.overview(current_user)
    return render_template(
        "auctioneers/center.html",
        view=view,
        personal=records.personal_values(view.auctioneer),
        history=registration_history(current_user),
        levels=LEVELS,
        required=records.CE_REQUIRED_HOURS,
    )


@bp.get("/auctioneer/registrations/<int:instance_id>")
@login_required
def registration(instance_id: int) -> str:
    """查看详情: every round of one registration, and from here the applicant pays or edits (R-AUC-8)."""
    return render_template(
        "auctioneers/detail.html",
        detail=registration_detail(current_user, instance_id),
        levels=LEVELS,
        statuses=STATUS_LABELS,
        order_statuses=ORDER_STATUSES,
    )


@bp.post("/auctioneer/ce")
@login_required
def add_ce() -> Response:
    try:
        hours = int(request.form.get("hours", ""))
    except ValueError:
        hours = 0
    try:
        proof = request.files.get("proof")
        attachment = store_upload(proof, current_user.id) if proof and proof.filename else None
        services.add_ce_record(current_user, request.form.get("item", ""), hours, attachment.id if attachment else None)
    except Invalid as err:
        db.session.rollback()
        flash("；".join([err.message, *err.field_errors.values()]), "error")
        return redirect(url_for(".center"))
    flash(gettext("继续教育记录已添加"), "success")
    return redirect(url_for(".center"))


@bp.get("/auctioneer/practice-record.pdf")
@login_required
def practice_record() -> Response:
    pdf = records.practice_record_pdf(current_user)
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": "inline; filename=practice.pdf"})


@bp.get("/auctioneers/search")
@login_required
def search() -> str:
    number = request.args.get("number", "").strip()[:30]
    found = records.search_auctioneer(current_user, number) if number else None
    person = db.session.get(User, found.user_id) if found else None
    firm = db.session.get(Organization, found.firm_id) if found and found.firm_id else None
    firms = [db.session.get(Organization, g.organization_id) for g in current_user.grants if g.role == "auction_firm"]
    return render_template("auctioneers/search.html", number=number, found=found, person=person, firm=firm, firms=firms)


@bp.post("/auction-firms/<int:firm_id>/leave-preparation")
@login_required
def leave_preparation(firm_id: int) -> Response:
    firm = records.leave_preparation(current_user, firm_id)
    flash(gettext("%(firm)s 已登记去筹", firm=firm.name), "success")
    return redirect(url_for(".search"))
