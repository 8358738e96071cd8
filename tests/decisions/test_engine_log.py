"""Decisions made inside the engine are logged (issue 18): a business-rule task's DMN table and a service operation
that decides, with the facts given, the row, the outputs, who and the instance (R-JOIN-2, R-AUC-1, R-AUC-5)."""

import shutil

import pytest
from sqlalchemy import select

from app.config import ROOT
from app.decisions.models import DecisionRecord
from app.engine.specs import load_catalog
from app.extensions import db
from app.workflow import services
from tests.processes.test_auctioneer_registration import FIRST
from tests.processes.walk import open_task

RULE_TASK = (
    '    <bpmn:businessRuleTask id="Task_Rule" name="复核入会资格">\n'
    "      <bpmn:extensionElements><spiffworkflow:calledDecisionId>{decision}"
    "</spiffworkflow:calledDecisionId></bpmn:extensionElements>\n"
    "      <bpmn:incoming>Flow_ToNotice</bpmn:incoming><bpmn:outgoing>Flow_RuleToNotice</bpmn:outgoing>\n"
    "    </bpmn:businessRuleTask>\n"
    '    <bpmn:sequenceFlow id="Flow_RuleToNotice" sourceRef="Task_Rule" targetRef="Task_Notice"/>\n'
)


def records(**where):
    db.session.flush()
    stmt = select(DecisionRecord).order_by(DecisionRecord.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(DecisionRecord, key) == value)
    return list(db.session.scalars(stmt))


def copy_files(tmp_path):
    for name in ("processes", "rules", "forms"):
        shutil.copytree(ROOT / name, tmp_path / name)


def with_rule_task(app, tmp_path, monkeypatch, decision="join_practicing_eligibility"):
    """join_practicing (copied into tmp_path) with a business-rule task between the start and the notice."""
    if not (tmp_path / "processes").exists():
        copy_files(tmp_path)
    path = tmp_path / "processes" / "join_practicing.bpmn"
    text = path.read_text()
    text = text.replace('targetRef="Task_Notice"', 'targetRef="Task_Rule"')
    text = text.replace(
        "      <bpmn:incoming>Flow_ToNotice</bpmn:incoming>", "      <bpmn:incoming>Flow_RuleToNotice</bpmn:incoming>"
    )
    text = text.replace(
        '    <bpmn:userTask id="Task_Notice"',
        RULE_TASK.format(decision=decision) + '    <bpmn:userTask id="Task_Notice"',
    )
    path.write_text(text)
    catalog = load_catalog(tmp_path / "processes", tmp_path / "rules", tmp_path / "forms")
    assert catalog.problems == [] and "join_practicing" in catalog.current
    monkeypatch.setitem(app.extensions, "memberflow.catalog", catalog)
    return catalog


def test_a_business_rule_task_is_logged_with_its_instance(app, world, tmp_path, monkeypatch):
    catalog = with_rule_task(app, tmp_path, monkeypatch)
    instance = services.start_process("join_practicing", world.applicant)
    [record] = records(purpose="engine")
    assert (record.decision_id, record.version) == (
        "join_practicing_eligibility",
        catalog.decision_versions["join_practicing_eligibility"],
    )
    assert (record.instance_id, record.process_id) == (instance.id, "join_practicing")
    assert (record.person_id, record.actor_id) == (world.applicant.id, world.applicant.id)
    # the facts the task was given: the whole start data, the applicant's id with it
    assert record.facts["applicant_user_id"] == world.applicant.id and "practice_months" in record.facts
    assert record.rule_id and record.row and "eligible" in record.outputs
    start = records(purpose="start")[0]  # the start rule saw the same person: the same row matched
    assert (start.rule_id, start.outputs) == (record.rule_id, record.outputs)


def test_a_service_operation_that_decides_is_logged_for_the_instance(world):
    """R-AUC-1 and R-AUC-5: the registration type and the fee are decided by operations while the engine runs."""
    user = world.auction_users["first"]
    instance = services.start_process("auctioneer_registration", user)
    [kind] = records(decision_id="auctioneer_registration_type")
    assert (kind.purpose, kind.instance_id, kind.person_id) == ("engine", instance.id, user.id)
    assert kind.outputs["registration_type"] and kind.row is not None
    services.submit_task(open_task(instance).id, user, {**FIRST, "firm_id": world.auction["firm_bj"].id})
    [fee] = records(decision_id="auctioneer_fee")
    assert (fee.purpose, fee.instance_id, fee.actor_id) == ("engine", instance.id, user.id)
    assert fee.facts["join_branch"] is False and "amount_fen" in fee.outputs


def test_the_system_acting_leaves_the_actor_empty(world):
    """A decision made while the scheduler fires a timer or delivers a message (run_engine without an actor) is
    nobody's act: the actor is empty, the person it is about is kept."""
    from app.decisions.log import recording
    from app.engine.specs import catalog

    with recording("engine", world.applicant.id, by_system=True):
        catalog().decide("join_warning", {"unpaid_dues": 0})
    [record] = records(purpose="engine")
    assert (record.person_id, record.actor_id) == (world.applicant.id, None)


def test_a_business_rule_task_that_cannot_decide_fails_as_its_step_not_in_the_log(app, world, tmp_path, monkeypatch):
    """A table reading a fact nobody gave: the log's extra evaluation stays silent and the step's own failure names
    the element (an incident), as before the log."""
    from app.workflow.incidents import StepFailed

    copy_files(tmp_path)
    warning = (tmp_path / "rules" / "join_warning.dmn").read_text()
    probe = warning.replace("join_warning", "probe").replace("<text>unpaid_dues</text>", "<text>no_such_fact</text>")
    (tmp_path / "rules" / "probe.dmn").write_text(probe)
    with_rule_task(app, tmp_path, monkeypatch, decision="probe")
    with pytest.raises(StepFailed) as failed:
        services.start_process("join_practicing", world.applicant)
    assert "Task_Rule" in failed.value.error and records(purpose="engine") == []
