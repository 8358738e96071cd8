"""The joining application through the browser pages: forms, uploads, drafts, reviewers, conflicts."""

import io
import re
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.accounts.models import RoleGrant
from app.demo import DEMO_PASSWORD, load_demo
from app.extensions import db
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance
from tests.workflow.drafts import typed


def login(client, user):
    client.post("/logout")
    resp = client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD})
    assert resp.status_code == 302, resp.get_data(as_text=True)


def open_task_id(instance_id=None):
    stmt = select(HumanTask).where(HumanTask.status == "open")
    if instance_id:
        stmt = stmt.where(HumanTask.instance_id == instance_id)
    db.session.expire_all()
    return db.session.scalars(stmt).one().id


def start_and_accept_notice(client, world):
    login(client, world.applicant)
    resp = client.post("/processes/join_practicing/start")
    assert resp.status_code == 302
    resp = client.post(resp.headers["Location"], data={"agree_rules": "on", "action": "submit"})
    assert resp.status_code == 302
    return resp.headers["Location"]  # the application form


def png_file(make_png, name, seed=0):
    return (io.BytesIO(make_png(seed)), name)


def application_form(world, make_png, **overrides):
    form = {
        "firm_id": str(world.firm_bj.id),
        "kind": "trainee",
        "education": "bachelor",
        "qualification_number": "ZC2024001",
        "contract_valid_until": "2029-12-31",
        "archive_location": "北京市人才服务中心",
        "no_disqualification": "on",
        "action": "submit",
    }
    for i, slot in enumerate(("photo", "signature", "archive_certificate", "social_security", "labour_contract")):
        form[slot] = png_file(make_png, f"{slot}.png", i)
    form.update(overrides)
    return form


def test_login_refuses_wrong_password_in_chinese(client, world):
    resp = client.post("/login", data={"mobile": world.applicant.mobile, "password": "wrong"})
    assert resp.status_code == 401 and "手机号或密码错误" in resp.get_data(as_text=True)


def test_pages_require_login(client):
    assert client.get("/inbox").status_code == 302


def test_first_time_applicant_sees_full_disabled_with_reason(client, world):
    form_url = start_and_accept_notice(client, world)
    html = client.get(form_url).get_data(as_text=True)
    assert "首次申请执业只能选择见习执业会员" in html
    assert 'value="full"' in html and "disabled" in html.split('value="full"')[1].split(">")[0]


