"""Publishing asks the scenarios and shows the what-if first (issues 17 and 18): the 24 → 18 months draft of
status_full_eligibility breaks a status_full scenario and is refused, naming it (R-STA-1); once the scenario says
the new rule, or with a draft that keeps the outcomes, it publishes; a DMN draft's GET carries the what-if headline."""

import time
from pathlib import Path

from app.extensions import db
from app.scenarios.publish import scenarios_pass_for
from app.workbench import gate
from app.workbench.catalog import live_version
from tests.decisions.test_replay import refuse_the_23_month_trainee
from tests.processes.walk import person

ROOT = Path(__file__).resolve().parents[2]
DMN = "/workbench/api/files/dmn/status_full_eligibility.dmn"
PUBLISHED = (ROOT / "rules" / "status_full_eligibility.dmn").read_text(encoding="utf-8")
DRAFT_18 = PUBLISHED.replace("&lt; 24", "&lt; 18")
FAILING = "执业不满 24 个月不能申请转正，并说明目前月数"
REPLAY = "/workbench/files/dmn/status_full_eligibility.dmn/replay/status_full_eligibility"
REFUSED_AT_23 = "      - start: {refused: 执业满 24 个月方可申请转为正式执业会员（目前 23 个月）}"


def test_a_draft_that_breaks_a_scenario_is_refused_naming_it_and_nothing_is_published(analyst_client):
    before = live_version("dmn", "status_full_eligibility.dmn")
    assert analyst_client.put(f"{DMN}/draft", json={"content": DRAFT_18}).get_json()["publishable"] is True
    refused = analyst_client.post(f"{DMN}/publish", json={"comment": "18 个月"})
    assert refused.status_code == 422, refused.get_json()
    body = refused.get_json()
    assert any(FAILING in line for line in body["scenarios"])
    assert body["scenarios"][-1] == "3 个场景中 2 个通过"
    [problem] = body["problems"]  # pinned to the failing scenario's line in its file
    assert problem["file"] == "status_full.yaml" and problem["line"] == 30 and problem["element_id"] is None
    assert problem["message"].count(FAILING) == 1 and "预期发起被拒绝" in problem["message"]
    [line] = [line for line in body["scenarios"] if FAILING in line]
    assert line.count(FAILING) == 1 and line.count("status_full.yaml") == 1, line  # each thing said once
    assert line.startswith("status_full.yaml 第 30 行 · 场景「")
    assert live_version("dmn", "status_full_eligibility.dmn").id == before.id
    assert analyst_client.get(DMN).get_json()["draft"]["content"] == DRAFT_18  # the draft is kept


def test_once_the_analysts_scenario_draft_says_the_new_rule_both_publish_together(analyst_client):
    """The scenario file is edited in the workbench (not on disk): publishing the DMN runs the analyst's scenario
    draft with it and publishes both (R-STA-1)."""
    scenario = "/workbench/api/files/scenario/status_full.yaml"
    text = analyst_client.get(scenario).get_json()["live"]["content"]
    assert REFUSED_AT_23 in text
    saved = analyst_client.put(f"{scenario}/draft", json={"content": text.replace(REFUSED_AT_23, "      - start: {}")})
    assert saved.get_json()["publishable"] is True, saved.get_json()
    analyst_client.put(f"{DMN}/draft", json={"content": DRAFT_18})
    published = analyst_client.post(f"{DMN}/publish", json={"comment": "18 个月"})
    assert published.status_code == 200, published.get_json()
    assert live_version("dmn", "status_full_eligibility.dmn").content == DRAFT_18
    now = live_version("scenario", "status_full.yaml")
    assert REFUSED_AT_23 not in now.content and now.number == 2 and now.comment == "18 个月"
    assert analyst_client.get(scenario).get_json()["draft"] is None  # published with it


def test_a_draft_that_keeps_the_outcomes_publishes(analyst_client):
    kept = PUBLISHED.replace('name="见习转正式资格" namespace', 'name="见习转正式资格（修订）" namespace')
    assert kept != PUBLISHED
    analyst_client.put(f"{DMN}/draft", json={"content": kept})
    published = analyst_client.post(f"{DMN}/publish", json={"comment": "改名"})
    assert published.status_code == 200, published.get_json()


def test_a_bpmn_draft_of_a_process_without_scenarios_still_publishes(analyst_client):
    url = "/workbench/api/files/bpmn/custody.bpmn"
    live = analyst_client.get(url).get_json()["live"]["content"]
    draft = live.replace("<bpmn:documentation>", "<bpmn:documentation>（修订）", 1)
    draft = draft if draft != live else live.replace("</bpmn:definitions>", "<!-- 修订 --></bpmn:definitions>")
    assert draft != live
    analyst_client.put(f"{url}/draft", json={"content": draft})
    assert analyst_client.post(f"{url}/publish", json={"comment": ""}).status_code == 200


