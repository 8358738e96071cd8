"""Identity documents other than the mainland ID card (issue 14 item 5; the certificate manuals' 证件类型): a Hong
Kong/Macau or Taiwan permit or a passport registers and imports, checked by the document's format (R-ACC-1)."""

import pytest
from sqlalchemy import select

from app.accounts.id_documents import document_error
from app.accounts.models import MemberBinding, User
from app.extensions import db
from tests.importing import MEMBER_COLUMNS, credit_code, csv_bytes, member_row, run_import


@pytest.mark.parametrize(
    ("id_type", "number", "error"),
    [
        ("hk_macau_permit", "H12345678", None),
        ("hk_macau_permit", "M1234567890", None),
        ("hk_macau_permit", "X12345678", "港澳居民来往内地通行证号码应为 H 或 M 加 8 位（或 10 位）数字"),
        ("taiwan_permit", "01234567", None),
        ("taiwan_permit", "0123456", "台湾居民来往大陆通行证号码应为 8 位（或 10 位）数字"),
        ("passport", "E12345678", None),
        ("passport", "E12-345", "护照号码应为 5–17 位字母或数字"),
        ("id_card", "110105194912310021", "身份证号码校验位不正确，请核对最后一位"),
        ("driving_licence", "123456", "请选择证件类型"),
    ],
)
def test_each_document_is_checked_by_its_format(app, id_type, number, error):
    with app.test_request_context():
        assert document_error(id_type, number) == error


def test_a_passport_holder_registers(app, register):
    client = app.test_client()
    resp = register(client, mobile="13912345001", name="John Smith", id_number="e12345678", id_type="passport")
    assert resp.status_code == 302
    user = db.session.scalar(select(User).where(User.mobile == "13912345001"))
    assert (user.id_type, user.id_number) == ("passport", "E12345678")


def test_a_permit_in_the_wrong_format_is_refused_on_the_field(app, register):
    resp = register(app.test_client(), mobile="13912345002", id_number="12345678", id_type="hk_macau_permit")
    assert resp.status_code == 422
    assert "港澳居民来往内地通行证号码应为 H 或 M 加 8 位（或 10 位）数字" in resp.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.mobile == "13912345002")) is None


def test_permits_and_passports_import_and_bind(app, world, register):
    world.firm_bj.credit_code = credit_code(999)
    db.session.commit()
    rows = [
        member_row(1, credit_code(999), 姓名="陈港澳", 证件类型="港澳居民来往内地通行证", 证件号码="H12345678"),
        member_row(2, credit_code(999), 姓名="林台湾", 证件类型="台湾居民来往大陆通行证", 证件号码="01234567"),
        member_row(3, credit_code(999), 证件类型="", 姓名="王内地"),  # empty: 居民身份证
    ]
    job = run_import(world.admin, "members", csv_bytes(MEMBER_COLUMNS, rows))
    assert job.status == "done", job.report
    types = dict(db.session.execute(select(User.name, User.id_type).where(User.imported_at.is_not(None))).all())
    assert types == {"陈港澳": "hk_macau_permit", "林台湾": "taiwan_permit", "王内地": "id_card"}
    client = app.test_client()
    resp = register(client, mobile="13912345003", name="陈港澳", id_number="H12345678", id_type="hk_macau_permit")
    assert resp.headers["Location"].endswith("/register/bind")  # the permit finds the imported member record
    assert db.session.scalar(select(MemberBinding.user_id)) is not None


def test_an_import_row_with_a_bad_document_is_refused_with_its_reason(world):
    world.firm_bj.credit_code = credit_code(999)
    db.session.commit()
    rows = [
        member_row(1, credit_code(999), 证件类型="护照", 证件号码="E1"),
        member_row(2, credit_code(999), 证件类型="军官证"),
    ]
    job = run_import(world.admin, "members", csv_bytes(MEMBER_COLUMNS, rows))
    assert job.status == "refused"
    reasons = {item["row"]: item["reason"] for item in job.report}
    assert reasons[2] == "护照号码应为 5–17 位字母或数字"
    assert reasons[3].startswith("证件类型应为：居民身份证、港澳居民来往内地通行证")
