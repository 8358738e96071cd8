"""The BPMN editor's own controls speak the page's Chinese (issue 17): bpmn-js's palette, the context pad of a
selected task, its change-type menu and the properties panel's heading (app/editors/bpmn_words.py)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.workbench.catalog import import_files
from app.workbench.live import disk_sources, refresh_catalog

SHOTS = Path(__file__).resolve().parents[2] / "var" / "test-results" / "workbench"
STEP = "Task_OutLocal"  # 转出地协会审核, a user task
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def size() -> str:
    return "desktop"


def test_the_palette_context_pad_and_change_menu_are_chinese(live, open_as):
    with live.app.app_context():
        import_files(disk_sources(live.app))
        db.session.commit()
        refresh_catalog(live.app)
        db.session.remove()
    page = open_as("13500000000")  # the administrator holds the analyst role
    page.goto("/workbench/edit/bpmn/transfer.bpmn")
    expect(page.locator("#wb-state")).to_have_text("线上版本 v1")
    palette = page.locator(".djs-palette .entry[aria-label]")  # the palette names its tools in aria-label
    expect(palette.first).to_be_attached()
    names = palette.evaluate_all("entries => entries.map(e => e.getAttribute('aria-label'))")
    assert len(names) >= 10 and [n for n in names if not CHINESE.search(n)] == []
    expect(page.locator(".djs-palette").get_by_role("button", name="抓手工具（拖动画布）")).to_be_visible()
    expect(page.locator(".djs-palette").get_by_role("button", name="创建开始事件")).to_be_visible()

    page.locator(f'[data-element-id="{STEP}"]').click()
    pad = page.locator(".djs-context-pad .entry[title]")
    expect(pad.first).to_be_visible()
    titles = pad.evaluate_all("entries => entries.map(e => e.title)")
    assert "追加任务" in titles and "删除" in titles and "连接到其他元素" in titles
    assert [t for t in titles if not CHINESE.search(t)] == []
    expect(page.locator(".bio-properties-panel-header-type")).to_have_text("用户任务")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "bpmn_words_pad_zh.png"))

    page.locator('.djs-context-pad [data-action="replace"]').click()
    menu = page.locator(".djs-popup")
    expect(menu.get_by_text("服务任务", exact=True)).to_be_visible()
    expect(menu.get_by_text("调用活动", exact=True)).to_be_visible()
    expect(menu).not_to_contain_text("Service task")
    page.screenshot(path=str(SHOTS / "bpmn_words_zh.png"))
