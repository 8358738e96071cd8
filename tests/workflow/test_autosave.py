"""Drafts per person, saved without the instance lock (issue 16, R-JOIN-6): candidate reviewers of an unclaimed
task keep their own comments, two tabs autosaving at once both succeed, and autosave counts against no limit.
Files chosen are kept with the draft at once, in the page order the person arranged (R-JOIN-5)."""

import io
import re
from types import SimpleNamespace

from app.workflow.models import TaskDraft
from tests.workflow.test_views import (
    _race,
    application_form,
    firm_task_two_reviewers,
    login,
    png_file,
    start_and_accept_notice,
)

__all__ = ["firm_task_two_reviewers"]  # the fixture, shared with test_views


def test_candidate_reviewers_keep_their_own_drafts(file_app, firm_task_two_reviewers):
    task_id, mobiles = firm_task_two_reviewers
    pages = []
    for mobile, comment in zip(mobiles, ("材料齐全", "劳动合同缺页"), strict=True):
        client = file_app.test_client()
        with file_app.app_context():
            login(client, SimpleNamespace(mobile=mobile))
        resp = client.post(f"/tasks/{task_id}/autosave", data={"decision": "return", "comment": comment})
        assert resp.status_code == 200 and len(resp.get_json()["saved_at"]) == 5  # hh:mm
        pages.append((client, comment))
    for client, comment in pages:
        page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
        assert comment in page and not all(c in page for c in ("材料齐全", "劳动合同缺页"))


def test_two_tabs_autosaving_at_once_both_succeed(file_app, firm_task_two_reviewers):
    task_id, mobiles = firm_task_two_reviewers
    same_person = [mobiles[0]] * 2

    codes = _race(file_app, same_person, f"/tasks/{task_id}/autosave", {"comment": "先看附件"})

    assert codes == [200, 200]
    with file_app.app_context():
        from app.extensions import db

        assert db.session.query(TaskDraft).count() == 1


def test_autosave_counts_against_no_rate_limit(app, client, world):
    assert app.config["RATELIMIT_ENABLED"]  # the per-IP limits are on in the tests (10 failed logins a minute)
    form_url = start_and_accept_notice(client, world)

    codes = {client.post(f"{form_url}/autosave", data={"position": f"第 {i} 稿"}).status_code for i in range(40)}

    assert codes == {200}
    assert 'value="第 39 稿"' in client.get(form_url).get_data(as_text=True)


def test_sending_the_task_drops_the_drafts(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    client.post(f"{form_url}/autosave", data={"position": "经理"})

    client.post(form_url, data=application_form(world, make_png), content_type="multipart/form-data")

    from app.extensions import db

    assert db.session.query(TaskDraft).count() == 0


def _kept_ids(page: str, slot: str) -> list[str]:
    return re.findall(rf'name="{slot}__order" value="(\d+)"', page)


def test_files_chosen_are_kept_with_the_autosaved_draft_and_come_back(client, world, make_png):
    form_url = start_and_accept_notice(client, world)

    resp = client.post(
        f"{form_url}/autosave",
        data={"major": "评估", "labour_contract": [png_file(make_png, f"p{i}.png", i) for i in range(3)]},
        content_type="multipart/form-data",
    )

    answer = resp.get_json()
    assert resp.status_code == 200 and answer["errors"] == {}
    assert _kept_ids(answer["files"]["labour_contract"], "labour_contract") == _kept_ids(
        client.get(form_url).get_data(as_text=True), "labour_contract"
    )  # what the page swaps in is what coming back shows
    assert len(_kept_ids(client.get(form_url).get_data(as_text=True), "labour_contract")) == 3


def test_a_refused_file_is_named_and_the_others_are_kept(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    files = [(io.BytesIO(b"not an image"), "bad.png"), png_file(make_png, "good.png", 1)]

    answer = client.post(
        f"{form_url}/autosave", data={"labour_contract": files}, content_type="multipart/form-data"
    ).get_json()

    assert "bad.png" in answer["errors"]["labour_contract"]
    assert len(_kept_ids(answer["files"]["labour_contract"], "labour_contract")) == 1


def test_the_arranged_order_is_saved_and_kept_on_a_refused_submission_r_join_5(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    pages = [png_file(make_png, f"p{i}.png", i) for i in range(3)]
    client.post(f"{form_url}/autosave", data={"labour_contract": pages}, content_type="multipart/form-data")
    first, second, third = _kept_ids(client.get(form_url).get_data(as_text=True), "labour_contract")

    arranged = [third, first, second]
    client.post(f"{form_url}/autosave", data={"labour_contract__order": arranged})
    assert _kept_ids(client.get(form_url).get_data(as_text=True), "labour_contract") == arranged

    refused = client.post(  # no education: refused, the page comes back with the files as arranged
        form_url,
        data={
            **application_form(world, make_png),
            "education": "",
            "labour_contract": [],
            "labour_contract__order": [second, third, first],
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert _kept_ids(refused.get_data(as_text=True), "labour_contract") == [second, third, first]
    assert _kept_ids(client.get(form_url).get_data(as_text=True), "labour_contract") == [second, third, first]


def test_an_autosave_that_arrives_while_the_task_is_completed_goes_with_it(world, upload, monkeypatch):
    """Issue 13: the drafts are deleted in the database by the statement that ends the task, so a draft written
    after the engine ran (another candidate reviewer's autosave) does not outlive the completed task."""
    from app.extensions import db
    from app.workflow import services
    from app.workflow.drafts import keep_draft
    from app.workflow.models import HumanTask
    from tests.processes.test_join_practicing import open_task, submit_application

    instance = submit_application(world, upload)
    task_id = open_task(instance).id
    db.session.commit()
    real = services.apply_snapshot

    def autosave_meanwhile(*args, **kw):
        keep_draft(db.session.get(HumanTask, task_id), world.firm_reviewer.id, {"comment": "草稿"})
        return real(*args, **kw)

    monkeypatch.setattr(services, "apply_snapshot", autosave_meanwhile)
    services.submit_task(task_id, world.firm_reviewer, {"decision": "approve"})
    db.session.commit()
    assert db.session.query(TaskDraft).filter_by(task_id=task_id).count() == 0


def test_a_task_ended_otherwise_keeps_its_drafts_a_completed_one_loses_them(world, upload):
    """The trigger deletes the drafts of a task whose row becomes completed, and only then."""
    from sqlalchemy import update

    from app.extensions import db
    from app.workflow.drafts import keep_draft
    from app.workflow.models import HumanTask
    from tests.processes.test_join_practicing import open_task, submit_application

    task = open_task(submit_application(world, upload))
    keep_draft(task, world.firm_reviewer.id, {"comment": "草稿"})
    ended = update(HumanTask).where(HumanTask.id == task.id)
    db.session.execute(ended.values(status="withdrawn"))
    assert db.session.query(TaskDraft).filter_by(task_id=task.id).count() == 1
    db.session.execute(ended.values(status="completed"))
    assert db.session.query(TaskDraft).filter_by(task_id=task.id).count() == 0
