"""Security headers on every response; pages run no script or style without the request's nonce; private files."""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.workflow.models import HumanTask
from tests.workflow.drafts import typed

TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"
NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{20,})'")


class InlineCode(HTMLParser):
    """Everything in a page (or template) that a Content-Security-Policy without 'unsafe-inline' would block."""

    def __init__(self, nonce: str | None = None) -> None:
        super().__init__()
        self.nonce = nonce
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> (inline event handler)")
            if name == "style":
                self.found.append(f"<{tag} style=…> (inline style attribute)")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag in ("script", "style") and not ("src" in names and tag == "script"):
            nonce = names.get("nonce")
            wanted = self.nonce if self.nonce is not None else "{{ csp_nonce() }}"
            if nonce != wanted:
                self.found.append(f"<{tag}> without the request's nonce")

    handle_startendtag = handle_starttag


def inline_code(html: str, nonce: str | None = None) -> list[str]:
    parser = InlineCode(nonce)
    parser.feed(html)
    return parser.found


def login(client, user):
    assert client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD}).status_code == 302


def nonce_of(response) -> str:
    match = NONCE.search(response.headers["Content-Security-Policy"])
    assert match, response.headers["Content-Security-Policy"]
    return match.group(1)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_handler_or_style(template):
    """Scripts come from static/ (or carry csp_nonce()); no onclick=…, style=… or javascript: URLs."""
    assert inline_code(template.read_text()) == []


def test_the_scanner_finds_what_it_looks_for():
    found = inline_code(
        '<script>alert(1)</script><a href="javascript:x()">a</a><form onsubmit="f()"><p style="color:red">'
        '<script src="/static/app.js"></script><script nonce="{{ csp_nonce() }}">ok()</script>'
    )
    assert found == [
        "<script> without the request's nonce",
        "<a href=javascript:…>",
        "<form onsubmit=…> (inline event handler)",
        "<p style=…> (inline style attribute)",
    ]


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/no-such-page", "/static/style.css"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp  # approve buttons cannot be framed (clickjacking)
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP in development


def test_each_request_gets_its_own_nonce(client):
    assert nonce_of(client.get("/login")) != nonce_of(client.get("/login"))


def test_hsts_behind_https(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)  # what MEMBERFLOW_HTTPS=1 sets
    assert client.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_pages_in_use_run_nothing_inline_but_the_diagram_style_with_the_nonce(world, client, make_png):
    """The progress diagram (inline SVG with its <style>), the form with the firm picker and uploads."""
    login(client, world.applicant)
    notice = client.post("/processes/join_practicing/start").headers["Location"]
    form_url = client.post(notice, data={"agree_rules": "on", "action": "submit"}).headers["Location"]
    form_page = client.get(form_url)
    instance_id = db.session.scalars(select(HumanTask.instance_id)).first()
    progress = client.get(f"/applications/{instance_id}")
    for page in (form_page, progress, client.get("/"), client.get("/center"), client.get("/certificate")):
        html = page.get_data(as_text=True)
        assert inline_code(html, nonce_of(page)) == [], page.request.path
    assert 'data-combobox="/tasks/' in form_page.get_data(as_text=True)  # the firm search box, by combobox.js
    assert f'<style nonce="{nonce_of(progress)}">' in progress.get_data(as_text=True)
    assert client.get("/static/app.js").status_code == 200


def test_an_upload_is_served_private_sandboxed_and_as_stored(world, client, make_png):
    login(client, world.applicant)
    notice = client.post("/processes/join_practicing/start").headers["Location"]
    form_url = client.post(notice, data={"agree_rules": "on", "action": "submit"}).headers["Location"]
    client.post(
        form_url,
        data={"action": "draft", "photo": (io.BytesIO(make_png()), "照片.png")},
        content_type="multipart/form-data",
    )
    db.session.expire_all()
    newest = select(HumanTask).order_by(HumanTask.id.desc()).limit(1)  # PostgreSQL's heap order is not id order
    file_id = typed(db.session.scalars(newest).one())["photo"][0]["id"]

    response = client.get(f"/files/{file_id}")

    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "private, no-store"  # was public, max-age=3600
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline")


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_a_page_writes_one_csrf_token_in_every_form_and_a_post_with_it_passes(app, world, client, monkeypatch):
    """The token is made once per page (app/security_headers.py): every form of a page carries the same one, and it
    is the one the CSRF check accepts."""
    login(client, world.local_reviewer)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # the tests' configuration turns it off
    page = client.get("/inbox").get_data(as_text=True)
    assert len(CSRF_FIELD.findall(page)) >= 4  # the header's forms (identity, logout, language) and the page's
    [token] = set(CSRF_FIELD.findall(page))
    assert client.post("/inbox/views", data={"name": "视图", "csrf_token": token[:-2]}).status_code == 400
    assert client.post("/inbox/views", data={"name": "视图", "csrf_token": token}).status_code == 302
