"""The reviewers' lists as workbooks: the inbox with its filters applied, the done list and the applications of the
organisations one oversees (app/files/workbooks.py writes them; app/admin/exports.py decides inline or background
and audits)."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from app import clock
from app.accounts.models import User
from app.extensions import db
from app.files.workbooks import CHUNK, ListExport, in_chunks
from app.i18n import translate_data
from app.organizations.societies import role_labels
from app.workflow.access import reviewer_scope
from app.workflow.inbox import InboxFilter, filtered, id_numbers_of, mask_id_number
from app.workflow.models import HumanTask, ProcessInstance
from app.workflow.presenters import STATUS_LABELS
from app.workflow.queries import INBOX_SORTS
from app.workflow.workload import oversight

ONE_DAY = timedelta(days=1)


def _task_columns() -> list[str]:
    """The columns both task lists start with (rendered in the reader's language, so made per request)."""
    return [_("申请编号"), _("申请"), _("申请人"), _("身份证号"), _("步骤"), _("角色"), _("到达时间")]


def inbox_export(user: User, filters: InboxFilter, sort: str) -> ListExport:
    scope = reviewer_scope(user)
    stmt = filtered(select(HumanTask).where(HumanTask.status == "open", scope), filters, user, scope).order_by(
        *INBOX_SORTS.get(sort, INBOX_SORTS["newest"])
    )
    return ListExport(
        _("待办任务"),
        [*_task_columns(), _("截止时间"), _("认领")],
        lambda cap: _count(stmt, cap),
        lambda limit: _rows(stmt.limit(limit), user, done=False),
        "export.inbox",
        {"filters": filters.as_args()},
    )


def done_export(user: User) -> ListExport:
    stmt = (
        select(HumanTask)
        .where(HumanTask.completed_by_id == user.id)
        .order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())
    )
    return ListExport(
        _("已办任务"),
        [*_task_columns(), _("办理时间"), _("状态")],
        lambda cap: _count(stmt, cap),
        lambda limit: _rows(stmt.limit(limit), user, done=True),
        "export.done",
    )


def _count(stmt: Select[HumanTask], cap: int) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).limit(cap).subquery())) or 0


def _rows(stmt: Select[HumanTask], user: User, *, done: bool) -> Iterable[list[object]]:
    """Rows streamed in chunks (one ID-number query per chunk); ID numbers masked as in the lists."""
    roles = role_labels()
    for tasks in in_chunks(db.session.scalars(stmt.execution_options(yield_per=CHUNK)), CHUNK):
        ids = id_numbers_of(tasks)
        for t in tasks:
            last = clock.format_local(t.completed_at) if done else clock.format_local(t.due_at)
            who = _status(t) if done else _claim(t, user)
            yield [
                t.instance_id,
                t.title,
                t.applicant_name,
                ids.get(t.instance_id, ""),
                t.name,
                roles.get(t.role, t.role),
                clock.format_local(t.created_at),
                last,
                who,
            ]


def _status(task: HumanTask) -> str:
    return {"completed": _("已完成"), "timed_out": _("已超期"), "withdrawn": _("已撤回")}.get(task.status, task.status)


def _claim(task: HumanTask, user: User) -> str:
    return _("我") if task.assignee_id == user.id else _("他人") if task.assignee_id else _("未认领")


def applications_export(user: User, params: dict[str, Any]) -> ListExport:
    """The applications that reached the organisations the person oversees (the workload dashboard's scope, or the
    one organisation `org` of it), newest first; filters: business `process`, `status`, submitted `from`/`to`."""
    scope = oversight(user, params.get("org") or None)
    reached = select(HumanTask.instance_id).where(scope.condition)
    stmt = (
        select(ProcessInstance, User)
        .join(User, User.id == ProcessInstance.applicant_id)
        .where(ProcessInstance.id.in_(reached))
        .order_by(ProcessInstance.created_at.desc(), ProcessInstance.id.desc())
    )
    if params.get("process"):
        stmt = stmt.where(ProcessInstance.process_id == params["process"])
    if params.get("status") in STATUS_LABELS:
        stmt = stmt.where(ProcessInstance.status == params["status"])
    if params.get("from"):
        stmt = stmt.where(ProcessInstance.created_at >= clock.start_of_day(date.fromisoformat(params["from"])))
    if params.get("to"):
        stmt = stmt.where(ProcessInstance.created_at < clock.start_of_day(date.fromisoformat(params["to"]) + ONE_DAY))

    def rows(limit: int) -> Iterable[list[object]]:
        for p, u in db.session.execute(stmt.limit(limit).execution_options(yield_per=CHUNK)):
            status = gettext(STATUS_LABELS.get(p.status, p.status))
            yield [
                p.id,
                translate_data(p.title),
                u.name,
                mask_id_number(u.id_number),
                status,
                translate_data(p.current_step or ""),
                clock.format_local(p.created_at),
                clock.format_local(p.completed_at),
            ]

    def count(cap: int) -> int:
        ids = stmt.with_only_columns(ProcessInstance.id).order_by(None).limit(cap).subquery()
        return db.session.scalar(select(func.count()).select_from(ids)) or 0

    headers = [
        _("申请编号"),
        _("申请"),
        _("申请人"),
        _("身份证号"),
        _("状态"),
        _("当前步骤"),
        _("提交时间"),
        _("办结时间"),
    ]
    return ListExport(_("申请列表"), headers, count, rows, "export.applications", {"filters": params})
