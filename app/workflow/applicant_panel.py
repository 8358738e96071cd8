"""What a reviewer's task page shows of the applicant: identity and contact, earlier applications, credit record."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.workflow.models import ProcessInstance
from app.workflow.versions import version_of

EARLIER_SHOWN = 20


@dataclass
class ApplicantPanel:
    user: User
    earlier: list[ProcessInstance] = field(default_factory=list)
    # the process shows the member's credit record (start property showCreditRecord): the entries come from the
    # member record the page already shows (members/_record.html), 无记录 where none was imported
    shows_credit: bool = False


def applicant_panel(instance: ProcessInstance) -> ApplicantPanel:
    applicant = instance.applicant
    earlier = db.session.scalars(
        select(ProcessInstance)
        .where(ProcessInstance.applicant_id == applicant.id, ProcessInstance.id != instance.id)
        .order_by(ProcessInstance.created_at.desc(), ProcessInstance.id.desc())
        .limit(EARLIER_SHOWN)
    )
    shows_credit = version_of(instance).start_properties.get("showCreditRecord") == "true"
    return ApplicantPanel(applicant, list(earlier), shows_credit)
