"""The firm filing through the pages: 上一步/下一步, uploads, the people panel, the finance department's inbox."""

import io

from app.demo import DEMO_PASSWORD
from tests.processes.walk import person
from tests.workflow.test_views import open_task_id

FIRM_FILES = (
    "filing_form",
    "business_licence",
    "partnership_agreement",
    "partners_resolution",
    "office_proof",
    "quality_control_rules",
)


def login(client, mobile):
    client.post("/logout")
    resp = client.post("/login", data={"mobile": mobile, "password": DEMO_PASSWORD})
    assert resp.status_code == 302, resp.get_data(as_text=True)


def post(client, data, files=()):
    form = dict(data)
    for i, name in enumerate(files):
        form[name] = (io.BytesIO(_png(i)), f"{name}.png")
    return client.post(f"/tasks/{open_task_id()}", data=form, content_type="multipart/form-data")


def _png(seed):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (seed * 20 % 256, 80, 120)).save(out, "PNG")
    return out.getvalue()


def test_filing_from_the_identity_choice_to_the_finance_departments_inbox(client, world):
    login(client, "13800000041")
    assert 'action="/processes/firm_filing/start"' in client.get("/identity").get_data(as_text=True)
    page = client.get(client.post("/processes/firm_filing/start").headers["Location"]).get_data(as_text=True)
    assert "/firm-filing/templates/legal_shareholder.pdf" in page  # the notice names the templates
    assert post(client, {"agree_notice": "on", "action": "submit"}).status_code == 302
    page = client.get(f"/tasks/{open_task_id()}").get_data(as_text=True)
    assert 'value="back">上一步</button>' in page  # R-FIL-7
    post(client, {"action": "back"})  # nothing chosen yet: 上一步 still goes back
    assert "备案须知" in client.get(f"/tasks/{open_task_id()}").get_data(as_text=True)
    post(client, {"agree_notice": "on", "action": "submit"})
    post(client, {"applicant_capacity": "legal_representative", "action": "submit"})

    firm = {
        "firm_form": "partnership",
        "firm_name": "北京立信评估事务所",
        "credit_code": "91110108MA01ABCE1F",
        "local_association_id": str(world.local_bj.id),
        "address": "北京市朝阳区建国路 1 号",
        "legal_representative": "林立",
        "established_on": "2026-11-01",
        "action": "submit",
    }
    missing = post(client, firm, files=FIRM_FILES[:3])  # no 合伙人会议决议 for a partnership
    assert missing.status_code == 422
    assert "合伙制机构须上传合伙人会议决议" in missing.get_data(as_text=True)
    assert 'value="北京立信评估事务所"' in missing.get_data(as_text=True)  # nothing typed is lost
    assert post(client, firm, files=FIRM_FILES).status_code == 302

    page = client.get(f"/tasks/{open_task_id()}").get_data(as_text=True)
    assert "北京立信评估事务所（合伙制" in page and "尚未添加人员" in page
    for mobile in ("13800000042", "13800000043"):
        p = person(mobile)
        data = {
            "person_action": "add",
            "person_kind": "natural",
            "person_name": p.name,
            "id_number": p.id_number,
            "is_shareholder": "true",
            "is_appraiser": "true",
            "action": "submit",
        }
        assert post(client, data, files=("resume", "transfer_form")).status_code == 302
    page = client.get(f"/tasks/{open_task_id()}").get_data(as_text=True)
    assert "何平" in page and "股东（合伙人）、执业资产评估师" in page
    assert "已认证" in page  # R-FIL-6: demo members passed the face check; others read 未认证
    refused = post(
        client,
        {
            "person_action": "add",
            "person_kind": "natural",
            "person_name": "刘洋",
            "id_number": person("13800000031").id_number,
            "is_appraiser": "true",
            "action": "submit",
        },
        files=("transfer_form",),
    )
    assert "请该会员先转入协会代管" in refused.get_data(as_text=True)  # R-FIL-3, on the field
    assert post(client, {"person_action": "done", "action": "submit"}).status_code == 302

    login(client, "13400000002")  # 上海市财政局: another province sees nothing
    assert "北京立信" not in client.get("/inbox").get_data(as_text=True)
    assert client.get(f"/tasks/{open_task_id()}").status_code == 404
    login(client, "13400000001")
    assert "新资产评估机构备案（林立）" in client.get("/inbox").get_data(as_text=True)
    page = client.get(f"/tasks/{open_task_id()}").get_data(as_text=True)
    assert "地方财政确认备案" in page and "罗兰" in page
    assert "人员已添加完毕，提交备案" not in page  # the people loop's last round is not shown: the list is
    assert post(client, {"decision": "approve", "action": "submit"}).status_code == 302

    login(client, "13800000041")
    assert "已完成备案，您已成为该机构的机构管理员" in client.get("/applications").get_data(as_text=True)
    firm_page = client.get("/firm/filing").get_data(as_text=True)  # acting as the new firm's admin
    assert "北京立信评估事务所" in firm_page and "新机构备案" in firm_page and "备案人员 2 人" in firm_page
    assert "何平" in firm_page and "罗兰" in firm_page and "已认证" in firm_page and "未认证" not in firm_page
    login(client, "13800000046")  # a member acting for himself sees no firm's filing page
    assert client.get("/firm/filing").status_code == 403


