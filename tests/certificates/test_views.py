"""The certificate pages over HTTP: members print, anyone verifies by QR, association staff manage
(R-CER-2, R-CER-4, R-CER-5, R-CER-6, R-CER-7)."""

import base64
import io
import json
import re

from sqlalchemy import select

from app.certificates import staff
from app.certificates.models import Certificate, PrintRecord
from app.certificates.qr import certificate_token
from app.certificates.services import INCOMPLETE, current_certificate
from app.extensions import db
from app.files.models import Attachment
from app.members.models import CoreFiling


def _verify_path() -> str:
    """The verification link of the last printed certificate (the PDF's QR code is scanned in test_pdf.py)."""
    cert_id = db.session.scalar(select(PrintRecord.certificate_id).order_by(PrintRecord.id.desc()).limit(1))
    return f"/verify/{certificate_token(db.session.get(Certificate, cert_id))}"


def test_member_prints_and_sees_the_print_in_the_log(client, login, demo_member):
    """R-CER-6: every print is logged."""
    member, user = demo_member("13800000011")
    login(user)
    resp = client.post("/certificate/print")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF")
    record = db.session.scalars(select(PrintRecord)).one()
    assert (record.member_id, record.printed_by_id, record.kind, record.serial) == (
        member.id,
        user.id,
        "full",
        "2020000011-01",
    )
    page = client.get("/certificate").get_data(as_text=True)
    assert "打印记录" in page and "2020000011-01" in page and "正式执业会员证书" in page


def test_member_in_custody_is_refused_with_the_reason(client, login, demo_member):
    """R-CER-2: no printing in custody."""
    login(demo_member("13800000012")[1])
    resp = client.post("/certificate/print")
    assert resp.status_code == 422 and "协会代管期间不能打印电子证书" in resp.get_data(as_text=True)
    assert "协会代管期间不能打印电子证书" in client.get("/certificate").get_data(as_text=True)
    assert db.session.scalars(select(PrintRecord)).first() is None


def test_refusals_name_the_rule(client, login, demo_member):
    login(demo_member("13800000013")[1])
    assert "年检未通过" in client.post("/certificate/print").get_data(as_text=True)
    login(demo_member("13800000014")[1])
    resp = client.post("/certificate/print")
    assert resp.status_code == 422 and "尚未备案印鉴" in resp.get_data(as_text=True)


def test_non_member_has_no_certificate(client, login, world):
    login(world.applicant)
    assert client.post("/certificate/print").status_code == 404


def test_certificate_keeps_the_kind_until_the_change_is_approved(client, login, demo_member):
    """R-CER-4: the certificate shows Member.kind, which only the final approval of a status change sets; so while
    the change is pending the old kind prints, and once approved the old certificate no longer verifies."""
    member, user = demo_member("13800000014")
    db.session.add(CoreFiling(member_id=member.id, kind="seal", attachment_id=_any_attachment(), filed_by_id=user.id))
    db.session.commit()
    login(user)
    assert client.post("/certificate/print").status_code == 200
    trainee_link = _verify_path()
    member.kind = "full"  # what the final approval does
    db.session.commit()
    assert "会员身份已变更" in client.get(trainee_link).get_data(as_text=True)
    assert client.post("/certificate/print").status_code == 200
    kinds = db.session.scalars(select(PrintRecord.kind).order_by(PrintRecord.id)).all()
    assert kinds == ["other_professional", "full"]  # 孙静 has no appraiser qualification (R-CER-1)


def test_verification_page_is_public_and_shows_no_personal_data(client, login, demo_member):
    """R-CER-5: the QR code opens a public authenticity page."""
    member, user = demo_member("13800000013")
    member.annual_inspection = "passed"
    db.session.commit()
    login(user)
    client.post("/certificate/print")
    link = _verify_path()
    client.post("/logout")
    html = client.get(link).get_data(as_text=True)
    assert "陈䶮" in html and "2020000013" in html and "北京华信众合资产评估有限公司" in html and "证书有效" in html
    assert user.id_number not in html and user.mobile not in html
    assert client.get(link + "/photo").mimetype == "image/png"
    member.in_custody = True  # validity is judged now, not at print time
    db.session.commit()
    assert "证书当前无效：协会代管期间不能打印电子证书" in client.get(link).get_data(as_text=True)


