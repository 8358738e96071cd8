"""Serves an attachment to its uploader and to whoever may see an application that refers to it."""

from flask import Blueprint, send_file
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug import Response

from app.errors import DomainError, NotFound
from app.extensions import db
from app.files.models import Attachment, InstanceAttachment
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
