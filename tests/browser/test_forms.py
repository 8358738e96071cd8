"""Forms that help, in the browser (issue 16): the notice is not "submitted", the only allowed kind is chosen
(R-JOIN-2), conditional requirements are marked, and typing is saved as a draft without pressing 暂存 (R-JOIN-6)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import agree_to_notice, open_inbox_task, start
from tests.browser.test_journeys import APPLICANT


@pytest.fixture
def size() -> str:
    return "phone"


def test_the_application_form_helps_and_saves_itself(open_as):
    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    applicant.get_by_role("button", name="同意并继续").click()

    expect(applicant.locator(".flash")).to_have_text("请继续：填写入会申请")
    expect(applicant.get_by_role("radio", name="见习执业会员", exact=True)).to_be_checked()
    expect(applicant.locator("#f-social_security legend")).to_contain_text("勾选「本人为退休返聘人员」时无需填写")

    applicant.get_by_label("资产评估师资格证书编号").fill("ZC2024001")
    expect(applicant.get_by_role("status").filter(has_text="已自动保存")).to_have_text(
        re.compile(r"^已自动保存 \d\d:\d\d$"), timeout=10_000
    )
    applicant.reload()
    expect(applicant.get_by_label("资产评估师资格证书编号")).to_have_value("ZC2024001")

    task_url = applicant.url
    applicant.get_by_label("所学专业").fill("资产评估")
    applicant.goto("/applications")  # left at once: saved on the way out
    # the save sent as the page goes (a beacon) may land just after the next page: come back once the server has
    # it, read from the field itself (the page's text has 资产评估 in a label whether the beacon has landed or not)
    applicant.wait_for_function(
        """async ([url, value]) => {
            const page = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
            return page.querySelector("input[name=major]")?.value === value;
        }""",
        arg=[task_url, "资产评估"],
        polling=200,
    )
    applicant.goto(task_url)
    expect(applicant.get_by_label("所学专业")).to_have_value("资产评估")


def test_required_marks_follow_the_retired_box_as_it_is_ticked_r_join_5(open_as):
    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    applicant.get_by_role("button", name="同意并继续").click()
    social, proof = (
        applicant.locator(f"#f-{slot} legend .required-mark") for slot in ("social_security", "retirement_proof")
    )
    expect(social).to_be_visible()
    expect(proof).to_be_hidden()

    applicant.get_by_label("本人为退休返聘人员").check()
    expect(social).to_be_hidden()
    expect(proof).to_be_visible()

    applicant.get_by_label("本人为退休返聘人员").uncheck()
    expect(social).to_be_visible()
    expect(proof).to_be_hidden()


def test_a_reviewers_comment_is_marked_required_once_return_is_chosen(open_as, live):
    firm = _the_firm_reviewer_on_a_new_application(open_as, live)
    comment = firm.get_by_label("意见说明")
    expect(comment).to_have_attribute("aria-required", "false")
    firm.get_by_role("radio", name="退回申请人修改", exact=True).check()
    expect(comment).to_have_attribute("aria-required", "true")
    expect(firm.locator("label[for=f-comment] .required-mark")).to_be_visible()


def test_a_refused_form_says_what_to_mend_and_takes_the_keyboard_there(open_as):
    """WCAG 3.3.1, 2.4.3 (issue 16): at 390 px the refused 劳动合同 is screens below the message; the summary at the
    form's top has the focus, and each of its links gives its field the focus."""
    from tests.browser.keyboard import press

    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    applicant.get_by_role("button", name="同意并继续").click()
    applicant.wait_for_load_state()
    with applicant.expect_navigation():
        applicant.get_by_role("button", name="提交申请").click()

    summary = applicant.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("link").first).to_have_text("执业机构：请选择执业机构")
    press(applicant, summary.get_by_role("link", name=re.compile("^劳动合同：")))
    expect(applicant.get_by_label("上传劳动合同")).to_be_focused()
    expect(applicant.get_by_label("上传劳动合同")).to_be_in_viewport()
    applicant.keyboard.press("Shift+Tab")  # back up to the summary, to its first link
    for _ in range(60):
        if summary.get_by_role("link").first.evaluate("a => a === document.activeElement"):
            break
        applicant.keyboard.press("Shift+Tab")
    applicant.keyboard.press("Enter")
    expect(applicant.get_by_role("combobox", name="执业机构", exact=True)).to_be_focused()


def test_coming_back_before_the_save_sent_on_leaving_has_landed_keeps_what_was_typed_r_join_6(open_as):
    """The save sent as the page goes (a beacon) is not waited for: one still on its way when the person is back
    showed the older draft, and the next autosave would have overwritten the newer one. Here it never lands."""
    applicant = open_as(APPLICANT)
    applicant.add_init_script("navigator.sendBeacon = () => true;")  # sent, not yet arrived
    start(applicant, "执业会员入会申请")
    applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    applicant.get_by_role("button", name="同意并继续").click()
    applicant.wait_for_load_state()
    task_url = applicant.url

    applicant.get_by_label("所学专业").fill("资产评估")
    applicant.get_by_label("本人为退休返聘人员").check()
    applicant.goto("/applications")
    applicant.goto(task_url)

    expect(applicant.get_by_label("所学专业")).to_have_value("资产评估")
    expect(applicant.get_by_label("本人为退休返聘人员")).to_be_checked()
    expect(applicant.get_by_role("status").filter(has_text="已自动保存")).to_be_visible(timeout=10_000)
    applicant.reload()  # saved again, by the page's own autosave
    expect(applicant.get_by_label("所学专业")).to_have_value("资产评估")
    expect(applicant.get_by_label("本人为退休返聘人员")).to_be_checked()


def test_a_choice_the_browser_restores_on_reload_marks_the_comment_required(open_as, live):
    """Chromium puts a chosen radio back on reload (form state restoration) without a change event: the comment's
    `*` and aria-required must follow the restored 退回 at once (issue 16; it kept the server's 'not required')."""
    firm = _the_firm_reviewer_on_a_new_application(open_as, live)
    firm.wait_for_load_state("load")  # Chromium records a control's state for restoration once the page has loaded
    firm.get_by_role("radio", name="退回申请人修改", exact=True).check()
    firm.reload()
    expect(firm.get_by_role("radio", name="退回申请人修改", exact=True)).to_be_checked()
    expect(firm.get_by_label("意见说明")).to_have_attribute("aria-required", "true")


def _the_firm_reviewer_on_a_new_application(open_as, live):
    """张三 applies to join; the firm's reviewer opens the task."""
    from tests.browser.test_journeys import FIRM_REVIEWER, fill_application

    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    agree_to_notice(applicant)
    fill_application(applicant, live.world.firm_bj_name)
    applicant.get_by_role("button", name="提交申请").click()
    firm = open_as(FIRM_REVIEWER)
    open_inbox_task(firm, "执业会员入会申请（张三）")
    return firm
