"""What one task completion over the API costs the database: SQL statements per request, bounded (issue 13)."""

import contextlib

from sqlalchemy import event

from app.accounts.identity_choice import identities
from app.accounts.tokens import create_token
from app.engine.specs import Catalog
from app.extensions import db
from app.organizations.societies import forget_societies

# statements per POST /api/v1/tasks/<id>/complete with a Bearer token, walking the joining process
# (R-JOIN-3), on SQLite: token and user, the person's standing (R-ACC-5, read once), the task, the grants,
# the lock with the open tasks, four writes (audit, instance, task done, next task), the answer's open tasks,
# timeline and applicant. The apply step adds its attachments and the person's facts (the form's options), the
# national step the admission; SQLite adds a write lock before each operation (app/workflow/steps.py).
# Before: notice 12, apply 40, firm 16, local 16, national 25 (standing read three times, the task read again
# after the lock, the open tasks read by the lock's caller and again by the mirror).
# Since then each completion also drops the task's autosaved drafts (one DELETE, issue 16), a review step reads
# its association's due days (issue 15), the apply step records the chosen option's decision (issue 18) and the
# approval tells the applicant (the person's SMS setting, an in-app message and an SMS, issue 15).
# +1 each (issue 17): lock_instance reads the open tasks in a statement after the lock (joined into FOR UPDATE,
# PostgreSQL returned rows from before the wait: tests/migration/test_migrate_concurrency.py)
# −1 each (issue 13): the answer leaves the timeline out unless asked (?include=timeline).
# −1 each (issue 13, completion path): the answer's open tasks are those the mirror just wrote, not read back.
# −1 on the reviewers' steps and the apply step (its facts read the grants): the token's query brings the grants.
# −1 each (issue 13, completion CPU): the task's instance is locked by the task id, and the task read with the open
# tasks after the lock (it was read once more before the lock).
# −1 on the steps that open a review task (issue 13, API CPU): its association's due days come with the request's
# one read of the associations (app/organizations/societies.py), not in a statement of their own.
# Per database since (issue 13, the mirror's writes): on SQLite the lock's statement brings the open tasks (no row
# locks there), on PostgreSQL they are read after the lock; PostgreSQL takes no write lock before an operation.
# The bounds were one above the counts until then (SQLite 8/36/10/10/23; PostgreSQL 8/35/10/10/21).
# Each request here reads the associations afresh, as a worker's request does (forget_societies below): +1 each,
# and −1 on apply, firm and local for the due days that read now brings.
# −14 on apply (issue 13, person facts: every provider's values in one SELECT); −4 on national (SQLite), −3
# (PostgreSQL): the admission in five statements, the applicant told after one read.
# −3 on apply (issue 13, apply step): the firm's context (firm, its local association, the national association) in
# one statement instead of three; the referenced attachments with their links to the application in one, not two.
# −1 each (issue 13, review steps): a completed task's drafts are deleted by a trigger on its row (the UPDATE that
# ends it), not by a DELETE of the completion's own. −1 on the reviewers' steps: the answer's applicant name comes
# with the lock of the task's instance. Were 8/21/9/9/19 (SQLite), 9/21/10/10/19 (PostgreSQL).
STATEMENT_BOUNDS = {
    "sqlite": {"notice": 7, "apply": 17, "firm": 7, "local": 7, "national": 17},
    "postgresql": {"notice": 8, "apply": 17, "firm": 8, "local": 8, "national": 17},
}


@contextlib.contextmanager
def captured():
    statements: list[str] = []

    def grab(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)


def _token_client(app, user, identity_key="personal"):
    _token, secret = create_token(user, "test", identity_key, 0)
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def _reviewer_client(app, user):
    identity = next(i for i in identities(user) if i.key != "personal")
    return _token_client(app, user, identity.key)


def test_each_completion_of_an_application_stays_within_its_statement_bound(
    app, world, application_data, open_task_id, monkeypatch
):
    applicant, applicant_name = _token_client(app, world.applicant), world.applicant.name
    started = applicant.post("/api/v1/processes/join_practicing/instances")
    assert started.status_code == 201, started.json
    instance_id = started.json["instance"]["id"]
    steps = [
        ("notice", applicant, {"agree_rules": True}),
        ("apply", applicant, application_data(applicant)),
        ("firm", _reviewer_client(app, world.firm_reviewer), {"decision": "approve"}),
        ("local", _reviewer_client(app, world.local_reviewer), {"decision": "approve"}),
        ("national", _reviewer_client(app, world.national_reviewer), {"decision": "approve"}),
    ]
    versions = []  # the instance's process version looked up, per request
    real_version = Catalog.version
    monkeypatch.setattr(Catalog, "version", lambda self, *a: versions.append(a[0]) or real_version(self, *a))
    counts, looked_up = {}, {}
    for step, client, data in steps:
        task_id = open_task_id(client, instance_id)
        db.session.remove()  # a request of its own: nothing cached in the test's session
        forget_societies()  # nor in the test's app context (a request reads the associations once)
        versions.clear()
        with captured() as statements:
            response = client.post(f"/api/v1/tasks/{task_id}/complete", json=data)
        assert response.status_code == 200, response.json
        assert "timeline" not in response.json
        assert response.json["instance"]["applicant_name"] == applicant_name
        counts[step], looked_up[step] = len(statements), len(versions)
    assert response.json["instance"]["status"] == "approved"
    bounds = STATEMENT_BOUNDS[db.engine.dialect.name]
    assert all(counts[s] <= bounds[s] for s in counts), str(counts)
    assert set(looked_up.values()) == {1}, looked_up


def test_a_completion_answers_with_the_timeline_when_asked(app, world, open_task_id):
    applicant = _token_client(app, world.applicant)
    instance_id = applicant.post("/api/v1/processes/join_practicing/instances").json["instance"]["id"]
    task_id = open_task_id(applicant, instance_id)
    wrong = applicant.post(f"/api/v1/tasks/{task_id}/complete?include=everything", json={"agree_rules": True})
    assert wrong.status_code == 422 and "include" in wrong.json["fields"]
    done = applicant.post(f"/api/v1/tasks/{task_id}/complete?include=timeline", json={"agree_rules": True})
    assert done.status_code == 200, done.json
    assert [e["action"] for e in done.json["timeline"]] == ["started", "submitted"]


def test_the_answer_lists_the_tasks_the_completion_opened_as_the_database_has_them(app, world, open_task_id):
    """Issue 13: the answer's open tasks come from the mirror's rows, not a re-read; they must be the stored ones."""
    applicant = _token_client(app, world.applicant)
    instance_id = applicant.post("/api/v1/processes/join_practicing/instances").json["instance"]["id"]
    task_id = open_task_id(applicant, instance_id)
    db.session.remove()
    with captured() as statements:
        done = applicant.post(f"/api/v1/tasks/{task_id}/complete", json={"agree_rules": True})
    assert done.status_code == 200, done.json
    inserted = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO human_task"))
    assert not [s for s in statements[inserted:] if s.startswith("SELECT human_task")]
    [answered] = done.json["open_tasks"]
    db.session.remove()
    [stored] = applicant.get(f"/api/v1/instances/{instance_id}").json["open_tasks"]
    assert answered == stored and answered["id"] != task_id and answered["bpmn_id"] == "Task_Apply"
