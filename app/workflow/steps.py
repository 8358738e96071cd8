"""The steps every action on an instance shares: lock its row, run the engine, map errors, audit, flush."""

from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, and_, bindparam, event, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.accounts.models import User
from app.decisions.log import recording
from app.engine import runtime, scripting
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.workflow.access import MIGHT_ACT
from app.workflow.facts import forget_facts
from app.workflow.incidents import begin_step, end_step, step_failed
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance

_OPEN_AT_LOCK = "memberflow.open_tasks_at_lock"  # session.info: instance id -> its open HumanTask rows
_OPEN_MIRRORED = "memberflow.open_tasks_mirrored"  # session.info: instance id -> its open rows as the mirror left them
_APPLICANT_NAMES = "memberflow.applicant_names"  # session.info: instance id -> applicant's name, read with the lock


# actions whose audit rows a before_flush listener must see among the session's new objects (app/notify/hooks.py
# adds the ones it tells applicants about)
WATCHED_AUDIT_ACTIONS: set[str] = set()
_INSERT_AUDIT = insert(AuditEvent)


def audit(instance: ProcessInstance, actor: User | None, action: str, **kw: Any) -> None:
    """Record who did what. Inserted at once by a Core statement on the session's connection (issue 13: a row
    nobody reads back in the request need not cost the unit of work); a watched action, an instance not yet
    flushed, or an audit row still pending in the session (rows keep their order) go through the session."""
    values = {
        "instance_id": instance.id,
        "at": clock.now(),
        "actor_id": actor.id if actor else None,
        "actor_name": actor.name if actor else "系统",
        "action": action,
        **kw,
    }
    session = db.session()
    if (
        instance.id is None
        or action in WATCHED_AUDIT_ACTIONS
        or any(isinstance(row, AuditEvent) for row in session.new)
    ):
        session.add(AuditEvent(**values))
        return
    session.connection().execute(_INSERT_AUDIT, [values])
    forget_facts(session)  # a person's facts read their earlier submissions (app/members/services.py)


