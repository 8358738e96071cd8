"""Scenario files are a catalog kind (issues 17 and 18): imported from processes/tests/ at start, listed in the
workbench, drafted per analyst, checked on save with the runner's reader (the line of an unknown task, a wrong field,
a malformed date), run against the analyst's drafts, published, rolled back and zipped like the others; the
scenario runs read the live versions; an analyst sees only their association's scenarios (R-STA-1)."""

import io
import zipfile

import pytest

from app.accounts.models import RoleGrant
from app.extensions import db
from app.scenarios.publish import scenarios_pass_for
from app.workbench.catalog import live_version
from tests.processes.walk import person
from tests.workbench.conftest import login
from tests.workbench.test_wb_publish_gate import DMN, DRAFT_18, REFUSED_AT_23

API = "/workbench/api/files/scenario"
PAGE = "/workbench/files/scenario"


def _live_text(client, name="status_full.yaml"):
    return client.get(f"{API}/{name}").get_json()["live"]["content"]


def test_scenario_files_are_imported_from_file_and_listed(analyst_client):
    live = live_version("scenario", "status_full.yaml")
    assert live is not None and live.source == "file" and live.number == 1
    page = analyst_client.get("/workbench/").get_data(as_text=True)
    assert 'data-file="scenario/status_full.yaml"' in page and 'data-file="scenario/transfer.yaml"' in page
    assert f"{PAGE}/status_full.yaml/draft" in page and 'id="new-scenario"' in page


@pytest.mark.parametrize(
    ("old", "new", "line", "said"),
    [
        ("complete: Task_FirmOpinion", "complete: Task_Nope", 11, "没有任务 'Task_Nope'"),
        (
            "data: {decision: approve}\n      - complete: Task_LocalReview",
            "data: {verdict: approve}\n      - complete: Task_LocalReview",
            13,
            "没有字段 'verdict'",
        ),
        (
            'given: {applicant: "13800000032"}',
            'given: {today: 2026-13-45, applicant: "13800000032"}',
            6,
            "日期格式有误",
        ),
        (
            "steps:\n      - start: {}\n      - complete: Task_Apply",
            "steps:\n      - start: {\n      - complete: Task_Apply",
            9,
            "不是有效的 YAML",
        ),
    ],
)
def test_a_malformed_scenario_draft_is_kept_with_its_line_and_cannot_be_published(analyst_client, old, new, line, said):
    text = _live_text(analyst_client)
    assert old in text
    broken = text.replace(old, new, 1)
    saved = analyst_client.put(f"{API}/status_full.yaml/draft", json={"content": broken}).get_json()
    assert saved["publishable"] is False
    [problem] = saved["problems"]
    assert problem["file"] == "status_full.yaml" and problem["line"] == line and said in problem["message"], problem
    refused = analyst_client.post(f"{API}/status_full.yaml/publish", json={"comment": ""})
    assert refused.status_code == 422
    assert analyst_client.get(f"{API}/status_full.yaml").get_json()["draft"]["content"] == broken  # nothing lost
    assert live_version("scenario", "status_full.yaml").number == 1


def test_a_scenario_naming_a_task_of_the_analysts_bpmn_draft_is_checked_against_that_draft(analyst_client):
    bpmn = "/workbench/api/files/bpmn/status_full.bpmn"
    live = analyst_client.get(bpmn).get_json()["live"]["content"]
    assert 'id="Task_FirmOpinion"' in live
    renamed = live.replace("Task_FirmOpinion", "Task_FirmView")
    text = _live_text(analyst_client).replace("Task_FirmOpinion", "Task_FirmView")
    before = analyst_client.put(f"{API}/status_full.yaml/draft", json={"content": text}).get_json()
    assert "Task_FirmView" in before["problems"][0]["message"]  # against the live process: no such task
    assert analyst_client.put(f"{bpmn}/draft", json={"content": renamed}).get_json()["publishable"] is True
    after = analyst_client.get(f"{API}/status_full.yaml").get_json()["draft"]
    assert after["problems"] == []


