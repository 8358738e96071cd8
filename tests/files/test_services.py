"""Uploads are judged by their bytes, capped in size, and stored once per content."""

from io import BytesIO

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict

from app.accounts.models import User
from app.errors import Invalid
from app.extensions import db
from app.files.services import as_form_value, attachment_path, store_upload
from app.formkit import FormSpec, parse_form, validate
from tests.files.pdfs import pdf

PDF_BYTES = pdf()


def image_bytes(image_format: str, color: str = "red", size: tuple[int, int] = (16, 16)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format)
    return buffer.getvalue()


def upload(content: bytes, filename: str, mimetype: str = "application/octet-stream") -> FileStorage:
    return FileStorage(BytesIO(content), filename=filename, content_type=mimetype)


@pytest.fixture
def create_user():
    def create(mobile: str = "13800000000") -> User:
        user = User(mobile=mobile, name="张三", password_hash="x")
        db.session.add(user)
        db.session.flush()
        return user

    return create


@pytest.fixture
def user(create_user):
    return create_user()


def test_png_is_stored_with_its_name_and_type(user):
    content = image_bytes("PNG", "blue")

    attachment = store_upload(upload(content, "照片.png", "image/png"), user.id)

    stored = attachment_path(attachment).read_bytes()
    assert (attachment.mime, attachment.size, attachment.original_name) == ("image/png", len(stored), "照片.png")
    with Image.open(BytesIO(stored)) as again:  # re-encoded (tests/files/test_hostile.py): the same pixels
        assert again.size == (16, 16) and again.getpixel((0, 0)) == (0, 0, 255)
    assert as_form_value(attachment) == {"id": attachment.id, "name": "照片.png", "mime": "image/png"}


def test_jpeg_and_pdf_are_accepted(user):
    assert store_upload(upload(image_bytes("JPEG"), "sign.jpeg"), user.id).mime == "image/jpeg"
    assert store_upload(upload(PDF_BYTES, "合同.pdf"), user.id).mime == "application/pdf"


def test_text_file_named_png_is_refused(user):
    with pytest.raises(Invalid) as caught:
        store_upload(upload(b"just some text\n", "evil.png", "image/png"), user.id)

    assert caught.value.message == "文件「evil.png」不是 PNG/JPG/JPEG 图片或 PDF 文件（按文件内容识别）"


def test_png_named_pdf_is_stored_as_png(user):
    attachment = store_upload(upload(image_bytes("PNG"), "scan.pdf", "application/pdf"), user.id)

    assert attachment.mime == "image/png"


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_truncated_image_is_refused(user, image_format):
    content = image_bytes(image_format, size=(64, 64))

    with pytest.raises(Invalid, match="按文件内容识别"):
        store_upload(upload(content[: len(content) // 2], "broken.img"), user.id)


def test_pdf_without_end_marker_is_refused(user):
    with pytest.raises(Invalid, match="按文件内容识别"):
        store_upload(upload(PDF_BYTES.replace(b"%%EOF", b""), "cut.pdf"), user.id)


def test_image_only_slot_refuses_pdf(user):
    with pytest.raises(Invalid, match="只接受 PNG/JPG/JPEG 图片"):
        store_upload(upload(PDF_BYTES, "seal.pdf"), user.id, allow="image")


def test_oversize_file_is_refused(app, user, monkeypatch):
    monkeypatch.setitem(app.config, "MEMBERFLOW_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)

    with pytest.raises(Invalid) as caught:
        store_upload(upload(PDF_BYTES + b" " * (2 * 1024 * 1024), "big.pdf"), user.id)

    assert caught.value.message == "文件「big.pdf」超过 2 MB 的大小上限"


def test_smaller_cap_for_core_filings(user):
    buffer = BytesIO()
    Image.effect_noise((64, 64), 100).save(buffer, "PNG")
    content = buffer.getvalue()

    with pytest.raises(Invalid, match="超过 1 KB 的大小上限"):
        store_upload(upload(content, "seal.png"), user.id, max_bytes=1024)


def test_same_content_is_stored_once(user):
    content = image_bytes("PNG", "green", (17, 3))
    first = store_upload(upload(content, "a.png"), user.id)
    stored_inode = attachment_path(first).stat().st_ino

    second = store_upload(upload(content, "b.png"), user.id)

    assert second.id != first.id and second.original_name == "b.png"
    assert attachment_path(second) == attachment_path(first)
    assert attachment_path(second).stat().st_ino == stored_inode
    assert not [p for p in attachment_path(first).parent.iterdir() if p.name.startswith(".upload-")]


def test_only_the_base_name_of_a_windows_path_is_kept(user):
    attachment = store_upload(upload(image_bytes("PNG"), "C:\\Users\\张三\\签名.png"), user.id)

    assert attachment.original_name == "签名.png"


def test_form_post_keeps_good_uploads_and_reports_bad_ones(user):
    spec = FormSpec(
        key="join",
        schema={"type": "object", "properties": {"contract": {"type": "array", "items": {"type": "object"}}}},
        ui={"fields": {"contract": {"label": "劳动合同", "widget": "attachments"}}},
    )
    files = MultiDict(
        [
            ("contract", upload(image_bytes("PNG"), "p1.png")),
            ("contract", upload(b"MZ\x90\x00", "virus.jpg")),
            ("contract", upload(PDF_BYTES, "p2.pdf")),
        ]
    )

    def store(file: FileStorage, field: str) -> dict:
        return as_form_value(store_upload(file, user.id))

    data, upload_errors = parse_form(spec, MultiDict(), files, {}, store)

    assert [a["name"] for a in data["contract"]] == ["p1.png", "p2.pdf"]
    assert "virus.jpg" in upload_errors["contract"]
    assert validate(spec, data)["contract"].startswith("劳动合同不能同时包含图片和 PDF")
