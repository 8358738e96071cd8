"""Maps domain errors to status codes: a Chinese page for browsers, JSON for /api."""

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import LazyString, gettext, lazy_gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.errors import DomainError
from app.extensions import db
from app.i18n import translate_data
from app.workflow.incidents import StepFailed, record_incident

_HTTP_MESSAGES = {
    400: lazy_gettext("请求格式不正确"),
    401: lazy_gettext("请先登录"),
    403: lazy_gettext("无权进行此操作"),
    404: lazy_gettext("页面不存在"),
    405: lazy_gettext("不支持的请求方式"),
    413: lazy_gettext("上传的文件过大"),
    409: lazy_gettext("操作冲突，请刷新后重试"),
}


# a form or an editor's save sent without its page's security token, or with one of another session (logged out or
# in again since the page was opened): what happened and what to do, not "bad request"
EXPIRED_PAGE_MESSAGE = lazy_gettext("页面已过期（打开页面后登录状态有变化），本次操作未保存；请刷新页面后重试")
CONFLICT_MESSAGE = lazy_gettext("该申请刚刚已被他人处理，请刷新后查看最新状态")
BUSY_MESSAGE = lazy_gettext("系统繁忙，本次操作未能保存，请稍后重试")
RETRY_AFTER_SECONDS = 5
# PostgreSQL's "could not serialize" and "deadlock detected": two transactions raced, one lost
_LOST_RACE_SQLSTATES = {"40001", "40P01"}


def is_lost_race(err: BaseException) -> bool:
    """A real conflict: a stale row version, a unique key another request took first, a lost lock race."""
    if isinstance(err, StaleDataError | IntegrityError):
        return True
    return getattr(getattr(err, "orig", None), "sqlstate", None) in _LOST_RACE_SQLSTATES


def database_error_response(err: SQLAlchemyError) -> Response:
    """409 for a lost race; 503 + Retry-After (logged) for a locked, unreachable or failing database.

    Used by the error handler and by the after_request commit, so errors at commit time answer alike.
    The driver's text is logged, never shown.
    """

    db.session.rollback()
    if is_lost_race(err):
        current_app.logger.warning("conflict on %s %s: %s", request.method, request.path, err)
        return make_response(_respond(CONFLICT_MESSAGE, 409))
    if not isinstance(err, DBAPIError):
        raise err  # a programming error, not the database's state: a plain 500, without the text
    current_app.logger.error("database unavailable on %s %s: %s", request.method, request.path, err)
    response = make_response(_respond(BUSY_MESSAGE, 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _respond(
    message: str | LazyString, status: int, field_errors: dict[str, str] | None = None
) -> tuple[Response | str, int]:
    message = str(translate_data(str(message)))  # a lazy text, or a DMN rule's reason, in the page's language
    if request.path.startswith(("/api/", "/workbench/api/")):
        return jsonify({"error": message, "fields": field_errors or {}}), status
    return render_template("error.html", message=message, status=status), status


def install_error_pages(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):  # type: ignore[no-untyped-def]
        body, status = _respond(err.message, err.status, err.field_errors)
        response = make_response(body, status)
        if getattr(err, "retry_after", None):  # a refusal that passes with time (e.g. parallel logins)
            response.headers["Retry-After"] = str(err.retry_after)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(SQLAlchemyError)
    def _database(err: SQLAlchemyError):  # type: ignore[no-untyped-def]
        return database_error_response(err)

    @app.errorhandler(StepFailed)
    def _incident(err: StepFailed):  # type: ignore[no-untyped-def]
        # the request's own work is rolled back (the instance stays at its last wait); the incident and the
        # person's form data as a draft are committed on their own
        db.session.rollback()
        record_incident(err, current_user.id if current_user.is_authenticated else None)
        db.session.commit()
        if request.endpoint == "workflow.submit" and request.view_args:  # back to the form, as typed
            flash(err.message, "error")
            return redirect(url_for("workflow.task", task_id=request.view_args["task_id"]))
        if request.blueprint == "incidents":
            flash(gettext("重试失败：%(reason)s", reason=err.error), "error")
            return redirect(url_for("incidents.index"))
        return _respond(err.message, err.status)

    @app.errorhandler(CSRFError)
    def _expired_page(err: CSRFError):  # type: ignore[no-untyped-def]
        current_app.logger.info("CSRF refused on %s %s: %s", request.method, request.path, err.description)
        return _respond(EXPIRED_PAGE_MESSAGE, 400)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):  # type: ignore[no-untyped-def]
        status = err.code or 500
        return _respond(_HTTP_MESSAGES.get(status, err.description or gettext("请求失败")), status)
