"""Read-only lists for pages and API: inbox, done-by-me, my applications, timelines. Rows only, no engine."""

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import MAXYEAR, MINYEAR, date, datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import Integer, Select, bindparam, func, select

from app import clock
from app.accounts.models import User
from app.engine.specs import catalog
from app.extensions import db
from app.workflow.access import bound_reviewer_scope, scope_params
from app.workflow.inbox import TASK, InboxFilter, Shape, filter_params, filter_shape, shaped_conditions
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance
from app.workflow.steps import mirrored_open_tasks

# on the task table's columns: the inbox page's plain-SQL statements and the ORM's selects of HumanTask share them
INBOX_SORTS: dict[str, tuple[Any, ...]] = {
    "newest": (TASK.created_at.desc(), TASK.id.desc()),
    "oldest": (TASK.created_at.asc(), TASK.id.asc()),
    "due": (TASK.due_at.asc().nulls_last(), TASK.id.asc()),
}

COUNT_CAP = 1000
AnySelect = Select[*tuple[Any, ...]]


@dataclass
class Page:
    items: list[Any]
    page: int
    has_next: bool


def list_inbox(
    user: User,
    *,
    sort: str = "newest",
    process_id: str | None = None,
    page: int = 1,
    per_page: int = 20,
    filters: InboxFilter | None = None,
) -> Page:
    """Open tasks for the user's roles and organisations, as task objects (the API's inbox); one indexed query, no
    count over the table. `process_id` narrows as the filter's process does. The statement is built once per shape,
    like inbox_rows' (building it cost more than running it, issue 13)."""
    filters = filters or InboxFilter()
    if process_id:
        filters = replace(filters, process=process_id)
    sort = sort if sort in INBOX_SORTS else "newest"
    scope = scope_params(user)
    shape = filter_shape(filters)
    stmt = _built(("tasks", len(scope), shape, sort), lambda: _tasks_statement(len(scope) // 2, shape, sort))
    params = {**scope, **filter_params(filters, user), "limit": per_page + 1, "offset": (page - 1) * per_page}
    rows = list(db.session.scalars(stmt, params))
    return Page(rows[:per_page], page, len(rows) > per_page)


def _tasks_statement(grants: int, shape: Shape, sort: str) -> AnySelect:
    scope = bound_reviewer_scope(grants)
    return (
        select(HumanTask)
        .where(TASK.status == "open", scope, *shaped_conditions(shape, scope))
        .order_by(*INBOX_SORTS[sort])
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


# what the inbox page shows of a task, and the applicant's ID number (masked by the page)
INBOX_ROW = (
    TASK.id,
    TASK.instance_id,
    TASK.title,
    TASK.applicant_name,
    TASK.name,
    TASK.role,
    TASK.created_at,
    TASK.due_at,
    TASK.due_note,
    TASK.assignee_id,
    User.__table__.c.id_number,
)
_INSTANCE = ProcessInstance.__table__.c
_ROW_FROM = HumanTask.__table__.join(ProcessInstance.__table__, _INSTANCE.id == TASK.instance_id).join(
    User.__table__, User.__table__.c.id == _INSTANCE.applicant_id
)


def inbox_rows(
    user: User, *, sort: str = "newest", page: int = 1, per_page: int = 20, filters: InboxFilter | None = None
) -> Page:
    """list_inbox for the inbox page: the same tasks in the same order, as plain rows of the shown columns with the
    applicant's ID number joined in (one statement; building twenty task objects and reading the ID numbers in a
    second statement was a fifth of the page's time). The statement is built once per shape (_built)."""
    filters = filters or InboxFilter()
    sort = sort if sort in INBOX_SORTS else "newest"
    scope = scope_params(user)
    shape = filter_shape(filters)
    stmt = _built(("rows", len(scope), shape, sort), lambda: _rows_statement(len(scope) // 2, shape, sort))
    params = {**scope, **filter_params(filters, user), "limit": per_page + 1, "offset": (page - 1) * per_page}
    rows = list(db.session.connection().execute(stmt, params))  # plain columns: no ORM step (issue 15)
    return Page(rows[:per_page], page, len(rows) > per_page)


def _rows_statement(grants: int, shape: Shape, sort: str) -> AnySelect:
    scope = bound_reviewer_scope(grants)
    return (
        select(*INBOX_ROW)
        .select_from(_ROW_FROM)
        .where(TASK.status == "open", scope, *shaped_conditions(shape, scope))
        .order_by(*INBOX_SORTS[sort])
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


# The inbox page's statements by shape (the number of grants, each filter's shape, the sort), values left as bound
# parameters. Building a statement and computing its cache key cost more CPU than SQLite took to run it (issue 13):
# a reused statement skips both. A few dozen shapes are in use; the bound keeps a flood of odd URLs from growing it.
_STATEMENTS: dict[tuple[object, ...], AnySelect] = {}
_MAX_STATEMENTS = 256


def _built(key: tuple[object, ...], build: Callable[[], AnySelect]) -> AnySelect:
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        if len(_STATEMENTS) >= _MAX_STATEMENTS:
            _STATEMENTS.clear()
        stmt = _STATEMENTS[key] = build()
    return stmt


def count_inbox(user: User, filters: InboxFilter, cap: int = COUNT_CAP) -> int:
    """How many open tasks a saved view holds, counted up to `cap` (a tab shows "999+" beyond it)."""
    return count_inbox_views(user, [filters], cap)[0]


def count_inbox_views(user: User, views: list[InboxFilter], cap: int = COUNT_CAP) -> list[int]:
    """The counts of several saved views (each up to `cap`) in one statement: a scalar subquery per view, so that
    the inbox's tabs cost one round trip, not one per tab. Built once per shape, like inbox_rows'."""
    if not views:
        return []
    scope = scope_params(user)
    shapes = tuple(filter_shape(f) for f in views)
    stmt = _built(("counts", len(scope), shapes), lambda: _counts_statement(len(scope) // 2, shapes))
    params: dict[str, Any] = {**scope, "cap": cap}
    for i, f in enumerate(views):
        params.update(filter_params(f, user, f"view_{i}_"))
    return [n or 0 for n in db.session.connection().execute(stmt, params).one()]


def _counts_statement(grants: int, shapes: tuple[Shape, ...]) -> AnySelect:
    scope = bound_reviewer_scope(grants)
    counts = [
        select(func.count())
        .select_from(
            select(TASK.id)
            .where(TASK.status == "open", scope, *shaped_conditions(shape, scope, f"view_{i}_"))
            .limit(bindparam("cap", type_=Integer))
            .subquery()
        )
        .scalar_subquery()
        .label(f"view_{i}")
        for i, shape in enumerate(shapes)
    ]
    return select(*counts)


def list_done(user: User, *, page: int = 1, per_page: int = 20) -> Page:
    stmt = (
        select(HumanTask)
        .where(HumanTask.completed_by_id == user.id)
        .order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    )
    rows = list(db.session.scalars(stmt))
    return Page(rows[:per_page], page, len(rows) > per_page)


def list_applications(user: User, year: int) -> list[ProcessInstance]:
    """R-REC-1: the applicant's applications of one year (the association's calendar year), newest first."""
    if not MINYEAR < year < MAXYEAR:  # the year's bounds would not be dates
        return []
    starts, ends = clock.start_of_day(date(year, 1, 1)), clock.start_of_day(date(year + 1, 1, 1))
    stmt = (
        select(ProcessInstance)
        .where(
            ProcessInstance.applicant_id == user.id,
            ProcessInstance.created_at >= starts,
            ProcessInstance.created_at < ends,
        )
        .order_by(ProcessInstance.created_at.desc(), ProcessInstance.id.desc())
    )
    return list(db.session.scalars(stmt))


def open_tasks_for(user: User, instance: ProcessInstance) -> list[HumanTask]:
    """The instance's open tasks (by id); those this transaction's mirror just wrote are not read back."""
    mirrored = mirrored_open_tasks(instance)
    if mirrored is not None:
        return mirrored
    stmt = select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    return list(db.session.scalars(stmt.order_by(HumanTask.id)))


def timeline(instance: ProcessInstance) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.instance_id == instance.id).order_by(AuditEvent.at, AuditEvent.id)
        )
    )


def latest_submissions(instance: ProcessInstance) -> dict[str, AuditEvent]:
    """The newest submission of each form in the instance: what reviewers read as 'the application'."""
    latest: dict[str, AuditEvent] = {}
    for event in timeline(instance):
        if event.form_key and event.data is not None:
            latest[event.form_key] = event
    return latest


def startable_processes() -> list[tuple[str, str]]:
    """Processes whose first user task belongs to the applicant, by their Chinese name."""
    cat = catalog()
    return sorted(
        (pid, cat.process(pid).name)
        for pid in cat.current
        if any(t.lane == "applicant" for t in cat.process(pid).user_tasks.values())
    )


def remaining(due_at: datetime | None, now: datetime) -> str | None:
    """How long until a task's timer fires, as a reviewer reads it: whole days rounded up, hours on the last day."""
    if due_at is None:
        return None
    seconds = (due_at - now).total_seconds()
    if seconds < 0:
        late = -seconds
        if late < 86400:
            return gettext("已超期 %(n)d 小时", n=math.ceil(late / 3600))
        return gettext("已超期 %(n)d 天", n=int(late // 86400))
    if seconds < 86400:
        return gettext("剩余 %(n)d 小时", n=math.ceil(seconds / 3600))
    return gettext("剩余 %(n)d 天", n=math.ceil(seconds / 86400))