def test_the_templates_download_as_pdf(client, world):
    login(client, "13800000041")
    for name in ("filing_form", "legal_shareholder", "resume", "transfer_form"):
        resp = client.get(f"/firm-filing/templates/{name}.pdf")
        assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert client.get("/firm-filing/templates/nothing.pdf").status_code == 404


def test_the_confirmation_link_asks_for_the_face_check_first(client, world, upload):
    """R-FIL-4: the QR code's page, opened by the listed person; confirming needs the face check (R-ACC-2)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.organizations.models import FirmPerson
    from tests.processes.test_firm_filing import add, to_people

    lin, cao = person("13800000041"), person("13800000049")
    instance = to_people(world, upload, lin)
    add(
        instance,
        lin,
        upload,
        "13800000049",
        is_other_field_appraiser=True,
        other_field_type="land",
        certificate_number="TD2019001",
        certificate_scan=[upload(lin, "cert.png")],
    )
    row = db.session.scalars(
        select(FirmPerson).where(FirmPerson.id_number == cao.id_number, FirmPerson.filed.is_(False))
    ).one()
    db.session.commit()
    login(client, "13800000041")
    page = client.get(f"/tasks/{open_task_id()}").get_data(as_text=True)
    assert f"/firm-filing/confirm/{row.id}" in page and "data:image/png;base64," in page  # link and QR code
    assert client.get(f"/firm-filing/confirm/{row.id}").status_code == 404  # not his to confirm
    login(client, "13800000049")
    assert "北京正衡资产评估事务所" in client.get(f"/firm-filing/confirm/{row.id}").get_data(as_text=True)
    resp = client.post(f"/firm-filing/confirm/{row.id}")
    assert resp.status_code == 302 and "/identity/verify" in resp.headers["Location"]


def test_a_listed_person_not_yet_face_verified_gets_a_qr_code_and_then_shows_verified(client, world, upload):
    """R-FIL-6: persons not yet face-verified show "generate QR"; the link takes them through the face check."""
    from sqlalchemy import select

    from app.accounts.identity import decide_dev_face_session
    from app.accounts.models import FaceSession
    from app.extensions import db
    from app.organizations.models import FirmPerson
    from tests.processes.test_firm_filing import add, to_people

    lin, he = person("13800000041"), person("13800000042")
    he.verified_at = None  # registered, never face-verified
    instance = to_people(world, upload, lin)
    add(instance, lin, upload, "13800000042", is_appraiser=True)
    row = db.session.scalars(select(FirmPerson).where(FirmPerson.id_number == he.id_number)).one()
    db.session.commit()
    link = f"/firm-filing/verify/{row.id}"
    login(client, "13800000041")
    page = client.get(f"/tasks/{open_task_id()}").get_data(as_text=True)
    assert "生成认证二维码" in page and link in page and "data:image/png;base64," in page
    assert client.get(link).status_code == 404  # only the listed person themself
    login(client, "13800000042")
    resp = client.get(link)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/identity/verify?next=")
    client.get(resp.headers["Location"])
    client.post("/identity/verify/start")
    decide_dev_face_session(db.session.scalars(select(FaceSession.id)).one(), passed=True)
    db.session.commit()
    assert client.post("/identity/verify/check").headers["Location"] == link
    assert "您将显示为“已认证”" in client.get(link).get_data(as_text=True)
    login(client, "13800000041")
    page = client.get(f"/tasks/{open_task_id()}").get_data(as_text=True)
    assert "已认证" in page and link not in page and "生成认证二维码" not in page


def test_the_change_page_shows_a_pending_new_name_beside_the_filed_one(client, world):
    """Issue 11 item 5: the admin and the finance reviewer see the new name as pending; the filed name stays."""
    from app.extensions import db
    from app.workflow import services
    from tests.processes.walk import open_task

    guo = person("13900000003")
    instance = services.start_process("firm_change", guo)
    services.submit_task(open_task(instance).id, guo, {"person_action": "firm_info", "new_firm_name": "北京正衡联合"})
    db.session.commit()
    login(client, "13900000003")
    page = client.get(f"/tasks/{open_task_id()}").get_data(as_text=True)
    assert "待财政确认的变更" in page and "机构名称 北京正衡资产评估事务所 → 北京正衡联合" in page
    assert "<h1>北京正衡资产评估事务所</h1>" in client.get("/firm/filing").get_data(as_text=True)
