"""Incidents (issue 9, items 6 and 8): a failing step leaves the instance at its last wait, is recorded for
administrators and can be retried once the file is fixed; the acting person keeps what they typed."""

import gc
import shutil
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app import clock
from app.config import ROOT
from app.demo import load_demo
from app.engine.guard import LIMITS
from app.engine.specs import load_catalog
from app.extensions import db
from app.scheduler import fire_due_timers
from app.workflow import retry, services
from app.workflow.incidents import USER_MESSAGE, Incident, open_incidents
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance
from tests.workflow.drafts import typed
from tests.workflow.test_views import login

FIXTURES = Path(__file__).parent / "fixtures" / "incidents"


@pytest.fixture
def incident_catalog(app, monkeypatch):
    monkeypatch.setattr(LIMITS, "seconds", 0.3)
    cat = load_catalog(FIXTURES, ROOT / "rules", ROOT / "forms")
    assert cat.problems == []
    monkeypatch.setitem(app.extensions, "memberflow.catalog", cat)
    return cat


def start(client, user, process_id: str) -> str:
    login(client, user)
    resp = client.post(f"/processes/{process_id}/start")
    assert resp.status_code == 302
    return resp.headers["Location"]


def tasks_of(instance_id: int) -> list[tuple[str, str]]:
    db.session.expire_all()
    stmt = select(HumanTask).where(HumanTask.instance_id == instance_id).order_by(HumanTask.id)
    return [(t.bpmn_id, t.status) for t in db.session.scalars(stmt)]


def test_an_endless_script_returns_within_the_budget_with_a_message_and_an_incident(client, world, incident_catalog):
    task_url = start(client, world.applicant, "script_step")
    # the bound is the script budget's, not the test process's: late in the full suite a full garbage collection
    # of its heap took 0.2-0.5 s (more as the heap grows), and one inside the timed request failed this bound once
    gc.collect()
    started = time.monotonic()
    resp = client.post(task_url, data={"agree_rules": "on", "action": "submit"})
    assert time.monotonic() - started < LIMITS.seconds + 1.5
    assert resp.status_code == 302 and resp.headers["Location"].endswith(task_url)  # back to the form, no 500
    page = client.get(task_url).get_data(as_text=True)
    assert USER_MESSAGE in page

    task = db.session.scalars(select(HumanTask)).one()
    assert (task.bpmn_id, task.status, typed(task)) == ("Task_Fill", "open", {"agree_rules": True})  # kept as typed
    instance = db.session.get(ProcessInstance, task.instance_id)
    assert instance.status == "running" and instance.progress["current"] == ["Task_Fill"]  # at its last wait
    [incident] = open_incidents()
    assert (incident.instance_id, incident.bpmn_id, incident.action) == (instance.id, "Script_Check", "submit")
    assert "0.3 秒" in incident.error and incident.actor_id == world.applicant.id

    # other users go on working
    other = start(client, world.returning, "script_step")
    assert client.get(other).status_code == 200

    login(client, world.admin)
    assert "1 个流程步骤出错" in client.get("/").get_data(as_text=True)
    listing = client.get("/admin/incidents").get_data(as_text=True)
    assert "脚本步骤测试" in listing and "Script_Check" in listing and "重试" in listing and "0.3 秒" in listing


def test_the_api_answers_503_with_the_message_and_records_the_incident(app, world, incident_catalog):
    client = app.test_client()
    start(client, world.applicant, "script_step")
    task = db.session.scalars(select(HumanTask)).one()
    resp = client.post(f"/api/v1/tasks/{task.id}/complete", json={"agree_rules": True})
    assert resp.status_code == 503 and resp.get_json()["error"] == USER_MESSAGE
    assert [i.bpmn_id for i in open_incidents()] == ["Script_Check"]


def test_retry_after_the_file_is_fixed_moves_the_instance_on(
    app, client, world, incident_catalog, tmp_path, monkeypatch
):
    task_url = start(client, world.applicant, "script_step")
    client.post(task_url, data={"agree_rules": "on", "action": "submit"})
    [incident] = open_incidents()
    instance_id, old_key = incident.instance_id, incident.spec_key

    login(client, world.admin)
    resp = client.post(f"/admin/incidents/{incident.id}/retry")  # nothing fixed yet: fails again, counted
    assert resp.status_code == 302
    assert "重试失败" in client.get("/admin/incidents").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Incident, incident.id).occurrences == 2
    assert tasks_of(instance_id) == [("Task_Fill", "open")]

    shutil.copytree(FIXTURES, tmp_path / "processes")
    bpmn = tmp_path / "processes" / "script_step.bpmn"
    bpmn.write_text(bpmn.read_text().replace("while True:\n    pass", "checked = True"))
    fixed = load_catalog(tmp_path / "processes", ROOT / "rules", ROOT / "forms")
    monkeypatch.setitem(app.extensions, "memberflow.catalog", fixed)

    resp = client.post(f"/admin/incidents/{incident.id}/retry")
    assert resp.status_code == 302
    db.session.expire_all()
    instance = db.session.get(ProcessInstance, instance_id)
    assert instance.spec_key == fixed.current["script_step"] != old_key
    # Task_Fill's final status is issue 9 item 1's business (completed vs cancelled), not this test's
    assert [(b, status == "open") for b, status in tasks_of(instance_id)] == [("Task_Fill", False), ("Task_Done", True)]
    done = db.session.get(Incident, incident.id)
    assert done.resolved_at is not None and done.resolution == "retried" and open_incidents() == []
    actions = db.session.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "submitted")).all()
    assert actions == [world.applicant.id]  # the retry submitted what the applicant had sent, as them


