"""Turns audit events and submissions into what the pages show, in Chinese."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.engine.specs import ProcessVersion
from app.extensions import db
from app.formkit import Option, display_values
from app.i18n import N_
from app.organizations.models import Organization
from app.organizations.societies import role_label
from app.routing import MAX_ID
from app.workflow.models import AuditEvent, ProcessInstance
from app.workflow.queries import latest_submissions

STATUS_LABELS = {
    "running": N_("办理中"),
    "approved": N_("已通过"),
    "rejected": N_("不予通过"),
    "abandoned": N_("已放弃"),
    "completed": N_("已办结"),
    "error": N_("流程出错"),
}
ACTION_LABELS = {
    "started": N_("发起申请"),
    "migrated": N_("迁移流程版本"),
    "submitted": N_("提交"),
    "approved": N_("同意"),
    "returned": N_("退回"),
    "rejected": N_("不予通过"),
    "withdrawn": N_("撤回申请"),
    "abandoned": N_("放弃申请"),
    "claimed": N_("认领任务"),
    "unclaimed": N_("取消认领"),
    "timer": N_("超时自动处理"),
    "message": N_("系统通知"),
}


@dataclass
class TimelineEntry:
    at: Any
    who: str
    role: str
    action: str
    step: str
    comment: str | None


def timeline_view(events: list[AuditEvent]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            e.at,
            e.actor_name or "系统",
            role_label(e.role),
            ACTION_LABELS.get(e.action, e.action),
            e.step or "",
            e.comment,
        )
        for e in events
    ]


def applicant_notice(entries: list[TimelineEntry]) -> tuple[str, str] | None:
    """Why the application is back with the applicant: the latest decision, if it is a return or withdrawal."""
    decisive = [e for e in entries if e.action not in (ACTION_LABELS["claimed"], ACTION_LABELS["unclaimed"])]
    if not decisive:
        return None
    last = decisive[-1]
    if last.action == ACTION_LABELS["returned"]:
        return "error", f"{last.who}（{last.role}）退回：{last.comment or ''}"
    if last.action == ACTION_LABELS["withdrawn"]:
        return "info", "您已撤回申请：可以修改后重新提交，也可以放弃申请。"
    if last.action == ACTION_LABELS["started"] and last.comment:  # the start event's warning (R-RES-4)
        return "error", last.comment
    return None


@dataclass
class Submission:
    title: str
    who: str
    at: Any
    values: list[tuple[str, object]]


def submissions_view(instance: ProcessInstance, version: ProcessVersion) -> list[Submission]:
    """The applicant's latest answers per form (reviewers' own decisions are in the timeline)."""
    shown = []
    for key, event in latest_submissions(instance).items():
        form = version.forms.get(key)
        if form is None or event.role != "applicant" or form.ui.get("showSubmission") is False:
            continue  # showSubmission false: a loop's last round says nothing (its panel shows the result)
        shown.append((form, event, [n for n in form.order if form.widget(n) == "organization"]))
    names = _org_names([(event.data or {}).get(n) for _, event, fields in shown for n in fields])
    return [
        Submission(
            form.title,
            event.actor_name or "",
            event.at,
            display_values(form, event.data or {}, options={n: names for n in fields}),
        )
        for form, event, fields in shown
    ]


def _org_names(values: list[Any]) -> list[Option]:
    """The organisations the submissions name, by key in one statement (not every organisation: 5,000 firms)."""
    keys = {int(v) for v in values if isinstance(v, int | str) and not isinstance(v, bool) and str(v).isdigit()}
    ids = {i for i in keys if 1 <= i <= MAX_ID}  # beyond an id column's range a value names no organisation
    if not ids:
        return []
    rows = db.session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids)))
    return [Option(i, name) for i, name in rows]
