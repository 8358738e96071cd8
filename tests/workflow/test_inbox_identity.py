"""Issue 15: a reviewer holding two reviewer identities (王机构 at 北京中和 and at its 天津分公司) works in the one
chosen in the header: the inbox, its tab counts, the task pages, claims, completions (web and the API the pages
call) and the workload dashboard follow it; "全部审核身份" (the default while nothing is chosen) shows both."""

import pytest

from app.accounts.models import RoleGrant
from app.accounts.tokens import create_token
from app.extensions import db
from app.workflow.models import HumanTask
from tests.processes.test_transfer import apply
from tests.processes.walk import open_task, person
from tests.workflow.inbox_rows import make_inbox_task
from tests.workflow.test_views import login

XHR = {"X-Requested-With": "XMLHttpRequest"}


@pytest.fixture
def two_identities(world, upload, monkeypatch):
    """王机构 also reviews for the branch; a real branch task (冯二's transfer) and a head-office row."""
    db.session.add(RoleGrant(user_id=world.firm_reviewer.id, role="firm", organization_id=world.branch_bj.id))
    monkeypatch.setattr("app.workflow.services.passed_face_check_recently", lambda user: True)  # 冯二 applies
    head = make_inbox_task(world.applicant, world.firm_bj, process_id="join_practicing", name="机构审核", role="firm")
    branch = open_task(apply(world, upload, person("13800000022"), world.firm_bj2))
    assert branch.organization_id == world.branch_bj.id
    db.session.commit()
    return head.id, branch.id


def switch(client, key):
    assert client.post("/identity/switch", data={"identity": key}).status_code == 302


def inbox_ids(client):
    return {t["id"] for t in client.get("/api/v1/inbox", headers=XHR).json["items"]}


def test_nothing_chosen_shows_every_identity_and_says_so(world, client, two_identities):
    head, branch = two_identities
    login(client, world.firm_reviewer)
    html = client.get("/inbox").get_data(as_text=True)
    assert 'value="all" selected' in html and "全部审核身份" in html
    assert f"/tasks/{head}" in html and f"/tasks/{branch}" in html
    assert inbox_ids(client) == {head, branch}


def test_the_chosen_identity_limits_the_inbox_and_a_click_shows_all_again(world, client, two_identities):
    head, branch = two_identities
    login(client, world.firm_reviewer)
    switch(client, f"firm:{world.firm_bj.id}")
    html = client.get("/inbox").get_data(as_text=True)
    assert f"/tasks/{head}" in html and f"/tasks/{branch}" not in html
    assert "只显示「资产评估机构 · 北京中和资产评估有限公司」的待办" in html
    assert inbox_ids(client) == {head}
    client.post("/inbox/views", data={"name": "全部转所", "process": "transfer"})
    assert '全部转所 <span class="count">0</span>' in client.get("/inbox").get_data(as_text=True)

    resp = client.post("/identity/switch", data={"identity": "all", "next": "/inbox"})
    assert resp.headers["Location"] == "/inbox"
    html = client.get("/inbox").get_data(as_text=True)
    assert f"/tasks/{branch}" in html and '全部转所 <span class="count">1</span>' in html


def test_the_other_identitys_task_cannot_be_acted_on_web_or_api(world, client, two_identities):
    _, branch = two_identities
    login(client, world.firm_reviewer)
    switch(client, f"firm:{world.firm_bj.id}")
    assert client.get(f"/tasks/{branch}").status_code == 404
    assert client.post(f"/tasks/{branch}/claim").status_code == 404
    assert client.post(f"/tasks/{branch}", data={"decision": "approve", "action": "submit"}).status_code == 404
    assert client.get(f"/api/v1/tasks/{branch}", headers=XHR).status_code == 404
    complete = client.post(f"/api/v1/tasks/{branch}/complete", json={"decision": "approve"})
    assert complete.status_code == 404
    db.session.expire_all()
    task = db.session.get(HumanTask, branch)
    assert (task.status, task.assignee_id) == ("open", None)
    # a token limited to the same identity answers the same
    _, secret = create_token(world.firm_reviewer, "脚本", f"firm:{world.firm_bj.id}", 30)
    db.session.commit()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/api/v1/tasks/{branch}", headers=bearer).status_code == 404

    switch(client, f"firm:{world.branch_bj.id}")
    assert client.post(f"/tasks/{branch}", data={"decision": "approve", "action": "submit"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(HumanTask, branch).status == "completed"


def test_the_workload_dashboard_follows_the_identity(world, client, two_identities):
    def page():  # the dashboard without the header (whose identity menu names both firms)
        return client.get("/workload").get_data(as_text=True).split("<main", 1)[1]

    login(client, world.firm_reviewer)
    assert "天津分公司" in page()
    switch(client, f"firm:{world.firm_bj.id}")
    html = page()
    assert "北京中和资产评估有限公司" in html and "天津分公司" not in html


def test_the_personal_identity_has_no_reviewer_tasks(world, client, two_identities):
    login(client, world.firm_reviewer)
    switch(client, "personal")
    assert inbox_ids(client) == set()
    assert client.get(f"/tasks/{two_identities[1]}").status_code == 404


def test_one_identity_only_is_not_offered_all(world, client):
    login(client, world.local_reviewer)
    html = client.get("/inbox").get_data(as_text=True)
    assert 'value="all"' not in html and "全部审核身份" not in html
    assert client.post("/identity/switch", data={"identity": "all"}).status_code == 403
