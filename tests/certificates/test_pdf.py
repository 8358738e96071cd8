"""The certificate and seal-template PDFs as a person reads them: real Chinese text, a QR code that scans."""

import io
from datetime import date
from urllib.parse import urlparse

import pytest
from werkzeug.datastructures import FileStorage

from app.certificates import services
from app.extensions import db
from app.files.services import store_upload
from app.members.models import Qualification


@pytest.fixture
def printed(app, demo_member):
    """Returns a callable: print the demo member's certificate (inside a request, as the views do) and commit, as the
    request's end does: a request the test client makes next may begin with the catalog check, whose own connection
    (the in-memory database's only one) would roll back what the test left uncommitted."""

    def make(mobile: str) -> bytes:
        member, user = demo_member(mobile)
        with app.test_request_context():
            content = services.print_certificate(member, user)
        db.session.commit()
        return content

    return make


def test_certificate_text_is_real_chinese(printed, pdf_text):
    text = pdf_text(printed("13800000011"))
    for part in ("中国资产评估协会", "正式执业会员证书", "王喆", "2020000011", "北京中和资产评估有限公司"):
        assert part in text
    assert "北京资产评估协会" in text and "2020000011-01" in text
    assert "110105" not in text and "13800000011" not in text  # no ID number, no mobile


def test_rare_name_characters_render(printed, pdf_text, demo_member):
    """堃 and 喆 are common-ideograph rarities, 䶮 is in CJK Extension A: none may vanish."""
    member, user = demo_member("13800000013")
    user.name = "李堃喆䶮"
    db.session.flush()
    assert "李堃喆䶮" in pdf_text(printed("13800000013"))


def test_each_kind_has_its_certificate(printed, pdf_text, demo_member):
    # 孙静 is a trainee without the appraiser qualification: an other professional (R-CER-1)
    assert "其他专业人员证书" in pdf_text(printed("13800000014"))
    member, user = demo_member("13800000014")
    db.session.add(Qualification(user_id=user.id, kind="appraiser", passed_on=date(2025, 9, 1)))
    db.session.flush()
    assert "见习执业会员证书" in pdf_text(printed("13800000014"))
    assert "非执业会员证书" in pdf_text(printed("13800000015"))


def test_issue_date_is_the_shanghai_calendar_day(app, demo_member, pdf_text):
    from datetime import UTC, datetime

    member, user = demo_member("13800000011")
    cert = services.current_certificate(member)
    cert.issued_at = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)  # 01:30 on 1 April in Beijing
    with app.test_request_context():
        assert "2026年04月01日" in pdf_text(services.print_certificate(member, user))


def test_qr_code_scans_to_the_verification_page(printed, scan_qr, client):
    urls = scan_qr(printed("13800000011"))
    assert len(urls) == 1 and urlparse(urls[0]).path.startswith("/verify/")
    page = client.get(urlparse(urls[0]).path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "王喆" in html and "证书有效" in html


def test_photo_is_embedded_and_a_new_one_is_used(printed, demo_member):
    before = printed("13800000011")
    assert b"/Subtype /Image" in before
    member, user = demo_member("13800000011")
    new_photo = store_upload(FileStorage(io.BytesIO(_png()), filename="p.png"), user.id, allow="image")
    services.file_core_filing(member, "photo", new_photo, user)
    assert printed("13800000011") != before


def test_seal_template_shows_name_number_and_red_ink_instructions(demo_member, pdf_text):
    member, _ = demo_member("13800000014")
    text = pdf_text(services.seal_template(member))
    assert "印鉴模板" in text and "孙静" in text and member.member_number in text
    assert "红色印油在白纸上" in text


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (60, 80), (10, 200, 30)).save(buf, "PNG")
    return buf.getvalue()
