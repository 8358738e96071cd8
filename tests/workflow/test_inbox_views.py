"""Issue 15 item 1: saved inbox views as tabs with counts, bulk claim, and review steps' due days."""

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.organizations.societies import Society, forget_societies
from app.workflow.models import AuditEvent, HumanTask
from app.workflow.saved_views import SavedInboxView
from tests.processes.test_join_non_practicing import apply
from tests.workflow.inbox_rows import make_inbox_task
from tests.workflow.test_views import login


def save(client, name, **filters):
    return client.post("/inbox/views", data={"name": name, "sort": "due", **filters})


def test_a_saved_view_is_a_tab_with_its_count_and_opens_filtered(world, client):
    make_inbox_task(world.applicant, world.local_bj, due_in=-2)
    make_inbox_task(world.returning, world.local_bj, process_id="resign", due_in=-1)
    make_inbox_task(world.returning, world.local_bj, due_in=5)
    db.session.commit()
    login(client, world.local_reviewer)
    resp = save(client, "超期转所", process="transfer", due="overdue")
    assert resp.status_code == 302
    view = db.session.scalars(select(SavedInboxView)).one()
    assert (view.filters, view.sort) == ({"process": "transfer", "due": "overdue"}, "due")
    html = client.get("/inbox").get_data(as_text=True)
    assert "超期转所" in html and '<span class="count">1</span>' in html
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "张三" in html and "李四" not in html


def test_views_are_per_user(world, client):
    login(client, world.local_reviewer)
    client.get(save(client, "我的视图", claim="mine").headers["Location"])
    login(client, world.other_local_reviewer)
    assert "我的视图" not in client.get("/inbox").get_data(as_text=True)
    view_id = db.session.scalar(select(SavedInboxView.id))
    assert client.post(f"/inbox/views/{view_id}/delete").status_code == 404


def test_a_view_naming_a_process_no_longer_offered_still_opens(world, client):
    make_inbox_task(world.applicant, world.local_bj)
    db.session.commit()
    login(client, world.local_reviewer)
    save(client, "旧业务", process="retired_process")
    view = db.session.scalars(select(SavedInboxView)).one()
    html = client.get("/inbox").get_data(as_text=True)
    assert '旧业务 <span class="count">0</span>' in html
    resp = client.get("/inbox", query_string={"view": view.id, **view.filters})
    assert resp.status_code == 200 and "已停用" in resp.get_data(as_text=True)


def test_saving_under_the_same_name_replaces_and_a_blank_name_is_refused(world, client):
    login(client, world.local_reviewer)
    save(client, "A", due="overdue")
    save(client, "A", due="soon")
    assert [v.filters for v in db.session.scalars(select(SavedInboxView))] == [{"due": "soon"}]
    assert save(client, "  ").status_code == 422


def test_bulk_claim_claims_each_and_refuses_one_taken_meanwhile(world, client):
    mine = [make_inbox_task(world.applicant, world.local_bj) for _ in range(2)]
    taken = make_inbox_task(world.returning, world.local_bj, assignee=world.national_reviewer)
    db.session.commit()
    login(client, world.local_reviewer)
    resp = client.post("/inbox/claim", data={"task_id": [str(t.id) for t in [*mine, taken]]}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "已认领 2 项任务" in html and f"任务 {taken.id} 未能认领" in html
    db.session.expire_all()
    assert [db.session.get(HumanTask, t.id).assignee_id for t in mine] == [world.local_reviewer.id] * 2
    assert db.session.get(HumanTask, taken.id).assignee_id == world.national_reviewer.id
    claims = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "claimed")).all()
    assert len(claims) == 2  # each claim audited as the single claim does


def test_bulk_claim_of_another_organisations_task_is_refused(world, client):
    other = make_inbox_task(world.applicant, world.local_sh)
    db.session.commit()
    login(client, world.local_reviewer)
    client.post("/inbox/claim", data={"task_id": [str(other.id)]})
    db.session.expire_all()
    assert db.session.get(HumanTask, other.id).assignee_id is None


def test_review_step_is_due_after_the_associations_days(world, upload):
    """README 'Due dates': local_review defaults to 15 days; the association's own setting replaces it."""
    instance = apply(world, upload, world.applicant, world.local_bj)
    task = db.session.scalars(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    ).one()
    assert task.due_at - task.created_at == timedelta(days=15)
    society = db.session.scalars(select(Society).where(Society.key == "cas")).one()
    society.due_days = {"local_review": 3}
    db.session.flush()
    forget_societies()  # the next request reads the associations afresh (once per request)
    second = apply(world, upload, world.returning, world.local_bj)
    task = db.session.scalars(
        select(HumanTask).where(HumanTask.instance_id == second.id, HumanTask.status == "open")
    ).one()
    assert task.due_at - task.created_at == timedelta(days=3)


def test_the_association_changes_its_due_days_from_the_command_line(app, world):
    result = app.test_cli_runner().invoke(args=["memberflow", "due-days", "cas", "national_review=30"])
    assert result.exit_code == 0, result.output
    assert "national_review\t30" in result.output and "local_review\t15" in result.output
    db.session.expire_all()
    assert db.session.scalars(select(Society.due_days).where(Society.key == "cas")).one() == {"national_review": 30}
    refused = app.test_cli_runner().invoke(args=["memberflow", "due-days", "cas", "local_review=0"])
    assert refused.exit_code != 0 and "1 至 365" in refused.output
