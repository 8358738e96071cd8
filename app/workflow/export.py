"""The reviewers' lists as Excel workbooks: the inbox with its filters applied, and the done list; audited."""

import io
from collections.abc import Iterable

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import Select, select

from app import clock
from app.accounts.models import User
from app.admin.audit import record_admin_action
from app.extensions import db
from app.organizations.societies import role_labels
from app.workflow.access import reviewer_scope
from app.workflow.inbox import InboxFilter, filter_conditions, id_numbers_of
from app.workflow.models import HumanTask
from app.workflow.queries import INBOX_SORTS

# a workbook a person can open; more rows say to narrow the filter (a note row says so), never a timeout
MAX_ROWS = 20000
CHUNK = 1000
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _task_columns() -> list[str]:
    """The columns both task lists start with (rendered in the reader's language, so made per request)."""
    return [_("申请编号"), _("申请"), _("申请人"), _("身份证号"), _("步骤"), _("角色"), _("到达时间")]


def export_inbox(user: User, filters: InboxFilter, sort: str) -> bytes:
    scope = reviewer_scope(user)
    stmt = (
        select(HumanTask)
        .where(HumanTask.status == "open", scope, *filter_conditions(filters, user, scope))
        .order_by(*INBOX_SORTS.get(sort, INBOX_SORTS["newest"]))
    )
    headers = [*_task_columns(), _("截止时间"), _("认领")]
    data, count = _workbook(_("待办任务"), headers, _rows(stmt, user, done=False))
    record_admin_action(user, "export.inbox", f"user:{user.id}", {"filters": filters.as_args(), "rows": count})
    return data


def export_done(user: User) -> bytes:
    stmt = select(HumanTask).where(HumanTask.completed_by_id == user.id).order_by(HumanTask.completed_at.desc())
    headers = [*_task_columns(), _("办理时间"), _("状态")]
    data, count = _workbook(_("已办任务"), headers, _rows(stmt, user, done=True))
    record_admin_action(user, "export.done", f"user:{user.id}", {"rows": count})
    return data


def _rows(stmt: Select[HumanTask], user: User, *, done: bool) -> Iterable[list[object]]:
    """Rows in chunks (one ID-number query per chunk); ID numbers masked as in the lists."""
    roles = role_labels()
    for offset in range(0, MAX_ROWS, CHUNK):
        tasks = list(db.session.scalars(stmt.limit(min(CHUNK, MAX_ROWS - offset)).offset(offset)))
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
        if len(tasks) < CHUNK:
            return


def _status(task: HumanTask) -> str:
    return {"completed": _("已完成"), "timed_out": _("已超期"), "withdrawn": _("已撤回")}.get(task.status, task.status)


def _claim(task: HumanTask, user: User) -> str:
    return _("我") if task.assignee_id == user.id else _("他人") if task.assignee_id else _("未认领")


def _workbook(title: str, headers: list[str], rows: Iterable[list[object]]) -> tuple[bytes, int]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(headers)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    if count >= MAX_ROWS:
        sheet.append([_("仅导出前 %(n)d 行，请缩小筛选范围后分批导出", n=MAX_ROWS)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count
