"""Choosing the language (issue 10 item 4): the header switch, remembered on the account or in a cookie;
Accept-Language as the fallback; Chinese by default; dates in the association's time zone in that language."""

from datetime import UTC, datetime

from sqlalchemy import select

from app import clock
from app.accounts.models import User
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.i18n import COOKIE


def page(client, url="/login", **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def switch(client, locale, next_url="/login"):
    return client.post("/language", data={"locale": locale, "next": next_url})


def test_chinese_is_the_default(client):
    html = page(client)
    assert '<html lang="zh-CN">' in html and "<title>登录 · memberflow</title>" in html


def test_the_browser_language_decides_when_nobody_chose(client):
    html = page(client, **{"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in html and "<title>Log in · memberflow</title>" in html
    assert '<html lang="zh-CN">' in page(client, **{"Accept-Language": "fr, zh-CN;q=0.5"})


def test_a_visitor_choice_is_kept_in_a_cookie_over_the_browser_language(client):
    response = switch(client, "en", "/login?x=1")
    assert response.status_code == 302 and response.headers["Location"] == "/login?x=1"
    assert client.get_cookie(COOKIE).value == "en"
    assert "<title>Log in · memberflow</title>" in page(client, **{"Accept-Language": "zh-CN"})
    switch(client, "zh")
    assert "<title>登录 · memberflow</title>" in page(client, **{"Accept-Language": "en"})


def test_a_logged_in_choice_is_stored_on_the_account_and_follows_to_another_browser(app, world):
    first = app.test_client()
    first.post("/login", data={"mobile": world.applicant.mobile, "password": DEMO_PASSWORD})
    switch(first, "en", "/")
    db.session.expire_all()
    assert db.session.scalar(select(User.locale).where(User.id == world.applicant.id)) == "en"

    other_browser = app.test_client()
    assert "<title>登录 · memberflow</title>" in page(other_browser)  # not logged in yet: nothing known
    other_browser.post("/login", data={"mobile": world.applicant.mobile, "password": DEMO_PASSWORD})
    html = page(other_browser, "/", **{"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in html and "My applications" in html and "我的申请" not in html


def test_the_switch_does_not_redirect_to_another_site(client):
    assert switch(client, "en", "https://evil.example/phish").headers["Location"] == "/"
    assert switch(client, "en", "//evil.example/phish").headers["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    switch(client, "fr")
    assert client.get_cookie(COOKIE) is None
    assert '<html lang="zh-CN">' in page(client)


def test_times_are_written_in_the_association_zone_in_the_chosen_language(app):
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 07:30 on 1 January in Beijing
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert clock.format_local(moment) == "1 Jan 2027, 07:30"
        assert clock.format_local(moment, "zh") == "2027-01-01 07:30"  # PDFs stay Chinese
    with app.app_context(), app.test_request_context():
        assert clock.format_local(moment) == "2027-01-01 07:30"


def test_the_please_log_in_message_follows_the_language(client):
    switch(client, "en")
    response = client.get("/inbox", follow_redirects=True)
    assert "Please log in" in response.get_data(as_text=True)
