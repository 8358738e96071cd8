"""Who may see and act on which tasks and applications (role + organisation, DESIGN.md "Assignment")."""

from typing import Any

from flask_babel import gettext
from sqlalchemy import ColumnElement, and_, bindparam, exists, false, or_, select

from app.accounts.models import RoleGrant, User
from app.accounts.rights import LAPSED_MESSAGE, active_grants, acts_as_admin, holds_no_rights
from app.errors import NotAllowed, NotFound
from app.extensions import db
from app.workflow.models import HumanTask, ProcessInstance


def task_scope(user: User) -> ColumnElement[bool]:
    """SQL condition: the tasks this user may see (their own applicant tasks, or their roles' organisations)."""
    clauses = [
        and_(HumanTask.role == g.role, HumanTask.organization_id == g.organization_id) for g in active_grants(user)
    ]
    return or_(HumanTask.user_id == user.id, *clauses) if clauses else HumanTask.user_id == user.id


def reviewer_scope(user: User) -> ColumnElement[bool]:
    clauses = [
        and_(HumanTask.role == g.role, HumanTask.organization_id == g.organization_id) for g in active_grants(user)
    ]
    return or_(*clauses) if clauses else false()


def bound_reviewer_scope(grants: int) -> ColumnElement[bool]:
    """reviewer_scope for a person with `grants` active grants, each grant's role and organisation a bound parameter
    (`scope_params`): a statement that holds it is built once per number of grants and reused (issue 13)."""
    task = HumanTask.__table__.c
    clauses = [
        and_(task.role == bindparam(f"scope_role_{i}"), task.organization_id == bindparam(f"scope_org_{i}"))
        for i in range(grants)
    ]
    return or_(*clauses) if clauses else false()


def scope_params(user: User) -> dict[str, Any]:
    """The values of bound_reviewer_scope(len(...)) for this user's active grants."""
    params: dict[str, Any] = {}
    for i, grant in enumerate(active_grants(user)):
        params[f"scope_role_{i}"], params[f"scope_org_{i}"] = grant.role, grant.organization_id
    return params


# SQL condition, bound by `user_id`: a task the person might act on (theirs, or one any of their role grants reaches,
# active or not). A superset of may_act, for a statement that must leave out other people's tasks before the rows
# are read (the completion's lock, issue 13); may_act on the rows read decides.
MIGHT_ACT = or_(
    HumanTask.user_id == bindparam("user_id"),
    exists().where(
        RoleGrant.user_id == bindparam("user_id"),
        RoleGrant.role == HumanTask.role,
        RoleGrant.organization_id == HumanTask.organization_id,
    ),
)


def may_act(user: User, task: HumanTask) -> bool:
    if task.user_id is not None:
        return task.user_id == user.id
    return any(g.role == task.role and g.organization_id == task.organization_id for g in active_grants(user))


def visible_task(user: User, task_id: int) -> HumanTask:
    """The task if the user may see it; other organisations' tasks are 'not found', not 'forbidden'."""
    return require_visible(user, db.session.get(HumanTask, task_id))


def require_visible(user: User, task: HumanTask | None) -> HumanTask:
    """`task` if the user may see it (visible_task on a row the caller has read already)."""
    if task is None or not may_act(user, task):
        if task is not None and _held_before_lapsing(user, task):
            raise NotAllowed(str(LAPSED_MESSAGE))  # R-ACC-5: they know the task; say why they may not act
        raise NotFound(gettext("任务不存在或您无权查看"))
    return task


def _held_before_lapsing(user: User, task: HumanTask) -> bool:
    """A resigned or expelled member whose (now inactive) role would reach this task."""
    return holds_no_rights(user) and any(
        g.role == task.role and g.organization_id == task.organization_id for g in user.grants
    )


def visible_instance(user: User, instance_id: int) -> ProcessInstance:
    """Applicants see their own applications; reviewers those that had a task for their organisation."""
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None:
        raise NotFound(gettext("申请不存在或您无权查看"))
    if instance.applicant_id == user.id or acts_as_admin(user):
        return instance
    had_task = db.session.scalar(select(exists().where(HumanTask.instance_id == instance.id, reviewer_scope(user))))
    if not had_task:
        raise NotFound(gettext("申请不存在或您无权查看"))
    return instance


def require_applicant(user: User, instance: ProcessInstance) -> None:
    """Reviewers who see the application are told why (403); strangers get the answer a missing id gets."""
    if instance.applicant_id != user.id:
        if not acts_as_admin(user) and not _reviewed(user, instance):
            raise NotFound(gettext("申请不存在"))  # the same text as lock_instance's for a missing id
        raise NotAllowed(gettext("只有申请人本人可以进行此操作"))


def _reviewed(user: User, instance: ProcessInstance) -> bool:
    return bool(db.session.scalar(select(exists().where(HumanTask.instance_id == instance.id, reviewer_scope(user)))))
