"""Issue 15, tried as the three reviewers would: the firm, the local association and the national association each
find the one application (by ID number, name, mobile), narrow the inbox, save the view, claim it from the list and
approve; the applicant then sees the approval on the notification bell."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import go, start
from tests.browser.test_journeys import fill_application

APPLICANT = "13800000001"
TITLE = "执业会员入会申请（张三）"


def find_save_claim_approve(page: Page, search: str, view: str, decision: str, button: str) -> None:
    go(page, "待办任务")
    page.get_by_label("搜索").fill(search)
    page.get_by_label("业务").select_option(label="执业会员入会申请")
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("110105********1239")  # the ID number masked in the list
    page.get_by_label("保存为视图").fill(view)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("nav.tabs").get_by_role("link", name=view)).to_contain_text("1")
    page.get_by_role("checkbox", name=f"选择 {TITLE}").check()
    page.get_by_role("button", name="认领所选").click()
    expect(page.locator(".flash.success").first).to_contain_text("已认领 1 项任务")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("已由我认领")).to_be_visible()
    page.get_by_role("radio", name=decision, exact=True).check()
    page.get_by_role("button", name=button).click()
    expect(page.locator(".flash.success")).to_be_visible()


@pytest.mark.parametrize("size", ["desktop"])
def test_firm_local_and_national_reviewers_each_find_claim_and_approve(open_as, live, size):
    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    applicant.get_by_role("button", name="同意并继续").click()
    fill_application(applicant, live.world.firm_bj_name)
    applicant.get_by_role("button", name="提交申请").click()
    expect(applicant.get_by_text("当前步骤：")).to_contain_text("机构确认")

    find_save_claim_approve(open_as("13900000001"), "110105199003071239", "本所入会", "确认，同意报送", "提交意见")
    find_save_claim_approve(open_as("13700000001"), "张三", "北京入会", "审核通过", "提交审核意见")
    find_save_claim_approve(open_as("13600000001"), APPLICANT, "全国入会", "审核通过", "提交审核意见")

    applicant.reload()
    expect(applicant.locator("a.bell .count")).to_have_text("1")
    applicant.locator("a.bell").click()
    expect(applicant.locator("ul.messages li.unread")).to_contain_text("申请已通过")
