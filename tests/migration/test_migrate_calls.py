"""Migrating an instance that waits inside a called process (issue 17 items 5 and 6): the called file's new version
is taken over; a called process that lost the waiting step keeps the instance on its version."""

import shutil

from sqlalchemy import select

from app.accounts.models import User
from app.config import ROOT
from app.consistency import check_instances
from app.engine.specs import load_catalog
from app.extensions import db
from app.migration.apply import migrate_instances
from app.migration.plan import dry_run, short
from app.workflow import services
from app.workflow.models import HumanTask, ProcessInstance
from tests.workflow.test_call_activities import FIXTURES


def open_task(instance_id: int) -> HumanTask:
    db.session.expire_all()
    stmt = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
    return db.session.scalars(stmt).one()


def use(app, monkeypatch, processes):  # type: ignore[no-untyped-def]
    cat = load_catalog(processes, ROOT / "rules", ROOT / "forms")
    assert cat.problems == []
    monkeypatch.setitem(app.extensions, "memberflow.catalog", cat)
    return cat.current["call_parent"]


ARCHIVE = """<bpmn:userTask id="Task_FirmArchive" name="机构归档">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formKey" value="review_firm"/>
          <spiffworkflow:property name="orgScope" value="firm_id"/>
        </spiffworkflow:properties>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="End_K">"""


def child_v2(tmp_path, *, drop_review: bool = False):  # type: ignore[no-untyped-def]
    """The called file with a step added after the review (or the review replaced by it)."""
    target = tmp_path / ("v3" if drop_review else "v2")
    shutil.copytree(FIXTURES, target)
    child = target / "call_child.bpmn"
    text = child.read_text()
    text = text.replace('<bpmn:endEvent id="End_K">', ARCHIVE).replace(
        "<bpmn:flowNodeRef>End_K</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>Task_FirmArchive</bpmn:flowNodeRef><bpmn:flowNodeRef>End_K</bpmn:flowNodeRef>",
    )
    text = text.replace(
        '<bpmn:sequenceFlow id="K2" sourceRef="Task_FirmReview" targetRef="End_K"/>',
        '<bpmn:sequenceFlow id="K2" sourceRef="Task_FirmReview" targetRef="Task_FirmArchive"/>'
        '<bpmn:sequenceFlow id="K3" sourceRef="Task_FirmArchive" targetRef="End_K"/>',
    )
    if drop_review:
        text = text.replace('id="Task_FirmReview" name="机构审核"', 'id="Task_FirmCheck" name="机构核对"')
        text = text.replace('"Task_FirmReview"', '"Task_FirmCheck"').replace(">Task_FirmReview<", ">Task_FirmCheck<")
    child.write_text(text)
    return target


def test_an_instance_inside_a_called_process_moves_and_finishes_on_the_new_called_file(
    app, world, monkeypatch, tmp_path, upload
):
    v1 = use(app, monkeypatch, FIXTURES)
    ids = {"reviewer": world.firm_reviewer.id, "applicant": world.applicant.id, "firm": world.firm_bj.id}
    instance = services.start_process("call_parent", world.applicant)
    services.submit_task(
        open_task(instance.id).id,
        world.applicant,
        {"firm_id": world.firm_bj.id, "power_of_attorney": [upload(world.applicant)]},
    )
    db.session.commit()
    waiting = open_task(instance.id)
    assert waiting.bpmn_id == "Task_FirmReview"

    v3 = use(app, monkeypatch, child_v2(tmp_path, drop_review=True))
    [verdict] = dry_run("call_parent", short(v1), short(v3))
    assert verdict.reasons == ["当前步骤「机构审核」在新版本中已不存在（被其他步骤取代）"]

    v2 = use(app, monkeypatch, child_v2(tmp_path))
    report = migrate_instances("call_parent", short(v1), short(v2), world.admin)
    instance_id, waiting_id = instance.id, waiting.id
    assert report.moved == [instance_id]
    assert open_task(instance_id).id == waiting_id and list(check_instances()) == []

    # the check let go of every loaded row
    firm_reviewer, applicant = db.session.get(User, ids["reviewer"]), db.session.get(User, ids["applicant"])
    services.submit_task(waiting_id, firm_reviewer, {"decision": "approve"})
    archive = open_task(instance_id)
    assert (archive.bpmn_id, archive.organization_id) == ("Task_FirmArchive", ids["firm"])  # v2's new step
    services.submit_task(archive.id, firm_reviewer, {"decision": "approve"})
    services.submit_task(open_task(instance_id).id, applicant, {"agree_rules": True})
    db.session.commit()
    done = db.session.get(ProcessInstance, instance_id)
    assert done.status == "completed" and done.spec_key == v2 and "Task_FirmArchive" in done.progress["done"]
    assert list(check_instances()) == []
