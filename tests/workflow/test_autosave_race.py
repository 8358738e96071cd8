"""An autosave and the completion of the same task at once (R-JOIN-6): no draft outlives its completed task.

A draft of a completed task is personal data nobody can send, see or delete any more. The completion's trigger
deletes the drafts it can see; these tests put an autosave in each window where it could not see one. Each
interleaving is forced with events (and, on PostgreSQL, by asking the server who waits for whom), never a sleep."""

import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import event, select, text

from app.accounts.models import User
from app.extensions import db
from app.workflow import services
from app.workflow.models import TaskDraft
from tests.workflow.test_views import firm_task_two_reviewers, login

__all__ = ["firm_task_two_reviewers"]  # the fixture, shared with test_views

APPROVE = {"decision": "approve", "action": "submit"}
WAIT = 30  # seconds: a bound for a thread that should long have reached its point, not a pause


def _client(app, mobile):
    client = app.test_client()
    with app.app_context():
        login(client, SimpleNamespace(mobile=mobile))
    return client


def _drafts(app, task_id) -> int:
    with app.app_context():
        return db.session.query(TaskDraft).filter_by(task_id=task_id).count()


def _run(app, work: Callable[[], Any], outcome: dict[str, Any], finished: threading.Event) -> threading.Thread:
    """`work` in a thread with an app context (a connection) of its own; what it returns, or raises, in `outcome`."""

    def run() -> None:
        with app.app_context():
            try:
                outcome["result"] = work()
            except Exception as err:  # the test asserts on it
                outcome["error"] = err
            finally:
                db.session.remove()
                finished.set()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _holding(work: Callable[[], Any], outcome: dict[str, Any], ready: threading.Event, go: threading.Event):
    """`work`, then its transaction held open (its backend's pid in `outcome`) until `go`; then committed."""

    def held() -> Any:
        result = work()
        outcome["pid"] = db.session.scalar(text("SELECT pg_backend_pid()"))
        ready.set()
        assert go.wait(WAIT)
        db.session.commit()
        return result

    return held


_SOMEONE_WAITS_FOR = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted AND :pid = ANY(pg_blocking_pids(pid)))"
)


def _waits_for(app, pid: int, finished: threading.Event) -> bool:
    """True once a transaction waits for a lock the backend `pid` holds; False if `finished` comes first."""
    with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for _ in range(WAIT * 200):
            if finished.wait(0.005):
                return False
            if conn.scalar(_SOMEONE_WAITS_FOR, {"pid": pid}):
                return True
    raise AssertionError("the other thread neither waited nor finished")


