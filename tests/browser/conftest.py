"""Browser tests: Debian's chromium driven by pytest-playwright against the app served on a free local port.

Screenshots of every open page are kept for failed tests under var/test-results/browser/<test>/ (pyproject's
addopts: --output, --screenshot=only-on-failure); .ci/run gives each database its own subdirectory there, the
directory CI keeps as artefacts. Without a chromium
(MEMBERFLOW_CHROMIUM, default /usr/bin/chromium or `chromium` on PATH) these tests are skipped, saying why.
"""

import os
import shutil
from types import SimpleNamespace

import pytest

from app.extensions import db
from tests.browser.pages import log_in
from tests.live import serving

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def chromium_path() -> str | None:
    wanted = os.environ.get("MEMBERFLOW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return wanted if os.access(wanted, os.X_OK) else None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        pytest.skip("browser tests skipped: no chromium found (apt-get install chromium, or set MEMBERFLOW_CHROMIUM)")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture
def live(second_app):
    """The demo data (app/demo.py) on a database of its own, served over HTTP; `.url`, `.app`, `.world`."""
    from app.demo import load_demo

    other = second_app("browser")
    with other.app_context():
        world = load_demo()
        db.session.commit()
        ids = SimpleNamespace(firm_bj_name=world.firm_bj.name)
        db.session.remove()
    with serving(other) as url:
        yield SimpleNamespace(url=url, app=other, world=ids)


@pytest.fixture(params=list(SIZES))
def size(request) -> str:
    return request.param


@pytest.fixture
def open_as(new_context, live, size):
    """Returns a callable opening a browser (own cookies) at `size`, logged in as the demo user `mobile`
    (None: logged out)."""

    def open_as(mobile: str | None):
        phone = size == "phone"
        # zh-CN as most users have it (the pages follow Accept-Language when nobody chose a language)
        context = new_context(viewport=SIZES[size], is_mobile=phone, has_touch=phone, base_url=live.url, locale="zh-CN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        if mobile is not None:
            log_in(page, mobile)
        return page

    return open_as
