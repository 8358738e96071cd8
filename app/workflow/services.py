"""Business actions on process instances: start, save draft, submit, claim, applicant actions."""

from typing import Any

from flask_babel import gettext
from sqlalchemy import and_, bindparam, insert, select

from app import clock
from app.accounts.identity import passed_face_check_recently
from app.accounts.models import User
from app.decisions.log import recording
from app.engine import runtime
from app.engine.specs import ProcessVersion, catalog
from app.errors import Conflict, FaceCheckRequired, Invalid, NotAllowed, NotEligible, NotFound
from app.extensions import db
from app.files.models import Attachment, InstanceAttachment
from app.files.services import form_value
from app.formkit import validate
from app.formkit.bounds import bound_errors
from app.i18n import N_
from app.workflow.access import require_applicant, require_visible, visible_task
from app.workflow.drafts import SavedDraft, keep_draft
from app.workflow.facts import person_facts
from app.workflow.followups import run_followups
from app.workflow.instances import create_instance
from app.workflow.live import run_on_instance
from app.workflow.mirror import apply_snapshot
from app.workflow.models import HumanTask, ProcessInstance
from app.workflow.options import submitted_options
from app.workflow.references import attachments_shared_with
from app.workflow.steps import (
    audit,
    flush_or_conflict,
    lock_instance,
    lock_instance_of_task,
    open_tasks_at_lock,
)
from app.workflow.versions import version_of

APPLICANT_ACTIONS = {"withdraw": N_("撤回"), "abandon": N_("放弃")}
_DECISION_ACTIONS = {"approve": "approved", "return": "returned", "reject": "rejected"}


def check_eligibility(process_id: str, user: User) -> tuple[dict[str, Any], str | None]:
    """The facts and, if the start rule says no, the reason the applicant may not start."""
    version = catalog().process(process_id)
    facts = person_facts(user)
    if facts.get("membership_suspended"):  # 暂停会员资格 refuses every business, with its reason (issue 14)
        return facts, facts["membership_suspended"]
    decision_id = version.start_properties.get("eligibilityDecision")
    if decision_id:
        out = catalog().decide(decision_id, facts).outputs
        if not out.get("eligible"):
            return facts, out.get("reason") or gettext("不符合申请条件")
    return facts, None


def start_warning(start_properties: dict[str, str], facts: dict[str, Any]) -> str | None:
    """A non-blocking hint from the start event's warningDecision (e.g. unpaid dues on rejoining, R-RES-4)."""
    decision_id = start_properties.get("warningDecision")
    return (catalog().decide(decision_id, facts).outputs.get("warning") or None) if decision_id else None


def start_process(process_id: str, user: User) -> ProcessInstance:
    if user.verified_at is None:  # R-ACC-2: no business before the face verification
        raise NotAllowed(gettext("请先完成实名认证"))
    if process_id not in catalog().current:
        raise NotFound(gettext("该业务流程不存在或当前不可用"))
    if catalog().process(process_id).start_properties.get("startedBy") == "system":
        raise NotAllowed(gettext("该流程由系统自动发起"))
    with recording("start", user.id, process_id=process_id) as attempt:  # a refused start is recorded too
        facts, refusal = check_eligibility(process_id, user)
    if refusal:
        raise NotEligible(refusal)
    instance = create_instance(process_id, user, facts)
    attempt.attach(instance.id)
    version = version_of(instance)
    with recording("warning", user.id, process_id=process_id, instance_id=instance.id):
        warning = start_warning(version.start_properties, facts)
    audit(instance, user, "started", step=version.name, comment=warning)
    flush_or_conflict()
    run_followups()
    return instance


# the referenced attachments, each with whether the application already links it: one statement, built once
# (issue 13: it was two, on every submitted form with attachments); only the columns a form value and the check
# need, on the session's connection (no autoflush is missed: store_upload flushes what it stores, the uploads sent
# with this very form too)
_ATTACHMENTS = (
    select(
        Attachment.id,
        Attachment.original_name,
        Attachment.mime,
        Attachment.uploaded_by_id,
        InstanceAttachment.id.label("link_id"),
    )
    .outerjoin(
        InstanceAttachment,
        and_(
            InstanceAttachment.attachment_id == Attachment.id,
            InstanceAttachment.instance_id == bindparam("instance_id"),
        ),
    )
    .where(Attachment.id.in_(bindparam("ids", expanding=True)))
)


