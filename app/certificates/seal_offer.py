"""R-JOIN-8 (issue 14 item 5): after joining or a status change (执转非、非转执、见习转正式) is approved, the
application page offers the seal template at once (会弹出印鉴模版); named by the start property applicationPanel of
those BPMNs."""

from flask import render_template
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.members.models import MEMBER_KINDS, Member
from app.workflow.models import ProcessInstance
from app.workflow.panels import task_panel


@task_panel("seal_template_offer")
def seal_template_offer(instance: ProcessInstance) -> Markup:
    """Shown to the applicant of an approved application who is a member now; nothing while it runs or was refused."""
    if instance.status != "approved":
        return Markup("")
    member = db.session.scalar(select(Member).where(Member.user_id == instance.applicant_id, Member.status == "active"))
    if member is None:
        return Markup("")
    kind = gettext(MEMBER_KINDS.get(member.kind, member.kind))
    return Markup(render_template("certificates/_seal_offer.html", kind=kind))
