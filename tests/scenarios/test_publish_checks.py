"""What the publish step calls (issue 18): scenarios_pass_for blocks a draft that breaks a scenario file, and
what_if_summary says how many recorded decisions the draft would change (R-STA-1, the 24 → 18 months draft)."""

from pathlib import Path

import pytest

from app.decisions.replay import what_if_summary
from app.errors import Invalid
from app.scenarios.publish import scenarios_pass_for
from tests.decisions.test_replay import refuse_the_23_month_trainee

ROOT = Path(__file__).resolve().parents[2]
DRAFT_18 = (ROOT / "rules" / "status_full_eligibility.dmn").read_text(encoding="utf-8").replace("&lt; 24", "&lt; 18")
SCENARIOS = (ROOT / "processes" / "tests" / "status_full.yaml").read_text(encoding="utf-8")
REFUSED_AT_23 = "      - start: {refused: 执业满 24 个月方可申请转为正式执业会员（目前 23 个月）}"


def test_a_draft_that_breaks_a_scenario_blocks_publishing_until_the_scenario_says_the_new_rule(app):
    ok, report = scenarios_pass_for("status_full", {"status_full_eligibility.dmn": DRAFT_18.encode()})
    assert not ok and report.files == ["status_full.yaml"]
    [failed] = report.failed
    assert failed.name == "执业不满 24 个月不能申请转正，并说明目前月数" and "预期发起被拒绝" in failed.error
    assert any("执业不满 24 个月" in line for line in report.lines())
    rewritten = SCENARIOS.replace(REFUSED_AT_23, "      - start: {}")  # the analyst's scenario for 18 months
    assert rewritten != SCENARIOS
    drafts = {"status_full_eligibility.dmn": DRAFT_18.encode(), "status_full.yaml": rewritten.encode()}
    ok, report = scenarios_pass_for("status_full", drafts)
    assert ok, report.lines()
    assert report.lines()[-1] == "3 个场景中 3 个通过"


def test_a_process_without_scenario_files_passes_and_says_so(app):
    ok, report = scenarios_pass_for("custody", {})
    assert ok and report.files == [] and report.lines() == ["流程 custody 没有场景文件"]


def test_what_if_says_there_is_no_log_yet(world):
    summary = what_if_summary("status_full_eligibility", DRAFT_18)
    assert summary.result is None and "尚无日志" in summary.headline


def test_what_if_counts_the_recorded_decisions_the_draft_changes(world):
    refuse_the_23_month_trainee()
    summary = what_if_summary("status_full_eligibility", DRAFT_18.encode())
    assert summary.headline == "1 条已记录判定中有 1 条结果会改变"
    assert summary.result is not None and dict(summary.result.directions) == {("refused", "eligible"): 1}


def test_what_if_refuses_a_broken_draft_with_its_line(world):
    with pytest.raises(Invalid, match="status_full_eligibility.dmn:"):
        what_if_summary("status_full_eligibility", DRAFT_18.replace("<rule ", "<rule<", 1))
