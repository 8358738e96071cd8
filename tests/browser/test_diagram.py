"""The progress diagram zooms (issue 16, R-REC-3): with the buttons beside it, with + − 0 from the keyboard while it
has the focus, and with two fingers on a phone; the level is announced."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import go, start
from tests.browser.test_journeys import APPLICANT


@pytest.fixture
def progress_page(open_as):
    page = open_as(APPLICANT)
    start(page, "执业会员入会申请")
    expect(page.get_by_label("我已阅读并同意遵守协会章程及入会须知")).to_be_visible()
    page.wait_for_load_state()  # the header's menu button is the page's script
    go(page, "我的申请")
    page.get_by_role("link", name="查看进度").first.click()
    page.wait_for_load_state("load")
    # the page's script has taken the diagram's size ("适合宽度") once it shows the zoom buttons: measured before,
    # a loaded machine read the diagram at another size than the script's
    expect(page.get_by_role("group", name="缩放流程图")).to_be_visible()
    return page


def drawn_width(page) -> float:
    return page.locator(".svg-wrap svg").evaluate("svg => svg.getBoundingClientRect().width")


def test_the_buttons_and_keys_zoom_the_diagram(progress_page):
    page = progress_page
    fit = drawn_width(page)
    level = page.get_by_role("group", name="缩放流程图").get_by_role("status")

    page.get_by_role("button", name="放大流程图").click()
    assert drawn_width(page) == pytest.approx(fit * 1.25, abs=2)
    expect(level).to_have_text(re.compile(r"^缩放 \d+%$"))
    percent = int(re.search(r"\d+", level.text_content()).group())

    page.get_by_role("region", name="办理流程图（+ − 键缩放）").focus()
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert drawn_width(page) == pytest.approx(fit / 1.25, abs=2)
    expect(level).to_have_text(f"缩放 {round(percent / 1.25 / 1.25)}%")

    page.get_by_role("button", name="适合宽度").click()
    assert drawn_width(page) == pytest.approx(fit, abs=2)


@pytest.mark.parametrize("size", ["phone"])
def test_two_fingers_spread_apart_zoom_in(progress_page, size):
    page = progress_page
    wrap = page.locator(".svg-wrap")
    wrap.scroll_into_view_if_needed()
    fit = drawn_width(page)
    box = wrap.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)

    def fingers(kind, apart):
        points = [{"x": cx - apart, "y": cy, "id": 1}, {"x": cx + apart, "y": cy, "id": 2}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points if kind != "touchEnd" else []})

    fingers("touchStart", 30)
    for apart in range(40, 100, 10):
        fingers("touchMove", apart)
    fingers("touchEnd", 90)

    assert drawn_width(page) == pytest.approx(fit * 3, rel=0.05)  # 30 px apart → 90 px apart
    expect(page.get_by_role("group", name="缩放流程图").get_by_role("status")).to_have_text(re.compile(r"^缩放 \d+%$"))