def test_a_resigned_member_logged_in_can_still_check_a_certificate(client, login, demo_member, world):
    login(demo_member("13800000011")[1])
    client.post("/certificate/print")
    link = _verify_path()
    client.post("/logout")
    login(world.returning)  # 李四 resigned in 2021: no business rights (R-ACC-5), but the check is public
    assert client.get(link).status_code == 200


def test_tampered_token_is_refused_in_chinese(client, login, demo_member):
    """R-CER-5: a forged QR link proves nothing."""
    login(demo_member("13800000011")[1])
    client.post("/certificate/print")
    link = _verify_path()
    payload, signature = link.rsplit(".", 1)
    # the same signature on a payload claiming another kind (re-encoded, not a substring swap: ids shift alignment)
    prefix, body = payload.rsplit("/", 1)
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims[2] = "trainee" if claims[2] != "trainee" else "full"
    forged_body = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode().rstrip("=")
    forged = f"{prefix}/{forged_body}.{signature}"
    assert forged != link
    # flip a character mid-signature: the last base64 character may differ only in padding bits
    middle = len(signature) // 2
    flipped = signature[:middle] + ("B" if signature[middle] == "A" else "A") + signature[middle + 1 :]
    for bad in (forged, payload + "." + flipped, "/verify/nonsense"):
        resp = client.get(bad)
        assert resp.status_code == 400 and "可能已被篡改" in resp.get_data(as_text=True)


def test_revoked_certificate_says_so(client, login, demo_member, world):
    """R-CER-5: the public page says when a certificate was revoked."""
    member, user = demo_member("13800000011")
    login(user)
    client.post("/certificate/print")
    link = _verify_path()
    login(world.local_reviewer)
    assert client.post(f"/association/members/{member.id}/revoke").status_code == 302
    assert "该证书已作废" in client.get(link).get_data(as_text=True)
    login(user)
    client.post("/certificate/print")
    assert current_certificate(member).serial == "2020000011-02"


def test_staff_list_searches_and_pages(client, login, world, demo_member, app):
    """R-CER-7: staff list their members by name or number."""
    login(world.local_reviewer)
    html = client.get("/association/members?q=王喆").get_data(as_text=True)
    assert "王喆" in html and "李堃" not in html
    assert "李堃" in client.get("/association/members?q=2020000012").get_data(as_text=True)
    all_rows = client.get("/association/members").get_data(as_text=True).count("下载会员证")
    page = staff.list_members(world.local_reviewer, "", 1, per_page=3)
    assert len(page.items) == 3 and page.has_next and all_rows >= 8
    login(world.other_local_reviewer)
    assert "王喆" not in client.get("/association/members").get_data(as_text=True)


def test_staff_of_another_province_and_members_get_404(client, login, world, demo_member):
    """R-CER-7: staff see only their own association's members."""
    member, user = demo_member("13800000011")
    login(world.other_local_reviewer)
    assert client.get(f"/association/members/{member.id}").status_code == 404
    assert client.post(f"/association/members/{member.id}/certificate").status_code == 404
    login(demo_member("13800000015")[1])  # a member cannot print someone else's certificate
    assert client.post(f"/association/members/{member.id}/certificate").status_code == 404
    assert db.session.scalars(select(PrintRecord)).first() is None


def test_overseas_members_belong_to_the_national_association(client, login, world, demo_member):
    """R-CER-7: overseas non-practicing members are the national association's."""
    member, _ = demo_member("13800000015")
    member.overseas = True
    db.session.commit()
    login(world.local_reviewer)
    assert client.get(f"/association/members/{member.id}").status_code == 404
    login(world.national_reviewer)
    assert client.get(f"/association/members/{member.id}").status_code == 200


