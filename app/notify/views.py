"""The bell and the messages page: read in-app messages, switch SMS notifications off or on."""

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug import Response

from app.notify.inapp import list_messages, read_all, read_message, set_sms_events, sms_off, unread_count
from app.notify.messages import EVENT_LABELS

bp = Blueprint("notify", __name__)


@bp.get("/messages")
@login_required
def messages() -> str:
    return render_template(
        "notify/messages.html", messages=list_messages(current_user), sms_off=sms_off(current_user), events=EVENT_LABELS
    )


@bp.get("/messages/<int:message_id>")
@login_required
def open_message(message_id: int) -> Response:
    note = read_message(current_user, message_id)
    if note.instance_id is not None:
        return redirect(url_for("workflow.application", instance_id=note.instance_id))
    return redirect(url_for("workflow.inbox") if note.event == "digest" else url_for(".messages"))


@bp.post("/messages/read")
@login_required
def mark_all_read() -> Response:
    read_all(current_user)
    return redirect(url_for(".messages"))


@bp.post("/messages/settings")
@login_required
def settings() -> Response:
    set_sms_events(current_user, request.form.getlist("sms"))
    flash(_("已保存通知设置"), "success")
    return redirect(url_for(".messages"))


def install_bell(app: Flask) -> None:
    """Every page's header shows the unread count (one indexed count)."""

    @app.context_processor
    def _bell() -> dict[str, object]:
        return {"unread_messages": unread_count(current_user)} if current_user.is_authenticated else {}
