"""Loading processes/, rules/ and forms/: broken files are reported with a line and not used."""

import shutil
from pathlib import Path

import pytest

from app.config import ROOT
from app.engine import spec_loader
from app.engine.scripting import SCRIPT_ENGINE
from app.engine.specs import catalog, install_catalog, load_catalog
from tests.threads import ClearedMeanwhile, at_once


@pytest.fixture
def dirs(tmp_path):
    for name in ("processes", "rules", "forms"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def load(d: Path):
    return load_catalog(d / "processes", d / "rules", d / "forms")


def test_shipped_files_load_without_problems(dirs):
    catalog = load(dirs)
    assert catalog.problems == []
    assert catalog.current["join_practicing"].startswith("join_practicing:")


def test_the_files_load_though_another_thread_cleared_the_parse_cache_meanwhile(dirs, monkeypatch):
    """A draft's check (workbench) parses in a request thread; a worker's other thread reading back the entry it
    had just stored found it gone when that check had emptied the bounded cache in between (a KeyError)."""
    monkeypatch.setattr(spec_loader, "_PARSED", ClearedMeanwhile())
    catalog = load(dirs)
    assert catalog.problems == [] and catalog.current["join_practicing"].startswith("join_practicing:")


def test_broken_xml_is_reported_with_file_and_line_and_not_used(dirs):
    path = dirs / "processes" / "join_practicing.bpmn"
    lines = path.read_text().splitlines()
    lines[20] = lines[20] + "<broken"
    path.write_text("\n".join(lines))
    catalog = load(dirs)
    assert "join_practicing" not in catalog.current
    [problem] = catalog.problems
    assert problem.file == "join_practicing.bpmn" and problem.line is not None and 20 <= problem.line <= 23


def test_unknown_form_key_is_reported_at_the_task_line(dirs):
    path = dirs / "processes" / "join_practicing.bpmn"
    text = path.read_text().replace('value="review_firm"', 'value="no_such_form"')
    path.write_text(text)
    catalog = load(dirs)
    [problem] = catalog.problems
    expected = next(i for i, line in enumerate(text.splitlines(), 1) if 'id="Task_FirmConfirm"' in line)
    assert problem.line == expected and "no_such_form" in problem.message


def test_unknown_lane_role_is_reported(dirs):
    path = dirs / "processes" / "join_practicing.bpmn"
    path.write_text(path.read_text().replace('name="firm"', 'name="firma"'))
    assert any("firma" in p.message for p in load(dirs).problems)


def test_external_entities_are_refused(dirs):
    (dirs / "processes" / "evil.bpmn").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
        '<bpmn:process id="evil" name="&x;" isExecutable="true"/></bpmn:definitions>'
    )
    catalog = load(dirs)
    assert "evil" not in catalog.current
    assert [p.file for p in catalog.problems] == ["evil.bpmn"]


def test_changing_a_form_changes_the_version(dirs):
    before = load(dirs).current["join_practicing"]
    path = dirs / "forms" / "review_firm.ui.json"
    path.write_text(path.read_text().replace("机构意见", "机构审核意见"))
    assert load(dirs).current["join_practicing"] != before


def test_a_request_finishes_with_the_catalog_it_began_with_while_another_thread_installs_one(app, dirs):
    """A worker serving threads: a publish seen by another request's thread (its refresh installs the new catalog)
    must not change the processes, forms and rules of a request halfway; the request that installs one runs it."""
    began, newer, own = catalog(), load(dirs), load(dirs)

    def other_thread() -> None:
        with app.app_context():
            install_catalog(app, newer)

    with app.test_request_context("/"):
        app.preprocess_request()
        assert catalog() is began
        at_once([other_thread])
        assert catalog() is began
        install_catalog(app, own)  # a publish in this request
        assert catalog() is own
    with app.test_request_context("/"):
        app.preprocess_request()
        assert catalog() is own  # requests that begin later run the newest


@pytest.mark.parametrize("script", ["import os", "open('/etc/passwd').read()", "().__class__.__bases__[0]"])
def test_scripts_cannot_import_open_or_reach_dunders(script):
    with pytest.raises((ImportError, NameError, SyntaxError)):
        SCRIPT_ENGINE.environment.execute(script, {})


def test_a_mistake_in_outcome_text_names_the_end_event(dirs, app, world, upload, monkeypatch):
    from app.workflow.incidents import StepFailed
    from tests.processes.test_join_practicing import review, submit_application

    path = dirs / "processes" / "join_practicing.bpmn"
    path.write_text(path.read_text().replace("member['member_number']", "member['no_such_key']"))
    monkeypatch.setitem(app.extensions, "memberflow.catalog", load(dirs))
    instance = submit_application(world, upload)
    review(world, instance, world.firm_reviewer)
    review(world, instance, world.local_reviewer)
    with pytest.raises(StepFailed) as failed:  # the person reads a plain message; the incident names the step
        review(world, instance, world.national_reviewer)
    assert "End_Member" in failed.value.error


@pytest.mark.parametrize("prop", ["eligibilityDecision", "warningDecision"])
def test_a_start_rule_naming_a_missing_decision_is_refused_at_load(dirs, prop):
    """Issue 18: it loaded, and starting it raised KeyError; now the file is refused with the line and element id."""
    path = dirs / "processes" / "join_practicing.bpmn"
    old = {"eligibilityDecision": "join_practicing_eligibility", "warningDecision": "join_warning"}[prop]
    text = path.read_text().replace(f'name="{prop}" value="{old}"', f'name="{prop}" value="no_such_table"')
    path.write_text(text)
    catalog = load(dirs)
    assert "join_practicing" not in catalog.current
    [problem] = catalog.problems
    expected = next(i for i, line in enumerate(text.splitlines(), 1) if 'id="Start_Join"' in line)
    assert problem.file == "join_practicing.bpmn" and problem.line == expected
    assert "Start_Join" in problem.message and "no_such_table" in problem.message and prop in problem.message


def test_a_business_rule_task_naming_a_missing_decision_is_refused_with_its_line(dirs):
    path = dirs / "processes" / "join_practicing.bpmn"
    text = path.read_text().replace(
        '<bpmn:userTask id="Task_Notice"',
        '<bpmn:businessRuleTask id="Task_Rule"><bpmn:extensionElements><spiffworkflow:calledDecisionId>'
        "no_such_table</spiffworkflow:calledDecisionId></bpmn:extensionElements></bpmn:businessRuleTask>\n"
        '    <bpmn:userTask id="Task_Notice"',
    )
    path.write_text(text)
    catalog = load(dirs)
    assert "join_practicing" not in catalog.current
    [problem] = catalog.problems
    expected = next(i for i, line in enumerate(text.splitlines(), 1) if 'id="Task_Rule"' in line)
    assert problem.line == expected and "Task_Rule" in problem.message and "no_such_table" in problem.message
