"""What a person does on the pages, in the words they read: menus, links, fields (shared by the browser tests)."""

from playwright.sync_api import Page, expect

from app.demo import DEMO_PASSWORD


def log_in(page: Page, mobile: str) -> None:
    page.goto("/login")
    page.get_by_label("手机号").fill(mobile)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)


def go(page: Page, link: str) -> None:
    """Follows a link of the page header, opening its menu first where the screen is narrow."""
    menu = page.locator("header .menu-toggle")
    if menu.count() and menu.is_visible():
        menu.click()
    page.locator("header nav").get_by_role("link", name=link, exact=True).click()


def start(page: Page, process_name: str) -> None:
    go(page, "办理业务")
    card = page.locator("article.card").filter(has=page.get_by_role("heading", name=process_name, exact=True))
    card.get_by_role("button", name="开始申请").click()


def open_inbox_task(page: Page, title_part: str) -> None:
    go(page, "待办任务")
    page.get_by_role("link", name=title_part).first.click()


def decide(page: Page, decision: str, comment: str = "") -> None:
    page.get_by_role("radio", name=decision, exact=True).check()
    if comment:
        page.get_by_label("意见说明").fill(comment)
    page.get_by_role("button", name="提交意见").click()
    expect(page.locator(".flash.success")).to_be_visible()


def crop(page: Page, button: str = "确定裁切") -> None:
    """Answers the crop step (裁切) that choosing a core filing's image opens."""
    dialog = page.get_by_role("dialog", name="裁切图片")
    dialog.get_by_role("button", name=button, exact=True).click()
    expect(dialog).to_have_count(0)


def choose_organization(page: Page, field: str, name: str, typed: str | None = None) -> None:
    """Types part of the organisation's name into the field's search box and taps it among the matches."""
    box = page.get_by_role("combobox", name=field, exact=True)
    box.fill(typed or name[:4])
    listbox = page.get_by_role("listbox", name=field, exact=True)
    listbox.locator(f'[role=option][data-name="{name}"]').click()
    expect(box).to_have_value(name)
    expect(box).to_have_attribute("aria-expanded", "false")


def agree_to_notice(page: Page) -> None:
    """Agrees to the joining notice and waits for the application form with its scripts (files chosen before the
    page's scripts run would stay in the field, to go with the form, rather than be kept with the draft at once)."""
    page.get_by_label("我已阅读并同意遵守协会章程及入会须知").check()
    with page.expect_navigation():
        page.get_by_role("button", name="同意并继续").click()
