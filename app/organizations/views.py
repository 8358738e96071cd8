"""Firm filing pages: the templates the notice offers, and the people panel on the filing's task pages."""

import base64
import io

import qrcode
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from werkzeug import Response as WerkzeugResponse

from app.accounts.identity_choice import current_identity, page_identities
from app.accounts.models import User
from app.errors import FaceCheckRequired, NotAllowed, NotFound
from app.extensions import db
from app.organizations.filing_people import ROLE_LABELS, confirm_move, people_of
from app.organizations.models import FIRM_FORMS, FirmPerson, Organization
from app.organizations.templates_pdf import TEMPLATES, template_pdf
from app.workflow.models import ProcessInstance
from app.workflow.panels import task_panel

bp = Blueprint("organizations", __name__)
OTHER_FIELD_TYPES = {
    "real_estate": "房地产估价师",
    "land": "土地估价师",
    "mining_rights": "矿业权评估师",
    "other": "其他",
}


@bp.get("/firm-filing/templates/<name>.pdf")
@login_required
def filing_template(name: str) -> Response:
    if name not in TEMPLATES:
        abort(404)
    return Response(
        template_pdf(name),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename={name}.pdf"},
    )


@bp.get("/firm/filing")
@login_required
def firm_filing_page() -> str:
    """The firm's filed data, people and filing history, for its own users (admin and staff)."""
    acting = current_identity(page_identities(current_user))  # the firm the person acts for now
    firm = db.session.get(Organization, acting.organization_id) if acting.role == "firm" else None
    if firm is None:
        raise NotAllowed(gettext("只有机构用户可以查看本机构备案信息"))
    return render_template(
        "organizations/firm.html",
        firm=firm,
        firm_forms=FIRM_FORMS,
        people=people_of(firm.id),
        roles=ROLE_LABELS,
        other_types=OTHER_FIELD_TYPES,
        verified=_face_verified(people_of(firm.id)),
        confirm_links={},
        verify_links=_verify_links(people_of(firm.id)),
    )


@bp.route("/firm-filing/confirm/<int:person_id>", methods=["GET", "POST"])
@login_required
def confirm_listing(person_id: int) -> str | WerkzeugResponse:
    """R-FIL-4: the other-field appraiser another firm lists confirms the move, face-verified."""
    row = db.session.get(FirmPerson, person_id)
    if row is None or row.id_number != current_user.id_number:
        raise NotFound(gettext("没有需要您确认的机构备案"))
    if request.method == "POST":
        try:
            confirm_move(person_id, current_user)
        except FaceCheckRequired as err:
            flash(err.message, "error")
            return redirect(url_for("identity.verify", next=url_for(".confirm_listing", person_id=person_id)))
        flash(gettext("已确认：您已加入该机构的备案评估师列表，原机构列表中的信息已清除"), "success")
        return redirect(url_for(".confirm_listing", person_id=person_id))
    firm = db.session.get(Organization, row.firm_id)
    from_id = (row.details or {}).get("confirm_from_firm_id")
    return render_template(
        "organizations/confirm.html", firm=firm, other=db.session.get(Organization, from_id) if from_id else None
    )


@bp.get("/firm-filing/verify/<int:person_id>")
@login_required
def verify_listed_person(person_id: int) -> str | WerkzeugResponse:
    """R-FIL-6: the "generate QR" page of a listed person not yet face-verified; they pass the face check here."""
    row = db.session.get(FirmPerson, person_id)
    if row is None or row.id_number is None or row.id_number != current_user.id_number:
        raise NotFound(gettext("没有需要您认证的机构人员信息"))
    if current_user.verified_at is None:
        return redirect(url_for("identity.verify", next=url_for(".verify_listed_person", person_id=person_id)))
    firm = db.session.get(Organization, row.firm_id)
    return render_template("organizations/face_verified.html", firm=firm)


def _verify_links(people: list[FirmPerson]) -> dict[int, tuple[str, str]]:
    """R-FIL-6: link and QR code for each listed natural person not yet face-verified."""
    verified = _face_verified(people)
    links = {
        p.id: url_for("organizations.verify_listed_person", person_id=p.id, _external=True)
        for p in people
        if p.id_number and p.id_number not in verified and not (p.details or {}).get("confirm_from_firm_id")
    }
    return {pid: (link, _qr_data_uri(link)) for pid, link in links.items()}


def _face_verified(people: list[FirmPerson]) -> set[str | None]:
    """R-FIL-6: the ID numbers of listed people who have passed the face verification."""
    numbers = [p.id_number for p in people if p.id_number]
    stmt = select(User.id_number).where(User.id_number.in_(numbers), User.verified_at.is_not(None))
    return set(db.session.scalars(stmt))


def _qr_data_uri(url: str) -> str:
    out = io.BytesIO()
    qrcode.make(url).save(out)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@task_panel("firm_filing_people")
def filing_people_panel(instance: ProcessInstance) -> Markup:
    """R-FIL-6: the people listed so far, one row per person with all their roles (applicant and finance)."""
    firm = db.session.scalar(select(Organization).where(Organization.filing_applicant_id == instance.applicant_id))
    people = people_of(firm.id) if firm is not None else []
    links = {
        p.id: url_for("organizations.confirm_listing", person_id=p.id, _external=True)
        for p in people
        if (p.details or {}).get("confirm_from_firm_id")
    }
    return Markup(
        render_template(
            "organizations/_filing_people.html",
            confirm_links={pid: (link, _qr_data_uri(link)) for pid, link in links.items()},
            verify_links=_verify_links(people),
            firm=firm,
            firm_forms=FIRM_FORMS,
            people=people,
            roles=ROLE_LABELS,
            other_types=OTHER_FIELD_TYPES,
            verified=_face_verified(people),
        )
    )