def test_a_scenario_draft_runs_against_the_analysts_drafts_from_its_page(analyst_client):
    text = _live_text(analyst_client).replace(REFUSED_AT_23, "      - start: {}")
    analyst_client.put(f"{API}/status_full.yaml/draft", json={"content": text})
    against_live = analyst_client.post(f"{PAGE}/status_full.yaml/draft", data={"action": "run"})
    html = against_live.get_data(as_text=True)
    assert 'id="scenario-run"' in html and "场景未通过" in html and "发起被拒绝：执业满 24 个月" in html, html[
        html.find("scenario-run") :
    ][:900]
    analyst_client.put(f"{DMN}/draft", json={"content": DRAFT_18})
    with_draft = analyst_client.post(f"{PAGE}/status_full.yaml/draft", data={"action": "run"}).get_data(as_text=True)
    assert "场景全部通过" in with_draft, with_draft[with_draft.find("scenario-run") :][:800]


def test_the_dmn_page_says_which_scenario_drafts_go_with_it(analyst_client):
    text = _live_text(analyst_client).replace(REFUSED_AT_23, "      - start: {}")
    analyst_client.put(f"{API}/status_full.yaml/draft", json={"content": text})
    analyst_client.put(f"{DMN}/draft", json={"content": DRAFT_18})
    page = analyst_client.get("/workbench/files/dmn/status_full_eligibility.dmn/draft").get_data(as_text=True)
    assert 'id="together"' in page and "status_full.yaml" in page
    published = analyst_client.post(
        "/workbench/files/dmn/status_full_eligibility.dmn/draft", data={"action": "publish", "comment": "18"}
    )
    assert published.status_code == 302
    follow = analyst_client.get(published.headers["Location"]).get_data(as_text=True)
    assert "场景草稿 status_full.yaml 已一并发布" in follow


def test_a_published_scenario_is_what_the_gate_and_the_run_page_read(analyst_client, app):
    text = _live_text(analyst_client)
    stricter = text.replace("outcome: 已转为正式执业会员", "outcome: 已转为正式执业会员（新）")
    assert stricter != text
    analyst_client.put(f"{API}/status_full.yaml/draft", json={"content": stricter})
    refused = analyst_client.post(f"{API}/status_full.yaml/publish", json={"comment": ""})
    assert refused.status_code == 422  # the gate runs the scenario draft itself against the live files
    kept = text.replace("# Scenarios for", "# Scenarios (revised) for")
    analyst_client.put(f"{API}/status_full.yaml/draft", json={"content": kept})
    assert analyst_client.post(f"{API}/status_full.yaml/publish", json={"comment": "注释"}).status_code == 200
    assert live_version("scenario", "status_full.yaml").number == 2
    run_page = analyst_client.get("/workbench/scenarios/?file=status_full.yaml").get_data(as_text=True)
    assert "Scenarios (revised) for" in run_page
    ok, report = scenarios_pass_for("status_full", {})
    assert ok and report.files == ["status_full.yaml"]


def test_a_new_scenario_file_is_drafted_published_rolled_back_and_zipped(analyst_client):
    started = analyst_client.get("/workbench/scenarios/new?name=status_full_18")
    assert started.headers["Location"].endswith(f"{PAGE}/status_full_18.yaml/draft")
    page = analyst_client.get(f"{PAGE}/status_full_18.yaml/draft").get_data(as_text=True)
    assert "process: status_full" in page  # an example to change
    text = (
        'process: status_full\nscenarios:\n  - name: 办理中\n    given: {applicant: "13800000032"}\n'
        "    steps:\n      - start: {}\n    expect: {open_task: Task_Apply}\n"
    )
    saved = analyst_client.post(f"{PAGE}/status_full_18.yaml/draft", data={"action": "save", "content": text})
    assert "检查通过，可以发布" in saved.get_data(as_text=True)
    assert analyst_client.post(f"{API}/status_full_18.yaml/publish", json={"comment": "新"}).status_code == 200
    v1 = live_version("scenario", "status_full_18.yaml")
    analyst_client.put(f"{API}/status_full_18.yaml/draft", json={"content": text.replace("办理中", "办理中（改）")})
    assert analyst_client.post(f"{API}/status_full_18.yaml/publish", json={"comment": ""}).status_code == 200
    rolled = analyst_client.post(f"{PAGE}/status_full_18.yaml/versions/{v1.id}/rollback", data={"comment": ""})
    assert rolled.status_code == 302
    assert live_version("scenario", "status_full_18.yaml").content == text
    zipped = zipfile.ZipFile(io.BytesIO(analyst_client.get("/workbench/download.zip").data))
    assert zipped.read("processes/tests/status_full_18.yaml").decode() == text
    assert "processes/tests/transfer.yaml" in zipped.namelist()


