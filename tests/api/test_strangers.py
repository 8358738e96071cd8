"""R-ACC-5 and not telling strangers what exists: a resigned reviewer gets 403 on a task of their former
role, and a stranger's withdraw answers exactly as a missing application does."""

from app.accounts.models import RoleGrant
from app.extensions import db


def test_a_resigned_reviewer_acting_on_a_task_gets_403(world, basic, submitted, open_task_id):
    """R-ACC-5: resigned or expelled members hold no rights; their old role's task says so (403), not 404."""
    client, instance_id = submitted()
    task_id = open_task_id(basic(world.firm_reviewer), instance_id)
    db.session.add(RoleGrant(user_id=world.returning.id, role="firm", organization_id=world.firm_bj.id))
    db.session.commit()
    resigned = basic(world.returning)
    for response in (
        resigned.get(f"/api/v1/tasks/{task_id}"),
        resigned.put(f"/api/v1/tasks/{task_id}/draft", json={}),
        resigned.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"}),
        resigned.post(f"/api/v1/tasks/{task_id}/claim"),
    ):
        assert response.status_code == 403, (response.request.path, response.status_code)
        assert "退会或被除名" in response.json["error"]


def test_a_resigned_person_without_that_role_still_gets_404(world, basic, submitted, open_task_id):
    client, instance_id = submitted()
    task_id = open_task_id(basic(world.firm_reviewer), instance_id)
    assert basic(world.returning).get(f"/api/v1/tasks/{task_id}").status_code == 404


def test_a_strangers_withdraw_cannot_tell_an_application_from_a_missing_one(world, basic, submitted):
    client, instance_id = submitted()
    stranger = basic(world.returning)
    theirs = stranger.post(f"/api/v1/instances/{instance_id}/actions/withdraw")
    missing = stranger.post(f"/api/v1/instances/{instance_id + 1000}/actions/withdraw")
    assert (theirs.status_code, theirs.json) == (missing.status_code, missing.json) == (404, missing.json)
