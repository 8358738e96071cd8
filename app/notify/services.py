"""Sending SMS behind one function; the only backend so far, "dev", keeps an outbox administrators read."""

from flask import current_app
from sqlalchemy import insert, select

from app import clock
from app.extensions import db
from app.notify.models import OutboxMessage

_INSERT_OUTBOX = insert(OutboxMessage)


def send_sms(mobile: str, text: str) -> None:
    backend = current_app.config["MEMBERFLOW_SMS_BACKEND"]
    if backend != "dev":
        raise RuntimeError(f"unknown SMS backend {backend!r}")
    db.session.flush()  # what the caller added is written first, as before
    # the row by a prebuilt Core statement, not a second unit of work: an approval's SMS goes out at commit, after
    # the commit's own flush (issue 13)
    db.session.connection().execute(
        _INSERT_OUTBOX, {"channel": "sms", "recipient": mobile, "body": text, "created_at": clock.now()}
    )


def list_outbox(recipient: str | None = None, limit: int = 200) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if recipient:
        stmt = stmt.where(OutboxMessage.recipient == recipient)
    return list(db.session.scalars(stmt))
