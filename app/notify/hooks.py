"""Telling applicants what happened to their application, from what the workflow already records: a return or a
timer (its audit rows) and an approval, rejection or completion (the instance's status), as they are flushed."""

from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.orm import Session, attributes

from app.accounts.models import User
from app.notify.inapp import PENDING_SMS, notify_user
from app.notify.models import NotifySetting
from app.notify.services import send_sms
from app.workflow.models import AuditEvent, ProcessInstance
from app.workflow.steps import WATCHED_AUDIT_ACTIONS

AUDITED_EVENTS = ("returned", "timer")
FINAL_STATUSES = ("approved", "rejected", "completed")


def install_notifications(app: Flask) -> None:
    del app  # one set of listeners for every Session, installed once per process
    WATCHED_AUDIT_ACTIONS.update(AUDITED_EVENTS)  # their audit rows go through the session, where _on_flush sees them
    if not event.contains(Session, "before_flush", _on_flush):
        event.listen(Session, "before_flush", _on_flush)
        event.listen(Session, "before_commit", _send_pending_sms)
        event.listen(Session, "after_soft_rollback", _forget_pending_sms)


def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.new):
        if isinstance(obj, AuditEvent) and obj.action in AUDITED_EVENTS:
            instance = session.get(ProcessInstance, obj.instance_id)
            if instance is not None:
                _tell(session, instance, obj.action, step=obj.step or "", comment=obj.comment, note=obj.comment)
    for obj in list(session.dirty):
        if isinstance(obj, ProcessInstance) and obj.status in FINAL_STATUSES:
            if obj.status in attributes.get_history(obj, "status").added:
                _tell(session, obj, obj.status, outcome=obj.outcome)


# the applicant's id, mobile and chosen language with the SMS they switched off: one statement (issue 13), built once;
# the columns, not the account and setting objects (building those inside the flush was most of the read's cost)
_APPLICANT = (
    select(User.id, User.mobile, User.locale, NotifySetting.sms_off)
    .outerjoin(NotifySetting, NotifySetting.user_id == User.id)
    .where(User.id == bindparam("applicant_id"))
)


@dataclass(frozen=True)
class _Applicant:
    id: int
    mobile: str
    locale: str | None


def _tell(session: Session, instance: ProcessInstance, event_name: str, **values: Any) -> None:
    # on the session's connection: a flush is under way (nothing to autoflush)
    found = session.connection().execute(_APPLICANT, {"applicant_id": instance.applicant_id}).first()
    if found is not None:
        notify_user(
            _Applicant(found.id, found.mobile, found.locale),
            event_name,
            instance_id=instance.id,
            process_id=instance.process_id,
            switched_off=found.sms_off or (),
            title=instance.title,
            **values,
        )


def _send_pending_sms(session: Session) -> None:
    """At commit, the SMS of the messages that are still part of the transaction (a rolled-back savepoint's not)."""
    pending = session.info.pop(PENDING_SMS, [])
    if not pending:
        return
    session.flush()
    for note, mobile, text in pending:
        if inspect(note).persistent:
            send_sms(mobile, text)


def _forget_pending_sms(session: Session, _previous: Any) -> None:
    if not session.in_transaction():
        session.info.pop(PENDING_SMS, None)
