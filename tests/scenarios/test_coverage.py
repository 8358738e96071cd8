"""Rule coverage (issue 18 item 4): each cited rule with its elements, scenarios and tests; no scenario → flagged."""

from pathlib import Path

from app.demo import DEMO_PASSWORD
from app.scenarios.coverage import files_in, rule_coverage

ROOT = Path(__file__).resolve().parents[2]


def by_rule():
    specs = files_in(ROOT / "processes", ROOT / "rules")
    scenarios = {name: raw.decode() for name, raw in files_in(ROOT / "processes" / "tests", pattern="*.yaml").items()}
    return {r.rule: r for r in rule_coverage(specs, scenarios, ROOT / "tests")}


def test_a_rule_lists_its_dmn_rows_bpmn_elements_scenarios_and_tests():
    """R-TRF-4 is cited by transfer.bpmn and exercised by transfer.yaml and test_transfer.py."""
    row = by_rule()["R-TRF-4"]
    assert any(e.startswith("transfer.bpmn · transfer") for e in row.elements)
    assert any(s.startswith("transfer.yaml · 原机构 7 天未处理视为同意") for s in row.scenarios)
    assert "tests/processes/test_transfer.py" in row.tests and not row.flagged


def test_a_rule_cited_by_a_dmn_row_names_the_row():
    """R-STA-1: the status_full_eligibility rows that cite it."""
    assert "status_full_eligibility.dmn · SF_months" in by_rule()["R-STA-1"].elements


def test_rules_without_a_scenario_are_flagged(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "p.bpmn").write_text(
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" name="甲">'
        "<!-- R-XYZ-1 --><task id='T'><documentation>R-XYZ-2</documentation></task></process></definitions>"
    )
    (tmp_path / "tests" / "p.yaml").write_text("process: p\nscenarios:\n  - name: 一\n    rules: [R-XYZ-2]\n")
    scenarios = {"p.yaml": (tmp_path / "tests" / "p.yaml").read_text()}
    rows = {r.rule: r for r in rule_coverage(files_in(tmp_path), scenarios, None)}
    assert rows["R-XYZ-1"].flagged and rows["R-XYZ-1"].elements == ["p.bpmn · p（甲）"]
    assert not rows["R-XYZ-2"].flagged and rows["R-XYZ-2"].elements == ["p.bpmn · T"]


def test_the_coverage_page_is_for_analysts(client, world):
    client.post("/login", data={"mobile": world.admin.mobile, "password": DEMO_PASSWORD})
    page = client.get("/workbench/rules").get_data(as_text=True)
    assert "R-TRF-4" in page and "无场景" in page
    client.post("/logout")
    client.post("/login", data={"mobile": world.applicant.mobile, "password": DEMO_PASSWORD})
    assert client.get("/workbench/rules").status_code == 403
