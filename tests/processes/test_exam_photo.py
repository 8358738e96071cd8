"""R-JOIN-5 (issue 14 item 5): the joining form's photo defaults to the exam photo, which the exam database stored;
the applicant may submit it as it is, while another person's upload is still refused."""

import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.errors import NotAllowed
from app.extensions import db
from app.files.services import as_form_value, store_upload
from app.members.models import Qualification
from app.workflow import services
from tests.processes.test_join_practicing import application, open_task


@pytest.fixture
def exam_photo(world, make_png):
    """张三's exam photo, stored by the exam database's import (the administrator), not by him."""
    photo = store_upload(FileStorage(io.BytesIO(make_png(7)), filename="exam.png"), world.admin.id, allow="image")
    qualification = db.session.scalars(select(Qualification).where(Qualification.user_id == world.applicant.id)).one()
    qualification.exam_photo_attachment_id = photo.id
    db.session.commit()
    return photo


def form_task(world):
    instance = services.start_process("join_practicing", world.applicant)
    services.submit_task(open_task(instance).id, world.applicant, {"agree_rules": True})
    return instance, open_task(instance)


def test_the_joining_photo_starts_as_the_exam_photo_and_may_be_submitted(world, upload, exam_photo):
    instance, task = form_task(world)
    assert task.prefill["photo"] == [as_form_value(exam_photo)]
    data = application(world, upload, photo=task.prefill["photo"])
    services.submit_task(task.id, world.applicant, data)
    assert open_task(instance).role == "firm"


def test_without_an_exam_photo_the_slot_starts_empty(world):
    _instance, task = form_task(world)
    assert "photo" not in (task.prefill or {})


def test_someone_elses_file_is_still_refused(world, upload, exam_photo):
    _instance, task = form_task(world)
    other = upload(world.firm_reviewer, "theirs.png")
    with pytest.raises(NotAllowed, match="附件不属于您"):
        services.submit_task(task.id, world.applicant, application(world, upload, photo=[other]))
