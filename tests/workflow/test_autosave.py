"""Drafts per person, saved without the instance lock (issue 16, R-JOIN-6): candidate reviewers of an unclaimed
task keep their own comments, two tabs autosaving at once both succeed, and autosave counts against no limit."""

from types import SimpleNamespace

from app.workflow.models import TaskDraft
from tests.workflow.test_views import _race, application_form, firm_task_two_reviewers, login, start_and_accept_notice

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
