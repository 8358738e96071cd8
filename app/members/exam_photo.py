"""R-JOIN-5: the joining form's photo defaults to the photo taken at the exam (全科合格电子照片), which the exam
database stored (not the applicant); the applicant may keep it or upload another."""

from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.files.models import Attachment
from app.files.services import as_form_value
from app.members.models import Qualification
from app.workflow.facts import fact_provider
from app.workflow.references import shared_attachments


def _exam_photo(user: User) -> Attachment | None:
    stmt = (
        select(Attachment)
        .join(Qualification, Qualification.exam_photo_attachment_id == Attachment.id)
        .where(Qualification.user_id == user.id)
        .order_by(Qualification.passed_on.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


@fact_provider
def exam_photo_facts(user: User) -> dict[str, Any]:
    """Start data named like the joining forms' photo field, so their photo slot starts with the exam photo."""
    photo = _exam_photo(user)
    return {"photo": [as_form_value(photo)]} if photo is not None else {}


@shared_attachments
def own_exam_photos(user: User) -> set[int]:
    ids = select(Qualification.exam_photo_attachment_id).where(
        Qualification.user_id == user.id, Qualification.exam_photo_attachment_id.is_not(None)
    )
    return {i for i in db.session.scalars(ids) if i is not None}
