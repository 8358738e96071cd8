"""The BPMN editor's properties panel names a lane's role as people say it, with its code (issue 17 item 2)."""

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_workbench_editor import analyst_page  # noqa: F401  (the fixture)

SHOTS = Path(__file__).resolve().parents[2] / "var" / "test-results" / "workbench"


def test_a_lane_shows_its_role_label_with_the_code(analyst_page):  # noqa: F811
    page = analyst_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/workbench/edit/bpmn/transfer.bpmn")
    expect(page.locator("#wb-state")).to_have_text("线上版本 v1")
    page.locator('[data-element-id="Lane_local_association"]').click(position={"x": 10, "y": 60})
    page.get_by_text("本系统属性", exact=True).click()
    role = page.get_by_label("泳道角色")
    expect(role.locator("option:checked")).to_have_text("地方协会（local_association）")
    # every lane shows its role as people say it, on the diagram too
    expect(page.locator('.djs-overlays[data-container-id="Lane_local_association"] .wb-lane-role')).to_have_text(
        "地方协会"
    )
    expect(page.locator('.djs-overlays[data-container-id="Lane_system"] .wb-lane-role')).to_have_text("系统")
    role.select_option("firm")  # the lane's code changes: its label follows
    expect(page.locator('.djs-overlays[data-container-id="Lane_local_association"] .wb-lane-role')).to_have_text(
        "资产评估机构"
    )
    page.screenshot(path=str(SHOTS / "lane.png"), full_page=True)