def test_publishing_transfer_runs_its_scenarios_quickly(analyst_client, monkeypatch):
    reports = []

    def spy(process_id, files):
        ok, report = scenarios_pass_for(process_id, files)
        reports.append(report)
        return ok, report

    monkeypatch.setattr(gate, "scenarios_pass_for", spy)
    url = "/workbench/api/files/bpmn/transfer.bpmn"
    live = analyst_client.get(url).get_json()["live"]["content"]
    draft = live.replace("</bpmn:definitions>", "<!-- x --></bpmn:definitions>")
    analyst_client.put(f"{url}/draft", json={"content": draft})
    started = time.perf_counter()
    assert analyst_client.post(f"{url}/publish", json={"comment": ""}).status_code == 200
    print(f"publish transfer.bpmn with its scenarios: {time.perf_counter() - started:.2f} s")
    [report] = reports
    assert report.process_id == "transfer" and report.files == ["transfer.yaml"]
    assert report.results and all(r.passed for r in report.results)


def test_the_what_if_headline_comes_with_a_dmn_draft(analyst_client):
    analyst_client.put(f"{DMN}/draft", json={"content": DRAFT_18})
    [said] = analyst_client.get(DMN).get_json()["draft"]["what_if"]
    assert said["decision_id"] == "status_full_eligibility" and "尚无日志" in said["headline"]
    assert said["url"] == REPLAY
    refuse_the_23_month_trainee()
    db.session.commit()
    [said] = analyst_client.get(DMN).get_json()["draft"]["what_if"]
    assert said["headline"] == "1 条已记录判定中有 1 条结果会改变"
    assert said["directions"] == [{"from": "refused", "to": "eligible", "count": 1}]
    page = analyst_client.get("/workbench/files/dmn/status_full_eligibility.dmn/draft").get_data(as_text=True)
    assert "1 条已记录判定中有 1 条结果会改变" in page and REPLAY in page
    trainee = person("13800000031").name
    assert said["names"] == [trainee] and f"如 {trainee}" in page  # who, before the Publish button
    full = analyst_client.get(REPLAY).get_data(as_text=True)  # the analyst's own draft replayed, names shown
    assert 'id="replay-result"' in full and trainee in full and "&amp;lt; 18" in full


def test_a_bpmn_draft_has_no_what_if(analyst_client):
    url = "/workbench/api/files/bpmn/custody.bpmn"
    live = analyst_client.get(url).get_json()["live"]["content"]
    analyst_client.put(f"{url}/draft", json={"content": live})
    assert analyst_client.get(url).get_json()["draft"]["what_if"] == []


def test_the_draft_page_refuses_too_and_lists_the_failing_scenario(analyst_client):
    page = "/workbench/files/dmn/status_full_eligibility.dmn/draft"
    analyst_client.put(f"{DMN}/draft", json={"content": DRAFT_18})
    refused = analyst_client.post(page, data={"action": "publish", "comment": ""})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="scenarios"' in html and FAILING in html
    assert "检查通过，可以发布" not in html and "文件检查通过，但场景未通过" in html


def test_a_refused_publish_keeps_the_comment_the_analyst_typed(analyst_client):
    page = "/workbench/files/dmn/status_full_eligibility.dmn/draft"
    analyst_client.put(f"{DMN}/draft", json={"content": DRAFT_18})
    refused = analyst_client.post(page, data={"action": "publish", "comment": "R-STA-1 改为 18 个月"})
    assert refused.status_code == 422
    assert 'name="comment" maxlength="500" value="R-STA-1 改为 18 个月"' in refused.get_data(as_text=True)
    assert live_version("dmn", "status_full_eligibility.dmn").content == PUBLISHED


JOIN_KIND = "/workbench/api/files/dmn/join_kind.dmn"


def test_a_table_used_only_by_a_form_field_runs_the_scenarios_of_the_processes_using_the_form(analyst_client):
    """join_kind gates the join form's 会员类别 options (R-JOIN-2) and no diagram names it: a draft refusing the
    trainee option breaks join_practicing's scenarios and is refused."""
    live = live_version("dmn", "join_kind.dmn")
    assert gate.affected_processes("dmn", "join_kind.dmn", live.content, live.content) == [
        "join_practicing",
        "status_practicing",
    ]
    allowed, reason = '<outputEntry id="JK1_3"><text>True</text>', '<outputEntry id="JK1_4"><text>""</text>'
    draft = live.content.replace(allowed, allowed.replace("True", "False")).replace(
        reason, reason.replace('""', '"暂停见习"')
    )
    assert draft != live.content
    analyst_client.put(f"{JOIN_KIND}/draft", json={"content": draft})
    refused = analyst_client.post(f"{JOIN_KIND}/publish", json={"comment": "只许正式"})
    assert refused.status_code == 422, refused.get_json()
    assert any("join_practicing.yaml" in line for line in refused.get_json()["scenarios"])
    assert live_version("dmn", "join_kind.dmn").id == live.id
