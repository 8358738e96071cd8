"""A save without the page's security token (CSRF) says what happened and what to do, not "请求格式不正确"
(issue 17: an editor's save after the session changed answered with the generic 400)."""

import pytest

from tests.workbench.test_wb_api import TRANSFER, URL


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # the tests' configuration turns it off


def test_an_editor_save_without_the_token_says_the_page_expired(analyst_client, csrf_on):
    for method, path in (("put", f"{URL}/draft"), ("post", f"{URL}/publish")):
        resp = getattr(analyst_client, method)(path, json={"content": TRANSFER, "comment": "x"})
        assert resp.status_code == 400
        assert "页面已过期" in resp.json["error"] and "请刷新页面后重试" in resp.json["error"]
        assert "请求格式不正确" not in resp.json["error"]


def test_a_form_post_without_the_token_says_the_page_expired(analyst_client, csrf_on):
    resp = analyst_client.post("/workbench/files/bpmn/transfer.bpmn/draft", data={"action": "save", "content": "x"})
    assert resp.status_code == 400 and "页面已过期" in resp.get_data(as_text=True)


def test_a_request_with_the_token_passes(analyst_client, csrf_on):
    page = analyst_client.get("/workbench/edit/bpmn/transfer.bpmn").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    resp = analyst_client.put(f"{URL}/draft", json={"content": TRANSFER}, headers={"X-CSRFToken": token})
    assert resp.status_code == 200, resp.get_data(as_text=True)
