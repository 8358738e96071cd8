"""Storing uploads: size cap, type decided by content (files/content.py), stored bytes kept once per SHA-256."""

import hashlib
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app import clock
from app.dbwrite import insert_unless_present
from app.errors import Invalid
from app.extensions import db
from app.files.content import PDF_SIGNATURE, checked_upload
from app.files.models import Attachment
from app.files.storage import storage


def store_upload(
    file: FileStorage,
    uploader_id: int,
    *,
    allow: str = "image_or_pdf",
    max_bytes: int | None = None,
    key: str | None = None,
) -> Attachment:
    """Check and store one uploaded file; flushes the new Attachment row, never commits.

    `max_bytes` defaults to MEMBERFLOW_MAX_UPLOAD_BYTES; core filings pass a smaller cap (R-INFO-1).
    With a `key` (where the file goes, e.g. one field of one application), the same content under the same key is
    one row: a second upload, even at the same moment in another request, gets the first row back (its name too).
    """
    name = _original_name(file.filename)
    limit = max_bytes if max_bytes is not None else current_app.config["MEMBERFLOW_MAX_UPLOAD_BYTES"]
    content = file.stream.read(limit + 1)
    if len(content) > limit:
        raise Invalid(gettext("文件「%(name)s」超过 %(limit)s 的大小上限", name=name, limit=_size_text(limit)))
    if allow == "image" and content.startswith(PDF_SIGNATURE):  # refused before any parsing
        raise Invalid(gettext("文件「%(name)s」是 PDF 文件，此处只接受 PNG/JPG/JPEG 图片", name=name))
    mime, stored = checked_upload(content, name)  # images come back re-encoded: pixels only
    sha256 = hashlib.sha256(stored).hexdigest()
    storage().put(sha256, stored)
    if key is not None:
        return _keyed(f"{key}/{sha256}"[:255], sha256, mime, len(stored), name, uploader_id)
    attachment = Attachment(sha256=sha256, mime=mime, size=len(stored), original_name=name, uploaded_by_id=uploader_id)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def _keyed(upload_key: str, sha256: str, mime: str, size: int, name: str, uploader_id: int) -> Attachment:
    """Insert-or-get on the unique upload key: the database decides between two requests storing the same file."""
    values = {"sha256": sha256, "mime": mime, "size": size, "original_name": name, "uploaded_by_id": uploader_id}
    insert_unless_present(Attachment, {**values, "created_at": clock.now(), "upload_key": upload_key}, ["upload_key"])
    return db.session.scalars(select(Attachment).where(Attachment.upload_key == upload_key)).one()


def attachment_path(att: Attachment) -> Path:
    """A local file with the attachment's bytes (with S3: a cached copy, fetched on first use)."""
    return storage().local_path(att.sha256)


def as_form_value(att: Attachment) -> dict[str, Any]:
    """How a form's attachment field refers to a stored file."""
    return form_value(att.id, att.original_name, att.mime)


def form_value(attachment_id: int, original_name: str, mime: str) -> dict[str, Any]:
    return {"id": attachment_id, "name": original_name, "mime": mime}


def _original_name(filename: str | None) -> str:
    # Browsers on Windows once sent full paths; keep only the last part, CJK characters and all.
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (name or "未命名文件")[:255]


def _size_text(limit: int) -> str:
    megabytes = limit / (1024 * 1024)
    if megabytes >= 1:
        return f"{megabytes:g} MB"
    return f"{max(limit // 1024, 1)} KB"
