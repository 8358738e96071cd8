"""API clients per user (Basic auth or a browser session) and the applicant's way through the joining forms."""

import base64
import io

import pytest

from app.demo import DEMO_PASSWORD

APPLICATION_FILES = ("photo", "signature", "archive_certificate", "social_security", "labour_contract")


@pytest.fixture
def basic(app):
    """Returns a callable giving a test client that sends HTTP Basic credentials of `user`, as a script would."""

    def make(user, password: str = DEMO_PASSWORD):
        client = app.test_client()
        token = base64.b64encode(f"{user.mobile}:{password}".encode()).decode()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Basic {token}"
        return client

    return make


@pytest.fixture
def browser(app):
    """Returns a callable giving a client logged in through the login page; `xhr` adds X-Requested-With."""

    def make(user, xhr: bool = True):
        client = app.test_client()
        response = client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        if xhr:
            client.environ_base["HTTP_X_REQUESTED_WITH"] = "XMLHttpRequest"
        return client

    return make


@pytest.fixture
def post_file(make_png):
    """Returns a callable uploading bytes (a fresh PNG by default) through the API; gives the response."""

    def post(client, name: str = "scan.png", content: bytes | None = None):
        data = content if content is not None else make_png(hash(name))
        return client.post("/api/v1/files", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")

    return post


@pytest.fixture
def application_data(world, post_file):
    """Returns a callable uploading the joining files as `client` and giving the application form data."""

    def make(client, **overrides):
        files = {}
        for name in APPLICATION_FILES:
            response = post_file(client, f"{name}.png")
            assert response.status_code == 201, response.json
            files[name] = [response.json]
        return {
            "firm_id": world.firm_bj.id,
            "kind": "trainee",
            "education": "bachelor",
            "qualification_number": "ZC2024001",
            "contract_valid_until": "2029-12-31",
            "archive_location": "北京市人才服务中心",
            "no_disqualification": True,
            **files,
            **overrides,
        }

    return make


@pytest.fixture
def start_application(browser, world):
    """Returns a callable: the applicant starts joining and accepts the notice; gives (client, instance id, task id)."""

    def start(user=None):
        client = browser(user or world.applicant)
        started = client.post("/api/v1/processes/join_practicing/instances")
        assert started.status_code == 201, started.json
        [notice] = started.json["open_tasks"]
        done = client.post(f"/api/v1/tasks/{notice['id']}/complete", json={"agree_rules": True})
        assert done.status_code == 200, done.json
        [apply] = done.json["open_tasks"]
        return client, started.json["instance"]["id"], apply["id"]

    return start


@pytest.fixture
def submitted(start_application, application_data):
    """Returns a callable: an application submitted through the API, now with the firm; gives (client, instance id)."""

    def submit(user=None):
        client, instance_id, task_id = start_application(user)
        response = client.post(f"/api/v1/tasks/{task_id}/complete", json=application_data(client))
        assert response.status_code == 200, response.json
        return client, instance_id

    return submit


@pytest.fixture
def open_task_id():
    """Returns a callable giving the one open task `client`'s user may act on in the instance (via the API)."""

    def find(client, instance_id: int) -> int:
        [task] = client.get(f"/api/v1/instances/{instance_id}").json["open_tasks"]
        return task["id"]

    return find
