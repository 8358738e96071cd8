"""WCAG 2.1 AA as axe-core checks it (issue 16): the main pages of applicants, reviewers and members have no
serious or critical violation, at phone and desktop size; a refused form's errors are linked and announced."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.pages import agree_to_notice, go, start
from tests.browser.test_journeys import APPLICANT, FIRM_REVIEWER, PRINTING_MEMBER, fill_application

AXE = Axe()
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def assert_accessible(page) -> None:
    results = AXE.run(page, options=WCAG_AA).response
    bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    details = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]} {v['help']}" for v in bad]
    assert not bad, f"{page.url}:\n" + "\n".join(details)


def test_main_pages_have_no_serious_violations(open_as, live):
    anyone = open_as(None)
    anyone.goto("/login")
    assert_accessible(anyone)

    applicant = open_as(APPLICANT)
    assert_accessible(applicant)
    start(applicant, "执业会员入会申请")
    assert_accessible(applicant)
    applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    applicant.get_by_role("button", name="同意并继续").click()
    applicant.get_by_role("button", name="提交申请").click()  # refused: errors beside their fields
    expect(applicant.locator(".field-error").first).to_be_visible()
    assert_accessible(applicant)
    fill_application(applicant, live.world.firm_bj_name)
    applicant.get_by_role("button", name="提交申请").click()
    assert_accessible(applicant)
    go(applicant, "我的申请")
    assert_accessible(applicant)

    reviewer = open_as(FIRM_REVIEWER)
    go(reviewer, "待办任务")
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name="执业会员入会申请（张三）").click()
    assert_accessible(reviewer)

    member = open_as(PRINTING_MEMBER)
    for link in ("电子证书", "个人中心"):
        go(member, link)
        assert_accessible(member)


def test_a_refused_field_names_its_error_and_it_is_announced(open_as):
    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    applicant.get_by_role("button", name="同意并继续").click()
    applicant.get_by_role("button", name="提交申请").click()

    # 学历 is required of every applicant (the qualification number only of full members since trainees without
    # it may join, issue 14)
    field = applicant.locator("#f-education")
    expect(field).to_have_attribute("aria-invalid", "true")
    error = applicant.locator(f"#{field.get_attribute('aria-describedby').split()[-1]}")
    expect(error).to_have_role("alert")
    expect(error).not_to_be_empty()


def tab_to(page, target) -> None:
    """Presses Tab until `target` has the focus: reachable by keyboard, in page order (fails after 60 presses)."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} cannot be reached with Tab")


def test_keyboard_only_from_login_through_the_notice(open_as, size):
    page = open_as(None)
    page.goto("/login")
    tab_to(page, page.get_by_label("手机号"))
    page.keyboard.type(APPLICANT)
    page.keyboard.press("Tab")
    page.keyboard.type("Demo@2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="身份选择", level=1)).to_be_visible()

    if size == "phone":
        menu = page.get_by_role("button", name="菜单")
        tab_to(page, menu)
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("Escape")
        expect(page.locator("header nav")).to_be_hidden()
        page.keyboard.press("Enter")  # the focus is back on the button
    tab_to(page, page.locator("header nav").get_by_role("link", name="办理业务"))
    page.keyboard.press("Enter")
    card = page.locator("article.card").filter(has=page.get_by_role("heading", name="执业会员入会申请", exact=True))
    tab_to(page, card.get_by_role("button", name="开始申请"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("我已阅读并同意遵守协会章程及入会须知"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="同意并继续"))
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text("请继续：填写入会申请")


def test_the_crop_step_the_page_order_and_the_zoom_have_no_serious_violations(open_as):
    from tests.browser.test_images import image

    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    agree_to_notice(applicant)
    applicant.locator("#f-labour_contract-upload").set_input_files(
        [image(f"p{i}.png", 40, 56, (i * 80, 90, 140)) for i in (1, 2)]
    )
    expect(applicant.locator("#f-labour_contract-files li")).to_have_count(2)  # with ↑ ↓ and the drag handle
    applicant.locator("#f-photo-upload").set_input_files([image("photo.png", 300, 400)])
    expect(applicant.get_by_role("dialog", name="裁切图片")).to_be_visible()
    assert_accessible(applicant)
    applicant.get_by_role("button", name="确定裁切").click()

    go(applicant, "我的申请")
    applicant.get_by_role("link", name="查看进度").first.click()
    applicant.get_by_role("button", name="放大流程图").click()
    assert_accessible(applicant)