def test_forged_full_choice_is_refused_by_the_server(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    resp = client.post(
        form_url, data=application_form(world, make_png, kind="full"), content_type="multipart/form-data"
    )
    assert resp.status_code == 422
    assert "首次申请执业只能选择见习执业会员" in resp.get_data(as_text=True)


def test_wrong_file_type_refused_by_content_and_nothing_typed_is_lost(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    data = application_form(world, make_png, qualification_number="ZC7777777")
    data["photo"] = (io.BytesIO(b"MZ\x90\x00 not an image"), "photo.png")
    resp = client.post(form_url, data=data, content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "不是 PNG/JPG/JPEG 图片或 PDF 文件" in html
    assert "ZC7777777" in html  # typed values are shown again
    task = db.session.get(HumanTask, open_task_id())
    assert typed(task)["qualification_number"] == "ZC7777777"
    assert [f["name"] for f in typed(task)["signature"]] == ["signature.png"]  # good uploads kept
    assert "photo" not in typed(task)


def test_draft_survives_logout_and_login_r_join_6(client, world, make_png):
    """R-JOIN-6: a draft is resumed after logging in again."""
    form_url = start_and_accept_notice(client, world)
    resp = client.post(
        form_url,
        data={"position": "项目经理", "action": "draft", "photo": png_file(make_png, "证件照.png", 9)},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    client.post("/logout")
    login(client, world.applicant)
    html = client.get(form_url).get_data(as_text=True)
    assert "项目经理" in html and "证件照.png" in html


def test_reviewer_sees_application_with_attachments_and_approves(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    resp = client.post(form_url, data=application_form(world, make_png), content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    task_id = open_task_id()
    login(client, world.firm_reviewer)
    inbox = client.get("/inbox").get_data(as_text=True).split("<tbody>")[1]  # the rows, not the step filter
    assert "张三" in inbox and "机构确认" in inbox
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "ZC2024001" in page and "北京中和资产评估有限公司" in page
    file_id = int(re.search(r"/files/(\d+)", page).group(1))
    assert client.get(f"/files/{file_id}").mimetype == "image/png"
    resp = client.post(f"/tasks/{task_id}", data={"decision": "approve", "action": "submit"})
    assert resp.status_code == 302
    assert "机构确认" in client.get("/inbox/done").get_data(as_text=True)


def test_other_firm_and_other_province_get_404_and_nothing_changes(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    client.post(form_url, data=application_form(world, make_png), content_type="multipart/form-data")
    task_id = open_task_id()
    instance_id = db.session.get(HumanTask, task_id).instance_id
    login(client, world.other_firm_reviewer)
    assert "张三" not in client.get("/inbox").get_data(as_text=True)
    assert client.get(f"/tasks/{task_id}").status_code == 404
    assert client.post(f"/tasks/{task_id}", data={"decision": "approve", "action": "submit"}).status_code == 404
    assert client.get(f"/applications/{instance_id}").status_code == 404
    login(client, world.other_local_reviewer)
    assert client.get(f"/applications/{instance_id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(HumanTask, task_id).status == "open"


def test_attachment_not_served_to_strangers(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    client.post(
        form_url, data={"action": "draft", "photo": png_file(make_png, "p.png")}, content_type="multipart/form-data"
    )
    file_id = typed(db.session.get(HumanTask, open_task_id()))["photo"][0]["id"]
    assert client.get(f"/files/{file_id}").status_code == 200
    login(client, world.firm_reviewer)
    assert client.get(f"/files/{file_id}").status_code == 404


def test_progress_page_draws_the_diagram_and_timeline(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    client.post(form_url, data=application_form(world, make_png), content_type="multipart/form-data")
    instance_id = db.session.scalars(select(ProcessInstance.id)).one()
    html = client.get(f"/applications/{instance_id}").get_data(as_text=True)
    assert "<svg" in html and 'data-bpmn-id="Task_FirmConfirm"' in html
    assert "发起申请" in html and "撤回申请" in html  # timeline + the withdraw action offered at firm stage


def _race(file_app, mobiles, path, data):
    """Log in one client per mobile, then POST to `path` from all of them at the same moment."""
    clients = [file_app.test_client() for _ in mobiles]
    for c, mobile in zip(clients, mobiles, strict=True):
        with file_app.app_context():
            login(c, SimpleNamespace(mobile=mobile))
    barrier, codes = threading.Barrier(len(clients)), []

    def act(c):
        barrier.wait()
        codes.append(c.post(path, data=data).status_code)

    threads = [threading.Thread(target=act, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(codes)


@pytest.fixture
def firm_task_two_reviewers(file_app, make_png):
    """An application waiting at the firm, and the mobiles of two reviewers of that firm (on file_app)."""
    with file_app.app_context():
        world = load_demo()
        db.session.add(RoleGrant(user_id=world.other_firm_reviewer.id, role="firm", organization_id=world.firm_bj.id))
        db.session.commit()
        client = file_app.test_client()
        form_url = start_and_accept_notice(client, world)
        resp = client.post(form_url, data=application_form(world, make_png), content_type="multipart/form-data")
        assert resp.status_code == 302
        task_id = open_task_id()
        mobiles = [world.firm_reviewer.mobile, world.other_firm_reviewer.mobile]
        db.session.remove()
    return task_id, mobiles


def test_two_reviewers_one_task_exactly_one_wins(file_app, firm_task_two_reviewers):
    task_id, mobiles = firm_task_two_reviewers
    assert _race(file_app, mobiles, f"/tasks/{task_id}", {"decision": "approve", "action": "submit"}) == [302, 409]
    with file_app.app_context():
        approvals = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "approved")).all()
        open_tasks = db.session.scalars(select(HumanTask).where(HumanTask.status == "open")).all()
        assert len(approvals) == 1
        assert [t.role for t in open_tasks] == ["local_association"]


def test_returned_then_withdrawn_shows_the_current_reason_only(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    client.post(form_url, data=application_form(world, make_png), content_type="multipart/form-data")
    task_id = open_task_id()
    instance_id = db.session.get(HumanTask, task_id).instance_id
    login(client, world.firm_reviewer)
    client.post(f"/tasks/{task_id}", data={"decision": "return", "comment": "缺少盖章页", "action": "submit"})
    login(client, world.applicant)
    html = client.get(f"/tasks/{open_task_id()}").get_data(as_text=True)
    assert "退回：缺少盖章页" in html and "放弃本次申请" in html
    client.post(f"/tasks/{open_task_id()}", data=application_form(world, make_png), content_type="multipart/form-data")
    resp = client.post(f"/applications/{instance_id}/actions/withdraw")
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "您已撤回申请" in html and "缺少盖章页" not in html.split("办理记录")[0]


def test_two_reviewers_claiming_at_once_one_gets_409(file_app, firm_task_two_reviewers):
    task_id, mobiles = firm_task_two_reviewers
    assert _race(file_app, mobiles, f"/tasks/{task_id}/claim", {}) == [302, 409]
    with file_app.app_context():
        claims = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "claimed")).all()
        assert len(claims) == 1


def test_files_and_pages_tell_browsers_not_to_sniff(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    client.post(
        form_url, data={"action": "draft", "photo": png_file(make_png, "p.png")}, content_type="multipart/form-data"
    )
    file_id = typed(db.session.get(HumanTask, open_task_id()))["photo"][0]["id"]
    assert client.get(f"/files/{file_id}").headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/login").headers["X-Content-Type-Options"] == "nosniff"
