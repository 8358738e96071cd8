"""Issue 18's done-means, walked as a new analyst would in Chromium: the administrator (who holds the analyst role)
changes 24 → 18 months in the trainee → full table (R-STA-1), sees "N of M recorded decisions would change" with
the names, is refused publishing by the scenario that still says 24, writes the new rule into the scenario file in
the workbench, runs it against the draft, publishes the table with it, and the published scenario passes."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.accounts.models import User
from app.errors import NotEligible
from app.extensions import db
from app.workbench.catalog import import_files
from app.workbench.live import disk_sources, refresh_catalog
from app.workflow import services
from tests.browser.conftest import SIZES
from tests.browser.pages import log_in

SHOTS = Path(__file__).resolve().parents[2] / "var" / "test-results" / "replay-walk"
OLD_SCENARIO = """  - name: 执业不满 24 个月不能申请转正，并说明目前月数
    rules: [R-STA-1]
    given: {applicant: "13800000031"}
    steps:
      - start: {refused: 执业满 24 个月方可申请转为正式执业会员（目前 23 个月）}"""
NEW_SCENARIO = """  - name: 执业满 18 个月即可申请转正
    rules: [R-STA-1]
    given: {applicant: "13800000031"}
    steps:
      - start: {}
    expect:
      open_task: Task_Apply"""


@pytest.fixture
def started(live):
    """The app as started (the files imported into the catalog); 李四 (23 months) was refused, 王五 was not."""
    with live.app.app_context():
        import_files(disk_sources(live.app))
        db.session.commit()
        refresh_catalog(live.app)
        people = {u.mobile: u for u in db.session.scalars(db.select(User))}
        with pytest.raises(NotEligible):
            services.start_process("status_full", people["13800000031"])
        services.start_process("status_full", people["13800000032"])
        db.session.commit()
        refused = people["13800000031"].name
        db.session.remove()
    return refused


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_an_analyst_lowers_24_to_18_months_sees_who_changes_writes_the_scenario_and_publishes(
    live, new_context, started
):
    context = new_context(viewport=SIZES["desktop"], base_url=live.url, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    log_in(page, "13500000000")
    page.goto("/workbench/")
    page.locator('tr[data-file="dmn/status_full_eligibility.dmn"]').get_by_role("link", name="编辑草稿").click()
    text = page.locator("textarea[name=content]")
    assert "&lt; 24" in text.input_value()
    text.fill(text.input_value().replace("&lt; 24", "&lt; 18"))
    page.get_by_role("button", name="保存草稿并检查").click()
    expect(page.locator("#problems")).to_contain_text("检查通过，可以发布")
    what_if = page.locator("#what-if")
    expect(what_if).to_contain_text("2 条已记录判定中有 1 条结果会改变")
    expect(what_if).to_contain_text(started)  # the name, before the Publish button
    expect(what_if).to_contain_text("不符合 → 符合 1")  # in words, not the engine's codes
    shot(page, "1-draft-what-if")
    what_if.get_by_role("link", name="查看完整回放").click()
    expect(page.locator("#replay-result")).to_contain_text(started)
    shot(page, "2-full-replay")
    page.get_by_role("link", name="返回草稿（发布）").click()

    page.get_by_label("发布说明").fill("R-STA-1 改为 18 个月")
    page.get_by_role("button", name="发布", exact=True).click()
    refused = page.locator("#scenarios")
    expect(refused).to_contain_text("场景未通过，未发布")
    expect(refused).to_contain_text("status_full.yaml 第 30 行")
    expect(page.locator("#problems")).not_to_contain_text("检查通过，可以发布")
    expect(page.get_by_label("发布说明")).to_have_value("R-STA-1 改为 18 个月")  # what was typed is kept
    shot(page, "3-refused")

    refused.get_by_role("link", name="在工作台修改场景文件 status_full.yaml").click()
    text = page.locator("textarea[name=content]")
    assert OLD_SCENARIO in text.input_value()
    text.fill(text.input_value().replace(OLD_SCENARIO, NEW_SCENARIO))
    page.get_by_role("button", name="保存草稿并检查").click()
    expect(page.locator("#problems")).to_contain_text("检查通过，可以发布")
    page.get_by_role("button", name="运行场景（用我的草稿）").click()
    expect(page.locator("#scenario-run")).to_contain_text("场景全部通过")
    expect(page.locator("#scenario-run")).to_contain_text("status_full_eligibility.dmn")  # which drafts it ran with
    expect(page.locator("#partners")).to_contain_text("此场景草稿将与您的草稿一起发布：status_full_eligibility.dmn")
    shot(page, "4-scenario-runs-with-the-draft")

    page.locator("#partners").get_by_role("link", name="status_full_eligibility.dmn").click()
    expect(page.locator("#together")).to_contain_text("status_full.yaml")
    page.get_by_label("发布说明").fill("R-STA-1 改为 18 个月")
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.get_by_text("已发布版本 2")).to_be_visible()
    expect(page.get_by_text("场景草稿 status_full.yaml 已一并发布")).to_be_visible()
    shot(page, "5-published")

    page.goto("/workbench/scenarios/?file=status_full.yaml")
    assert "执业满 18 个月即可申请转正" in page.locator("textarea[name=text]").input_value()
    page.get_by_role("button", name="运行").click()
    expect(page.locator("#scenario-result")).to_contain_text("全部通过")
    expect(page.locator("#scenario-result")).to_contain_text("执业满 18 个月即可申请转正")
    shot(page, "6-published-scenario-passes")
