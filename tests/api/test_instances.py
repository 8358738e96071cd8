"""Applications through the API: the applicant's withdraw/abandon rules and the yearly list."""

from app import clock


def test_withdraw_at_the_firm_stage_reopens_the_form_then_abandon_ends_it(world, submitted):
    """R-REC-2: withdraw while not yet accepted by the association, then abandon."""
    client, instance_id = submitted()
    withdrawn = client.post(f"/api/v1/instances/{instance_id}/actions/withdraw")
    assert withdrawn.status_code == 200
    assert [t["bpmn_id"] for t in withdrawn.json["open_tasks"]] == ["Task_Apply"]
    assert "abandon" in [a["name"] for a in withdrawn.json["actions"]]
    abandoned = client.post(f"/api/v1/instances/{instance_id}/actions/abandon")
    assert abandoned.json["instance"]["status"] == "abandoned" and abandoned.json["open_tasks"] == []


def test_withdraw_refused_once_the_association_has_it(world, basic, submitted, open_task_id):
    client, instance_id = submitted()
    firm = basic(world.firm_reviewer)
    firm.post(f"/api/v1/tasks/{open_task_id(firm, instance_id)}/complete", json={"decision": "approve"})
    assert client.get(f"/api/v1/instances/{instance_id}").json["actions"] == []
    response = client.post(f"/api/v1/instances/{instance_id}/actions/withdraw")
    assert response.status_code == 403 and "不能撤回" in response.json["error"]


def test_only_the_applicant_may_withdraw_and_unknown_actions_are_404(world, basic, submitted):
    client, instance_id = submitted()
    response = basic(world.firm_reviewer).post(f"/api/v1/instances/{instance_id}/actions/withdraw")
    assert response.status_code == 403 and response.json["error"] == "只有申请人本人可以进行此操作"
    assert client.post(f"/api/v1/instances/{instance_id}/actions/delete").status_code == 404


def test_my_applications_by_year(world, browser):
    """R-REC-1: applications listed by year, this year by default."""
    client = browser(world.applicant)
    instance_id = client.post("/api/v1/processes/join_practicing/instances").json["instance"]["id"]
    this_year = clock.today().year
    listed = client.get("/api/v1/instances").json
    assert listed["year"] == this_year and [i["id"] for i in listed["items"]] == [instance_id]
    assert client.get(f"/api/v1/instances?year={this_year - 1}").json["items"] == []
    assert client.get("/api/v1/instances?year=abc").status_code == 422
