"""Who may call the API: 401 JSON without a user, Basic auth for scripts, the cross-site request rule."""


def test_unauthenticated_calls_get_401_json(client, world):
    for response in (client.get("/api/v1/inbox"), client.post("/api/v1/processes/join_practicing/instances")):
        assert response.status_code == 401
        assert response.json == {"error": "请先登录", "fields": {}}
        assert "WWW-Authenticate" not in response.headers


def test_wrong_basic_password_is_401(world, basic):
    response = basic(world.firm_reviewer, password="wrong").get("/api/v1/inbox")
    assert response.status_code == 401 and response.json["error"] == "手机号或密码错误"


def test_basic_auth_is_not_accepted_by_the_html_pages(world, basic):
    assert basic(world.firm_reviewer).get("/inbox").status_code == 302


def test_session_post_needs_a_header_or_json_that_a_cross_site_form_cannot_send(world, browser):
    plain = browser(world.applicant, xhr=False)
    refused = plain.post("/api/v1/processes/join_practicing/instances")
    assert refused.status_code == 403 and "X-Requested-With" in refused.json["error"]
    assert plain.get("/api/v1/instances").json["items"] == []
    started = plain.post("/api/v1/processes/join_practicing/instances", json={})
    assert started.status_code == 201


def test_basic_auth_needs_no_extra_header(world, basic):
    response = basic(world.applicant).post("/api/v1/processes/join_practicing/instances")
    assert response.status_code == 201
