"""Personal center: actions enabled or disabled with the DMN reason, the R-INFO-3 prompt, core filings (R-INFO-1)."""

import io
from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.members.models import CoreFiling
from app.workflow import services
from app.workflow.models import ProcessInstance
from tests.processes.test_resign import resign
from tests.processes.test_status_full import member_of, open_task, person
from tests.workflow.test_views import login


def action_html(html, name):
    return html.split(f"<h3>{name}</h3>")[1].split("</article>")[0]


def test_trainee_at_23_months_sees_full_disabled_with_the_reason(client, world):
    login(client, person("13800000031"))
    html = client.get("/center").get_data(as_text=True)
    card = action_html(html, "见习转正式执业会员申请")
    assert "目前 23 个月" in card and "<button disabled>" in card
    assert "23 个月（自" in html and "您已符合见习执业会员转为正式执业会员的条件" not in html


def test_trainee_at_24_months_is_prompted_applies_and_ends_full(client, world):
    user = person("13800000032")
    login(client, user)
    html = client.get("/center").get_data(as_text=True)
    assert "您已符合见习执业会员转为正式执业会员的条件" in html  # R-INFO-3
    resp = client.post("/processes/status_full/start")
    task_url = resp.headers["Location"]
    assert client.post(task_url, data={"action": "submit"}).status_code == 302
    instance = open_task_instance(user)
    for reviewer in (world.firm_reviewer, world.local_reviewer, world.national_reviewer):
        login(client, reviewer)
        resp = client.post(f"/tasks/{open_task(instance).id}", data={"decision": "approve", "action": "submit"})
        assert resp.status_code == 302
    db.session.refresh(instance)
    assert instance.status == "approved" and member_of(user).kind == "full"
    login(client, user)
    assert "正式执业会员" in client.get("/center").get_data(as_text=True)


def open_task_instance(user):
    return db.session.scalars(select(ProcessInstance).where(ProcessInstance.applicant_id == user.id)).one()


def test_a_pending_resignation_disables_the_status_changes_naming_it(client, world, upload):
    user = person("13800000032")
    resign(user, upload)
    db.session.commit()
    login(client, user)
    html = client.get("/center").get_data(as_text=True)
    assert "「退会申请」正在办理中" in action_html(html, "执业转非执业会员申请")


def test_a_new_seal_applies_at_once_and_the_old_one_stays_in_history(client, world, make_png):
    """R-INFO-1: core filings apply at once, without approval."""
    user = person("13800000011")
    login(client, user)
    before = len(db.session.scalars(select(CoreFiling).where(CoreFiling.kind == "seal")).all())
    resp = client.post("/center/filings/seal", data={"image": (io.BytesIO(make_png(42)), "seal.png")})
    assert resp.status_code == 302
    seals = db.session.scalars(select(CoreFiling).where(CoreFiling.kind == "seal")).all()
    assert len(seals) == before + 1


def test_a_pdf_or_oversized_image_is_refused(client, world):
    """R-INFO-1: core filings are PNG/JPG images of at most 1 MB."""
    login(client, person("13800000011"))
    photos = select(CoreFiling).where(CoreFiling.kind == "photo")
    before = len(db.session.scalars(photos).all())
    resp = client.post(
        "/center/filings/photo", data={"image": (io.BytesIO(b"%PDF-1.4 x"), "photo.png")}, follow_redirects=True
    )
    assert "PNG" in resp.get_data(as_text=True)
    big = b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024 + 1)
    resp = client.post("/center/filings/photo", data={"image": (io.BytesIO(big), "big.png")}, follow_redirects=True)
    assert "大小上限" in resp.get_data(as_text=True)
    assert len(db.session.scalars(photos).all()) == before


def test_the_unpaid_dues_warning_shows_on_the_join_notice(client, world, upload):
    user = person("13800000036")  # resigned 3 months ago with 800 yuan unpaid
    clock.advance(timedelta(days=300))
    login(client, user)
    html = client.get(client.post("/processes/join_practicing/start").headers["Location"]).get_data(as_text=True)
    assert "欠缴会费 800 元" in html


def test_basic_info_saves_at_once_and_cannot_touch_protected_fields(client, world):
    """R-INFO-2: basic info saves without approval; number, name, firm and kind are not editable there."""
    user = person("13800000031")
    login(client, user)
    data = {"email": "liuyang@example.com", "postal_address": "北京市朝阳区", "education": "master", "kind": "full"}
    assert client.post("/center/basic", data=data).status_code == 302
    member = member_of(user)
    db.session.refresh(member)
    assert (member.email, member.postal_address, member.education, member.kind) == (
        "liuyang@example.com",
        "北京市朝阳区",
        "master",
        "trainee",
    )
    resp = client.post("/center/basic", data={"email": "not-an-email"}, follow_redirects=True)
    assert "请输入有效的电子邮箱" in resp.get_data(as_text=True)


def test_reviewers_see_the_member_data_the_rules_read(client, world):
    user = person("13800000032")
    instance = services.start_process("status_full", user)
    services.submit_task(open_task(instance).id, user, {})
    db.session.commit()
    login(client, world.firm_reviewer)
    html = client.get(f"/tasks/{open_task(instance).id}").get_data(as_text=True)
    assert "24 个月" in html and "资产评估师" in html and "见习执业会员" in html
