"""The new transfer kinds render through the pages: start forms, the one-year check in the inbox, my applications."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.scheduler import fire_due_timers
from app.workflow import services
from app.workflow.models import HumanTask
from tests.processes.walk import open_task, person


def listed(resp):
    """The inbox's task rows (the step filter above them names every review step)."""
    return resp.get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]


def login(app, user):
    client = app.test_client()
    assert client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD}).status_code == 302
    return client


def test_start_forms_render(app, world):
    for mobile, process_id, title in [
        ("13800000021", "custody", "协会代管申请"),
        ("13800000022", "branch_transfer", "总分所转所申请"),
        ("13800000023", "prefiling_transfer", "预备案转所申请"),
    ]:
        user = person(mobile)
        instance = services.start_process(process_id, user)
        db.session.commit()
        html = login(app, user).get(f"/tasks/{open_task(instance).id}").get_data(as_text=True)
        assert title in html
    instance = services.start_process("departed_custody", world.firm_reviewer)
    db.session.commit()
    html = login(app, world.firm_reviewer).get(f"/tasks/{open_task(instance).id}").get_data(as_text=True)
    assert "离职日期" in html


def test_custody_decided_in_my_applications_and_the_year_check_in_the_inbox(app, world, upload):
    zheng = person("13800000021")
    instance = services.start_process("custody", zheng)
    services.submit_task(open_task(instance).id, zheng, {"reason": "暂不执业", "leaving_certificate": [upload(zheng)]})
    for reviewer in (world.firm_reviewer, world.local_reviewer):
        services.submit_task(open_task(instance).id, reviewer, {"decision": "approve"})
    db.session.commit()
    html = login(app, zheng).get("/applications").get_data(as_text=True)
    assert "协会代管申请" in html and "协会代管期限跟踪" in html

    clock.advance(timedelta(days=366))
    assert fire_due_timers(app) == 1
    client = login(app, world.local_reviewer)
    assert "代管已满一年，请核查" in listed(client.get("/inbox"))
    task = db.session.scalars(select(HumanTask).where(HumanTask.name == "代管已满一年，请核查")).one()
    assert "已核查该会员的代管情况" in client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "代管已满一年" not in listed(login(app, world.other_local_reviewer).get("/inbox"))
