"""Tasks through the API: organisation scope, conflicts, claiming, drafts, inbox arguments."""

from app.accounts.models import RoleGrant
from app.extensions import db


def test_reviewer_of_another_firm_gets_404_for_the_task(world, basic, submitted, open_task_id):
    _, instance_id = submitted()
    task_id = open_task_id(basic(world.firm_reviewer), instance_id)
    other = basic(world.other_firm_reviewer)
    assert other.get("/api/v1/inbox").json["items"] == []
    for response in (
        other.get(f"/api/v1/tasks/{task_id}"),
        other.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"}),
        other.get(f"/api/v1/instances/{instance_id}"),
    ):
        assert response.status_code == 404
        assert response.json["error"] in ("任务不存在或您无权查看", "申请不存在或您无权查看")


def test_completing_a_task_twice_is_a_409(world, basic, submitted, open_task_id):
    _, instance_id = submitted()
    firm = basic(world.firm_reviewer)
    task_id = open_task_id(firm, instance_id)
    assert firm.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"}).status_code == 200
    again = firm.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"})
    assert again.status_code == 409 and "已由他人处理完毕" in again.json["error"]


def test_return_without_comment_names_the_field(world, basic, submitted, open_task_id):
    _, instance_id = submitted()
    firm = basic(world.firm_reviewer)
    response = firm.post(f"/api/v1/tasks/{open_task_id(firm, instance_id)}/complete", json={"decision": "return"})
    assert response.status_code == 422
    assert response.json["fields"] == {"comment": "退回时请填写意见说明"}


def test_a_claimed_task_is_reserved_until_unclaimed(world, basic, submitted, open_task_id):
    _, instance_id = submitted()
    firm = basic(world.firm_reviewer)
    task_id = open_task_id(firm, instance_id)
    colleague = world.other_firm_reviewer
    colleague.grants.append(RoleGrant(role="firm", organization_id=world.firm_bj.id))
    db.session.commit()
    assert firm.post(f"/api/v1/tasks/{task_id}/claim").json["assignee_id"] == world.firm_reviewer.id
    other = basic(colleague)
    taken = other.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"})
    assert taken.status_code == 409 and taken.json["error"] == "该任务已被其他审核人认领"
    assert other.post(f"/api/v1/tasks/{task_id}/unclaim").status_code == 409
    assert firm.post(f"/api/v1/tasks/{task_id}/unclaim").json["assignee_id"] is None
    assert other.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"}).status_code == 200


def test_draft_is_kept_unvalidated_and_comes_back(world, start_application):
    client, _, task_id = start_application()
    saved = client.put(f"/api/v1/tasks/{task_id}/draft", json={"qualification_number": "x", "position": "评估师"})
    assert saved.status_code == 200
    assert saved.json == {"id": task_id, "draft": {"qualification_number": "x", "position": "评估师"}}
    assert client.get(f"/api/v1/tasks/{task_id}").json["draft"]["position"] == "评估师"


def test_form_data_must_be_a_json_object(world, start_application):
    client, _, task_id = start_application()
    response = client.post(f"/api/v1/tasks/{task_id}/complete", json=["agree_rules"])
    assert response.status_code == 400 and "JSON 对象" in response.json["error"]


def test_inbox_arguments_are_checked(world, basic, submitted):
    submitted()
    firm = basic(world.firm_reviewer)
    assert len(firm.get("/api/v1/inbox?sort=due&process=join_practicing").json["items"]) == 1
    assert firm.get("/api/v1/inbox?process=other_process").json["items"] == []
    response = firm.get("/api/v1/inbox?page=0&sort=random")
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"page", "sort"}


def test_the_done_list_says_completed_for_an_approval_not_cancelled(world, basic, submitted, open_task_id):
    _, instance_id = submitted()
    firm = basic(world.firm_reviewer)
    task_id = open_task_id(firm, instance_id)
    assert firm.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"}).status_code == 200
    [done] = firm.get("/api/v1/inbox/done").json["items"]
    assert (done["id"], done["status"]) == (task_id, "completed")
