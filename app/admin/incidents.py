"""Administrator page /admin/incidents: steps that failed, with their error, and 重试 once the cause is fixed."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug import Response

from app.accounts.rights import require_admin
from app.engine.specs import catalog
from app.errors import DomainError
from app.extensions import db
from app.workflow import retry
from app.workflow.incidents import ACTION_LABELS, StepFailed, open_incidents

bp = Blueprint("incidents", __name__, url_prefix="/admin/incidents")


@bp.before_request
@login_required
def _admins_only() -> None:
    require_admin(current_user)


@bp.get("")
def index() -> str:
    names = {pid: catalog().process(pid).name for pid in catalog().current}
    return render_template("admin/incidents.html", incidents=open_incidents(), names=names, actions=ACTION_LABELS)


@bp.post("/<int:incident_id>/retry")
def retry_one(incident_id: int) -> Response:
    try:
        retry.retry_incident(incident_id, current_user)
    except StepFailed:
        raise  # failed again: the error handler counts it on the incident
    except DomainError as err:  # e.g. the new version cannot take the instance, or the step refuses now
        db.session.rollback()
        flash(gettext("重试未完成：%(reason)s", reason=err.message), "error")
        return redirect(url_for(".index"))
    flash(gettext("已重试，流程已继续"), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:incident_id>/dismiss")
def dismiss(incident_id: int) -> Response:
    retry.dismiss_incident(incident_id, current_user)
    flash(gettext("已标记为已处理"), "success")
    return redirect(url_for(".index"))
