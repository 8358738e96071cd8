"""One app object serving requests from several threads at once, as a gunicorn gthread worker does
(MEMBERFLOW_THREADS, issue 13): completions, autosaves and inbox pages in both languages at the same time.

No request fails, every application advances exactly once per step though three clients of the reviewer complete
each task at the same moment, each inbox page is in its reader's language, and the worker's live workflows end
as what the rows store."""

from collections import Counter
from collections.abc import Callable

from sqlalchemy import func, select

from app import clock
from app.accounts.models import User
from app.demo import DEMO_PASSWORD, load_demo
from app.engine.live import Stamp
from app.engine.store import dump_instance
from app.extensions import db
from app.i18n import COOKIE
from app.members.models import Member, Qualification
from app.workflow import inbox
from app.workflow.live import live_workflows
from app.workflow.models import HumanTask, ProcessInstance
from tests.processes.test_join_practicing import application
from tests.threads import ClearedMeanwhile, at_once

APPLICANTS = 6
RACERS = 3  # clients of one reviewer sending the same completions at once
REVIEWS = ("firm_reviewer", "local_reviewer", "national_reviewer")
# (what the page must say, what it must not) per language: the heading and a business option of the filter
PAGE_WORDS = {
    "zh": (
        ("<h1>待办任务</h1>", ">执业会员入会申请</option>"),
        ("<h1>Inbox</h1>", ">Practicing membership application<"),
    ),
    "en": (
        ("<h1>Inbox</h1>", ">Practicing membership application</option>"),
        ("<h1>待办任务</h1>", ">执业会员入会申请<"),
    ),
}


def _client(app, mobile: str, language: str = "zh"):
    client = app.test_client()
    client.set_cookie(COOKIE, language)
    response = client.post("/login", data={"mobile": mobile, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    client.environ_base["HTTP_X_REQUESTED_WITH"] = "XMLHttpRequest"  # the API takes the session's login then
    return client


def _applicants(count: int) -> list[User]:
    users = []
    for i in range(count):
        user = User(mobile=f"1580000{i:04d}", name=f"申请人{i:02d}", id_number=f"11010519900101{i:04d}")
        user.verified_at = clock.now()
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        users.append(user)
    db.session.flush()
    for user in users:
        db.session.add(
            Qualification(user_id=user.id, kind="appraiser", certificate_number="ZC2024001", passed_on=clock.today())
        )
    db.session.commit()
    return users


def _inbox_reader(client, language: str, times: int) -> Callable[[], None]:
    def read() -> None:
        for _ in range(times):
            response = client.get("/inbox")
            assert response.status_code == 200, response.status_code
            html = response.get_data(as_text=True)
            wanted, unwanted = PAGE_WORDS[language]
            assert all(w in html for w in wanted) and not any(u in html for u in unwanted), language

    return read


def _applicant_walk(client, data: dict) -> Callable[[], None]:
    def walk() -> None:
        started = client.post("/api/v1/processes/join_practicing/instances")
        assert started.status_code == 201, started.json
        [notice] = started.json["open_tasks"]
        done = client.post(f"/api/v1/tasks/{notice['id']}/complete", json={"agree_rules": True})
        assert done.status_code == 200, done.json
        [apply] = done.json["open_tasks"]
        for draft in range(2):
            saved = client.post(f"/tasks/{apply['id']}/autosave", data={"archive_location": f"第 {draft} 稿"})
            assert saved.status_code == 200, saved.status_code
        sent = client.post(f"/api/v1/tasks/{apply['id']}/complete", json=data)
        assert sent.status_code == 200, sent.json

    return walk


def _racer(client, task_ids: list[int], first: int, answers: list[tuple[int, int]]) -> Callable[[], None]:
    """Autosave a comment on each task, then complete it, starting at a different task than the other racers."""

    def race() -> None:
        for task_id in task_ids[first:] + task_ids[:first]:
            saved = client.post(f"/tasks/{task_id}/autosave", data={"comment": "材料齐全"})
            assert saved.status_code in (200, 409), saved.status_code  # 409: another racer completed it already
            done = client.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"})
            assert done.status_code in (200, 409), done.json
            answers.append((task_id, done.status_code))

    return race


def _open_task_ids() -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(HumanTask.id).where(HumanTask.status == "open").order_by(HumanTask.id)))


