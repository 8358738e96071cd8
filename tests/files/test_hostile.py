"""Hostile uploads: active PDFs and fake PDFs are refused; images keep their pixels and lose everything else."""

import hashlib
import re
from io import BytesIO

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.errors import Invalid
from app.extensions import db
from app.files import content
from app.files.services import attachment_path, store_upload
from tests.files.pdfs import action, document_script, first_page_fit, link, open_action, page_opens_with, pdf

ACTIVE = "含有脚本、自动执行的动作或内嵌文件，不能上传"
UNPARSABLE = "无法按 PDF 格式解析"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20 + b"evil.htmlPK\x05\x06" + b"\x00" * 18
HTML = b"<html><body><script>fetch('/api/v1/inbox').then(r => r.text()).then(alert)</script></body></html>"


@pytest.fixture
def user():
    person = User(mobile="13800000000", name="张三", password_hash="x")
    db.session.add(person)
    db.session.flush()
    return person


def store(user, data: bytes, name: str = "材料.pdf"):
    return store_upload(FileStorage(BytesIO(data), filename=name), user.id)


def refusal(user, data: bytes, name: str = "材料.pdf") -> str:
    with pytest.raises(Invalid) as caught:
        store(user, data, name)
    return caught.value.message


def image(image_format: str, size=(40, 30), **save) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, image_format, **save)
    return out.getvalue()


@pytest.mark.parametrize(
    ("hostile", "build"),
    [
        ("document-level JavaScript (/Names /JavaScript)", lambda: pdf(document_script)),
        ("/OpenAction running JavaScript", lambda: pdf(open_action(action("/JavaScript", JS="app.alert(1)")))),
        ("/OpenAction launching a program", lambda: pdf(open_action(action("/Launch", F="cmd.exe")))),
        ("a link that launches a program", lambda: pdf(link(action("/Launch", F="calc.exe")))),
        ("a link that submits a form", lambda: pdf(link(action("/SubmitForm", F="https://evil.example/")))),
        ("a javascript: link", lambda: pdf(link(action("/URI", URI="javascript:alert(1)")))),
        ("script run when the page opens (/AA)", lambda: pdf(page_opens_with(action("/JavaScript", JS="x()")))),
        ("an embedded file", lambda: pdf(lambda w: w.add_attachment("说明.html", HTML))),
        (
            "JavaScript behind an escaped name (/J#61vaScript)",
            lambda: pdf(open_action(action("/JavaScript", JS="app.alert(1)"))).replace(
                b"/JavaScript", b"/J#61vaScript"
            ),
        ),
    ],
)
@pytest.mark.parametrize("byte_scan", [True, False], ids=["with-byte-scan", "parser-alone"])
def test_a_pdf_with_active_content_is_refused(user, monkeypatch, hostile, build, byte_scan):
    if not byte_scan:  # the parsed structure must find each one by itself; the byte scan is a second net
        monkeypatch.setattr(content, "ACTIVE_BYTES", re.compile(rb"(?!)"))
    assert refusal(user, build()) == f"文件「材料.pdf」{ACTIVE}；请另存为（或打印为）普通 PDF 后上传", hostile


@pytest.mark.parametrize(
    "fake",
    [
        b"%PDF-1.7\n" + HTML + b"\n%%EOF\n",  # an HTML page wearing a PDF header and trailer
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",  # no pages at all
        b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
    ],
)
def test_a_file_that_does_not_parse_as_pdf_is_refused(user, fake):
    assert UNPARSABLE in refusal(user, fake)


@pytest.mark.parametrize(
    "harmless",
    [
        pdf(),
        pdf(first_page_fit),  # /OpenAction as a destination: shows page 1
        pdf(open_action(action("/GoTo", D="page1"))),
        pdf(link(action("/URI", URI="https://www.cas.org.cn/"))),
    ],
    ids=["plain", "open-at-page-1", "open-goto", "web-link"],
)
def test_an_ordinary_pdf_is_stored_unchanged(user, harmless):
    attachment = store(user, harmless)
    assert attachment.mime == "application/pdf"
    assert attachment_path(attachment).read_bytes() == harmless


def test_a_pdf_with_only_an_owner_password_is_accepted_and_one_with_an_open_password_refused(user):
    """Government portals restrict editing of the PDFs they issue (社保证明): those must still go through."""
    restricted = pdf(lambda w: w.encrypt(user_password="", owner_password="gov", algorithm="AES-256"))
    locked = pdf(lambda w: w.encrypt(user_password="secret", owner_password="gov", algorithm="AES-256"))
    assert store(user, restricted, "社保证明.pdf").mime == "application/pdf"
    assert refusal(user, locked, "社保证明.pdf") == "文件「社保证明.pdf」是设有打开密码的 PDF，请去除密码后上传"


@pytest.mark.parametrize(
    ("image_format", "appended", "end"),
    [("PNG", ZIP, b"IEND\xaeB`\x82"), ("JPEG", HTML, b"\xff\xd9"), ("PNG", HTML, b"IEND\xaeB`\x82")],
)
def test_data_appended_to_an_image_is_not_stored(user, image_format, appended, end):
    original = image(image_format)
    attachment = store(user, original + appended, "照片.img")
    stored = attachment_path(attachment).read_bytes()
    assert stored.endswith(end) and appended not in stored
    assert (attachment.size, attachment.sha256) == (len(stored), hashlib.sha256(stored).hexdigest())
    with Image.open(BytesIO(stored)) as again:
        assert again.size == (40, 30) and again.getpixel((5, 5))[:3] == pytest.approx((30, 120, 200), abs=3)


def test_exif_is_dropped_and_the_orientation_applied(user):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x9286] = "GPS 39.9042N 116.4074E"  # UserComment standing in for a location
    photo = image("JPEG", size=(40, 30), exif=exif.tobytes(), comment=b"secret comment")
    stored = attachment_path(store(user, photo, "证件照.jpg")).read_bytes()
    with Image.open(BytesIO(stored)) as again:
        assert again.size == (30, 40)  # stands up as the phone showed it
        assert dict(again.getexif()) == {} and "comment" not in again.info
    assert b"PhoneMaker" not in stored and b"secret comment" not in stored


def test_png_text_chunks_go_and_transparency_stays(user):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    out = BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(out, "PNG", pnginfo=info)
    stored = attachment_path(store(user, out.getvalue(), "签名.png")).read_bytes()
    assert b"<script>" not in stored
    with Image.open(BytesIO(stored)) as again:
        assert again.mode == "RGBA" and again.getpixel((0, 0))[3] == 0


def test_an_image_beyond_the_pixel_cap_is_refused(user, monkeypatch):
    monkeypatch.setattr(content, "MAX_PIXELS", 100)
    assert (
        refusal(user, image("PNG", size=(20, 20)), "大图.png")
        == "图片「大图.png」尺寸过大（不超过 5000 万像素），请缩小后上传"
    )


def test_every_upload_is_served_sandboxed_and_never_as_html(world, client):
    """Even a file stored before these checks (bytes that are HTML) goes out as its stored type, sandboxed."""
    from app.demo import DEMO_PASSWORD
    from app.files.models import Attachment
    from app.files.storage import storage

    storage().put("ab" * 32, HTML)
    legacy = Attachment(
        sha256="ab" * 32, mime="image/png", size=len(HTML), original_name="x.html", uploaded_by_id=world.applicant.id
    )
    db.session.add(legacy)
    db.session.commit()
    client.post("/login", data={"mobile": world.applicant.mobile, "password": DEMO_PASSWORD})
    response = client.get(f"/files/{legacy.id}")
    assert response.mimetype == "image/png" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
