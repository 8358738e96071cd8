"""The page header never breaks a person's name: at 1280 px the reviewer 孙北京 showed as 孙北 / 京 (CJK text may
break between any two characters), and at a 375 px phone the header still fits the screen."""

import pytest

from tests.browser.pages import log_in
from tests.browser.test_phone_layout import assert_fits_the_screen

LOCAL_REVIEWER = "13700000001"  # 孙北京: the header of an association's reviewer holds the most links

# the lines a node's text takes (a range has one client rect per line box it spans)
LINES = "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"


@pytest.mark.parametrize("width", [1280, 375])
def test_the_reviewers_name_stays_on_one_line(new_context, live, width):
    phone = width < 600
    context = new_context(
        viewport={"width": width, "height": 800}, is_mobile=phone, has_touch=phone, base_url=live.url, locale="zh-CN"
    )
    page = context.new_page()
    log_in(page, LOCAL_REVIEWER)
    menu = page.locator("header .menu-toggle")
    if menu.is_visible():
        menu.click()
    who = page.locator("header .who")

    assert who.inner_text() == "孙北京"
    assert who.evaluate(LINES) == 1
    if phone:
        menu.click()  # closed again: the header is the one compact row
    assert_fits_the_screen(page)
