"""Images on a phone (issue 16), at 390 px with touch: a core filing's photo goes through the crop step (裁切, the
manual's 核心信息变更 rule 12; R-INFO-1), and an attachment slot's pages are put in order by dragging with a finger
or with the ↑ ↓ buttons from the keyboard (R-JOIN-5); the order is kept with the draft and on a refused submission."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.pages import agree_to_notice, start
from tests.browser.test_journeys import APPLICANT

PAGES = "#f-labour_contract-files"


@pytest.fixture
def size() -> str:
    return "phone"


def image(name: str, width: int, height: int, colour=(40, 90, 140)) -> dict:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buf.getvalue()}


def application_form(open_as):
    page = open_as(APPLICANT)
    start(page, "执业会员入会申请")
    agree_to_notice(page)
    return page


def page_order(page) -> list[str]:
    return page.locator(f"{PAGES} img").evaluate_all("imgs => imgs.map(i => i.alt)")


def touch_drag(page, source, target) -> None:
    """A finger on `source`, moved in steps onto the left part of `target`, lifted (Chromium's own touch input)."""
    target.scroll_into_view_if_needed()
    page.wait_for_function(  # the thumbnails load lazily: wait until the list stops moving
        "() => [...document.querySelectorAll('.attachment-list img')].every(i => !i.checkVisibility() || i.complete)"
    )
    start_box, end_box = source.bounding_box(), target.bounding_box()
    x0, y0 = start_box["x"] + start_box["width"] / 2, start_box["y"] + start_box["height"] / 2
    x1, y1 = end_box["x"] + end_box["width"] * 0.2, end_box["y"] + end_box["height"] / 2
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for step in range(1, 9):
        x, y = x0 + (x1 - x0) * step / 8, y0 + (y1 - y0) * step / 8
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_the_photo_is_cropped_with_the_keyboard_before_it_is_kept_r_info_1(open_as):
    page = application_form(open_as)
    page.locator("#f-photo-upload").set_input_files([image("photo.png", 600, 800)])

    dialog = page.get_by_role("dialog", name="裁切图片")
    frame = dialog.get_by_role("group", name="裁切框（方向键移动，+ − 缩放）")
    expect(frame).to_be_focused()
    expect(dialog.get_by_role("status")).to_have_text("裁切框：宽 540 × 高 720 像素，距左 30，距上 40")
    for key in ("-", "-", "ArrowLeft", "Shift+ArrowUp"):
        page.keyboard.press(key)
    expect(dialog.get_by_role("status")).to_have_text("裁切框：宽 437 × 高 583 像素，距左 69，距上 28")
    dialog.get_by_role("button", name="确定裁切").focus()
    page.keyboard.press("Enter")

    kept = page.locator("#f-photo-files img")
    expect(kept).to_have_count(1)  # kept with the draft at once
    stored = Image.open(io.BytesIO(page.request.get(kept.get_attribute("src")).body()))
    assert stored.size == (437, 583)


def test_a_cancelled_crop_keeps_nothing_and_the_whole_image_can_be_chosen(open_as):
    page = application_form(open_as)
    page.locator("#f-signature-upload").set_input_files([image("sign.png", 300, 120)])
    page.get_by_role("dialog", name="裁切图片").press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("#f-signature-files li")).to_have_count(0)

    page.locator("#f-signature-upload").set_input_files([image("sign.png", 300, 120)])
    page.get_by_role("button", name="不裁切，使用原图").click()
    kept = page.locator("#f-signature-files img")
    expect(kept).to_have_count(1)
    assert Image.open(io.BytesIO(page.request.get(kept.get_attribute("src")).body())).size == (300, 120)


def test_pages_are_put_in_order_by_touch_and_by_keyboard_and_the_order_is_kept_r_join_5(open_as):
    page = application_form(open_as)
    page.locator("#f-labour_contract-upload").set_input_files(
        [image(f"第{i}页.png", 60, 80, (i * 80, 90, 140)) for i in (1, 2, 3)]
    )
    expect(page.locator(f"{PAGES} li")).to_have_count(3)
    assert page_order(page) == ["第1页.png", "第2页.png", "第3页.png"]

    items = page.locator(f"{PAGES} li")
    touch_drag(page, items.nth(2).locator(".drag-handle"), items.nth(0))
    assert page_order(page) == ["第3页.png", "第1页.png", "第2页.png"]
    expect(page.locator("#f-labour_contract-upload-status")).to_have_text("已移到第 1 张（共 3 张）")

    with page.expect_response(lambda r: r.url.endswith("/autosave"), timeout=10_000) as saved:  # 3 s after
        page.get_by_role("button", name="下移「第3页.png」").focus()
        page.keyboard.press("Enter")
        assert page_order(page) == ["第1页.png", "第3页.png", "第2页.png"]
        expect(page.get_by_role("button", name="下移「第3页.png」")).to_be_focused()  # pressed again, it goes on
        expect(page.locator("#f-labour_contract-upload-status")).to_have_text("已移到第 2 张（共 3 张）")
    assert saved.value.ok
    page.reload()
    assert page_order(page) == ["第1页.png", "第3页.png", "第2页.png"]

    page.get_by_role("button", name="上移「第2页.png」").click()
    page.get_by_role("button", name="提交申请").click()  # refused: 学历 and more are missing
    expect(page.locator(".field-error").first).to_be_visible()
    assert page_order(page) == ["第1页.png", "第2页.png", "第3页.png"]


def test_a_refused_file_is_named_beside_its_field_and_the_good_one_kept(open_as):
    page = application_form(open_as)
    broken = {"name": "坏图.png", "mimeType": "image/png", "buffer": b"not an image at all"}
    page.locator("#f-labour_contract-upload").set_input_files([broken, image("好图.png", 60, 80)])

    expect(page.locator(f"{PAGES} li")).to_have_count(1)
    status = page.locator("#f-labour_contract-upload-status")
    expect(status).to_contain_text("坏图.png")
    expect(status).to_have_class("upload-status refused")
