"""Storing uploads: size cap, type decided by content, content kept once per SHA-256."""

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.errors import Invalid
from app.extensions import db
from app.files.models import Attachment

PNG, JPEG, PDF = "image/png", "image/jpeg", "application/pdf"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"
# Writers may append whitespace or a little junk after the last %%EOF; look for it near the end.
PDF_EOF_WINDOW = 1024


def store_upload(
    file: FileStorage, uploader_id: int, *, allow: str = "image_or_pdf", max_bytes: int | None = None
) -> Attachment:
    """Check and store one uploaded file; flushes the new Attachment row, never commits.

    `max_bytes` defaults to MEMBERFLOW_MAX_UPLOAD_BYTES; core filings pass a smaller cap (R-INFO-1).
    """
    name = _original_name(file.filename)
    limit = max_bytes if max_bytes is not None else current_app.config["MEMBERFLOW_MAX_UPLOAD_BYTES"]
    content = file.stream.read(limit + 1)
    if len(content) > limit:
        raise Invalid(f"文件「{name}」超过 {_size_text(limit)} 的大小上限")
    mime = sniff_mime(content)
    if mime is None:
        raise Invalid(f"文件「{name}」不是 PNG/JPG/JPEG 图片或 PDF 文件（按文件内容识别）")
    if allow == "image" and mime == PDF:
        raise Invalid(f"文件「{name}」是 PDF 文件，此处只接受 PNG/JPG/JPEG 图片")
    sha256 = hashlib.sha256(content).hexdigest()
    _write_once(sha256, content)
    attachment = Attachment(sha256=sha256, mime=mime, size=len(content), original_name=name, uploaded_by_id=uploader_id)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def attachment_path(att: Attachment) -> Path:
    return _storage_path(att.sha256)


def as_form_value(att: Attachment) -> dict[str, Any]:
    """How a form's attachment field refers to a stored file."""
    return {"id": att.id, "name": att.original_name, "mime": att.mime}


def sniff_mime(content: bytes) -> str | None:
    """PNG, JPEG or PDF judged by the bytes themselves; None for anything else or a damaged file."""
    if content.startswith(PNG_SIGNATURE):
        return PNG if _is_intact_image(content, "PNG") else None
    if content.startswith(JPEG_SIGNATURE):
        return JPEG if _is_intact_image(content, "JPEG") else None
    if content.startswith(PDF_SIGNATURE) and b"%%EOF" in content[-PDF_EOF_WINDOW:]:
        return PDF
    return None


def _is_intact_image(content: bytes, image_format: str) -> bool:
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != image_format:
                return False
            image.verify()
        if image_format == "JPEG":
            _decode_jpeg_thumbnail(content)
    except Exception:  # Pillow reports a damaged or hostile file with many exception types
        return False
    return True


def _decode_jpeg_thumbnail(content: bytes) -> None:
    """verify() checks little of a JPEG; decoding it at 1/8 scale finds truncation cheaply."""
    with Image.open(io.BytesIO(content)) as image:
        image.draft(image.mode, (max(image.width // 8, 1), max(image.height // 8, 1)))
        image.load()


def _write_once(sha256: str, content: bytes) -> None:
    path = _storage_path(sha256)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(content)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _storage_path(sha256: str) -> Path:
    return Path(current_app.config["MEMBERFLOW_STORAGE_DIR"]) / sha256[:2] / sha256


def _original_name(filename: str | None) -> str:
    # Browsers on Windows once sent full paths; keep only the last part, CJK characters and all.
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (name or "未命名文件")[:255]


def _size_text(limit: int) -> str:
    megabytes = limit / (1024 * 1024)
    if megabytes >= 1:
        return f"{megabytes:g} MB"
    return f"{max(limit // 1024, 1)} KB"
