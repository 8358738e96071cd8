"""Login and logout pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from werkzeug import Response

from app.accounts.services import authenticate
from app.errors import DomainError
from app.extensions import login_manager

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = "请先登录"


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if request.method == "POST":
        try:
            user = authenticate(request.form.get("mobile", ""), request.form.get("password", ""))
        except DomainError as err:
            flash(err.message, "error")
            return render_template("accounts/login.html", mobile=request.form.get("mobile", "")), 401  # type: ignore[return-value]
        login_user(user)
        target = request.args.get("next", "")
        return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("workflow.home"))
    return render_template("accounts/login.html", mobile="")


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    return redirect(url_for("accounts.login"))
