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
    name: str
    id_number: str | None
    mobile: str
    earlier: list[ProcessInstance] = field(default_factory=list)
    # None: the process does not show one (start property showCreditRecord); else the record's text or 无记录
    credit: str | None = None


def applicant_panel(instance: ProcessInstance) -> ApplicantPanel:
    applicant = instance.applicant
    earlier = db.session.scalars(
        select(ProcessInstance)
        .where(ProcessInstance.applicant_id == applicant.id, ProcessInstance.id != instance.id)
        .order_by(ProcessInstance.created_at.desc())
        .limit(EARLIER_SHOWN)
    )
    shows_credit = version_of(instance).start_properties.get("showCreditRecord") == "true"
    return ApplicantPanel(
        applicant.name,
        applicant.id_number,
        applicant.mobile,
        list(earlier),
        (credit_record(applicant) or "无记录") if shows_credit else None,
    )


def credit_record(user: User) -> str | None:
    """R-STA-1: the member's credit record, shown only as a reference. The association imports credit records
    with its members (issue 14, another branch); until that model exists nobody has one, so this says None."""
    del user
    return None
