"""The pages of binding a new mobile to an imported member's account (issue 14 item 2); the registering browser
carries the pending binding in its session, and the face check decides."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from werkzeug import Response

from app.accounts.binding import finish_binding, mask_mobile, pending_binding, start_binding_face_check
from app.accounts.models import User
from app.accounts.views import enter_account
from app.errors import Invalid
from app.extensions import db

bp = Blueprint("binding", __name__, url_prefix="/register/bind")


def _page(status: int = 200) -> tuple[str, int]:
    binding = pending_binding(session.get("binding_id"))
    owner = db.session.get(User, binding.user_id)
    assert owner is not None
    id_number = owner.id_number or ""
    return render_template(
        "accounts/bind.html",
        binding=binding,
        face_url=session.get("binding_face_url") if binding.status == "pending" else None,
        masked_id=f"{id_number[:6]}********{id_number[-4:]}",
        old_mobile=mask_mobile(owner.mobile),
    ), status


@bp.get("")
def bind() -> tuple[str, int]:
    return _page()


@bp.post("/start")
def start() -> Response:
    started = start_binding_face_check(pending_binding(session.get("binding_id")))
    session["binding_face_url"] = started.url
    return redirect(url_for(".bind"))


@bp.post("/check")
def check() -> tuple[str, int] | Response:
    binding = pending_binding(session.get("binding_id"))
    try:
        user = finish_binding(binding)
    except Invalid as err:
        flash(err.message, "error")
        return _page(422)
    if user is None:
        flash(_("尚未完成人脸识别，请在手机上完成后再点击“我已完成”"), "error")
        return redirect(url_for(".bind"))
    session.pop("binding_id", None)
    session.pop("binding_face_url", None)
    flash(_("已绑定原会员身份，新手机号已替换原手机号"), "success")
    return enter_account(user)