_LINK_ATTACHMENTS = insert(InstanceAttachment)


def _attachment_refs(data: dict[str, Any]) -> list[int]:
    return [a["id"] for v in data.values() if isinstance(v, list) for a in v if isinstance(a, dict) and "id" in a]


def _check_attachments(user: User, instance: ProcessInstance, data: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """Each attachment reference must be the actor's own upload, already part of this application, or a file shared
    with the actor (app/workflow/references.py: e.g. their exam photo).

    Returns the data with every reference re-read from its stored row (a client cannot relabel a PDF as
    an image), and the ids that are new to the application.
    """
    ids = _attachment_refs(data)
    if not ids:
        return data, []
    found = db.session.connection().execute(_ATTACHMENTS, {"ids": ids, "instance_id": instance.id}).all()
    rows = {a.id: a for a in found}
    linked = {a.id for a in found if a.link_id is not None}
    foreign = {i for i in ids if i in rows and rows[i].uploaded_by_id != user.id and i not in linked}
    if any(i not in rows for i in ids) or (foreign and not foreign <= attachments_shared_with(user)):
        raise NotAllowed(gettext("附件不属于您，不能引用"))
    clean = {
        name: [_form_value(rows[a["id"]]) if isinstance(a, dict) and "id" in a else a for a in value]
        if isinstance(value, list)
        else value
        for name, value in data.items()
    }
    return clean, sorted(set(ids) - linked)


def _form_value(row: Any) -> dict[str, Any]:
    return form_value(row.id, row.original_name, row.mime)


def _task_done() -> Conflict:
    """The answer to acting on a task that someone else ended meanwhile."""
    return Conflict(gettext("该任务已由他人处理完毕，请刷新后查看最新状态"))


def _acting_task(task_id: int, user: User) -> tuple[ProcessInstance, HumanTask]:
    # the task's instance locked first, the task read with its open tasks after the lock (one statement fewer
    # than reading the task before the lock, issue 13); who may act is checked on that fresh row (the lock's own
    # statement leaves alone a task none of the person's grants reaches)
    instance = lock_instance_of_task(task_id, user.id)
    task = next((t for t in open_tasks_at_lock(instance) or [] if t.id == task_id), None) if instance else None
    if instance is None or task is None:  # no such task, not theirs (404), or no longer open (409)
        visible_task(user, task_id)
        raise _task_done()
    require_visible(user, task)
    if task.assignee_id is not None and task.assignee_id != user.id:
        raise Conflict(gettext("该任务已被其他审核人认领"))
    return instance, task


def _form_fields_only(version: ProcessVersion, task: HumanTask, data: dict[str, Any]) -> dict[str, Any]:
    """A task may set only its form's fields: anything else (firm_id, applicant_user_id …) would steer the process."""
    form = version.forms[task.form_key or ""]
    fields = {k: v for k, v in data.items() if k in form.properties}
    if errors := bound_errors(form, fields):  # a draft is stored unvalidated: its size is checked here
        raise Invalid(gettext("填写的内容超出表单允许的长度，未能保存"), errors)
    return fields


def save_draft(task_id: int, user: User, data: dict[str, Any]) -> SavedDraft:
    """R-JOIN-6: keep what this person typed and uploaded, unvalidated, until they come back (暂存, autosave).

    No instance lock: a draft changes nothing of the application, so other tabs and people saving drafts never wait
    for it or collide with it. The status read here answers early; the statement that writes the draft checks it
    again, so that no draft outlives a completion that committed meanwhile or had not committed yet (keep_draft)."""
    task = visible_task(user, task_id)
    if task.status != "open":
        raise _task_done()
    if task.assignee_id is not None and task.assignee_id != user.id:
        raise Conflict(gettext("该任务已被其他审核人认领"))
    fields = _form_fields_only(version_of(task.instance), task, data)
    fields, _new = _check_attachments(user, task.instance, fields)
    saved = keep_draft(task, user.id, fields)
    if saved is None:
        raise _task_done()
    return saved


def submit_task(task_id: int, user: User, data: dict[str, Any]) -> ProcessInstance:
    instance, task = _acting_task(task_id, user)
    version = version_of(instance)
    form = version.forms[task.form_key or ""]
    data, new_ids = _check_attachments(user, instance, _form_fields_only(version, task, data))
    if version.user_tasks[task.bpmn_id].properties.get("faceCheck") == "true" and not passed_face_check_recently(user):
        keep_draft(task, user.id, data)  # nothing typed is lost while the person goes to the face check
        flush_or_conflict()
        raise FaceCheckRequired(gettext("提交前须再次进行人脸识别，确认为本人操作"))
    nav = str(form.ui.get("navField") or "")
    if nav:  # R-FIL-7: 上一步 goes back without checking the page; anything else is 下一步
        data[nav] = "back" if data.get(nav) == "back" else "next"
    going_back = bool(nav) and data[nav] == "back"
    errors = {} if going_back else validate(form, data, options=submitted_options(task, version, data, user.id))
    if errors:
        keep_draft(task, user.id, data)
        flush_or_conflict()
        raise Invalid(gettext("请按提示修改后再提交"), errors)
    try:
        with db.session.begin_nested():  # an operation that refuses leaves none of its changes behind
            snap = run_on_instance(
                runtime.complete_task, version, instance, task.task_uuid, task.role, data, actor=user
            )
    except Invalid:
        keep_draft(task, user.id, data)  # refused by an operation (e.g. a duplicate credit code): nothing is lost
        flush_or_conflict()
        raise
    # the task's drafts go with the row that ends it (a trigger: app/workflow/models.py, DRAFTS_GO_WITH_COMPLETION)
    apply_snapshot(instance, version, snap, task.applicant_name, completed=(task, user.id))
    action = _DECISION_ACTIONS.get(data.get("decision", ""), "submitted")
    audit(
        instance,
        user,
        action,
        role=task.role,
        step=task.name,
        comment=data.get("comment"),
        form_key=task.form_key,
        data=data,
    )
    if new_ids:  # on the session's connection: no fact reads these links (app/workflow/facts.py need not forget)
        db.session.connection().execute(
            _LINK_ATTACHMENTS, [{"instance_id": instance.id, "attachment_id": i} for i in new_ids]
        )
    flush_or_conflict()
    run_followups()
    return instance


def claim_task(task_id: int, user: User) -> HumanTask:
    instance, task = _acting_task(task_id, user)
    task.assignee_id, task.claimed_at = user.id, clock.now()
    instance.updated_at = task.claimed_at  # bumps row_version: of two claims at once, one gets a Conflict
    audit(instance, user, "claimed", role=task.role, step=task.name)
    flush_or_conflict()
    return task


def unclaim_task(task_id: int, user: User) -> HumanTask:
    instance, task = _acting_task(task_id, user)
    if task.assignee_id != user.id:
        raise Conflict(gettext("您尚未认领该任务"))
    task.assignee_id = task.claimed_at = None
    instance.updated_at = clock.now()
    audit(instance, user, "unclaimed", role=task.role, step=task.name)
    flush_or_conflict()
    return task


def applicant_action(instance_id: int, user: User, name: str) -> ProcessInstance:
    """Withdraw or abandon: allowed exactly where the BPMN attaches that message event (R-JOIN-7, R-REC-2)."""
    if name not in APPLICANT_ACTIONS:
        raise NotFound(gettext("未知操作"))
    instance = lock_instance(instance_id)
    require_applicant(user, instance)
    if name not in (instance.waiting_messages or []):
        if name == "withdraw":
            raise NotAllowed(gettext("申请已进入协会审核阶段（或尚未提交），不能撤回；如需修改请联系协会退回"))
        raise NotAllowed(gettext("当前步骤不能放弃申请，请先撤回"))
    version = version_of(instance)
    snap = run_on_instance(runtime.send_message, version, instance, name)
    apply_snapshot(instance, version, snap, user.name, closed_as="withdrawn")
    audit(instance, user, {"withdraw": "withdrawn", "abandon": "abandoned"}[name], role="applicant")
    flush_or_conflict()
    run_followups()
    return instance
