"""Call activities (issue 17 item 6): a process calling a process of another file and one of its own file; the
called processes' user tasks reach the right inboxes, complete, and the parent goes on; the progress page shows
the called process; history pruning and `flask memberflow check` keep working."""

from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.config import ROOT
from app.consistency import check_instances
from app.engine.specs import Catalog, load_catalog
from app.extensions import db
from app.workflow import services
from app.workflow.models import HumanTask, ProcessInstance, SpecVersion
from tests.workflow.test_views import login

FIXTURES = Path(__file__).parent / "fixtures" / "calls"


@pytest.fixture
def call_catalog(app, monkeypatch):
    cat = load_catalog(FIXTURES, ROOT / "rules", ROOT / "forms")
    assert cat.problems == []
    monkeypatch.setitem(app.extensions, "memberflow.catalog", cat)
    return cat


def open_tasks(instance_id: int) -> list[HumanTask]:
    db.session.expire_all()
    stmt = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
    return list(db.session.scalars(stmt))


def test_a_cross_file_call_loads_and_only_the_top_process_is_startable(call_catalog):
    assert sorted(call_catalog.current) == ["call_parent"]  # the called processes are not executable on their own
    version = call_catalog.process("call_parent")
    assert {"call_child", "call_confirm"} <= set(version.subprocess_specs)
    assert {"Task_Apply", "Task_FirmReview", "Task_Confirm"} <= set(version.user_tasks)
    assert {"firm_admin_apply", "review_firm", "join_notice"} <= set(version.forms)


def test_called_tasks_reach_the_right_inboxes_and_the_parent_goes_on(client, world, call_catalog, upload):
    applicant_id = world.applicant.id
    instance = services.start_process("call_parent", world.applicant)
    [apply] = open_tasks(instance.id)
    services.submit_task(
        apply.id, world.applicant, {"firm_id": world.firm_bj.id, "power_of_attorney": [upload(world.applicant)]}
    )
    db.session.commit()

    # the child of another file: its firm task is in 王机构's firm's inbox, scoped by the parent's data
    [review] = open_tasks(instance.id)
    assert (review.bpmn_id, review.role, review.organization_id) == ("Task_FirmReview", "firm", world.firm_bj.id)
    assert review.form_key == "review_firm"
    login(client, world.firm_reviewer)
    assert "机构审核" in client.get("/inbox").get_data(as_text=True)
    assert client.get(f"/tasks/{review.id}").status_code == 200
    services.submit_task(review.id, world.firm_reviewer, {"decision": "approve"})
    db.session.commit()

    # the parent went on into the process of its own file: the applicant's task
    [confirm] = open_tasks(instance.id)
    assert (confirm.bpmn_id, confirm.role, confirm.user_id) == ("Task_Confirm", "applicant", world.applicant.id)
    login(client, world.applicant)
    page = client.get(f"/applications/{instance.id}").get_data(as_text=True)
    assert "机构审核子流程" in page and "申请人确认" in page  # the called processes' diagrams
    assert list(check_instances()) == []  # the mirror agrees with the state inside a call (pruning included)

    services.submit_task(confirm.id, db.session.get(User, applicant_id), {"agree_rules": True})
    db.session.commit()
    db.session.expire_all()
    done = db.session.get(ProcessInstance, instance.id)
    assert done.status == "completed" and open_tasks(instance.id) == []
    assert {"Task_Apply", "Task_FirmReview", "Task_Confirm", "End_P"} <= set(done.progress["done"])
    assert list(check_instances()) == []


def test_a_pinned_version_reloaded_from_the_database_keeps_the_called_processes(world, call_catalog):
    instance = services.start_process("call_parent", world.applicant)
    reloaded = Catalog().version(instance.spec_key, lambda key: db.session.get(SpecVersion, key))
    assert set(reloaded.called_xml) == {"call_child", "call_confirm"}
    assert {"Task_FirmReview", "Task_Confirm"} <= set(reloaded.user_tasks)


def test_a_call_to_a_process_no_file_defines_is_refused_at_load_with_its_name(tmp_path):
    (tmp_path / "call_parent.bpmn").write_bytes((FIXTURES / "call_parent.bpmn").read_bytes())
    cat = load_catalog(tmp_path, ROOT / "rules", ROOT / "forms")
    assert "call_parent" not in cat.current
    assert [p.file for p in cat.problems] == ["call_parent.bpmn"] and "call_child" in cat.problems[0].message
