"""The analysts' version pages (issue 17 items 4 and 5): versions, diff (JSON and diagram), dry run, migrate."""

from sqlalchemy import select

from app.admin.models import AdminAuditEntry
from app.extensions import db
from app.migration.plan import short
from app.workflow.models import AuditEvent, ProcessInstance
from tests.migration.test_migrate import three_on_v1  # noqa: F401  (the fixture)
from tests.workflow.test_views import login


def test_an_analyst_sees_the_versions_the_diff_and_migrates_from_the_dry_run(client, world, three_on_v1):  # noqa: F811
    v1, v2, (at_a, at_b, at_c) = three_on_v1
    a, b = short(v1), short(v2)
    login(client, world.admin)
    page = client.get("/workbench/processes/mig/versions").get_data(as_text=True)
    assert a in page and b in page and "当前版本" in page and f"/versions/{a}/migrate/{b}" in page

    diff = client.get(f"/workbench/processes/mig/versions/{a}/diff/{b}.json").get_json()
    assert diff["added"] == ["F_Task_B_Task_N", "F_Task_N_End_M", "Task_N"]
    assert diff["removed"] == ["F_Task_B_Task_C", "F_Task_C_End_M", "Task_C"]
    assert diff["changed"] == {"Task_A": ["bpmn_name", "extensions"]}
    drawn = client.get(f"/workbench/processes/mig/versions/{a}/diff/{b}").get_data(as_text=True)
    assert "<svg" in drawn and "新增" in drawn and "有改动" in drawn and "已完成" not in drawn

    dry = client.get(f"/workbench/processes/mig/versions/{a}/migrate/{b}").get_data(as_text=True)
    assert "可迁移" in dry and "当前步骤「旧步骤」在新版本中已不存在" in dry
    assert dry.count('name="instance"') == 2  # only those that can move can be chosen
    resp = client.post(f"/workbench/processes/mig/versions/{a}/migrate/{b}", data={"instance": [str(at_a)]})
    assert resp.status_code == 302 and "/workbench/processes/mig/migrations/" in resp.headers["Location"]
    done = client.get(resp.headers["Location"])
    text = done.get_data(as_text=True)
    assert f"迁移完成：已迁移 1 个申请到 版本 {b}。" in text and "试运行" not in text  # says what was done
    assert "Refresh" not in done.headers  # finished: the page stops polling
    db.session.expire_all()
    assert [db.session.get(ProcessInstance, i).spec_key for i in (at_a, at_b, at_c)] == [v2, v1, v1]
    timeline = client.get(f"/applications/{at_a}").get_data(as_text=True)
    assert "迁移到版本" in timeline
    assert db.session.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "migrated")).all() == [
        world.admin.id
    ]
    job_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    logged = db.session.scalars(select(AdminAuditEntry).where(AdminAuditEntry.action == "process.migrate")).one()
    assert (logged.actor_id, logged.details["job"], logged.details["moved"]) == (world.admin.id, job_id, 1)
    listed = client.get("/workbench/processes/mig/versions").get_data(as_text=True)
    assert f"/workbench/processes/mig/migrations/{job_id}" in listed and "已迁移 1 个，未迁移 0 个" in listed


def test_only_analysts_reach_the_version_pages(client, world, three_on_v1):  # noqa: F811
    v1, v2, _ = three_on_v1
    login(client, world.applicant)
    assert client.get("/workbench/processes/mig/versions").status_code == 403
    url = f"/workbench/processes/mig/versions/{short(v1)}/migrate/{short(v2)}"
    assert client.post(url, data={"instance": ["1"]}).status_code == 403
    login(client, world.admin)
    assert client.get("/workbench/processes/mig/versions/nope/diff/nothing").status_code == 404