def test_one_app_serving_threads_completes_each_step_once_and_answers_each_reader_in_their_language(file_app, upload):
    with file_app.app_context():
        world = load_demo()
        db.session.commit()
        people = _applicants(APPLICANTS)
        forms = [application(world, upload, user) for user in people]  # the uploads are the applicants' own
        db.session.commit()
        mobiles = {role: getattr(world, role).mobile for role in REVIEWS}
        applicant_mobiles = [user.mobile for user in people]
        applicant_ids = [user.id for user in people]
        db.session.remove()
    applicants = [_client(file_app, mobile) for mobile in applicant_mobiles]
    readers = [(_client(file_app, mobiles["firm_reviewer"], "zh"), "zh")]
    readers.append((_client(file_app, mobiles["local_reviewer"], "en"), "en"))

    jobs = [_applicant_walk(c, data) for c, data in zip(applicants, forms, strict=True)]
    failures = at_once(jobs + [_inbox_reader(c, language, 3) for c, language in readers])
    assert failures == []

    for role in REVIEWS:
        with file_app.app_context():
            task_ids = _open_task_ids()
        assert len(task_ids) == APPLICANTS, role
        answers: list[tuple[int, int]] = []
        racers = [_client(file_app, mobiles[role]) for _ in range(RACERS)]
        jobs = [_racer(c, task_ids, i * APPLICANTS // RACERS, answers) for i, c in enumerate(racers)]
        failures = at_once(jobs + [_inbox_reader(c, language, 2) for c, language in readers])
        assert failures == [], role
        assert Counter(task_id for task_id, code in answers if code == 200) == Counter(task_ids), role  # once each
        assert len(answers) == RACERS * APPLICANTS, role

    with file_app.app_context():
        instances = db.session.scalars(select(ProcessInstance)).all()
        assert sorted(i.applicant_id for i in instances) == sorted(applicant_ids)  # one application each
        assert {i.status for i in instances} == {"approved"}
        completed = db.session.execute(
            select(HumanTask.instance_id, func.count())
            .where(HumanTask.status == "completed")
            .group_by(HumanTask.instance_id)
        ).all()
        assert sorted(n for _, n in completed) == [5] * APPLICANTS  # notice, apply, firm, local, national
        assert _open_task_ids() == []
        members = db.session.scalars(select(Member.user_id).where(Member.status == "active")).all()
        assert sorted(m for m in members if m in applicant_ids) == sorted(applicant_ids)  # admitted once each
        cache = live_workflows()
        for instance in instances:  # a kept workflow is the one the row stores, whichever thread kept it
            row = Stamp(instance.row_version, instance.spec_key, instance.serializer_version, instance.state)
            assert cache.stamp_of(instance.id) in (None, row)
            kept = cache.take(instance.id, row)
            assert kept is None or dump_instance(kept) == instance.state


def test_the_inbox_options_are_given_though_another_thread_cleared_their_memo_meanwhile(app, monkeypatch):
    """The filter options are kept per catalog and language in a bounded dict; a thread that stored its entry
    and read it back found it gone when another thread had emptied the dict in between (a KeyError, a 500)."""
    monkeypatch.setattr(inbox, "_OPTIONS", ClearedMeanwhile())
    with app.test_request_context("/inbox"):
        processes, steps = inbox.filter_options(lambda: [("join_practicing", "执业会员入会申请")])
    assert processes == [("join_practicing", "执业会员入会申请")] and ("地方协会审核", "地方协会审核") in steps
