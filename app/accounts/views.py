"""Login (password or SMS code), registration, password reset and logout pages."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug import Response

from app.accounts import login as login_rules
from app.accounts.codes import send_sms_code
from app.accounts.id_documents import ID_TYPES
from app.accounts.limits import TooManyAttempts, failed_login_counted, register_limit, sms_limit
from app.accounts.models import MemberBinding, User
from app.accounts.registration import PASSWORD_RULE, register_user, send_registration_code
from app.accounts.services import needs_identity_choice, same_site_path
from app.accounts.sessions import revoke_credentials
from app.errors import DomainError
from app.extensions import login_manager
from app.i18n import N_

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = N_("请先登录")
login_manager.localize_callback = gettext  # the flashed message in the page's language


def enter_account(user: User) -> Response:
    login_user(user)
    session.pop("identity", None)
    if not user.has_password:  # an imported member's first login by SMS code (issue 14 item 2)
        return redirect(url_for(".first_password"))
    if user.verified_at is None:
        return redirect(url_for("identity.verify"))
    if needs_identity_choice(user):
        return redirect(url_for("identity.choose"))
    return redirect(same_site_path(request.args.get("next", "")) or url_for("workflow.home"))


def _login_page(mode: str = "password", status: int = 200, errors: dict | None = None) -> tuple[str, int]:
    return render_template(
        "accounts/login.html", mode=mode, mobile=request.form.get("mobile", ""), errors=errors or {}
    ), status


@bp.get("/login")
def login() -> tuple[str, int]:
    return _login_page(request.args.get("mode", "password"))


@bp.post("/login")
@sms_limit
def login_submit() -> tuple[str, int] | Response:
    mode = request.form.get("mode", "password")
    mobile = request.form.get("mobile", "")
    try:
        if mode == "sms" and request.form.get("action") == "send_code":
            send_sms_code(mobile, "login")
            flash(gettext("验证码已发送，5 分钟内有效"), "success")
            return _login_page("sms")
        with failed_login_counted():
            if mode == "sms":
                user = login_rules.login_with_code(mobile, request.form.get("code", ""))
            else:
                user = login_rules.authenticate(mobile, request.form.get("password", ""))
    except TooManyAttempts:
        raise
    except DomainError as err:
        flash(err.message, "error")
        return _login_page(mode, err.status, err.field_errors)
    return enter_account(user)


@bp.route("/register", methods=["GET", "POST"])
@sms_limit
@register_limit
def register() -> tuple[str, int] | Response:
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = request.form
        try:
            if form.get("action") == "send_code":
                send_registration_code(form.get("mobile", ""))
                flash(gettext("验证码已发送，5 分钟内有效"), "success")
            else:
                user = register_user(
                    form.get("mobile", ""),
                    form.get("code", ""),
                    form.get("name", ""),
                    form.get("id_number", ""),
                    form.get("password", ""),
                    form.get("confirm", ""),
                    form.get("id_type", "id_card"),
                )
                if isinstance(user, MemberBinding):
                    session["binding_id"] = user.id
                    return redirect(url_for("binding.bind"))
                flash(gettext("注册成功，请完成人脸识别实名认证"), "success")
                return enter_account(user)
        except DomainError as err:
            flash(err.message, "error")
            errors, status = err.field_errors, err.status
    return render_template(
        "accounts/register.html", form=request.form, errors=errors, rule=gettext(PASSWORD_RULE), id_types=ID_TYPES
    ), status


@bp.route("/password/reset", methods=["GET", "POST"])
@sms_limit
def reset_password() -> tuple[str, int] | Response:
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        mobile = request.form.get("mobile", "")
        try:
            if request.form.get("action") == "send_code":
                send_sms_code(mobile, "reset")
                flash(gettext("验证码已发送，5 分钟内有效"), "success")
            else:
                with failed_login_counted():
                    login_rules.reset_password(
                        mobile,
                        request.form.get("code", ""),
                        request.form.get("password", ""),
                        request.form.get("confirm", ""),
                    )
                flash(gettext("密码已重置，请使用新密码登录"), "success")
                return redirect(url_for(".login"))
        except TooManyAttempts:
            raise
        except DomainError as err:
            flash(err.message, "error")
            errors, status = err.field_errors, err.status
    return render_template(
        "accounts/reset.html", mobile=request.form.get("mobile", ""), errors=errors, rule=gettext(PASSWORD_RULE)
    ), status


@bp.route("/password/first", methods=["GET", "POST"])
@login_required
def first_password() -> tuple[str, int] | Response:
    """An imported member logged in by SMS code sets the first password here; nobody else needs this page."""
    errors: dict[str, str] = {}
    if current_user.has_password:
        return redirect(url_for("workflow.home"))
    if request.method == "POST":
        try:
            login_rules.set_first_password(
                current_user, request.form.get("password", ""), request.form.get("confirm", "")
            )
        except DomainError as err:
            flash(err.message, "error")
            errors = err.field_errors
        else:
            flash(gettext("密码已设置，以后可用手机号或原平台用户名加密码登录"), "success")
            return enter_account(current_user._get_current_object())  # type: ignore[attr-defined]
    return render_template("accounts/first_password.html", errors=errors, rule=PASSWORD_RULE), 422 if errors else 200


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Ends this account's sessions everywhere: a copied or forgotten session cookie dies with it."""
    revoke_credentials(current_user.id)
    logout_user()
    session.pop("identity", None)
    return redirect(url_for("accounts.login"))
