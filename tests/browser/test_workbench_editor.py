"""The BPMN editor in a real browser (issue 17 items 2, 3, 7): an analyst changes the transfer process in the
properties panel, saves, sees the missing orgScope pinned to the step, fixes it; a version published meanwhile
is shown as a diff and rebased onto, then the change is published and the engine runs it."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.models import RoleGrant, User
from app.demo import DEMO_PASSWORD
from app.engine.specs import catalog
from app.extensions import db
from app.organizations.models import Organization
from app.workbench.catalog import import_files, live_version, publish
from app.workbench.live import disk_sources, refresh_catalog
from tests.browser.conftest import SIZES
from tests.browser.pages import log_in

ANALYST = "13800000099"
STEP = "Task_OutLocal"  # 转出地协会审核 (R-TRF-5)


@pytest.fixture
def analyst_page(live, new_context):
    """The demo world started as the app starts (every file imported) and an analyst logged in at desktop size."""
    with live.app.app_context():
        import_files(disk_sources(live.app))
        national = db.session.scalars(select(Organization).where(Organization.kind == "national_association")).first()
        user = User(mobile=ANALYST, name="分析员", id_number="110105198001010018")
        user.set_password(DEMO_PASSWORD)
        user.grants = [RoleGrant(role="analyst", organization=national)]
        db.session.add(user)
        db.session.commit()
        refresh_catalog(live.app)
        db.session.remove()
    context = new_context(viewport=SIZES["desktop"], base_url=live.url, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    log_in(page, ANALYST)
    return page


def step_property(page, name: str) -> str | None:
    """A property of the step as the modeler holds it now (the panel writes after a short debounce)."""
    return page.evaluate(
        """([id, name]) => {
            const bo = window.memberflowModeler.get('elementRegistry').get(id).businessObject;
            const box = (bo.extensionElements ? bo.extensionElements.values : [])
                .find(v => v.$type === 'spiffworkflow:Properties');
            const one = box && box.properties.find(p => p.name === name);
            return one ? one.value : null;
        }""",
        [STEP, name],
    )


def test_an_analyst_edits_saves_sees_the_pinned_problem_fixes_and_publishes(analyst_page, live):
    page = analyst_page
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/workbench/edit/bpmn/transfer.bpmn")
    expect(page.locator("#wb-state")).to_have_text("线上版本 v1")
    page.locator(f'[data-element-id="{STEP}"]').click()
    page.get_by_text("本系统属性", exact=True).click()
    scope = page.get_by_label("办理范围（机构编号表达式）")
    expect(scope).to_have_value("transfer.old_local_association_id")

    page.get_by_label("办理期限").fill("10")
    page.wait_for_function(
        "id => JSON.stringify(window.memberflowModeler.get('elementRegistry').get(id).businessObject"
        ".extensionElements.values[0].properties.map(p => p.value)).includes('10')",
        arg=STEP,
    )
    expect(page.get_by_label("办理期限")).to_be_focused()  # the panel redraws after a change: typing goes on
    scope.fill("")
    page.wait_for_function(
        "id => !JSON.stringify(window.memberflowModeler.get('elementRegistry').get(id).businessObject"
        ".extensionElements.values[0].properties.map(p => p.name)).includes('orgScope')",
        arg=STEP,
    )
    assert step_property(page, "dueDays") == "10"
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#wb-state")).to_have_text("草稿已保存，但检查发现问题，修正后才能发布", timeout=60_000)
    expect(page.locator("#wb-problem-list")).to_contain_text("缺少 orgScope")
    pin = page.locator(f'.djs-overlays[data-container-id="{STEP}"] .wb-pin')
    expect(pin).to_contain_text("orgScope")  # pinned to the step in the diagram

    scope.fill("transfer.old_local_association_id")
    page.wait_for_function(
        "id => JSON.stringify(window.memberflowModeler.get('elementRegistry').get(id).businessObject"
        ".extensionElements.values[0].properties.map(p => p.name)).includes('orgScope')",
        arg=STEP,
    )
    with live.app.app_context():  # meanwhile another analyst publishes: never overwritten silently
        base = live_version("bpmn", "transfer.bpmn")
        assert base is not None
        other = base.content.replace('name="转入地协会审核"', 'name="转入地协会复核"', 1)
        publish("bpmn", "transfer.bpmn", other, base.id, None, "另一位分析员的修改", "web")
        db.session.commit()
        db.session.remove()
    page.get_by_label("发布说明").fill("转出地协会审核期限改为 10 天")
    page.get_by_role("button", name="发布").click()
    expect(page.locator("#wb-conflict")).to_be_visible(timeout=60_000)  # checks the whole catalog first
    expect(page.locator("#wb-conflict-elements")).to_contain_text("Task_InLocal")
    expect(page.locator("#wb-conflict-diff")).to_contain_text("转入地协会复核")
    page.get_by_role("button", name="变基到最新版本").click()
    expect(page.locator("#wb-state")).to_have_text("线上版本 v2；您有未发布的草稿", timeout=60_000)
    page.get_by_role("button", name="发布").click()
    expect(page.locator("#wb-state")).to_have_text("已发布为版本 v3", timeout=60_000)
    expect(page.locator("#wb-problems")).to_be_hidden()

    page.get_by_role("button", name="模拟运行").click()  # item 7: the token simulation over the diagram
    expect(page.get_by_role("button", name="模拟运行")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".bts-context-pad").first).to_be_attached()

    with live.app.app_context():
        published = live_version("bpmn", "transfer.bpmn")
        assert published is not None and published.comment == "转出地协会审核期限改为 10 天"
        assert 'name="dueDays" value="10"' in published.content
        assert "(R-TRF-4, R-TRF-5, R-TRF-6)" in published.content  # the rule citations in XML comments are kept
        refresh_catalog(live.app)
        assert catalog().process("transfer").user_tasks[STEP].properties["dueDays"] == "10"
        db.session.remove()
    assert csp_errors == []  # the editors run under the pages' CSP: no inline script, no style attribute


def test_the_dmn_editor_shows_the_what_if_headline_beside_publish(analyst_page, live):
    """A DMN draft (24 → 18 months, R-STA-1): the bar says what the replay finds before the analyst publishes."""
    from app.workbench.drafts import save_draft

    with live.app.app_context():
        text = live_version("dmn", "status_full_eligibility.dmn").content.replace("&lt; 24", "&lt; 18")
        save_draft(
            db.session.scalars(select(User).where(User.mobile == ANALYST)).one(),
            "dmn",
            "status_full_eligibility.dmn",
            text,
        )
        db.session.commit()
        db.session.remove()
    page = analyst_page
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/workbench/edit/dmn/status_full_eligibility.dmn")
    said = page.locator("#wb-what-if")
    expect(said).to_be_visible()
    expect(said).to_contain_text("尚无日志")
    expect(said.get_by_role("link")).to_have_attribute(
        "href", "/workbench/files/dmn/status_full_eligibility.dmn/replay/status_full_eligibility"
    )
    page.screenshot(path="/tmp/pg_dmn_whatif.png")
    assert csp_errors == []


def test_the_dmn_editor_s_own_controls_are_chinese(analyst_page):
    """Issue 17: dmn-js's own words (the hit policy, the column heads, the rule menu) follow the page's Chinese."""
    page = analyst_page
    page.goto("/workbench/edit/dmn/status_full_eligibility.dmn")
    expect(page.get_by_text("命中策略：")).to_be_visible()
    expect(page.locator(".hit-policy select, .dms-select, [class*=hit-policy]").first).to_contain_text("首条命中")
    expect(page.get_by_role("button", name="查看决策需求图")).to_be_visible()
    expect(page.locator("#wb-dmn")).not_to_contain_text("Hit policy")
    page.locator("#wb-dmn td.rule-index").first.click(button="right")
    expect(page.get_by_text("在上方插入规则")).to_be_visible()
    page.screenshot(path="/tmp/polish/dmn_zh.png")
