"""R-ACC-2: a step marked faceCheck in the BPMN (the transfer's submit) needs a face check passed just now."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.accounts.identity import decide_dev_face_session, start_face_verification
from app.accounts.models import FaceSession
from app.errors import FaceCheckRequired
from app.extensions import db
from app.workflow import services
from tests.processes.walk import open_task, person
from tests.workflow.drafts import typed

pytestmark = pytest.mark.real_face_check


def transfer_data(world, upload, user):
    files = {
        k: [upload(user, f"{k}.png")]
        for k in ("leaving_certificate", "new_labour_contract", "archive_certificate", "social_security")
    }
    return {"new_firm_id": world.firm_bj2.id, **files}


def pass_face_check(app, user):
    with app.test_request_context():
        started = start_face_verification(user)
    decide_dev_face_session(started.session_id, passed=True)


def test_submit_without_a_fresh_face_check_is_refused_and_keeps_the_draft(app, world, upload):
    wang = person("13800000003")
    instance = services.start_process("transfer", wang)
    with pytest.raises(FaceCheckRequired, match="再次进行人脸识别"):
        services.submit_task(open_task(instance).id, wang, transfer_data(world, upload, wang))
    assert typed(open_task(instance))["new_firm_id"] == world.firm_bj2.id


def test_a_face_check_passed_just_now_lets_it_through_for_ten_minutes(app, world, upload):
    wang = person("13800000003")
    instance = services.start_process("transfer", wang)
    pass_face_check(app, wang)
    clock.advance(timedelta(minutes=11))
    with pytest.raises(FaceCheckRequired):
        services.submit_task(open_task(instance).id, wang, transfer_data(world, upload, wang))
    pass_face_check(app, wang)
    services.submit_task(open_task(instance).id, wang, transfer_data(world, upload, wang))
    assert open_task(instance).role == "firm"


def test_the_page_sends_the_applicant_to_the_face_check_and_back(app, client, world, upload):
    wang = person("13800000003")
    instance = services.start_process("transfer", wang)
    db.session.commit()
    task_id = open_task(instance).id
    client.post("/login", data={"mobile": wang.mobile, "password": "Demo@2026"})
    resp = client.post(f"/tasks/{task_id}", data={"new_firm_id": str(world.firm_bj2.id), "action": "submit"})
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/identity/verify?next=")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "此步骤提交前须再次进行人脸识别" in page
    started = client.post("/identity/verify/start")
    assert "/dev/face/" in client.get(started.headers["Location"]).get_data(as_text=True)  # still in re-check mode
    session_id = db.session.scalars(select(FaceSession.id)).one()
    decide_dev_face_session(session_id, passed=True)
    db.session.commit()
    back = client.post("/identity/verify/check")
    assert back.headers["Location"] == f"/tasks/{task_id}"
