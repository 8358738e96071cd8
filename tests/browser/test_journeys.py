"""The main journeys in a real browser at phone (390×844) and desktop size: join → firm returns → applicant
resubmits → firm approves (R-JOIN-3); a member prints the certificate and its QR page says 证书有效 (R-CER-5)."""

import io

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from tests.browser.pages import choose_organization, crop, decide, go, open_inbox_task, start

APPLICANT, FIRM_REVIEWER, PRINTING_MEMBER = "13800000001", "13900000001", "13800000011"
SLOTS = ("photo", "signature", "archive_certificate", "social_security", "labour_contract")
CROPPED = ("photo", "signature")  # core filings: the crop step (裁切) comes first


def png(seed: int) -> dict:
    buf = io.BytesIO()
    Image.new("RGB", (40, 56), (seed * 40 % 256, 90, 140)).save(buf, "PNG")
    return {"name": f"scan{seed}.png", "mimeType": "image/png", "buffer": buf.getvalue()}


def fill_application(page, firm_name: str) -> None:
    page.wait_for_load_state()  # the page's scripts keep chosen files with the draft
    choose_organization(page, "执业机构", firm_name)
    page.get_by_role("radio", name="见习执业会员", exact=True).check()
    page.get_by_label("学历").select_option(label="大学本科")
    page.get_by_label("资产评估师资格证书编号").fill("ZC2024001")
    page.get_by_label("合同有效期（至）").fill("2029-12-31")
    page.get_by_label("档案存放地").fill("北京市人才服务中心")
    for i, slot in enumerate(SLOTS):
        page.locator(f"#f-{slot}-upload").set_input_files([png(i)])
        if slot in CROPPED:
            crop(page)
        expect(page.locator(f"#f-{slot}-files li")).to_have_count(1)  # kept with the draft at once
    page.get_by_label("本人承诺", exact=False).check()


def test_join_returned_resubmitted_and_confirmed_r_join_3(open_as, live):
    applicant = open_as(APPLICANT)
    start(applicant, "执业会员入会申请")
    applicant.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    applicant.get_by_role("button", name="同意并继续").click()
    expect(applicant.get_by_role("heading", name="执业会员入会申请", level=2)).to_be_visible()
    fill_application(applicant, live.world.firm_bj_name)
    applicant.get_by_role("button", name="提交申请").click()
    expect(applicant.get_by_text("当前步骤：")).to_contain_text("机构确认")

    firm = open_as(FIRM_REVIEWER)
    open_inbox_task(firm, "执业会员入会申请（张三）")
    decide(firm, "退回申请人修改", "劳动合同缺少签字页")

    go(applicant, "我的申请")
    applicant.get_by_role("link", name="查看进度").first.click()
    applicant.get_by_role("link", name="继续办理：填写入会申请").click()
    expect(applicant.get_by_text("劳动合同缺少签字页")).to_be_visible()
    applicant.wait_for_load_state()
    applicant.locator("#f-labour_contract-upload").set_input_files([png(9)])
    applicant.get_by_role("button", name="提交申请").click()
    expect(applicant.get_by_text("当前步骤：")).to_contain_text("机构确认")

    firm.reload()
    open_inbox_task(firm, "执业会员入会申请（张三）")
    decide(firm, "确认，同意报送")

    applicant.reload()
    expect(applicant.get_by_text("当前步骤：")).to_contain_text("地方协会审核")


def test_member_prints_the_certificate_and_its_qr_page_says_valid_r_cer_5(open_as, live):
    from app.certificates.models import Certificate
    from app.certificates.qr import verify_url

    member = open_as(PRINTING_MEMBER)
    go(member, "电子证书")
    with member.context.expect_event("response", lambda r: r.url.endswith("/certificate/print")) as printed:
        member.get_by_role("button", name="打印电子证书").click()
    response = printed.value
    assert response.ok and response.headers["content-type"] == "application/pdf"  # chromium shows it in its viewer
    # the print record on the page follows without a reload, and says so to a screen reader (issue 16)
    expect(member.locator("table.list tbody tr")).to_have_count(1)
    expect(member.locator("table.list tbody")).not_to_contain_text("尚无打印记录")
    expect(member.locator("[data-prints] [role=status]")).to_have_text("打印记录已更新")

    with live.app.test_request_context():
        url = verify_url(db.session.scalars(select(Certificate)).one())
        db.session.remove()
    anyone = open_as(None)
    anyone.goto(url)
    expect(anyone.get_by_role("status")).to_have_text("✔ 证书有效")


def test_staff_download_adds_the_print_record_without_a_reload(open_as, live):
    """Issue 16: the association's 下载会员证 downloads the PDF and the page's 打印记录 follows (R-CER-5)."""
    from app.members.models import Member
    from tests.processes.walk import person

    with live.app.app_context():
        member_id = db.session.scalars(select(Member.id).where(Member.user_id == person(PRINTING_MEMBER).id)).one()
        db.session.remove()
    staff = open_as("13700000001")
    staff.goto(f"/association/members/{member_id}")
    expect(staff.locator("[data-prints] tbody")).to_contain_text("尚无打印记录")
    with staff.expect_download() as downloaded:
        staff.get_by_role("button", name="下载会员证").click()
    assert downloaded.value.suggested_filename.endswith(".pdf")
    expect(staff.locator("[data-prints] tbody")).not_to_contain_text("尚无打印记录")
    expect(staff.locator("[data-prints] tbody tr")).to_have_count(1)
    expect(staff.locator("[data-prints] [role=status]")).to_have_text("打印记录已更新")
