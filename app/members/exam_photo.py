"""R-JOIN-5: the joining form's photo defaults to the photo taken at the exam (全科合格电子照片), which the exam
database stored (not the applicant); the applicant may keep it or upload another."""

from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.files.models import Attachment
from app.files.services import as_form_value
from app.members.models import Qualification
from app.workflow.references import shared_attachments


def qualification_rows(user: User) -> list[tuple[str, Attachment | None]]:
    """(kind, exam photo) of each of the person's qualifications, newest first — one query for the facts."""
    stmt = (
        select(Qualification.kind, Qualification.passed_on, Attachment)
        .outerjoin(Attachment, Attachment.id == Qualification.exam_photo_attachment_id)
        .where(Qualification.user_id == user.id)
    )  # a person has a handful: sorted here, so the lookup stays an index search (tests/workflow/test_home_statements)
    rows = sorted(db.session.execute(stmt), key=lambda row: row[1], reverse=True)
    return [(kind, photo) for kind, _passed_on, photo in rows]


def exam_photo_fact(rows: list[tuple[str, Attachment | None]]) -> dict[str, Any]:
    """Start data named like the joining forms' photo field (app/members/lifecycle.py lifecycle_facts), so their
    photo slot starts with the newest exam photo."""
    photo = next((p for _kind, p in rows if p is not None), None)
    return {"photo": [as_form_value(photo)]} if photo is not None else {}


@shared_attachments
def own_exam_photos(user: User) -> set[int]:
    ids = select(Qualification.exam_photo_attachment_id).where(
        Qualification.user_id == user.id, Qualification.exam_photo_attachment_id.is_not(None)
    )
    return {i for i in db.session.scalars(ids) if i is not None}
