"""What the registration's pages show beside the generic task and application pages (named in the forms' and the
BPMN's panel properties): earlier rounds and the record on the forms, the fee on the payment form, 去支付."""

from flask import render_template
from markupsafe import Markup

from app.auctioneers.history import LEVELS, rounds_of
from app.auctioneers.records import personal_values
from app.auctioneers.services import auctioneer_of
from app.engine import runtime
from app.payments.services import pending_orders
from app.workflow.models import ProcessInstance
from app.workflow.panels import task_panel
from app.workflow.versions import version_of


@task_panel("auctioneer_rounds")
def rounds_panel(instance: ProcessInstance) -> Markup:
    """On the application form and the review form: the auctioneer's 个人资料 on record (R-AUC-1), and the earlier
    rounds' decisions and comments, so the applicant edits according to them and the reviewer sees why an earlier
    level refused (R-AUC-7, R-AUC-8)."""
    rounds = [r for r in rounds_of(instance) if r.decisions or r.edited_at]
    personal = personal_values(auctioneer_of(instance.applicant_id))
    return Markup(
        render_template("auctioneers/_profile.html", personal=personal)
        + render_template("auctioneers/_rounds.html", rounds=rounds, levels=LEVELS)
    )


@task_panel("auctioneer_fee")
def fee_panel(instance: ProcessInstance) -> Markup:
    """On the payment form: what is owed and what for, as the DMN auctioneer_fee decided it (R-AUC-5)."""
    data = runtime.latest_data(version_of(instance), instance.state, instance.serializer_version)
    return Markup(render_template("auctioneers/_fee.html", fee=data.get("fee") or {}))


@task_panel("auctioneer_application")
def application_panel(instance: ProcessInstance) -> Markup:
    """On the application page: an open order with 去支付, and the way to the registration's detail (查看详情)."""
    pending = pending_orders(instance.id)
    return Markup(render_template("auctioneers/_application.html", instance=instance, pending=pending))
