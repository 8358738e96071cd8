"""The personal menu's API tokens page (/account/tokens): create (the secret shown once), list, revoke."""

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug import Response

from app.accounts import tokens
from app.accounts.identity_choice import identities
from app.errors import Invalid
from app.security_headers import private_file

bp = Blueprint("tokens", __name__)


def _page(secret: str | None = None, errors: dict | None = None, status: int = 200) -> Response:
    options = identities(current_user)
    listed = [(token, tokens.token_state(token, current_user)) for token in tokens.list_tokens(current_user)]
    labels = {option.key: option.label for option in options}
    body = render_template(
        "accounts/tokens.html",
        tokens=listed,
        options=options,
        labels=labels,
        expiry_days=tokens.EXPIRY_DAYS,
        secret=secret,
        form=request.form,
        errors=errors or {},
    )
    return private_file(make_response(body, status))  # the page showing a secret is kept by no cache


@bp.get("/account/tokens")
@login_required
def token_list() -> Response:
    return _page()


@bp.post("/account/tokens")
@login_required
def token_create() -> Response:
    form = request.form
    days = form.get("expiry_days", "")
    try:
        _token, secret = tokens.create_token(
            current_user, form.get("name", ""), form.get("identity", ""), int(days) if days.isdigit() else -1
        )
    except Invalid as err:
        flash(err.message, "error")
        return _page(errors=err.field_errors, status=422)
    flash(gettext("令牌已创建。请立即复制保存：离开本页后将无法再次查看"), "success")
    return _page(secret=secret, status=201)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def token_revoke(token_id: int) -> Response:
    token = tokens.revoke_token(current_user, token_id)
    flash(gettext("令牌「%(name)s」已撤销", name=token.name), "success")
    return redirect(url_for(".token_list"))
