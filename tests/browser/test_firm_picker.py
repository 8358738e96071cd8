"""The firm search box of the joining form (issues 13, 16; R-JOIN-1) at phone and desktop size: part of a name typed,
the matches counted aloud, one chosen with the arrow keys and Enter, kept when the form comes back refused; the
matches are large enough to tap, and the page has no serious axe violation with them open."""

from playwright.sync_api import expect

from tests.browser.keyboard import search_and_choose
from tests.browser.pages import agree_to_notice, start
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_journeys import APPLICANT


def test_part_of_a_name_typed_a_firm_chosen_with_the_keyboard_and_kept_when_refused(open_as, live, size):
    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    agree_to_notice(applicant)
    box = applicant.get_by_role("combobox", name="执业机构", exact=True)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(applicant.locator("select#f-firm_id")).to_have_count(0)  # no list of every firm on the page

    box.focus()
    applicant.keyboard.type("中和")
    listbox = applicant.get_by_role("listbox", name="执业机构", exact=True)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id") or "")
    status = applicant.locator("#f-firm_id-status")
    expect(status).to_have_text("找到 3 个机构，用上下方向键选择，回车确定")
    expect(status).to_have_role("status")
    for option in listbox.get_by_role("option").all():
        assert (option.bounding_box() or {"height": 0})["height"] >= 44  # a fingertip's size (WCAG 2.5.5)
    assert_accessible(applicant)
    applicant.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()

    box.fill("")
    search_and_choose(applicant, box, "天津", "北京中和资产评估有限公司天津分公司")
    box.fill("")
    search_and_choose(applicant, box, "中和", live.world.firm_bj_name)
    expect(status).to_have_text(f"已选择：{live.world.firm_bj_name}")
    chosen = applicant.locator("input[type=hidden][name=firm_id]").input_value()
    assert chosen.isdigit()

    with applicant.expect_navigation():
        applicant.get_by_role("button", name="提交申请").click()  # refused: the attachments are missing
    expect(applicant.locator(".error-summary")).to_be_visible()
    expect(box).to_have_value(live.world.firm_bj_name)
    expect(applicant.locator("input[type=hidden][name=firm_id]")).to_have_value(chosen)
    expect(applicant.locator("#f-firm_id-error")).to_have_count(0)


def test_typing_again_forgets_the_choice_and_nothing_found_is_said(open_as):
    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    agree_to_notice(applicant)
    box = applicant.get_by_role("combobox", name="执业机构", exact=True)
    search_and_choose(applicant, box, "华信", "北京华信众合资产评估有限公司")
    hidden = applicant.locator("input[type=hidden][name=firm_id]")
    expect(hidden).not_to_have_value("")
    box.press("End")
    applicant.keyboard.type("无此机构")
    expect(hidden).to_have_value("")
    expect(applicant.locator("#f-firm_id-status")).to_have_text(
        "未找到名称或统一社会信用代码含「北京华信众合资产评估有限公司无此机构」的机构"
    )
    expect(box).to_have_attribute("aria-expanded", "false")


def test_the_chosen_firm_is_kept_with_the_draft_on_leaving_and_named_on_return_r_join_6(open_as, live):
    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    agree_to_notice(applicant)
    task_url = applicant.url
    box = applicant.get_by_role("combobox", name="执业机构", exact=True)
    search_and_choose(applicant, box, "华信", "北京华信众合资产评估有限公司")
    chosen = applicant.locator("input[type=hidden][name=firm_id]").input_value()
    applicant.goto("/")  # leaving saves the draft (autosave.js)
    applicant.goto(task_url)
    expect(box).to_have_value("北京华信众合资产评估有限公司")
    expect(applicant.locator("input[type=hidden][name=firm_id]")).to_have_value(chosen)
    applicant.goto("/")
    applicant.evaluate("sessionStorage.clear()")  # what the server kept, not this tab's copy
    applicant.goto(task_url)
    expect(box).to_have_value("北京华信众合资产评估有限公司")
    expect(applicant.locator("input[type=hidden][name=firm_id]")).to_have_value(chosen)