def test_a_task_whose_org_scope_resolves_to_nothing_is_an_incident_not_a_stall(client, world, incident_catalog):
    task_url = start(client, world.applicant, "orgscope_step")
    resp = client.post(task_url, data={"agree_rules": "on", "action": "submit"})
    assert resp.status_code == 302
    db.session.expire_all()
    instance = db.session.scalars(select(ProcessInstance)).one()
    assert tasks_of(instance.id) == [("Task_Fill", "open")]  # no task in nobody's inbox
    [incident] = open_incidents()
    assert incident.bpmn_id == "Task_Review" and "nowhere.firm_id" in incident.error


def test_a_failing_timer_step_is_an_incident_and_is_not_retried_in_a_loop(
    app, world, incident_catalog, tmp_path, monkeypatch
):
    shutil.copytree(FIXTURES, tmp_path / "processes")
    bpmn = tmp_path / "processes" / "script_step.bpmn"
    timer = '<bpmn:timerEventDefinition><bpmn:timeDuration>"P7D"</bpmn:timeDuration></bpmn:timerEventDefinition>'
    text = bpmn.read_text().replace(
        '<bpmn:userTask id="Task_Fill" name="填写">',
        f'<bpmn:intermediateCatchEvent id="Task_Fill" name="等待">{timer}<!--',
    )
    bpmn.write_text(text.replace("</bpmn:userTask>", "--></bpmn:intermediateCatchEvent>", 1))
    cat = load_catalog(tmp_path / "processes", ROOT / "rules", ROOT / "forms")
    assert cat.problems == []
    monkeypatch.setitem(app.extensions, "memberflow.catalog", cat)
    instance = services.start_process("script_step", world.applicant)
    db.session.commit()

    clock.advance(timedelta(days=8))
    assert fire_due_timers(app) == 0
    [incident] = open_incidents()
    assert (incident.instance_id, incident.action, incident.bpmn_id) == (instance.id, "timer", "Script_Check")
    assert fire_due_timers(app) == 0 and open_incidents()[0].occurrences == 1  # postponed, not spinning

    bpmn.write_text(bpmn.read_text().replace("while True:\n    pass", "checked = True"))
    monkeypatch.setitem(
        app.extensions, "memberflow.catalog", load_catalog(tmp_path / "processes", ROOT / "rules", ROOT / "forms")
    )
    retry.retry_incident(incident.id, world.admin)
    db.session.commit()
    assert tasks_of(instance.id) == [("Task_Done", "open")] and open_incidents() == []


def test_other_users_work_on_while_a_script_loops(file_app, monkeypatch):
    """Two requests at once on a real database: the looping one does not hold anything the other needs."""
    monkeypatch.setattr(LIMITS, "seconds", 1.0)
    monkeypatch.setitem(
        file_app.extensions, "memberflow.catalog", load_catalog(FIXTURES, ROOT / "rules", ROOT / "forms")
    )
    looping, other = file_app.test_client(), file_app.test_client()
    with file_app.app_context():
        world = load_demo()
        db.session.commit()
        task_url = start(looping, world.applicant, "script_step")
        returning = SimpleNamespace(mobile=world.returning.mobile)
        db.session.remove()
    # outside the app context: requests made inside it share `g`, where Flask-Login keeps the current user,
    # so the other client's logout would end the applicant's sessions
    login(other, returning)
    looped: list[tuple[int, float]] = []

    def submit() -> None:
        began = time.monotonic()
        status = looping.post(task_url, data={"agree_rules": "on", "action": "submit"}).status_code
        looped.append((status, time.monotonic() - began))

    thread = threading.Thread(target=submit)
    thread.start()
    began = time.monotonic()
    assert other.post("/processes/script_step/start").status_code == 302
    assert time.monotonic() - began < LIMITS.seconds  # not waiting for the loop to end
    thread.join(timeout=10)
    assert not thread.is_alive() and looped[0][0] == 302 and looped[0][1] < LIMITS.seconds + 1.5
    with file_app.app_context():
        assert [i.bpmn_id for i in open_incidents()] == ["Script_Check"]
        db.session.remove()
