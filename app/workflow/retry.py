"""Retrying an incident once its cause is fixed: move the instance to the process's current version, run the step."""

from datetime import timedelta

from flask_babel import gettext

from app import clock
from app.accounts.models import User
from app.engine import runtime
from app.engine.specs import catalog
from app.errors import Conflict, NotAllowed, NotFound
from app.extensions import db
from app.workflow import services, system, timers
from app.workflow.incidents import Incident
from app.workflow.mirror import apply_snapshot
from app.workflow.models import ProcessInstance
from app.workflow.steps import audit, flush_or_conflict, lock_instance, run_engine
from app.workflow.versions import persist_version, version_of


def move_to_current_version(instance: ProcessInstance) -> None:
    """A fixed file is a new version: a waiting instance moves onto it (its steps matched by BPMN id)."""
    if instance.process_id not in catalog().current:
        return  # the file is broken or gone now: retry on the version the instance has
    current = catalog().process(instance.process_id)
    if current.key == instance.spec_key:
        return
    old = version_of(instance)
    try:
        snap = run_engine(runtime.migrate, old, current, instance.state, instance.serializer_version)
    except runtime.NotMigratable as err:
        raise NotAllowed(f"新版流程缺少本申请已经过的步骤（{err}），不能迁移；请修改流程文件后再试") from err
    persist_version(current)
    instance.spec_key = current.key
    apply_snapshot(instance, current, snap, instance.applicant.name)
    audit(instance, None, "system", step=instance.current_step, comment=f"迁移到新版流程 {current.key}")
    flush_or_conflict()


def retry_incident(incident_id: int, admin: User) -> Incident:
    """Run the failed step again; a new failure counts on the same incident (the error handler records it)."""
    incident = db.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(gettext("该故障记录不存在"))
    if incident.resolved_at is not None:
        raise Conflict(gettext("该故障已处理"))
    if not incident.retryable or incident.instance_id is None:
        raise NotAllowed(gettext("发起申请时出错，没有可重试的申请；请申请人在流程修复后重新发起"))
    instance = lock_instance(incident.instance_id)
    move_to_current_version(instance)
    actor = db.session.get(User, incident.actor_id) if incident.actor_id else None
    if incident.action == "submit":
        if actor is None or incident.human_task_id is None:
            raise NotAllowed(gettext("缺少提交人或任务，无法重试"))
        services.submit_task(incident.human_task_id, actor, incident.data or {})
    elif incident.action == "message" and incident.message_name in services.APPLICANT_ACTIONS and actor:
        services.applicant_action(instance.id, actor, incident.message_name or "")
    elif incident.action == "message":
        system.send_system_message(instance.id, incident.message_name or "")
    else:
        timers.postpone_timer(instance.id, timedelta(0))  # due now: fire on the spot
        timers.fire_instance_timers(instance.id)
    incident.resolved_at, incident.resolved_by_id, incident.resolution = clock.now(), admin.id, "retried"
    flush_or_conflict()
    return incident


def dismiss_incident(incident_id: int, admin: User) -> Incident:
    incident = db.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(gettext("该故障记录不存在"))
    if incident.resolved_at is None:
        incident.resolved_at, incident.resolved_by_id, incident.resolution = clock.now(), admin.id, "dismissed"
        flush_or_conflict()
    return incident
