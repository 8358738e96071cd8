"""Maps domain errors to status codes: a Chinese page for browsers, JSON for /api."""

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug import Response
from werkzeug.exceptions import HTTPException

from app.errors import DomainError
from app.extensions import db
from app.workflow.incidents import StepFailed, record_incident

_HTTP_MESSAGES = {
    400: "请求格式不正确",
    401: "请先登录",
    403: "无权进行此操作",
    404: "页面不存在",
    405: "不支持的请求方式",
    413: "上传的文件过大",
    409: "操作冲突，请刷新后重试",
}


def _respond(message: str, status: int, field_errors: dict[str, str] | None = None) -> tuple[Response | str, int]:
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "fields": field_errors or {}}), status
    return render_template("error.html", message=message, status=status), status


def install_error_pages(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):  # type: ignore[no-untyped-def]
        return _respond(err.message, err.status, err.field_errors)

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
            flash(f"重试失败：{err.error}", "error")
            return redirect(url_for("incidents.index"))
        return _respond(err.message, err.status)

    @app.errorhandler(StaleDataError)
    def _stale(_err: StaleDataError):  # type: ignore[no-untyped-def]
        # a concurrent request changed the same instance first; the transaction is rolled back
        db.session.rollback()
        return _respond("该申请刚刚已被他人处理，请刷新后查看最新状态", 409)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):  # type: ignore[no-untyped-def]
        status = err.code or 500
        return _respond(_HTTP_MESSAGES.get(status, err.description or "请求失败"), status)
