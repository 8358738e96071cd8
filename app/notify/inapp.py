"""In-app messages and the SMS beside them: send one to a person, count and read them, the SMS switch."""

from collections.abc import Iterable

from sqlalchemy import bindparam, func, select, update

from app import clock
from app.accounts.models import User
from app.errors import NotFound
from app.extensions import db
from app.notify.messages import TEMPLATES, Recipient, render_message
from app.notify.models import Notification, NotifySetting
from app.organizations.societies import sms_signature, society_of_process

PENDING_SMS = "memberflow.pending_sms"


def notify_user(
    user: Recipient,
    event: str,
    *,
    instance_id: int | None = None,
    process_id: str | None = None,
    dedupe_key: str | None = None,
    switched_off: Iterable[str] | None = None,
    **values: object,
) -> Notification:
    """Add the in-app message; its SMS goes out when the transaction commits (app/notify/hooks.py), if the
    person has not switched SMS off. Adds only (callable inside a flush). `switched_off`: the events whose SMS the
    person switched off, when the caller read them with them (empty: none), else None: read here."""
    title, body = render_message(event, user, **values)
    note = Notification(
        user_id=user.id,
        event=event,
        title=title,
        body=body,
        instance_id=instance_id,
        created_at=clock.now(),
        dedupe_key=dedupe_key,
    )
    db.session.add(note)
    if event not in (sms_off(user) if switched_off is None else set(switched_off)):
        signature = sms_signature(society_of_process(process_id) if process_id else None)
        db.session.info.setdefault(PENDING_SMS, []).append((note, user.mobile, f"{signature}{body}"))
    return note


def sms_enabled(user: User, event: str | None = None) -> bool:
    """Whether `event`'s SMS goes to the person (None: whether any does)."""
    off = sms_off(user)
    return event not in off if event is not None else len(off) < len(TEMPLATES)


def sms_off(user: Recipient) -> set[str]:
    with db.session.no_autoflush:
        setting = db.session.get(NotifySetting, user.id)
    return set(setting.sms_off or []) if setting is not None else set()


def set_sms_events(user: User, wanted: Iterable[str]) -> None:
    """Keep the SMS of the `wanted` events, switch the others off; unknown names are ignored."""
    setting = db.session.get(NotifySetting, user.id) or NotifySetting(user_id=user.id)
    setting.sms_off = [e for e in TEMPLATES if e not in set(wanted)]
    db.session.add(setting)
    db.session.flush()


def set_sms_enabled(user: User, enabled: bool) -> None:
    """Every event's SMS on or off."""
    set_sms_events(user, TEMPLATES if enabled else ())


# built once: every page's header shows the count, and building the statement cost more than running it (issue 13)
_UNREAD = select(func.count()).where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))


def unread_count(user: User) -> int:
    """The header's count, run on the session's connection: the ORM's step around a count was half its cost on every
    page (issue 15). The flush is the autoflush that step did (nothing to do unless this request changed rows)."""
    db.session.flush()
    return db.session.connection().execute(_UNREAD, {"user_id": user.id}).scalar() or 0


def list_messages(user: User, limit: int = 50) -> list[Notification]:
    stmt = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def read_message(user: User, message_id: int) -> Notification:
    note = db.session.get(Notification, message_id)
    if note is None or note.user_id != user.id:
        raise NotFound("消息不存在")
    note.read_at = note.read_at or clock.now()
    db.session.flush()
    return note


def read_all(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
