"""One registration's detail page (查看详情, R-AUC-8): every round with what was submitted and each level's decision,
the orders, and what the applicant can do now (pay, edit, continue)."""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.auctioneers.history import Round, YearRow, registration_row
from app.auctioneers.models import REGISTRATION_TYPES
from app.engine import runtime
from app.errors import NotFound
from app.extensions import db
from app.formkit import Option, display_values
from app.organizations.models import Organization
from app.payments.models import PaymentOrder
from app.workflow.models import ProcessInstance
from app.workflow.presenters import Submission
from app.workflow.versions import version_of


@dataclass
class RoundView:
    round: Round
    submission: Submission


@dataclass
class Detail:
    row: YearRow
    type_label: str
    rounds: list[RoundView]
    orders: list[PaymentOrder]


def _round_views(instance: ProcessInstance, rounds: list[Round]) -> list[RoundView]:
    forms = version_of(instance).forms
    views = []
    for n, r in enumerate(rounds, start=1):
        form = forms.get(r.form_key)
        firm = db.session.get(Organization, r.data["firm_id"]) if isinstance(r.data.get("firm_id"), int) else None
        options = {"firm_id": [Option(firm.id, firm.name)]} if firm else {}
        values = display_values(form, r.data, options=options) if form else []
        title = _("%(title)s · 第 %(n)d 次提交", title=form.title if form else "", n=n)
        views.append(RoundView(r, Submission(title, instance.applicant.name, r.submitted_at, values)))
    return views


def _registration(instance: ProcessInstance) -> dict[str, Any]:
    """The type and year the start operation decided (R-AUC-1), read from the stored state."""
    data = runtime.latest_data(version_of(instance), instance.state, instance.serializer_version)
    return dict(data.get("registration") or {})


def registration_detail(user: User, instance_id: int) -> Detail:
    row = registration_row(user, instance_id)
    if row is None:
        raise NotFound("申请不存在")
    instance = row.instance
    registration = _registration(instance)
    orders = db.session.scalars(
        select(PaymentOrder)
        .where(PaymentOrder.instance_id == instance.id)
        .order_by(PaymentOrder.created_at.desc(), PaymentOrder.id.desc())
    )
    return Detail(
        row=row,
        type_label=REGISTRATION_TYPES.get(registration.get("type", ""), ""),
        rounds=_round_views(instance, row.rounds),
        orders=list(orders),
    )
