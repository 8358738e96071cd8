"""A large export's progress page and its download (issue 15); `respond` is what every list's export link returns."""

import io
from typing import Any

from flask import Blueprint, make_response, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from werkzeug import Response

from app.admin import exports
from app.errors import NotFound
from app.files.workbooks import XLSX_MIME

bp = Blueprint("exports", __name__, url_prefix="/exports")


def respond(kind: str, params: dict[str, Any], filename: str) -> Response:
    """The download itself for a small list; for a large one, the page that shows its progress."""
    result = exports.request_export(current_user, kind, params, filename)
    if isinstance(result, bytes):
        return send_file(io.BytesIO(result), mimetype=XLSX_MIME, as_attachment=True, download_name=filename)
    return redirect(url_for("exports.job", job_id=result.id))


@bp.get("/<int:job_id>")
@login_required
def job(job_id: int) -> Response:
    found = exports.own_job(current_user, job_id)
    response = make_response(render_template("admin/export_job.html", job=found))
    if found.status in ("queued", "running"):
        response.headers["Refresh"] = "2"  # the progress indicator: the page polls the job row
    return response


@bp.get("/<int:job_id>/download")
@login_required
def download(job_id: int) -> Response:
    found = exports.own_job(current_user, job_id)
    if found.status != "done" or found.content is None:
        raise NotFound("导出尚未完成")
    return send_file(io.BytesIO(found.content), mimetype=XLSX_MIME, as_attachment=True, download_name=found.filename)
