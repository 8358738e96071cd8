"""The human_task mirror keeps how each task ended: completed, withdrawn, timed out or cancelled."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.scheduler import fire_due_timers
from app.workflow import services
from app.workflow.models import HumanTask
from tests.processes.test_join_practicing import review, submit_application
from tests.processes.test_transfer import apply
from tests.processes.walk import person


@pytest.fixture(autouse=True)
def _face_checked(monkeypatch):
    monkeypatch.setattr("app.workflow.services.passed_face_check_recently", lambda user: True)


def statuses(instance):
    db.session.expire_all()
    rows = db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id).order_by(HumanTask.id))
    return [(t.bpmn_id, t.status) for t in rows]


def test_a_review_whose_run_does_not_flush_is_stored_completed(world, upload):
    instance = submit_application(world, upload)
    review(world, instance, world.firm_reviewer)  # firm → local association: no operation flushes in between
    assert statuses(instance)[:3] == [
        ("Task_Notice", "completed"),
        ("Task_Apply", "completed"),
        ("Task_FirmConfirm", "completed"),
    ]


def test_the_final_approval_whose_run_flushes_is_stored_completed_r_join_3(world, upload):
    instance = submit_application(world, upload)
    for reviewer in (world.firm_reviewer, world.local_reviewer, world.national_reviewer):
        review(world, instance, reviewer)  # the national approval runs admit_member, which flushes
    assert instance.status == "approved"
    assert {status for _, status in statuses(instance)} == {"completed"}


def test_a_withdrawn_application_leaves_the_firm_task_withdrawn_r_join_7(world, upload):
    instance = submit_application(world, upload)
    services.applicant_action(instance.id, world.applicant, "withdraw")
    assert ("Task_FirmConfirm", "withdrawn") in statuses(instance)
    assert ("Task_Apply", "completed") in statuses(instance)


def test_a_timer_that_fires_leaves_the_task_timed_out_r_trf_4(app, world, upload):
    wang = person("13800000003")
    instance = apply(world, upload, wang, world.firm_bj2)
    db.session.commit()
    clock.advance(timedelta(days=7, hours=1))
    assert fire_due_timers(app) == 1
    assert [s for s in statuses(instance) if s[1] != "open"] == [
        ("Task_TransferApply", "completed"),
        ("Task_OldFirmConfirm", "timed_out"),
    ]
