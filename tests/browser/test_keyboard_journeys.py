"""Every applicant and reviewer journey with the keyboard only (issue 16, WCAG 2.1.1), at phone and desktop size:
join with the crop step and files from the file chooser (R-JOIN-5), the firm returns it, the applicant resubmits,
the firm confirms (R-JOIN-3), and a member prints the certificate (R-CER-5). No mouse, no tap, no filled-in field."""

from playwright.sync_api import expect

from tests.browser.keyboard import attach, choose, follow, log_in, pick_radio, press, search_and_choose, type_into
from tests.browser.test_journeys import APPLICANT, CROPPED, FIRM_REVIEWER, PRINTING_MEMBER, SLOTS, png


def open_the_task(page, title: str) -> None:
    follow(page, "待办任务")
    press(page, page.get_by_role("link", name=title).first)


def decide(page, decision: str, comment: str = "") -> None:
    pick_radio(page, page.get_by_role("radiogroup", name="机构意见"), decision)
    if comment:
        type_into(page, page.get_by_label("意见说明"), comment)
    press(page, page.get_by_role("button", name="提交意见"))
    expect(page.locator(".flash.success")).to_be_visible()


def test_join_return_resubmit_and_confirm_with_the_keyboard_only_r_join_3(open_as, live):
    applicant = open_as(None)
    log_in(applicant, APPLICANT)
    follow(applicant, "办理业务")
    card = applicant.locator("article.card").filter(
        has=applicant.get_by_role("heading", name="执业会员入会申请", exact=True)
    )
    press(applicant, card.get_by_role("button", name="开始申请"))
    press(applicant, applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知"), "Space")
    press(applicant, applicant.get_by_role("button", name="同意并继续"))
    expect(applicant.locator(".flash")).to_have_text("请继续：填写入会申请")
    applicant.wait_for_load_state()  # the page's scripts keep chosen files with the draft

    firm = applicant.get_by_role("combobox", name="执业机构", exact=True)
    search_and_choose(applicant, firm, live.world.firm_bj_name[:4], live.world.firm_bj_name)
    expect(applicant.get_by_role("radio", name="见习执业会员", exact=True)).to_be_checked()
    choose(applicant, applicant.get_by_label("学历"), "大学本科")
    # the date field takes its digits in the order this Chromium shows it (mm/dd/yyyy), as a person types them
    type_into(applicant, applicant.get_by_label("合同有效期（至）"), "12312029")
    type_into(applicant, applicant.get_by_label("档案存放地"), "北京市人才服务中心")
    for i, slot in enumerate(SLOTS):
        attach(applicant, applicant.locator(f"#f-{slot}-upload"), [png(i)])
        if slot in CROPPED:  # the crop step: the frame has the focus; made smaller, then confirmed
            expect(applicant.get_by_role("group", name="裁切框（方向键移动，+ − 缩放）")).to_be_focused()
            applicant.keyboard.press("-")
            press(applicant, applicant.get_by_role("button", name="确定裁切"))
        expect(applicant.locator(f"#f-{slot}-files li")).to_have_count(1)
    press(applicant, applicant.get_by_label("本人承诺", exact=False), "Space")
    press(applicant, applicant.get_by_role("button", name="提交申请"))
    expect(applicant.get_by_text("当前步骤：")).to_contain_text("机构确认")

    firm = open_as(None)
    log_in(firm, FIRM_REVIEWER)
    open_the_task(firm, "执业会员入会申请（张三）")
    decide(firm, "退回申请人修改", "劳动合同缺少签字页")

    follow(applicant, "我的申请")
    press(applicant, applicant.get_by_role("link", name="查看进度").first)
    press(applicant, applicant.get_by_role("link", name="继续办理：填写入会申请"))
    expect(applicant.get_by_text("劳动合同缺少签字页")).to_be_visible()
    applicant.wait_for_load_state()
    attach(applicant, applicant.locator("#f-labour_contract-upload"), [png(9)])
    expect(applicant.locator("#f-labour_contract-files li")).to_have_count(2)
    press(applicant, applicant.get_by_role("button", name="上移「scan9.png」"))  # the signed page goes first
    expect(applicant.locator("#f-labour_contract-files img").first).to_have_attribute("alt", "scan9.png")
    press(applicant, applicant.get_by_role("button", name="提交申请"))
    expect(applicant.get_by_text("当前步骤：")).to_contain_text("机构确认")

    firm.goto("/")
    open_the_task(firm, "执业会员入会申请（张三）")
    resubmitted = firm.locator("ul.files").filter(has=firm.locator("img[alt='scan9.png']"))
    expect(resubmitted.locator("img").first).to_have_attribute("alt", "scan9.png")  # in the order arranged
    decide(firm, "确认，同意报送")

    applicant.reload()
    expect(applicant.get_by_text("当前步骤：")).to_contain_text("地方协会审核")


def test_a_member_prints_the_certificate_with_the_keyboard_only_r_cer_5(open_as):
    member = open_as(None)
    log_in(member, PRINTING_MEMBER)
    follow(member, "电子证书")
    with member.context.expect_event("response", lambda r: r.url.endswith("/certificate/print")) as printed:
        press(member, member.get_by_role("button", name="打印电子证书"))
    assert printed.value.ok and printed.value.headers["content-type"] == "application/pdf"
