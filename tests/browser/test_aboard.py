"""Existing members come aboard, tried in a real browser as the issue's "done" says (issue 14): an administrator
imports a file of 1,000 members (generated here), one of them registers with a new mobile, passes the (development)
face check, is bound to the member record and prints the certificate; an inspection failure entered by the local
association blocks that member's transfer with the reason (R-TRF-2). Desktop size; the phone layout is tested
elsewhere."""

import io
import re
from types import SimpleNamespace

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo import DEMO_PASSWORD
from app.extensions import db
from tests.browser.conftest import SIZES
from tests.browser.pages import crop, go
from tests.importing import MEMBER_COLUMNS, credit_code, csv_bytes, id_number, member_row
from tests.live import serving

FIRM_CODE = credit_code(999)
BINDER = 500  # the row of the file whose member binds: 周绑定, old mobile 13500000500
NEW_MOBILE = "13912340500"
ADMIN, LOCAL_REVIEWER, WANG = "13500000000", "13700000001", "13800000003"


@pytest.fixture
def aboard(second_app):
    """The demo on a database of its own, 北京中和 with a valid credit code for the file to name, served over HTTP."""
    from app.demo import load_demo

    other = second_app("browser_aboard")
    with other.app_context():
        world = load_demo()
        world.firm_bj.credit_code = FIRM_CODE
        db.session.commit()
        admin = world.admin.mobile
        db.session.remove()
    with serving(other) as url:
        yield SimpleNamespace(url=url, app=other, admin=admin)


@pytest.fixture
def browser_at(new_context, aboard):
    def open_page(mobile: str | None = None):
        context = new_context(viewport=SIZES["desktop"], base_url=aboard.url, locale="zh-CN")
        context.set_default_timeout(20_000)
        page = context.new_page()
        if mobile:
            page.goto("/login")
            page.get_by_label("手机号").fill(mobile)
            page.get_by_label("密码").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="登录", exact=True).click()
            page.wait_for_url(lambda url: "/login" not in url)
        return page

    return open_page


def png(seed: int) -> dict:
    buf = io.BytesIO()
    Image.new("RGB", (60, 80), (seed * 60 % 256, 90, 140)).save(buf, "PNG")
    return {"name": f"filing{seed}.png", "mimeType": "image/png", "buffer": buf.getvalue()}


def members_file() -> bytes:
    rows = [
        member_row(i, FIRM_CODE, 会员编号=f"B{i:07d}", 手机号=f"135{i:08d}", 证件号码=id_number(i, "19591231"))
        for i in range(1, 1001)
    ]
    rows[BINDER - 1]["姓名"] = "周绑定"
    return csv_bytes(MEMBER_COLUMNS, rows, encoding="gbk")


def sms_code(aboard, mobile: str) -> str:
    from app.notify.models import OutboxMessage

    with aboard.app.app_context():
        stmt = select(OutboxMessage.body).where(OutboxMessage.recipient == mobile).order_by(OutboxMessage.id.desc())
        body = db.session.scalars(stmt).first() or ""
        db.session.remove()
    return re.search(r"验证码为 (\d{6})", body).group(1)


