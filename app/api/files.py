"""Resource: uploading a file whose {"id","name","mime"} then goes into an attachment field of form data."""

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from app.api.schemas import AttachmentSchema
from app.api.views import bp
from app.errors import Invalid
from app.files.services import as_form_value, store_upload

_ATTACHMENT = AttachmentSchema()  # built once, like the other resources' schemas (issue 13)


@bp.post("/files")
def upload_file() -> ResponseReturnValue:
    file = request.files.get("file")
    if file is None or not file.filename:
        raise Invalid(gettext("请选择要上传的文件"), {"file": "请选择要上传的文件"})
    return _ATTACHMENT.dump(as_form_value(store_upload(file, current_user.id))), 201
