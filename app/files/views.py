"""Serves an attachment to its uploader and to whoever may see an application that refers to it."""

import io

from flask import Blueprint, render_template, request, send_file
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug import Response

from app.errors import DomainError, NotFound
from app.extensions import db
from app.files.models import Attachment, InstanceAttachment
from app.files.pages import page_count, render_page
from app.files.services import attachment_path
from app.security_headers import sandboxed_file
from app.workflow.access import visible_instance

bp = Blueprint("files", __name__)


def _readable(attachment_id: int) -> Attachment:
    att = db.session.get(Attachment, attachment_id)
    if att is None:
        raise NotFound(gettext("文件不存在"))
    if att.uploaded_by_id == current_user.id:
        return att
    for instance_id in db.session.scalars(
        select(InstanceAttachment.instance_id).where(InstanceAttachment.attachment_id == att.id)
    ):
        try:
            visible_instance(current_user, instance_id)
            return att
        except DomainError:
            continue
    raise NotFound(gettext("文件不存在或您无权查看"))


@bp.get("/files/<int:attachment_id>")
@login_required
def download(attachment_id: int) -> Response:
    att = _readable(attachment_id)
    # inline (images and checked PDFs are shown in the browser), but as the stored type and in a sandbox
    return sandboxed_file(send_file(attachment_path(att), mimetype=att.mime, download_name=att.original_name))


@bp.get("/files/<int:attachment_id>/view")
@login_required
def view(attachment_id: int) -> str:
    """The viewer: an image, or a checked PDF's pages as images, inline in a page with a way back."""
    att = _readable(attachment_id)
    pages = page_count(attachment_path(att)) if att.mime == "application/pdf" else 0
    return render_template("files/viewer.html", att=att, pages=pages, back=request.referrer)


@bp.get("/files/<int:attachment_id>/pages/<int:number>.png")
@login_required
def pdf_page(attachment_id: int, number: int) -> Response:
    att = _readable(attachment_id)
    if att.mime != "application/pdf":
        raise NotFound("文件不存在")
    png = render_page(attachment_path(att), number)
    return sandboxed_file(send_file(io.BytesIO(png), mimetype="image/png"))