def test_another_associations_scenarios_are_not_listed_or_opened(client, world, catalog_started):
    caa = person("13800000033")
    db.session.add(RoleGrant(user_id=caa.id, role="analyst", organization_id=world.auction["caa"].id))
    db.session.commit()
    login(client, caa)
    page = client.get("/workbench/").get_data(as_text=True)
    assert "scenario/auctioneer_registration.yaml" in page and "scenario/status_full.yaml" not in page
    assert client.get(f"{API}/status_full.yaml").status_code == 404
    assert client.get(f"{PAGE}/status_full.yaml/draft").status_code == 404
    resign = "process: resign\nscenarios:\n  - name: x\n    steps: [{start: {}}]\n"
    assert client.put(f"{API}/mine.yaml/draft", json={"content": resign}).status_code == 404


def test_the_sandbox_runs_the_live_versions_not_the_files_on_disk(analyst_client, app, analyst):
    """After 18 months is published in the workbench (the files on disk still say 24), a run reads the live table."""
    from app.scenarios.sandbox import run_scenarios_in_sandbox
    from app.workbench.catalog import publish
    from app.workbench.live import refresh_catalog

    live = live_version("dmn", "status_full_eligibility.dmn")
    publish("dmn", live.name, DRAFT_18, live.id, analyst, "18", "web")
    db.session.commit()
    refresh_catalog(app)
    text = "process: status_full\nscenarios:\n  - name: 18\n    given: {applicant: '13800000031'}\n    steps:\n"
    run = run_scenarios_in_sandbox("new.yaml", text + "      - start: {}\n    expect: {open_task: Task_Apply}\n")
    assert run.passed, run.results


def test_rule_coverage_counts_the_published_scenario_files(analyst_client):
    text = (
        "process: status_full\nscenarios:\n  - name: 覆盖检查\n    rules: [R-STA-1]\n"
        '    given: {applicant: "13800000032"}\n'
        "    steps:\n      - start: {}\n    expect: {open_task: Task_Apply}\n"
    )
    assert "status_full_cov.yaml · 覆盖检查" not in analyst_client.get("/workbench/rules").get_data(as_text=True)
    analyst_client.put(f"{API}/status_full_cov.yaml/draft", json={"content": text})
    assert analyst_client.post(f"{API}/status_full_cov.yaml/publish", json={"comment": ""}).status_code == 200
    assert "status_full_cov.yaml · 覆盖检查" in analyst_client.get("/workbench/rules").get_data(as_text=True)


def test_rule_coverage_reads_the_published_bpmn_and_dmn_not_the_files_on_disk(analyst_client, app):
    """Issue 18: a rule cited in a DMN version published in the browser is listed with its row; a citation the live
    version dropped is gone, though the file on disk still has it (R-JOIN-2)."""
    from app.workbench.catalog import publish
    from app.workbench.live import refresh_catalog

    assert "R-TST-1" not in analyst_client.get("/workbench/rules").get_data(as_text=True)
    live = live_version("dmn", "join_kind.dmn")
    cited = live.content.replace("R-JOIN-2 anyone may apply as trainee", "R-TST-1 anyone may apply as trainee")
    publish("dmn", "join_kind.dmn", cited, live.id, None, "R-TST-1", "web")
    db.session.commit()
    refresh_catalog(app)
    page = analyst_client.get("/workbench/rules").get_data(as_text=True)
    assert "R-TST-1" in page and "join_kind.dmn · JK_trainee" in page
    join_2 = page.split("<strong>R-JOIN-2</strong>")[1].split("<tr")[0]
    assert "join_kind.dmn · JK_full_prior" in join_2 and "join_kind.dmn · JK_trainee" not in join_2
