"""Per-IP rate limits (issue 9 item 12): failed logins (web, SMS code, reset, API Basic) share one budget,
sending SMS codes another, registration a third; drafts and ordinary pages count towards none. The limiter's
memory storage is emptied before each test (tests/conftest.py), so no test waits for a window to pass."""

import base64

from app.demo import DEMO_PASSWORD

STRANGER = {"REMOTE_ADDR": "203.0.113.9"}
NEIGHBOUR = {"REMOTE_ADDR": "203.0.113.10"}


def wrong_login(client, i, env=STRANGER):
    return client.post("/login", data={"mobile": f"139000{i:05d}", "password": "nope"}, environ_base=env)


def test_failed_logins_from_one_ip_are_limited_in_chinese(app, client, world):
    """R-ACC-3's lock is per account; this makes trying many accounts from one address expensive."""
    limit = int(app.config["MEMBERFLOW_RATELIMIT_LOGIN"].split(" per ")[0])
    for i in range(limit):
        assert wrong_login(client, i).status_code == 401
    refused = wrong_login(client, limit)
    assert refused.status_code == 429 and "操作过于频繁" in refused.get_data(as_text=True)
    assert refused.headers["Retry-After"].isdigit()
    right = client.post(
        "/login", data={"mobile": world.applicant.mobile, "password": DEMO_PASSWORD}, environ_base=STRANGER
    )
    assert right.status_code == 429  # the address is refused, whoever it claims to be
    other = client.post(
        "/login", data={"mobile": world.applicant.mobile, "password": DEMO_PASSWORD}, environ_base=NEIGHBOUR
    )
    assert other.status_code == 302


def test_successful_logins_do_not_use_up_the_budget(app, client, world):
    limit = int(app.config["MEMBERFLOW_RATELIMIT_LOGIN"].split(" per ")[0])
    for _ in range(limit + 5):
        resp = client.post("/login", data={"mobile": world.firm_reviewer.mobile, "password": DEMO_PASSWORD})
        assert resp.status_code == 302
        client.post("/logout")


def test_api_basic_auth_failures_share_the_budget_and_answer_json(app, client, world):
    limit = int(app.config["MEMBERFLOW_RATELIMIT_LOGIN"].split(" per ")[0])
    token = base64.b64encode(b"13900099999:nope").decode()
    for _ in range(limit - 1):
        resp = client.get("/api/v1/inbox", headers={"Authorization": f"Basic {token}"}, environ_base=STRANGER)
        assert resp.status_code == 401
    assert wrong_login(client, 1).status_code == 401
    refused = client.get("/api/v1/inbox", headers={"Authorization": f"Basic {token}"}, environ_base=STRANGER)
    assert refused.status_code == 429 and "操作过于频繁" in refused.json["error"]


def test_sending_sms_codes_is_limited_per_ip_across_pages(app, client, world):
    limit = int(app.config["MEMBERFLOW_RATELIMIT_SMS"].split(" per ")[0])
    pages = ["/login", "/register", "/password/reset"]
    for i in range(limit):
        mobile = f"1380000{i:04d}"
        data = {"mobile": mobile, "action": "send_code", "mode": "sms"}
        assert client.post(pages[i % 3], data=data, environ_base=STRANGER).status_code in (200, 422)
    refused = client.post("/register", data={"mobile": "13912312312", "action": "send_code"}, environ_base=STRANGER)
    assert refused.status_code == 429 and "操作过于频繁" in refused.get_data(as_text=True)
    assert client.post("/register", data={"mobile": "13912312312", "action": "send_code"}).status_code == 200


def test_registration_is_limited_per_ip(app, client):
    limit = int(app.config["MEMBERFLOW_RATELIMIT_REGISTER"].split(" per ")[0])
    for _ in range(limit):
        assert (
            client.post("/register", data={"mobile": "13912312312", "code": "1"}, environ_base=STRANGER).status_code
            == 422
        )
    refused = client.post("/register", data={"mobile": "13912312312", "code": "1"}, environ_base=STRANGER)
    assert refused.status_code == 429


def test_autosaved_drafts_and_pages_never_trip_a_limit(app, client, world):
    resp = client.post("/login", data={"mobile": world.applicant.mobile, "password": DEMO_PASSWORD})
    assert resp.status_code == 302
    started = client.post("/api/v1/processes/join_practicing/instances", headers={"X-Requested-With": "XMLHttpRequest"})
    task_id = started.json["open_tasks"][0]["id"]
    for i in range(40):  # more than any limit's count
        assert client.put(f"/api/v1/tasks/{task_id}/draft", json={"n": i}).status_code == 200
        assert client.get("/").status_code == 200
    assert (
        client.post("/login", data={"mode": "sms", "mobile": world.applicant.mobile, "action": "send_code"}).status_code
        == 200
    )


def test_the_storage_is_configurable_and_in_memory_by_default(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_no_api_view_carries_a_route_limit(app):
    """The API's calls skip the limiter's route lookup (app/accounts/limits.py `_api_call`, issue 13): a limit put on
    an API view would never count, so there must be none; the pages' limits are where the limiter sees them."""
    from flask_limiter.util import get_qualified_name

    from app.accounts.limits import limiter

    def limited(endpoint):
        name = get_qualified_name(app.view_functions[endpoint])
        return name in limiter._marked_for_limiting or limiter.limit_manager.has_hints(endpoint)

    assert limited("accounts.register")
    assert not [e for e in app.view_functions if e.startswith("api.") and limited(e)]


def test_every_route_limit_counts_posts_only(app):
    """Reading a page skips the limiter (app/accounts/limits.py `_page_read`, issue 13): a limit that counted GETs
    would never count, so there must be none, and no default or application-wide limit either."""
    from flask_limiter.util import get_qualified_name

    from app.accounts.limits import limiter

    manager = limiter.limit_manager
    limits = [lim for view in app.view_functions.values() for lim in manager.decorated_limits(get_qualified_name(view))]
    assert limits, "the login, registration and SMS-code limits are where the limiter sees them"
    assert {method for lim in limits for method in lim.methods or ("any",)} == {"post"}
    assert not manager.default_limits and not manager.application_limits