def test_a_completion_committed_between_the_autosaves_read_and_write_refuses_the_autosave(
    file_app, firm_task_two_reviewers
):
    """The autosave has read the task open; the completion commits before the autosave's write reaches the
    database, and the write must notice. On SQLite this is the whole race: a write that comes while a completion
    is uncommitted waits for the one write lock, and so comes after its commit."""
    task_id, (completer, saver) = firm_task_two_reviewers
    autosaver, reviewer = _client(file_app, saver), _client(file_app, completer)
    completion: dict[str, Any] = {}

    def complete_first(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().startswith("INSERT INTO task_draft") and not completion:
            done = threading.Event()
            _run(file_app, lambda: reviewer.post(f"/tasks/{task_id}", data=APPROVE).status_code, completion, done)
            assert done.wait(WAIT)

    with file_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", complete_first)
    try:
        resp = autosaver.post(f"/tasks/{task_id}/autosave", data={"comment": "劳动合同缺页"})
    finally:
        event.remove(engine, "before_cursor_execute", complete_first)

    assert completion == {"result": 302}
    assert resp.status_code == 409 and "已由他人处理完毕" in resp.get_data(as_text=True)
    assert _drafts(file_app, task_id) == 0


@pytest.fixture
def postgresql_only(file_app):
    with file_app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip(
                "SQLite has one writer: the autosave's write waits for the completion's commit, as in the test above"
            )


def test_an_autosave_while_the_completion_is_uncommitted_waits_for_it_and_is_refused(
    file_app, firm_task_two_reviewers, postgresql_only
):
    """The completion has ended the task (its trigger ran) and not committed: the autosave must not write a row that
    trigger never saw. It waits for the completion and is then told the task is done."""
    task_id, (completer, saver) = firm_task_two_reviewers
    autosaver = _client(file_app, saver)
    updated, go, completion_done, autosave_done = (threading.Event() for _ in range(4))
    completion: dict[str, Any] = {}
    autosave: dict[str, Any] = {}

    def complete() -> Any:
        user = db.session.scalar(select(User).where(User.mobile == completer))
        return services.submit_task(task_id, user, APPROVE).id

    threads = [_run(file_app, _holding(complete, completion, updated, go), completion, completion_done)]
    assert updated.wait(WAIT), completion
    threads.append(
        _run(
            file_app,
            lambda: autosaver.post(f"/tasks/{task_id}/autosave", data={"comment": "材料齐全"}).status_code,
            autosave,
            autosave_done,
        )
    )
    waited = _waits_for(file_app, completion["pid"], autosave_done)
    go.set()
    for thread in threads:
        thread.join(WAIT)

    assert "error" not in completion and autosave == {"result": 409}
    assert _drafts(file_app, task_id) == 0
    assert waited  # the autosave's write came while the completion was uncommitted, and waited for it


def test_a_first_autosave_uncommitted_when_the_completion_comes_is_deleted_with_the_task(
    file_app, firm_task_two_reviewers, postgresql_only
):
    """The autosave has written the task's first draft and not committed: the completion's trigger could not see
    that row. The completion waits for the autosave's commit, and then its trigger deletes the draft."""
    task_id, (completer, saver) = firm_task_two_reviewers
    reviewer = _client(file_app, completer)
    saved, go, autosave_done, completion_done = (threading.Event() for _ in range(4))
    autosave: dict[str, Any] = {}
    completion: dict[str, Any] = {}

    def save() -> Any:
        user = db.session.scalar(select(User).where(User.mobile == saver))
        return services.save_draft(task_id, user, {"comment": "材料齐全"}).id

    threads = [_run(file_app, _holding(save, autosave, saved, go), autosave, autosave_done)]
    assert saved.wait(WAIT), autosave
    threads.append(
        _run(
            file_app,
            lambda: reviewer.post(f"/tasks/{task_id}", data=APPROVE).status_code,
            completion,
            completion_done,
        )
    )
    waited = _waits_for(file_app, autosave["pid"], completion_done)
    go.set()
    for thread in threads:
        thread.join(WAIT)

    assert autosave == {"result": task_id, "pid": autosave["pid"]} and completion == {"result": 302}
    assert _drafts(file_app, task_id) == 0
    assert waited  # the completion ended the task only after the autosave had committed


def test_autosaves_of_two_candidate_reviewers_never_wait_for_each_other(
    file_app, firm_task_two_reviewers, postgresql_only
):
    """Both take the task's row only to read it (a shared lock): one person's uncommitted autosave holds nobody else's
    back, as two tabs of one person both succeed (test_autosave.py)."""
    task_id, (first, second) = firm_task_two_reviewers
    other = _client(file_app, second)
    saved, go, first_done, second_done = (threading.Event() for _ in range(4))
    held: dict[str, Any] = {}
    other_save: dict[str, Any] = {}

    def save() -> Any:
        user = db.session.scalar(select(User).where(User.mobile == first))
        return services.save_draft(task_id, user, {"comment": "材料齐全"}).id

    threads = [_run(file_app, _holding(save, held, saved, go), held, first_done)]
    assert saved.wait(WAIT), held
    threads.append(
        _run(
            file_app,
            lambda: other.post(f"/tasks/{task_id}/autosave", data={"comment": "劳动合同缺页"}).status_code,
            other_save,
            second_done,
        )
    )
    waited = _waits_for(file_app, held["pid"], second_done)
    go.set()
    for thread in threads:
        thread.join(WAIT)

    assert not waited and other_save == {"result": 200} and "error" not in held
    assert _drafts(file_app, task_id) == 2