def test_import_1000_then_one_binds_a_new_mobile_and_prints_the_certificate(browser_at, aboard):
    admin = browser_at(aboard.admin)
    go(admin, "数据导入")
    card = admin.locator("section.card").filter(
        has=admin.get_by_role("heading", name="会员（含信用档案、原平台用户名）")
    )
    card.locator("input[type=file]").set_input_files(
        [{"name": "原平台会员.csv", "mimeType": "text/csv", "buffer": members_file()}]
    )
    card.get_by_role("button", name="上传并导入").click()
    expect(admin.locator("#import-status")).to_have_text("已导入", timeout=120_000)  # the page polls the job
    expect(admin.get_by_text("共 1000 行：新增 1000，更新 0。")).to_be_visible()

    person = browser_at()
    person.goto("/register")
    person.get_by_label("手机号").fill(NEW_MOBILE)
    person.get_by_role("button", name="获取验证码").click()
    person.get_by_label("短信验证码").fill(sms_code(aboard, NEW_MOBILE))
    person.get_by_label("真实姓名").fill("周绑定")
    person.get_by_label("证件号码").fill(id_number(BINDER, "19591231"))
    person.get_by_label("密码", exact=True).fill("abc12345")
    person.get_by_label("确认密码").fill("abc12345")
    person.get_by_role("button", name="注册", exact=True).click()
    expect(person.get_by_role("heading", name="绑定原会员身份")).to_be_visible()
    person.get_by_role("button", name="开始人脸识别").click()
    face_url = person.locator("a[target=_blank]").get_attribute("href")
    phone = browser_at()  # the phone: the development face check page
    phone.goto(face_url)
    phone.get_by_role("button", name="验证通过").click()
    expect(phone.get_by_role("status")).to_contain_text("人脸识别已通过")
    person.get_by_role("button", name="我已完成人脸识别").click()
    person.wait_for_url(lambda url: "/register" not in url)

    go(person, "个人中心")
    expect(person.get_by_text("B0000500")).to_be_visible()  # the imported member record: number kept
    person.wait_for_load_state()  # the page scripts (the crop step) listen before a file is chosen
    for seed, (kind, label) in enumerate((("photo", "头像"), ("signature", "签字"), ("seal", "印鉴"))):
        form = person.locator(f"form[action$='/center/filings/{kind}']")
        form.locator("input[type=file]").set_input_files([png(seed)])
        crop(person, "不裁切，使用原图")  # core filings open the crop step (裁切) first
        with person.expect_navigation():  # else the flash of the upload before would pass for this one's
            form.get_by_role("button", name=f"上传{label}").click()
        expect(person.locator(".flash.success")).to_be_visible()
    go(person, "电子证书")
    with person.context.expect_event("response", lambda r: r.url.endswith("/certificate/print")) as printed:
        person.get_by_role("button", name="打印电子证书").click()
    assert printed.value.ok and printed.value.headers["content-type"] == "application/pdf"

    old = browser_at()  # the old mobile no longer logs in: the new one replaced it
    old.goto("/login")
    old.get_by_label("手机号").fill(f"135{BINDER:08d}")
    old.get_by_label("密码").fill("abc12345")
    old.get_by_role("button", name="登录", exact=True).click()
    expect(old).to_have_url(re.compile("/login"))


def test_an_inspection_failure_entered_by_the_association_blocks_the_transfer_with_the_reason(browser_at, aboard):
    from app.accounts.models import User
    from app.members.models import Member

    with aboard.app.app_context():
        user = db.session.scalars(select(User).where(User.mobile == WANG)).one()
        number = db.session.scalars(select(Member.member_number).where(Member.user_id == user.id)).one()
        db.session.remove()
    member = browser_at(WANG)
    card = member.locator("article.card").filter(has=member.get_by_role("heading", name="转所申请", exact=True))
    expect(card.get_by_role("button", name="开始申请")).to_be_enabled()

    association = browser_at(LOCAL_REVIEWER)
    go(association, "会员证书管理")
    association.get_by_role("link", name="会员档案：年检、会费、暂停与除名").click()
    association.get_by_role("button", name="开启年检").click()
    expect(association.locator(".flash.success")).to_contain_text("年检中")
    association.get_by_label("会员编号（多个用逗号或换行分隔）").fill(number)
    association.get_by_label("结果").select_option(label="未通过")
    association.get_by_label("说明").fill("未按期提交年检材料")
    association.get_by_role("button", name="登记年检结果").click()
    expect(association.locator(".flash.success")).to_contain_text("已登记 1 名会员的年检结果")

    member.reload()
    card = member.locator("article.card").filter(has=member.get_by_role("heading", name="转所申请", exact=True))
    expect(card.get_by_text("暂不可申请：年检未通过，不能转所")).to_be_visible()
    expect(card.get_by_role("button", name="开始申请")).to_be_disabled()
