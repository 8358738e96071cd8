"""Huge numbers, deep or long JSON and oversized drafts are refused with a Chinese message, never a 500."""

import json

import pytest

HUGE = "192084346265589350400"  # found by schemathesis: overflowed the database driver


@pytest.fixture
def strict(app, monkeypatch):
    """Uncaught errors become 500 responses as in production, instead of being raised into the test."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/api/v1/tasks/{HUGE}"),
        ("post", f"/api/v1/tasks/{HUGE}/claim"),
        ("get", f"/api/v1/instances/{HUGE}"),
        ("post", f"/api/v1/instances/{HUGE}/actions/withdraw"),
        ("get", "/api/v1/tasks/2147483648"),  # one past PostgreSQL's integer
    ],
)
def test_an_id_beyond_the_database_range_is_not_found(strict, world, basic, method, path):
    response = getattr(basic(world.applicant), method)(path)
    assert response.status_code == 404
    assert response.json["error"] == "页面不存在"


@pytest.mark.parametrize("path", ["/api/v1/inbox", "/api/v1/inbox/done"])
@pytest.mark.parametrize("page", [HUGE, "2432902008176639999", "100001"])
def test_a_page_beyond_the_bound_is_a_422(strict, world, basic, path, page):
    response = basic(world.firm_reviewer).get(f"{path}?page={page}")
    assert response.status_code == 422
    assert response.json["fields"] == {"page": "参数「page」的取值无效"}


def test_openapi_states_the_id_bounds(client):
    parameters = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/tasks/{task_id}"]["parameters"]
    assert parameters[0]["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def test_openapi_names_the_refusals_of_a_draft(client):
    draft = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/tasks/{task_id}/draft"]["put"]
    assert {"413", "422"} <= set(draft["responses"])


def test_a_5000_level_nested_draft_is_a_400(strict, world, start_application):
    client, _, task_id = start_application()
    body = '{"position": ' + "[" * 5000 + "]" * 5000 + "}"
    response = client.put(f"/api/v1/tasks/{task_id}/draft", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"] == "请求体须为 JSON 对象（Content-Type: application/json）"


def test_json_nested_past_the_cap_is_refused_by_name(strict, world, start_application):
    client, _, task_id = start_application()
    body = {"position": [[[[[[[[["评估师"]]]]]]]]]}
    response = client.put(f"/api/v1/tasks/{task_id}/draft", json=body)
    assert response.status_code == 400
    assert response.json["error"] == "请求体嵌套过深（不超过 8 层）"


def test_a_body_over_256_kb_is_a_413(strict, world, start_application):
    client, _, task_id = start_application()
    response = client.put(f"/api/v1/tasks/{task_id}/draft", json={"position": "评" * 100_000})
    assert response.status_code == 413
    assert response.json["error"] == "请求体过大（不超过 256 KB）"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e999", "1" * 5000])
def test_numbers_no_column_can_store_are_refused(strict, world, start_application, number):
    client, _, task_id = start_application()
    body = '{"position": ' + number + "}"
    response = client.put(f"/api/v1/tasks/{task_id}/draft", data=body, content_type="application/json")
    assert response.status_code == 400


def test_the_forms_max_length_applies_to_a_draft(world, start_application):
    """R-JOIN-6 keeps a draft unvalidated, but not unbounded: position has maxLength 50."""
    client, _, task_id = start_application()
    response = client.put(f"/api/v1/tasks/{task_id}/draft", json={"position": "评" * 51, "major": "资产评估"})
    assert response.status_code == 422
    assert response.json["fields"] == {"position": "职务最多 50 个字符"}
    assert client.get(f"/api/v1/tasks/{task_id}").json["draft"] is None


def test_a_draft_cannot_hide_a_deep_or_long_list_in_an_attachment_field(world, start_application):
    client, _, task_id = start_application()
    too_many = client.put(f"/api/v1/tasks/{task_id}/draft", json={"photo": [{"id": 1}] * 21})
    nested = client.put(f"/api/v1/tasks/{task_id}/draft", json={"photo": [{"id": [[1]]}]})
    assert (too_many.status_code, nested.status_code) == (422, 422)
    assert too_many.json["fields"] == {"photo": "证件照片最多 20 项"}
    assert nested.json["fields"] == {"photo": "证件照片的内容无效"}


def test_a_submitted_firm_id_beyond_any_id_is_an_invalid_choice(strict, world, start_application):
    client, _, task_id = start_application()
    response = client.post(f"/api/v1/tasks/{task_id}/complete", json={"firm_id": int(HUGE)})
    assert response.status_code == 422
    assert response.json["fields"]["firm_id"] == "执业机构的选项无效"


@pytest.mark.parametrize(
    "path",
    [f"/tasks/{HUGE}", f"/applications/{HUGE}", f"/files/{HUGE}", f"/association/members/{HUGE}"],
)
def test_web_pages_with_a_huge_id_are_not_found(strict, world, browser, path):
    assert browser(world.local_reviewer).get(path).status_code == 404


@pytest.mark.parametrize("query", [f"page={HUGE}", "page=-3", "page=abc"])
def test_web_lists_with_a_page_out_of_range_show_the_first_page(strict, world, browser, query):
    reviewer = browser(world.local_reviewer)
    for path in ("/inbox", "/inbox/done", "/association/members"):
        assert reviewer.get(f"{path}?{query}").status_code == 200, path


def test_my_applications_with_a_huge_year_show_this_year(strict, world, browser):
    assert browser(world.applicant).get(f"/applications?year={HUGE}").status_code == 200


def test_fuzz_target_body_is_json(world, start_application):
    """The fixtures above send real JSON: a plain draft still saves."""
    client, _, task_id = start_application()
    response = client.put(
        f"/api/v1/tasks/{task_id}/draft", data=json.dumps({"position": "评估师"}), content_type="application/json"
    )
    assert response.status_code == 200
