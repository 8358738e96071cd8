"""Database trouble answers in Chinese without database text: 409 for a lost race, 503 + Retry-After otherwise."""

import logging
from contextlib import contextmanager

import pytest
import sqlalchemy.exc
from sqlalchemy import event

from app.extensions import db
from app.workflow.models import HumanTask
from tests.workflow.test_views import login


@contextmanager
def failing(sql_start, kind="OperationalError", message="database is locked"):
    """Make the next statement starting with `sql_start` fail in the driver as `kind` (e.g. a locked database)."""
    dbapi = db.engine.dialect.loaded_dbapi
    error = getattr(dbapi, kind) if isinstance(kind, str) else kind

    def fail(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith(sql_start):
            raise error(message)

    event.listen(db.engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(db.engine, "before_cursor_execute", fail)


@contextmanager
def failing_commit(kind="OperationalError", message="disk I/O error"):
    """Make the request's commit fail as the driver's would, after the view has answered (after_request)."""
    dbapi = db.engine.dialect.loaded_dbapi

    def fail(conn):  # the commit event runs outside SQLAlchemy's wrapping of driver errors: wrap as it would
        raise getattr(sqlalchemy.exc, kind)("COMMIT", None, getattr(dbapi, kind)(message))

    event.listen(db.engine, "commit", fail)
    try:
        yield
    finally:
        event.remove(db.engine, "commit", fail)


def assert_busy(response, text):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "稍后重试" in text
    for leak in ("database is locked", "disk I/O", "sqlite", "psycopg", "UPDATE", "INSERT", "SQL"):
        assert leak not in text


def test_a_locked_database_while_completing_is_503_not_409(world, basic, submitted, open_task_id, caplog):
    _, instance_id = submitted()
    firm = basic(world.firm_reviewer)
    task_id = open_task_id(firm, instance_id)
    with failing("UPDATE PROCESS_INSTANCE"), caplog.at_level(logging.ERROR):
        response = firm.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"})
    assert_busy(response, response.json["error"])
    assert "database is locked" in caplog.text  # logged for the operator, not shown to the user
    again = firm.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"})
    assert again.status_code == 200  # nothing half-done: the retry succeeds


def test_an_error_at_commit_time_is_503_with_a_retry_hint(world, basic, submitted, open_task_id):
    _, instance_id = submitted()
    firm = basic(world.firm_reviewer)
    task_id = open_task_id(firm, instance_id)
    with failing_commit():
        response = firm.post(f"/api/v1/tasks/{task_id}/claim")
    assert_busy(response, response.json["error"])
    db.session.expire_all()
    assert db.session.get(HumanTask, task_id).assignee_id is None  # the claim was not kept


def test_a_lost_insert_race_at_commit_time_is_409(world, basic, submitted, open_task_id):
    _, instance_id = submitted()
    firm = basic(world.firm_reviewer)
    task_id = open_task_id(firm, instance_id)
    with failing_commit("IntegrityError", "UNIQUE constraint failed: x.y"):
        response = firm.post(f"/api/v1/tasks/{task_id}/claim")
    assert response.status_code == 409 and "已被他人处理" in response.json["error"]
    assert "UNIQUE" not in response.json["error"]


def test_a_browser_gets_a_chinese_503_page(world, client):
    login(client, world.applicant)
    with failing("INSERT INTO PROCESS_INSTANCE", message="server closed the connection unexpectedly"):
        response = client.post("/processes/join_practicing/start")
    html = response.get_data(as_text=True)
    assert_busy(response, html)
    assert "server closed" not in html


@pytest.mark.parametrize("kind", ["OperationalError", "IntegrityError"])
def test_database_text_from_inside_an_engine_run_never_reaches_the_user(world, basic, submitted, kind):
    """A service task's operation hits the database error: not 流程执行出错 with the driver's text."""
    client, instance_id = submitted()
    for reviewer in (world.firm_reviewer, world.local_reviewer):
        c = basic(reviewer)
        [task] = c.get(f"/api/v1/instances/{instance_id}").json["open_tasks"]
        assert c.post(f"/api/v1/tasks/{task['id']}/complete", json={"decision": "approve"}).status_code == 200
    national = basic(world.national_reviewer)
    [task] = national.get(f"/api/v1/instances/{instance_id}").json["open_tasks"]
    with failing("INSERT INTO MEMBER", kind, "secret driver text"):  # admit_member (R-JOIN-3) flushes
        response = national.post(f"/api/v1/tasks/{task['id']}/complete", json={"decision": "approve"})
    assert response.status_code == (503 if kind == "OperationalError" else 409)
    assert "secret driver text" not in response.json["error"] and "流程执行出错" not in response.json["error"]


def test_a_postgresql_serialization_failure_is_a_lost_race_409(world, basic, submitted, open_task_id):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serializes writers; PostgreSQL reports a lost race as SQLSTATE 40001")
    import psycopg.errors

    _, instance_id = submitted()
    firm = basic(world.firm_reviewer)
    task_id = open_task_id(firm, instance_id)
    with failing("UPDATE PROCESS_INSTANCE", psycopg.errors.SerializationFailure, "could not serialize access"):
        response = firm.post(f"/api/v1/tasks/{task_id}/complete", json={"decision": "approve"})
    assert response.status_code == 409 and "已被他人处理" in response.json["error"]