def test_download_refused_until_staff_complete_the_fields(client, login, world, demo_member, make_png):
    """R-CER-7: 请将会员必填信息补充完整，再进行下载 until staff complete the fields."""
    member, user = demo_member("13800000011")
    _drop_photo(member)
    member.member_number = ""
    db.session.commit()
    login(world.local_reviewer)
    resp = client.post(f"/association/members/{member.id}/certificate")
    assert resp.status_code == 422
    assert re.search(r'role="alert">\s*请将会员必填信息补充完整，再进行下载\s*<', resp.get_data(as_text=True))
    assert INCOMPLETE == "请将会员必填信息补充完整，再进行下载"
    detail = client.get(f"/association/members/{member.id}").get_data(as_text=True)
    assert "缺少必填信息：会员编号、头像" in detail and "全科合格电子照片" in detail
    resp = client.post(f"/association/members/{member.id}/fields", data={"name": "王喆", "member_number": "2020000011"})
    assert resp.status_code == 302
    resp = client.post(
        f"/association/members/{member.id}/photo",
        data={"photo": (io.BytesIO(make_png(3)), "photo.png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    resp = client.post(f"/association/members/{member.id}/certificate")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    record = db.session.scalars(select(PrintRecord)).one()
    assert record.printed_by_id == world.local_reviewer.id
    assert "孙北京" in client.get(f"/association/members/{member.id}").get_data(as_text=True)


def test_staff_may_file_the_exam_photo(client, login, world, demo_member):
    """R-CER-7: the exam photo is the default photo."""
    member, _ = demo_member("13800000011")
    _drop_photo(member)
    db.session.commit()
    login(world.local_reviewer)
    assert client.post(f"/association/members/{member.id}/photo").status_code == 302
    assert db.session.scalar(select(CoreFiling).where(CoreFiling.member_id == member.id, CoreFiling.kind == "photo"))


def test_staff_edit_rejects_a_duplicate_number(client, login, world, demo_member):
    member, _ = demo_member("13800000011")
    login(world.local_reviewer)
    resp = client.post(f"/association/members/{member.id}/fields", data={"name": "王喆", "member_number": "2020000012"})
    assert resp.status_code == 422 and "该会员编号已被其他会员使用" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert member.member_number == "2020000011"


def test_member_downloads_the_seal_template(client, login, demo_member, pdf_text):
    """R-JOIN-8: after joining the member gets the seal template."""
    login(demo_member("13800000011")[1])
    resp = client.get("/certificate/seal-template")
    assert resp.status_code == 200 and "王喆" in pdf_text(resp.data)


def _any_attachment() -> int:
    return db.session.scalar(select(Attachment.id).limit(1))


def _drop_photo(member) -> None:
    db.session.execute(
        CoreFiling.__table__.delete().where(CoreFiling.member_id == member.id, CoreFiling.kind == "photo")
    )


def test_photos_and_certificates_are_kept_by_no_cache(client, login, demo_member):
    """A member's photo (and the placeholder served at the same URL) and a printed certificate are private."""
    member, user = demo_member("13800000011")
    login(user)
    photo = client.get("/certificate/photo")
    printed = client.post("/certificate/print")
    assert photo.status_code == 200 and photo.mimetype.startswith("image/")
    assert photo.headers["Cache-Control"] == "private, no-store"  # was public, max-age=300
    assert photo.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert printed.status_code == 200 and printed.headers["Cache-Control"] == "private, no-store"
    login(demo_member("13800000014")[1])  # no photo on file: the placeholder
    assert client.get("/certificate/photo").headers["Cache-Control"] == "private, no-store"  # was max-age=3600


def test_staff_see_the_work_the_member_keeps_on_their_account_page(client, login, demo_member, world):
    """The staff page of a member shows 职务 / 所学专业 / 工作单位 beside the e-mail and education."""
    member, _user = demo_member("13800000011")
    member.employer = "北京某评估咨询中心"
    db.session.commit()
    login(world.local_reviewer)
    page = client.get(f"/association/members/{member.id}").get_data(as_text=True)
    assert "工作单位：北京某评估咨询中心" in page and "职务：" not in page
