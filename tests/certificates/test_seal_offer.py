"""R-JOIN-8 (issue 14 item 5): after joining or a status change is approved, the application page offers the seal
template at once (会弹出印鉴模版); not while the application runs, and the template downloads."""

from app.workflow import services
from tests.admin.test_admin_pages import as_user
from tests.processes.test_join_practicing import review, submit_application
from tests.processes.test_status_full import open_task, person
from tests.processes.test_status_full import review as review_change

OFFER = "下载印鉴模板"


def test_joining_approved_offers_the_seal_template_at_once(app, world, upload):
    instance = submit_application(world, upload)
    client = as_user(app, world.applicant)
    assert OFFER not in client.get(f"/applications/{instance.id}").get_data(as_text=True)  # still running
    for reviewer in (world.firm_reviewer, world.local_reviewer, world.national_reviewer):
        review(world, instance, reviewer)
    page = client.get(f"/applications/{instance.id}").get_data(as_text=True)
    assert OFFER in page and "您的会员身份已生效（见习执业会员）" in page
    template = client.get("/certificate/seal-template")
    assert template.status_code == 200 and template.mimetype == "application/pdf"


def test_a_status_change_approved_offers_it_too(app, world):
    user = person("13800000032")  # 执转非 (R-STA-2)
    instance = services.start_process("status_non_practicing", user)
    services.submit_task(open_task(instance).id, user, {"confirm": True})
    for reviewer in (world.firm_reviewer, world.local_reviewer, world.national_reviewer):
        review_change(instance, reviewer)
    page = as_user(app, user).get(f"/applications/{instance.id}").get_data(as_text=True)
    assert OFFER in page and "非执业会员" in page


def test_a_rejected_joining_offers_nothing(app, world, upload):
    instance = submit_application(world, upload)
    review(world, instance, world.firm_reviewer)
    review(world, instance, world.local_reviewer, "reject", "不在本机构执业")
    assert OFFER not in as_user(app, world.applicant).get(f"/applications/{instance.id}").get_data(as_text=True)
