"""A person using the keyboard only: Tab to reach things in page order, Enter / Space / arrows to use them (shared by
the keyboard browser tests)."""

from playwright.sync_api import Locator, Page, expect

from app.demo import DEMO_PASSWORD

MAX_TABS = 200  # the application form has five attachment slots with several buttons each


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("el => el === document.activeElement"))


def tab_to(page: Page, target: Locator) -> None:
    """Presses Tab until `target` has the focus: reachable by keyboard, in page order (fails after MAX_TABS)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if is_focused(target):
            return
    raise AssertionError(f"{target} cannot be reached with Tab")


def press(page: Page, target: Locator, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def choose(page: Page, select: Locator, label: str) -> None:
    """Arrow keys on a closed <select> until the option `label` is chosen."""
    tab_to(page, select)
    for _ in range(60):
        if select.evaluate("s => s.selectedOptions[0] && s.selectedOptions[0].text.trim()") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label} cannot be chosen with the arrow keys")


def search_and_choose(page: Page, box: Locator, typed: str, label: str) -> None:
    """Types into a combobox (combobox.js), then arrows through the matches it lists until `label` is the active
    one (aria-activedescendant), and Enter chooses it."""
    type_into(page, box, typed)
    expect(box).to_have_attribute("aria-expanded", "true")
    for _ in range(25):
        page.keyboard.press("ArrowDown")
        active = page.locator(f"#{box.get_attribute('aria-activedescendant')}")
        if active.get_attribute("data-name") == label:
            page.keyboard.press("Enter")
            expect(box).to_have_value(label)
            return
    raise AssertionError(f"{label} cannot be chosen with the arrow keys")


def pick_radio(page: Page, group: Locator, label: str) -> None:
    """Tab into a radio group (its first or chosen radio), then arrows until `label` is chosen."""
    first = group.get_by_role("radio").first
    tab_to(
        page, group.get_by_role("radio").and_(group.locator(":checked")) if group.locator(":checked").count() else first
    )
    page.keyboard.press("Space")
    target = group.get_by_role("radio", name=label, exact=True)
    for _ in range(10):
        if target.is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label} cannot be chosen with the arrow keys")


def attach(page: Page, field: Locator, files: list[dict]) -> None:
    """Reaches the file field with Tab and gives it `files`, as the system's file dialog (the browser's, not the
    page's) would: in headless Chromium under load the dialog opened by Space was missed now and then."""
    tab_to(page, field)
    field.set_input_files(files)


def log_in(page: Page, mobile: str) -> None:
    page.goto("/login")
    type_into(page, page.get_by_label("手机号"), mobile)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def follow(page: Page, link: str) -> None:
    """A header link, through the 菜单 button where the screen is narrow."""
    menu = page.locator("header .menu-toggle")
    if menu.count() and menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        press(page, menu)
    press(page, page.locator("header nav").get_by_role("link", name=link, exact=True))