# built once: a completion's hot path runs them on every request (issue 13)
_LOCK = (
    select(ProcessInstance)
    .where(ProcessInstance.id == bindparam("instance_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)
# the instance of a task, locked, in one statement: a completion need not read the task before the lock (its row
# comes with the open tasks read after it); FOR UPDATE locks the instance row only, a task's instance never changes.
# Only a task the person might act on is locked (access.MIGHT_ACT): anyone else gets no row and their 404 without
# having held the instance for a moment (issue 13).
# the applicant's name comes with the lock of a task's instance: the answer to a completion names them (issue 13: a
# reviewer's completion read their row for it); a subquery of the select list, so FOR UPDATE locks no user row
_APPLICANT_NAME = select(User.name).where(User.id == ProcessInstance.applicant_id).scalar_subquery()
_LOCK_OF_TASK = (
    select(ProcessInstance, _APPLICANT_NAME)
    .where(
        ProcessInstance.id
        == select(HumanTask.instance_id).where(HumanTask.id == bindparam("task_id"), MIGHT_ACT).scalar_subquery()
    )
    .with_for_update()
    .execution_options(populate_existing=True)
)
_OPEN_TASKS = (
    select(HumanTask)
    .where(HumanTask.instance_id == bindparam("instance_id"), HumanTask.status == "open")
    .order_by(HumanTask.id)
    .execution_options(populate_existing=True)
)
# SQLite has no row locks (FOR UPDATE is left out; sqlite_write_lock takes the database's lock) and one statement
# reads one snapshot: there the open tasks come in the lock's own statement, one statement fewer per action
_OPEN_OF_INSTANCE = and_(HumanTask.instance_id == ProcessInstance.id, HumanTask.status == "open")
_LOCK_WITH_OPEN = _LOCK.add_columns(HumanTask).outerjoin(HumanTask, _OPEN_OF_INSTANCE).order_by(HumanTask.id)
_LOCK_OF_TASK_WITH_OPEN = (
    _LOCK_OF_TASK.add_columns(HumanTask).outerjoin(HumanTask, _OPEN_OF_INSTANCE).order_by(HumanTask.id)
)


def lock_instance(instance_id: int) -> ProcessInstance:
    """The instance row, locked until the transaction ends (SELECT … FOR UPDATE; SQLite: see sqlite_write_lock)."""
    instance = _lock(_LOCK, _LOCK_WITH_OPEN, {"instance_id": instance_id})
    if instance is None:
        raise NotFound(gettext("申请不存在"))
    return instance


def lock_instance_of_task(task_id: int, user_id: int) -> ProcessInstance | None:
    """The instance of the task, locked as lock_instance locks it, with its open tasks read after the lock
    (open_tasks_at_lock); None if there is no such task or none of the person's role grants reaches it. The caller
    checks who may act on the task, on the rows read after the lock."""
    return _lock(_LOCK_OF_TASK, _LOCK_OF_TASK_WITH_OPEN, {"task_id": task_id, "user_id": user_id})


def _lock(lock: Select[Any], with_open: Select[Any], params: dict[str, int]) -> ProcessInstance | None:
    # a row is (instance, [applicant's name,] [open task]): the open task last, in with_open only
    if db.session.get_bind().dialect.name == "sqlite":
        rows = db.session.execute(with_open, params).all()
        first = rows[0][:-1] if rows else None
        tasks = [row[-1] for row in rows if row[-1] is not None]
    else:
        # the open tasks are read after the lock, in a statement of their own: joined into the FOR UPDATE, a row
        # another transaction changed while this one waited comes from the snapshot taken before the wait
        # (PostgreSQL re-reads only the locked row), e.g. a task a migration renamed (test_migrate_concurrency)
        first = db.session.execute(lock, params).one_or_none()
        tasks = list(db.session.scalars(_OPEN_TASKS, {"instance_id": first[0].id})) if first is not None else []
    if first is None:
        return None
    instance = first[0]
    db.session.info["memberflow.locked_instance"] = instance.id  # names the instance in an incident
    db.session.info.setdefault(_OPEN_AT_LOCK, {})[instance.id] = tasks
    if len(first) > 1:
        db.session.info.setdefault(_APPLICANT_NAMES, {})[instance.id] = first[1]
    return instance


def applicant_name(instance: ProcessInstance) -> str:
    """The applicant's name: as the lock of a task's instance read it in this transaction, else from their row."""
    known = db.session.info.get(_APPLICANT_NAMES, {}).get(instance.id)
    return known if known is not None else instance.applicant.name


# sets a column no index holds to itself: SQLite then writes no page (as `SET id = id` it rewrote the row, its
# overflow pages and every index of the table, the row's key having "changed")
_WRITE_LOCK = (
    update(ProcessInstance)
    .where(ProcessInstance.id == bindparam("instance_id"))
    .values(row_version=ProcessInstance.row_version)
)


def sqlite_write_lock() -> None:
    """Before a BPMN operation runs: on SQLite, take the database's write lock with a write that changes nothing.

    SQLite has no row locks and ignores FOR UPDATE. An engine run is inside a savepoint, which SQLite begins as a
    read transaction; an operation that reads and then writes (admitting a member: read the firm, insert the
    member) would have its write refused at once ('database is locked', not waited for) whenever another
    connection committed after its read. Written first, the lock is waited for instead (busy_timeout). Scripts
    and gateways never touch the database, so a looping script still holds nothing another request needs.
    """
    if db.session.get_bind().dialect.name == "sqlite":  # a write statement takes the lock even if no row matches
        instance_id = db.session.info.get("memberflow.locked_instance") or 0
        # on the session's connection: no ORM update (it changes nothing the session holds), no autoflush
        db.session.connection().execute(_WRITE_LOCK, {"instance_id": instance_id})


scripting.BEFORE_OPERATION.append(sqlite_write_lock)


def open_tasks_at_lock(instance: ProcessInstance, take: bool = False) -> list[HumanTask] | None:
    """The instance's open task rows as `lock_instance` read them in this transaction (None: not locked so).

    The mirror takes them (`take`): once it has written tasks, a later mirror of the same instance reads again."""
    known = db.session.info.get(_OPEN_AT_LOCK, {})
    return known.pop(instance.id, None) if take else known.get(instance.id)


def created_without_tasks(instance: ProcessInstance) -> None:
    """`instance` was inserted by this transaction: no other one can see it, so it has no task rows yet, and its
    first mirror need not read them (open_tasks_at_lock answers as for a locked instance)."""
    db.session.info.setdefault(_OPEN_AT_LOCK, {})[instance.id] = []


@event.listens_for(Session, "after_transaction_end")
def _forget_open_at_lock(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the lock ends with the transaction (a savepoint's end leaves it held)
        session.info.pop(_OPEN_AT_LOCK, None)
        session.info.pop(_APPLICANT_NAMES, None)


def remember_open_tasks(instance: ProcessInstance, tasks: list[HumanTask]) -> None:
    """The mirror's open task rows of `instance` (in id order, new ones last): the answer to the request that ran
    the engine lists them without reading them back (issue 13)."""
    db.session.info.setdefault(_OPEN_MIRRORED, {})[instance.id] = tasks


def mirrored_open_tasks(instance: ProcessInstance) -> list[HumanTask] | None:
    """The instance's open tasks as this transaction's mirror left them, once flushed; None: not mirrored here."""
    tasks = db.session.info.get(_OPEN_MIRRORED, {}).get(instance.id)
    if tasks is None or any(t.id is None or t.status != "open" for t in tasks):
        return None
    return list(tasks)


@event.listens_for(Session, "after_transaction_end")
def _forget_mirrored(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None or transaction.nested:  # a savepoint's end too (not a flush's own subtransaction)
        session.info.pop(_OPEN_MIRRORED, None)


def flush_or_conflict() -> None:
    """Flush; a stale row version is a conflict (409). A locked or lost database propagates: a 503 (errorpages)."""
    try:
        db.session.flush()
    except StaleDataError as err:
        raise stale_instance() from err


def stale_instance() -> Conflict:
    """The transaction rolled back and the conflict to raise: the instance row changed since this request read it."""
    db.session.rollback()
    return Conflict(gettext("该申请刚刚已被他人处理，请刷新后查看最新状态"))


def run_engine(
    fn: Any, *args: Any, instance: ProcessInstance | None = None, actor: User | None = None, **kw: Any
) -> runtime.Snapshot:
    """Run one engine action; the decisions it makes for `instance` (business-rule tasks, service operations that
    decide) go to the decision log as `actor`'s, or the system's when there is none (issue 18). `kw` go to the
    engine (`live=`: the workflow this worker kept, issue 13)."""
    outer = begin_step(fn.__name__, args[0], args)
    try:
        if instance is None:  # a new instance's first run: its creator records (instances.create_instance)
            return fn(*args, **kw)
        with recording(
            "engine",
            instance.applicant_id,
            actor_id=actor.id if actor else None,
            process_id=instance.process_id,
            instance_id=instance.id,
            by_system=actor is None,
        ):
            return fn(*args, **kw)
    except runtime.TaskNotReady as err:
        raise Conflict(gettext("该任务已处理完毕或已不在当前步骤，请刷新")) from err
    except runtime.EngineError as err:
        database = _database_cause(err)
        if database is not None:  # an operation's query failed: a conflict or a 503, never the driver's text
            raise database from err
        refusal = domain_cause(err)
        if refusal is not None:  # a domain operation refused (e.g. the same firm again): say it plainly
            raise refusal from err
        where = f"（步骤 {err.bpmn_id}" + (f"，第 {err.line} 行）" if err.line else "）") if err.bpmn_id else ""
        raise step_failed(f"流程执行出错{where}：{err}", err.bpmn_id) from err
    finally:
        end_step(outer)


def _database_cause(err: BaseException) -> DBAPIError | None:
    seen: BaseException | None = err
    while seen is not None and not isinstance(seen, DBAPIError):
        seen = getattr(seen, "exception", None) or seen.__cause__
    return seen


def domain_cause(err: BaseException) -> DomainError | None:
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, DomainError):
            return seen
        seen = getattr(seen, "exception", None) or seen.__cause__
    return None
