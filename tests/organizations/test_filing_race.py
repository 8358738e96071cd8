"""Two filings of the same new firm at the same moment: the database's unique credit code keeps one row."""

import io
import threading

from sqlalchemy import func, select

from app.demo import load_demo
from app.extensions import db
from app.organizations.models import Organization
from app.workflow.models import HumanTask
from tests.organizations.test_filing_pages import FIRM_FILES, _png, login

CODE = "91110108MA01ABCE1F"


def _firm_page(client, mobile):
    login(client, mobile)
    client.post("/processes/firm_filing/start")
    for data in ({"agree_notice": "on"}, {"applicant_capacity": "legal_representative"}):
        task = _open_task_of(mobile)
        assert client.post(f"/tasks/{task}", data={**data, "action": "submit"}).status_code == 302
    return _open_task_of(mobile)


def _open_task_of(mobile):
    from app.accounts.models import User

    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.mobile == mobile)).one()
    return db.session.scalars(
        select(HumanTask.id).where(HumanTask.user_id == user.id, HumanTask.status == "open")
    ).one()


def _firm_form(world_bj_id):
    form = {
        "firm_form": "partnership",
        "firm_name": "北京立信评估事务所",
        "credit_code": CODE,
        "local_association_id": str(world_bj_id),
        "address": "北京市朝阳区建国路 1 号",
        "legal_representative": "林立",
        "established_on": "2026-11-01",
        "action": "submit",
    }
    for i, name in enumerate(FIRM_FILES):
        form[name] = (io.BytesIO(_png(i)), f"{name}.png")
    return form


def test_two_filings_of_one_new_credit_code_make_one_row(file_app):
    with file_app.app_context():
        world = load_demo()
        db.session.commit()
        local_bj = world.local_bj.id
        db.session.remove()
    clients = {m: file_app.test_client() for m in ("13800000041", "13800000001")}
    tasks = {}
    for mobile, client in clients.items():
        # one app context per person: requests inside one share `g`, where Flask-Login keeps the current user
        with file_app.app_context():
            tasks[mobile] = _firm_page(client, mobile)
            db.session.remove()
    barrier, codes = threading.Barrier(2), []

    def act(mobile):
        form = _firm_form(local_bj)
        barrier.wait()
        resp = clients[mobile].post(f"/tasks/{tasks[mobile]}", data=form, content_type="multipart/form-data")
        codes.append(resp.status_code)

    threads = [threading.Thread(target=act, args=(m,)) for m in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes)[0] == 302 and sorted(codes)[1] in (409, 422)
    with file_app.app_context():
        assert db.session.scalar(select(func.count()).where(Organization.credit_code == CODE)) == 1
        db.session.remove()
