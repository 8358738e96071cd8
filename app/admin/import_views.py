"""Administrator pages for importing existing firms, members and the association's records (issue 14)."""

import io

from flask import Blueprint, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug import Response

from app.accounts.rights import require_admin
from app.admin import imports
from app.errors import Invalid

bp = Blueprint("imports", __name__, url_prefix="/admin/imports")
MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


@bp.before_request
@login_required
def _admins_only() -> None:
    require_admin(current_user)


def _page(status: int = 200) -> tuple[str, int]:
    return render_template("admin/imports.html", kinds=imports.IMPORT_KINDS, jobs=imports.recent_jobs()), status


@bp.get("")
def index() -> tuple[str, int]:
    return _page()


@bp.get("/template/<kind>.<fmt>")
def template(kind: str, fmt: str) -> Response:
    content = imports.template_file(kind, fmt)
    name = f"{kind}-template.{fmt}"
    return send_file(io.BytesIO(content), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name)


@bp.post("/<kind>")
def upload(kind: str) -> tuple[str, int] | Response:
    upload = request.files.get("file")
    try:
        job = imports.submit_import(
            current_user, kind, upload.filename or "" if upload else "", upload.read() if upload else b""
        )
    except Invalid as err:
        flash(err.message, "error")
        return _page(422)
    return redirect(url_for(".job", job_id=job.id))


@bp.get("/jobs/<int:job_id>")
def job(job_id: int) -> Response:
    found = imports.get_job(job_id)
    response = make_response(render_template("admin/import_job.html", job=found, kind=imports.import_kind(found.kind)))
    if found.status in ("queued", "running"):
        response.headers["Refresh"] = "2"  # the progress indicator: the page polls the job row
    return response


@bp.get("/jobs/<int:job_id>.json")
def job_status(job_id: int) -> dict[str, object]:
    found = imports.get_job(job_id)
    return {
        "status": found.status,
        "total": found.total,
        "processed": found.processed,
        "created": found.created,
        "updated": found.updated,
        "refused": len(found.report),
        "message": _("导入中") if found.status in ("queued", "running") else found.status,
    }
