"""Phone layout (issue 16): at 390 px no page scrolls sideways, the header is one compact row with a menu,
lists become cards; a camera-sized photo is made small enough in the browser for R-INFO-1's 1 MB."""

import io
import os

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.pages import crop, go, start
from tests.browser.test_journeys import APPLICANT, FIRM_REVIEWER, PRINTING_MEMBER, fill_application


@pytest.fixture
def size() -> str:
    return "phone"


def assert_fits_the_screen(page) -> None:
    page.wait_for_load_state()  # after a click the next page may still be arriving (its stylesheet unapplied)
    # against the screen's width: on a phone the layout viewport (window.innerWidth) grows to what overflows it
    overflow = page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the screen"
    assert page.locator("header.topbar").bounding_box()["height"] <= 80, f"{page.url}: the header takes several lines"


def test_pages_fit_a_phone_and_lists_become_cards(open_as, live):
    applicant = open_as(APPLICANT)
    assert_fits_the_screen(applicant)
    start(applicant, "执业会员入会申请")
    applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    applicant.get_by_role("button", name="同意并继续").click()
    assert_fits_the_screen(applicant)
    fill_application(applicant, live.world.firm_bj_name)
    applicant.get_by_role("button", name="提交申请").click()
    assert_fits_the_screen(applicant)
    go(applicant, "我的申请")
    assert_fits_the_screen(applicant)

    reviewer = open_as(FIRM_REVIEWER)
    expect(reviewer.locator("header nav")).to_be_hidden()
    go(reviewer, "待办任务")
    assert_fits_the_screen(reviewer)
    expect(reviewer.locator("table.list thead")).not_to_be_in_viewport()
    row = reviewer.locator("table.list tbody tr").first
    expect(row.locator("td").nth(2)).to_have_attribute("data-label", "申请人")  # after 选择 and 申请
    assert row.locator("td").nth(1).bounding_box()["y"] > row.locator("td").first.bounding_box()["y"]
    row.get_by_role("link").click()
    assert_fits_the_screen(reviewer)

    member = open_as(PRINTING_MEMBER)
    for link in ("电子证书", "个人中心"):
        go(member, link)
        assert_fits_the_screen(member)


def camera_photo() -> dict:
    """A 12-megapixel JPEG as a phone camera sends it: several MB (noise does not compress)."""
    buf = io.BytesIO()
    Image.frombytes("RGB", (3000, 4000), os.urandom(3000 * 4000 * 3)).save(buf, "JPEG", quality=92)
    assert buf.tell() > 4 * 1024 * 1024
    return {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": buf.getvalue()}


def test_a_camera_photo_is_shrunk_in_the_browser_and_filed_r_info_1(open_as):
    member = open_as(PRINTING_MEMBER)
    go(member, "个人中心")
    form = member.locator("form").filter(has=member.get_by_role("button", name="上传头像"))
    expect(form).to_be_visible()
    member.wait_for_load_state()  # the crop step and the shrinking are the page's scripts
    form.get_by_label("头像").set_input_files([camera_photo()])
    crop(member, "不裁切，使用原图")
    expect(form.get_by_role("status")).to_have_text("照片较大，已在上传前压缩", timeout=30_000)
    form.get_by_role("button", name="上传头像").click()
    expect(member.locator(".flash.success")).to_have_text("头像已更新，立即生效")


def test_a_reviewers_inbox_on_a_phone_shows_the_tasks_first_and_folds_the_filters(open_as, live):
    """At 390 px the inbox's eight filters, export and saved views filled the first screen and took 26 presses of Tab
    before the first task (found walking issue 16 with the keyboard): folded on a phone unless a filter is in use."""
    from tests.browser.keyboard import press

    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    applicant.get_by_role("button", name="同意并继续").click()
    fill_application(applicant, live.world.firm_bj_name)
    applicant.get_by_role("button", name="提交申请").click()
    expect(applicant.get_by_text("当前步骤：")).to_contain_text("机构确认")

    reviewer = open_as(FIRM_REVIEWER)
    go(reviewer, "待办任务")
    task = reviewer.get_by_role("link", name="执业会员入会申请（张三）")
    expect(task).to_be_in_viewport()
    expect(reviewer.get_by_label("搜索")).to_be_hidden()
    reviewer.goto("/inbox")
    presses = 0
    while not task.evaluate("a => a === document.activeElement"):
        reviewer.keyboard.press("Tab")
        presses += 1
        assert presses <= 12, "the first task is too many presses of Tab away"

    reviewer.goto("/inbox")
    press(reviewer, reviewer.get_by_text("筛选、导出与视图"))  # the keyboard opens them
    reviewer.get_by_label("搜索").fill("张三")
    reviewer.get_by_role("button", name="筛选").click()
    expect(reviewer.get_by_label("搜索")).to_be_visible()  # in use: left open
    expect(reviewer.get_by_text("筛选、导出与视图（已筛选）")).to_be_visible()
