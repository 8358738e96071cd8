"""Bad input to the workbench (issue 17, "Bad input"): each refused with the place and the reason, in Chinese,
and nothing published."""

from pathlib import Path

import pytest

from app.engine.specs import catalog
from app.extensions import db
from app.workbench.models import SpecFileVersion

ROOT = Path(__file__).resolve().parents[2]
TRANSFER = (ROOT / "processes" / "transfer.bpmn").read_text(encoding="utf-8")
RULE = (ROOT / "rules" / "transfer_eligibility.dmn").read_text(encoding="utf-8")
SCHEMA = (ROOT / "forms" / "transfer_apply.json").read_text(encoding="utf-8")
XXE = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<d>&x;</d>'


def _refused(client, kind, name, content):
    url = f"/workbench/api/files/{kind}/{name}"
    before = db.session.query(SpecFileVersion).count()
    body = client.put(f"{url}/draft", json={"content": content}).get_json()
    assert body["publishable"] is False and body["problems"], body
    assert client.post(f"{url}/publish", json={"comment": ""}).status_code == 422
    assert db.session.query(SpecFileVersion).count() == before  # nothing published
    return body["problems"]


@pytest.mark.parametrize("kind,name", [("bpmn", "transfer.bpmn"), ("dmn", "transfer_eligibility.dmn")])
def test_a_doctype_or_entity_xxe_is_refused_on_line_2(analyst_client, kind, name):
    (problem,) = _refused(analyst_client, kind, name, XXE)
    assert problem["line"] == 2 and "DOCTYPE" in problem["message"] and "不允许" in problem["message"]


def test_a_malformed_upload_says_the_line(analyst_client):
    (problem,) = _refused(analyst_client, "bpmn", "transfer.bpmn", TRANSFER.replace("</bpmn:lane>", "</bpmn:lan>", 1))
    assert problem["line"] == 15


def test_an_unknown_lane_role_names_the_task_and_its_line(analyst_client):
    problems = _refused(analyst_client, "bpmn", "transfer.bpmn", TRANSFER.replace('name="firm"', 'name="frim"', 1))
    assert all("不是已知角色" in p["message"] and p["element_id"] and p["line"] for p in problems)


def test_a_dmn_without_a_catch_all_row_is_refused_at_its_last_row(analyst_client):
    start = RULE.index('      <rule id="TE_ok">')
    end = RULE.index("</rule>", start) + len("</rule>\n")
    problems = _refused(analyst_client, "dmn", "transfer_eligibility.dmn", RULE[:start] + RULE[end:])
    (problem,) = [p for p in problems if "兜底" in p["message"]]
    assert problem["element_id"] == "TE_shareholder" and problem["line"] == 66


def test_a_form_with_an_invalid_json_schema_is_refused_with_the_line(analyst_client):
    broken = SCHEMA.replace('"type": "object"', '"type": "objekt"', 1)
    assert broken != SCHEMA
    problems = _refused(analyst_client, "form", "transfer_apply.json", broken)
    (problem,) = [p for p in problems if p["file"] == "transfer_apply.json"]
    assert "JSON Schema" in problem["message"] and problem["line"] == 3
    # and what it breaks: the process whose task uses the form
    assert any(p["file"] == "transfer.bpmn" and "transfer_apply" in p["message"] for p in problems)


def test_invalid_json_is_refused_with_the_line(analyst_client):
    problems = _refused(analyst_client, "form", "transfer_apply.json", '{\n  "type": "object",\n}')
    (problem,) = [p for p in problems if p["file"] == "transfer_apply.json"]
    assert problem["line"] == 3 and "JSON 格式错误" in problem["message"]


def test_a_decision_a_process_needs_cannot_be_removed(analyst_client):
    renamed = RULE.replace('id="transfer_eligibility"', 'id="transfer_eligibility_x"', 1)
    assert renamed != RULE
    problems = _refused(analyst_client, "dmn", "transfer_eligibility.dmn", renamed)
    (problem,) = [p for p in problems if p["file"] == "transfer.bpmn"]
    assert "eligibilityDecision" in problem["message"] and problem["element_id"] and problem["line"]


def test_an_unregistered_service_operation_is_refused_at_its_task(analyst_client):
    firm_admin = (ROOT / "processes" / "firm_admin.bpmn").read_text(encoding="utf-8")
    broken = firm_admin.replace('id="organizations/firm_context"', 'id="organizations/firm_contex"', 1)
    (problem,) = _refused(analyst_client, "bpmn", "firm_admin.bpmn", broken)
    assert problem["element_id"] == "Task_FirmContext" and problem["line"] == 72


def test_an_unknown_file_name_or_kind_is_404(analyst_client):
    assert analyst_client.get("/workbench/api/files/bpmn/..%2Fapp.bpmn").status_code == 404
    assert analyst_client.get("/workbench/api/files/exe/transfer.bpmn").status_code == 404
    assert analyst_client.put("/workbench/api/files/bpmn/x.dmn/draft", json={"content": "x"}).status_code == 404
    assert analyst_client.put("/workbench/api/files/bpmn/transfer.bpmn/draft", data="x").status_code == 422


def test_the_loader_leaves_out_a_dmn_without_catch_all(tmp_path):
    """The loader checks the same at start: a file without a catch-all row is reported, not run."""
    from app.engine.specs import load_catalog

    for sub in ("processes", "rules", "forms"):
        (tmp_path / sub).mkdir()
    start = RULE.index('      <rule id="TE_ok">')
    end = RULE.index("</rule>", start) + len("</rule>\n")
    (tmp_path / "rules" / "t.dmn").write_text(RULE[:start] + RULE[end:], encoding="utf-8")
    loaded = load_catalog(tmp_path / "processes", tmp_path / "rules", tmp_path / "forms")
    assert [p.line for p in loaded.problems if "兜底" in p.message] == [66]
    assert catalog() is not loaded
