"""Scenarios from the workbench run against a draft on a throwaway database with their own clock (issue 18 item 3)."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from app import clock
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.scenarios.sandbox import run_scenarios_in_sandbox
from app.workflow.models import ProcessInstance

ROOT = Path(__file__).resolve().parents[2]
DRAFT_18 = (ROOT / "rules" / "status_full_eligibility.dmn").read_text(encoding="utf-8").replace("&lt; 24", "&lt; 18")
AT_23_MONTHS = """process: status_full
scenarios:
  - name: 执业 23 个月的见习会员可以申请转为正式执业会员
    rules: [R-STA-1]
    given: {applicant: "13800000031"}
    steps:
      - start: {}
    expect:
      open_task: Task_Apply
"""


def test_the_18_month_draft_makes_the_analysts_scenario_pass_and_the_published_table_fails_it(app):
    published = run_scenarios_in_sandbox("status_full.yaml", AT_23_MONTHS)
    assert not published.passed and "执业满 24 个月" in published.results[0].error
    drafted = run_scenarios_in_sandbox(
        "status_full.yaml", AT_23_MONTHS, {"status_full_eligibility.dmn": DRAFT_18.encode()}
    )
    assert drafted.passed, drafted.results


def test_a_sandbox_run_moves_neither_the_live_clock_nor_the_live_database(app, world):
    before = db.session.scalar(select(func.count(ProcessInstance.id)))
    run = run_scenarios_in_sandbox("transfer.yaml", (ROOT / "processes" / "tests" / "transfer.yaml").read_text())
    assert run.passed, run.results
    assert abs(clock.now() - datetime.now(UTC)).total_seconds() < 60  # the 7-day timer moved only the run's clock
    assert db.session.scalar(select(func.count(ProcessInstance.id))) == before


def test_a_broken_draft_is_reported_with_its_line(app):
    broken = DRAFT_18.replace("</decisionTable>", "</decisionTabl>")
    run = run_scenarios_in_sandbox("status_full.yaml", AT_23_MONTHS, {"status_full_eligibility.dmn": broken.encode()})
    assert not run.passed and run.problems and run.problems[0].startswith("status_full_eligibility.dmn:")


def test_the_workbench_page_runs_a_scenario_file(client, world):
    client.post("/login", data={"mobile": world.admin.mobile, "password": DEMO_PASSWORD})
    resp = client.post("/workbench/scenarios/", data={"file": "resign.yaml"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "全部通过" in page and "协会代管的会员没有机构意见" in page
    bad = client.post("/workbench/scenarios/", data={"file": "", "text": "process: resign\nscenarios: []\n"})
    assert bad.status_code == 422 and "pasted.yaml:2" in bad.get_data(as_text=True)
    client.post("/logout")
    client.post("/login", data={"mobile": world.applicant.mobile, "password": DEMO_PASSWORD})
    assert client.get("/workbench/scenarios/").status_code == 403


def test_a_sandbox_run_leaves_the_workers_rate_limits_alone(app, client, world):
    """The sandbox builds a throwaway app inside the worker; the worker's one Flask-Limiter object must keep its
    counts and its enabled flag: an analyst running scenarios must not give an address its failed logins back."""
    stranger = {"REMOTE_ADDR": "203.0.113.9"}
    limit = int(app.config["MEMBERFLOW_RATELIMIT_LOGIN"].split(" per ")[0])
    for i in range(limit):
        wrong = client.post("/login", data={"mobile": f"139000{i:05d}", "password": "nope"}, environ_base=stranger)
        assert wrong.status_code == 401
    run = run_scenarios_in_sandbox("status_full.yaml", AT_23_MONTHS)
    assert run.results  # it ran
    again = client.post("/login", data={"mobile": "13900000001", "password": "nope"}, environ_base=stranger)
    assert again.status_code == 429
