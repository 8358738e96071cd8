"""Issue 15 item 2: what a reviewer's task page shows of the applicant, and attachments in a viewer."""

from sqlalchemy import select

from app.extensions import db
from app.files.models import InstanceAttachment
from app.workflow import services
from tests.files.pdfs import pdf
from tests.processes.test_join_non_practicing import apply
from tests.processes.test_status_full import apply_for_full, open_task, person
from tests.workflow.test_views import login


def test_reviewer_sees_id_number_mobile_and_earlier_applications(world, upload, client):
    first = apply(world, upload, world.applicant, world.local_bj)
    services.submit_task(open_task(first).id, world.local_reviewer, {"decision": "reject", "comment": "资料不全"})
    second = apply(world, upload, world.applicant, world.local_bj)
    db.session.commit()
    login(client, world.local_reviewer)
    html = client.get(f"/tasks/{open_task(second).id}").get_data(as_text=True)
    assert "110105199003071239" in html and world.applicant.mobile in html
    earlier = html.split("历史申请")[1]
    assert f"<td>{first.id}</td>" in earlier and "不予通过" in earlier and f"<td>{second.id}</td>" not in earlier
    assert "信用记录" not in html  # only 见习转正式 shows it


def test_trainee_to_full_shows_the_credit_record_as_reference_or_none(world, client):
    """R-STA-1: the credit record is shown 只作为参考; 无记录 where none was imported."""
    instance = apply_for_full(person("13800000032"))
    db.session.commit()
    login(client, world.firm_reviewer)
    html = client.get(f"/tasks/{open_task(instance).id}").get_data(as_text=True)
    assert "信用记录" in html and "无记录" in html and "只作为参考" in html


def test_trainee_to_full_shows_the_imported_credit_record(world, client):
    """R-STA-1: a credit record imported with the member (issue 14) is what the 见习转正式 reviewer reads."""
    from app.members.models import Member
    from app.members.record_models import CreditRecord

    user = person("13800000032")
    instance = apply_for_full(user)
    member = db.session.scalars(select(Member).where(Member.user_id == user.id)).one()
    db.session.add(CreditRecord(member_id=member.id, content="2024 年受到行业自律惩戒：警告"))
    db.session.commit()
    login(client, world.firm_reviewer)
    html = client.get(f"/tasks/{open_task(instance).id}").get_data(as_text=True)
    credit = html.split("信用记录")[1].split("</dd>")[0]
    assert "2024 年受到行业自律惩戒：警告" in credit and "无记录" not in credit


def test_applicant_does_not_get_the_reviewer_panel(world, upload, client):
    instance = apply(world, upload, world.applicant, world.local_bj)
    services.submit_task(open_task(instance).id, world.local_reviewer, {"decision": "return", "comment": "补充"})
    db.session.commit()
    login(client, world.applicant)
    assert "历史申请" not in client.get(f"/tasks/{open_task(instance).id}").get_data(as_text=True)


def test_attachments_open_in_the_viewer_images_and_pdf_pages(world, upload, client):
    instance = apply(world, upload, world.applicant, world.local_bj)
    db.session.commit()
    login(client, world.local_reviewer)
    html = client.get(f"/tasks/{open_task(instance).id}").get_data(as_text=True)
    image_id = db.session.scalars(select(InstanceAttachment.attachment_id)).first()
    assert f"/files/{image_id}/view" in html
    viewer = client.get(f"/files/{image_id}/view").get_data(as_text=True)
    assert f'<img src="/files/{image_id}"' in viewer

    pdf_id = upload(world.applicant, "scan.pdf", content=pdf())["id"]
    db.session.commit()
    login(client, world.applicant)  # the uploader may view their own file
    viewer = client.get(f"/files/{pdf_id}/view").get_data(as_text=True)
    assert f"/files/{pdf_id}/pages/1.png" in viewer and "第 2 页" not in viewer
    page = client.get(f"/files/{pdf_id}/pages/1.png")
    assert page.status_code == 200 and page.data.startswith(b"\x89PNG") and page.mimetype == "image/png"
    assert client.get(f"/files/{pdf_id}/pages/2.png").status_code == 404


def test_the_viewer_keeps_other_peoples_files_out(world, upload, client):
    instance = apply(world, upload, world.applicant, world.local_bj)
    db.session.commit()
    image_id = db.session.scalars(select(InstanceAttachment.attachment_id)).first()
    login(client, world.other_local_reviewer)
    assert client.get(f"/files/{image_id}/view").status_code == 404
    assert open_task(instance) is not None


def test_the_member_record_shows_the_work_the_member_keeps_on_their_account_page(world, client):
    """职务 / 所学专业 / 工作单位 (kept by the member on /center) are part of the record a reviewer reads."""
    from app.members.models import Member

    user = person("13800000032")
    instance = apply_for_full(user)
    member = db.session.scalars(select(Member).where(Member.user_id == user.id)).one()
    member.position, member.major = "项目经理", "资产评估"
    db.session.commit()
    login(client, world.firm_reviewer)
    record = client.get(f"/tasks/{open_task(instance).id}").get_data(as_text=True).split("会员信息")[1]
    record = record.split("</dl>")[0]
    assert "<dt>职务</dt><dd>项目经理</dd>" in record and "<dt>所学专业</dt><dd>资产评估</dd>" in record
    assert "工作单位" not in record  # not recorded: no empty row
