"""The joining process walked through the JSON API only: applicant in a browser session, reviewers by Basic auth."""

from sqlalchemy import select

from app.extensions import db
from app.members.models import Member


def test_applicant_and_three_reviewers_take_an_application_to_approved(
    world, browser, basic, application_data, open_task_id
):
    applicant = browser(world.applicant)
    [join] = [p for p in applicant.get("/api/v1/processes").json["items"] if p["id"] == "join_practicing"]
    assert join == {"id": "join_practicing", "name": join["name"], "eligible": True, "reason": None}

    started = applicant.post("/api/v1/processes/join_practicing/instances")
    assert started.status_code == 201
    instance_id = started.json["instance"]["id"]
    assert started.headers["Location"].endswith(f"/api/v1/instances/{instance_id}")
    notice = applicant.get(f"/api/v1/tasks/{open_task_id(applicant, instance_id)}").json
    assert notice["form"]["key"] == "join_notice" and notice["form"]["schema"]["required"] == ["agree_rules"]
    applicant.post(f"/api/v1/tasks/{notice['task']['id']}/complete", json={"agree_rules": True})

    task = applicant.get(f"/api/v1/tasks/{open_task_id(applicant, instance_id)}").json
    assert task["form"]["title"] == "执业会员入会申请"
    assert {"name": "photo", "label": "证件照片", "widget": "attachments", "required": True} in [
        {k: f[k] for k in ("name", "label", "widget", "required")} for f in task["form"]["fields"]
    ]
    assert task["options"]["firm_id"] == []  # 5,000 filed firms at national scale: the client searches them
    found = applicant.get(task["search"]["firm_id"], query_string={"q": world.firm_bj.name}).json["results"]
    assert world.firm_bj.id in [f["id"] for f in found]
    kinds = {o["value"]: o["disabled_reason"] for o in task["options"]["kind"]}
    assert kinds["trainee"] is None and "见习" in kinds["full"]
    done = applicant.post(f"/api/v1/tasks/{task['task']['id']}/complete", json=application_data(applicant))
    assert done.status_code == 200
    assert done.json["open_tasks"] == [] and [a["name"] for a in done.json["actions"]] == ["withdraw"]

    for reviewer, role in (
        (world.firm_reviewer, "firm"),
        (world.local_reviewer, "local_association"),
        (world.national_reviewer, "national_association"),
    ):
        client = basic(reviewer)
        [item] = client.get("/api/v1/inbox").json["items"]
        assert (item["instance_id"], item["role"], item["applicant_name"]) == (instance_id, role, world.applicant.name)
        review = client.get(f"/api/v1/tasks/{item['id']}").json
        [application] = [s for s in review["submissions"] if s["form_key"] == "join_practicing"]
        assert application["data"]["qualification_number"] == "ZC2024001"
        assert client.post(f"/api/v1/tasks/{item['id']}/claim").json["assignee_id"] == reviewer.id
        response = client.post(f"/api/v1/tasks/{item['id']}/complete", json={"decision": "approve"})
        assert response.status_code == 200, response.json
        assert client.get("/api/v1/inbox/done").json["items"][0]["id"] == item["id"]

    final = applicant.get(f"/api/v1/instances/{instance_id}").json
    assert (final["instance"]["status"], final["instance"]["status_label"]) == ("approved", "已通过")
    assert "End_Member" in final["instance"]["progress"]["done"] and final["actions"] == []
    assert [e["action"] for e in final["timeline"]] == [
        "started",
        "submitted",
        "submitted",
        "claimed",
        "approved",
        "claimed",
        "approved",
        "claimed",
        "approved",
    ]
    [listed] = applicant.get("/api/v1/instances").json["items"]
    assert (listed["id"], listed["status"]) == (instance_id, "approved")
    member = db.session.scalars(select(Member).where(Member.user_id == world.applicant.id)).one()
    assert final["instance"]["outcome"] == f"已成为见习执业会员，会员编号 {member.member_number}"


def test_refused_application_answers_422_per_field_in_chinese_and_keeps_the_draft(
    world, start_application, application_data
):
    client, _, task_id = start_application()
    data = application_data(client, kind="full")
    del data["photo"]
    response = client.post(f"/api/v1/tasks/{task_id}/complete", json=data)
    assert response.status_code == 422
    assert response.json["error"] == "请按提示修改后再提交"
    assert response.json["fields"]["photo"] == "请上传证件照片"
    assert "首次申请执业只能选择见习执业会员" in response.json["fields"]["kind"]
    draft = client.get(f"/api/v1/tasks/{task_id}").json["draft"]
    assert draft["qualification_number"] == "ZC2024001" and "photo" not in draft


def test_second_application_is_not_eligible_with_the_reason(world, browser):
    client = browser(world.applicant)
    assert client.post("/api/v1/processes/join_practicing/instances").status_code == 201
    [join] = [p for p in client.get("/api/v1/processes").json["items"] if p["id"] == "join_practicing"]
    assert join["eligible"] is False and "正在办理的入会申请" in join["reason"]
    response = client.post("/api/v1/processes/join_practicing/instances")
    assert response.status_code == 422 and "正在办理的入会申请" in response.json["error"]
    assert client.post("/api/v1/processes/no_such_process/instances").status_code == 404
