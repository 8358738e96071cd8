"""Firm filing pages: the templates the notice offers, and the people panel on the filing's task pages."""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.rights import current_identity, identities
from app.errors import NotAllowed
from app.extensions import db
from app.organizations.filing_people import ROLE_LABELS, people_of
from app.organizations.models import FIRM_FORMS, Organization
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
    acting = current_identity(identities(current_user))  # the firm the person acts for now
    firm = db.session.get(Organization, acting.organization_id) if acting.role == "firm" else None
    if firm is None:
        raise NotAllowed("只有机构用户可以查看本机构备案信息")
    return render_template(
        "organizations/firm.html",
        firm=firm,
        firm_forms=FIRM_FORMS,
        people=people_of(firm.id),
        roles=ROLE_LABELS,
        other_types=OTHER_FIELD_TYPES,
        verified=set(),
    )


@task_panel("firm_filing_people")
def filing_people_panel(instance: ProcessInstance) -> Markup:
    """R-FIL-6: the people listed so far, one row per person with all their roles (applicant and finance)."""
    firm = db.session.scalar(select(Organization).where(Organization.filing_applicant_id == instance.applicant_id))
    people = people_of(firm.id) if firm is not None else []
    numbers = [p.id_number for p in people if p.id_number]
    verified = set(
        db.session.scalars(select(User.id_number).where(User.id_number.in_(numbers), User.verified_at.is_not(None)))
    )
    return Markup(
        render_template(
            "organizations/_filing_people.html",
            firm=firm,
            firm_forms=FIRM_FORMS,
            people=people,
            roles=ROLE_LABELS,
            other_types=OTHER_FIELD_TYPES,
            verified=verified,
        )
    )
