"""Face verification (with the development phone page), identity choice and identity switching."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug import Response

from app.accounts.identity import (
    decide_dev_face_session,
    dev_face_session,
    finish_face_verification,
    start_face_verification,
)
from app.accounts.identity_choice import choose_identity
from app.accounts.services import same_site_path
from app.organizations.societies import identity_choices
from app.workflow import services as workflow_services

bp = Blueprint("identity", __name__)


@bp.get("/identity/verify")
@login_required
def verify() -> str | Response:
    # ?next= : a step that needs the face checked again (R-ACC-2) sends the person here and gets them back
    back = same_site_path(request.args.get("next", ""))
    if back:
        session["face_next"] = back
    elif current_user.verified_at is not None and not session.get("face_next"):
        return redirect(url_for(".choose"))
    again = bool(session.get("face_next"))  # kept in the session across starting and checking the face session
    return render_template("accounts/verify.html", face_url=session.get("face_url"), again=again)


@bp.post("/identity/verify/start")
@login_required
def verify_start() -> Response:
    started = start_face_verification(current_user)
    session["face_session"], session["face_url"] = started.session_id, started.url
    return redirect(url_for(".verify"))


@bp.post("/identity/verify/check")
@login_required
def verify_check() -> Response:
    session_id = session.get("face_session")
    if not session_id:
        flash(gettext("请先开始人脸识别"), "error")
        return redirect(url_for(".verify"))
    status = finish_face_verification(current_user, session_id)
    if status != "pending":
        session.pop("face_session")
        session.pop("face_url", None)
    if status == "passed":
        back = session.pop("face_next", None)
        flash(gettext("人脸识别已通过") if back else "实名认证已完成", "success")
        return redirect(back or url_for(".choose"))
    if status == "failed":
        flash(gettext("人脸识别未通过，请重新开始"), "error")
    else:
        flash(gettext("尚未完成人脸识别，请在手机上完成后再点击“我已完成”"), "error")
    back = session.get("face_next")
    return redirect(url_for(".verify", next=back) if back else url_for(".verify"))


@bp.route("/dev/face/<session_id>", methods=["GET", "POST"])
def dev_face(session_id: str) -> str:
    """Development stand-in for the phone: the person passes or fails the face check."""
    if request.method == "POST":
        face = decide_dev_face_session(session_id, request.form.get("result") == "passed")
    else:
        face = dev_face_session(session_id)
    return render_template("accounts/dev_face.html", session_id=session_id, status=face.status)


@bp.get("/identity")
@login_required
def choose() -> str:
    """R-ACC-6: per association, the processes whose start event offers them as an identity (identityChoice)."""
    groups = []
    for society, offered in identity_choices():
        choices: list[tuple[str | None, str, str, str | None]] = [
            (pid, label, text, workflow_services.check_eligibility(pid, current_user)[1])
            for pid, label, text in offered
        ]
        groups.append((society, choices))
    return render_template("accounts/identity.html", groups=groups)


@bp.post("/identity/switch")
@login_required
def switch() -> Response:
    chosen = choose_identity(current_user, request.form.get("identity", ""))
    flash(gettext("已切换为：%(identity)s", identity=chosen.label), "success")
    return redirect(same_site_path(request.form.get("next", "")) or url_for("workflow.home"))
