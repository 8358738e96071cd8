"""R-JOIN-5: the joining form's photo defaults to the photo taken at the exam (全科合格电子照片), which the exam
database stored (not the applicant); the applicant may keep it or upload another."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from app.accounts.models import User
from app.extensions import db
from app.files.models import Attachment
from app.files.services import form_value
from app.members.models import Qualification
from app.workflow.facts import Person
from app.workflow.references import shared_attachments


def newest_exam_photo(user_id: Any) -> Select[int | None]:
    """The exam photo of the person's newest qualification that has one (by the day it was passed; of two passed on
    one day, the first recorded): the joining forms' default and the certificate staff's alike."""
    return (
        select(Qualification.exam_photo_attachment_id)
        .where(Qualification.user_id == user_id, Qualification.exam_photo_attachment_id.is_not(None))
        .order_by(Qualification.passed_on.desc(), Qualification.id)
        .limit(1)
    )


def exam_photo_values(person: Person) -> dict[str, ColumnElement[Any]]:
    photo_id = newest_exam_photo(person.id).scalar_subquery()
    return {
        f"photo_{name}": select(column).where(Attachment.id == photo_id).scalar_subquery()
        for name, column in (("id", Attachment.id), ("name", Attachment.original_name), ("mime", Attachment.mime))
    }


def exam_photo_fact(values: Mapping[str, Any]) -> dict[str, Any]:
    """Start data named like the joining forms' photo field (app/members/lifecycle.py lifecycle_facts), so their
    photo slot starts with the newest exam photo."""
    if values["photo_id"] is None:
        return {}
    return {"photo": [form_value(values["photo_id"], values["photo_name"], values["photo_mime"])]}


@shared_attachments
def own_exam_photos(user: User) -> set[int]:
    ids = select(Qualification.exam_photo_attachment_id).where(
        Qualification.user_id == user.id, Qualification.exam_photo_attachment_id.is_not(None)
    )
    return {i for i in db.session.scalars(ids) if i is not None}
