"""Walks processes/id_change.bpmn (issue 14 item 3; procedures §二.2, R-ACC-2): a member whose ID on record differs
from their current ID gets it changed by their local association with the police proof, approved by the national
association; then the member binds a new mobile with the current ID. Another province's staff cannot start it."""

import pytest
from sqlalchemy import select

from app.accounts.models import FaceSession, User
from app.admin.models import AdminAuditEntry
from app.errors import Invalid, NotEligible, NotFound
from app.extensions import db
from app.workflow import services
from tests.importing import MEMBER_COLUMNS, credit_code, csv_bytes, id_number, member_row, run_import
from tests.processes.walk import open_task, person, review

NEW_ID = id_number(777, birth="19750505")
NEW_MOBILE = "13912345670"


@pytest.fixture
def imported(world):
    """周换证, imported from the old platform with an ID that is no longer his (member 2015000001, Beijing firm)."""
    world.firm_bj.credit_code = credit_code(999)
    db.session.commit()
    row = member_row(1, credit_code(999), 姓名="周换证")
    assert run_import(world.admin, "members", csv_bytes(MEMBER_COLUMNS, [row])).status == "done"
    return db.session.scalar(select(User).where(User.mobile == "13500000001")), row


def form(upload, staff, **kw):
    data = {"member_number": "2015000001", "member_name": "周换证", "new_id_number": NEW_ID}
    return {**data, "police_proof": [upload(staff, "proof.png")], **kw}


def submitted(world, upload, staff=None, **kw):
    staff = staff or world.local_reviewer
    instance = services.start_process("id_change", staff)
    services.submit_task(open_task(instance).id, staff, form(upload, staff, **kw))
    return instance


def bind_with_new_mobile(app, register, id_number_):
    client = app.test_client()
    resp = register(client, mobile=NEW_MOBILE, name="周换证", id_number=id_number_)
    if resp.headers.get("Location", "").endswith("/register/bind"):
        client.post("/register/bind/start")
        face = db.session.scalars(select(FaceSession).order_by(FaceSession.created_at.desc())).first()
        app.test_client().post(f"/dev/face/{face.id}", data={"result": "passed"})
        resp = client.post("/register/bind/check")
    return resp


def test_local_staff_submit_the_national_association_approves_and_the_member_binds(
    app, world, upload, imported, register
):
    user, row = imported
    instance = submitted(world, upload)
    task = open_task(instance)
    assert (task.role, task.organization_id, task.bpmn_id) == (
        "national_association",
        world.national.id,
        "Task_National",
    )
    with pytest.raises(NotFound):  # the local association submitted it; the national association decides
        review(instance, world.local_reviewer)
    assert instance.subject_id == user.id  # one ID change per member at a time (R-ONE-1)
    review(instance, world.national_reviewer)
    db.session.expire_all()
    assert db.session.get(User, user.id).id_number == NEW_ID
    assert (instance.status, instance.outcome) == (
        "approved",
        f"周换证的身份证号码已变更为{NEW_ID[:6]}********{NEW_ID[-4:]}",
    )
    entry = db.session.scalars(select(AdminAuditEntry).where(AdminAuditEntry.action == "member.id_change")).one()
    assert entry.target == f"user:{user.id}" and entry.details["requested_by"] == world.local_reviewer.name
    assert entry.details["old_id_number"] == row["证件号码"][:6] + "********" + row["证件号码"][-4:]
    resp = bind_with_new_mobile(app, register, NEW_ID)  # R-ACC-2: the current ID now finds the member record
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    db.session.expire_all()
    assert db.session.get(User, user.id).mobile == NEW_MOBILE


def test_another_provinces_staff_cannot_change_this_members_id(world, upload, imported):
    user, row = imported
    with pytest.raises(Invalid) as err:
        submitted(world, upload, staff=world.other_local_reviewer)
    assert err.value.field_errors == {"member_number": "该会员不属于本协会，请由其所在地方协会提交身份证号码变更"}
    db.session.expire_all()
    assert db.session.get(User, user.id).id_number == row["证件号码"]


def test_only_local_association_staff_may_start(world, imported):
    with pytest.raises(NotEligible, match="联系地方协会"):
        services.start_process("id_change", person("13800000024"))  # a verified member
    with pytest.raises(NotEligible):
        services.start_process("id_change", world.firm_reviewer)


def test_refusal_with_reason_and_return(world, upload, imported):
    user, row = imported
    instance = submitted(world, upload)
    review(instance, world.national_reviewer, "return", "公安证明不清晰，请重新上传")
    assert open_task(instance).bpmn_id == "Task_IdChangeApply"
    services.submit_task(open_task(instance).id, world.local_reviewer, form(upload, world.local_reviewer))
    review(instance, world.national_reviewer, "reject", "证明与本人不符")
    assert (instance.status, instance.outcome) == ("rejected", "不予通过：证明与本人不符")
    db.session.expire_all()
    assert db.session.get(User, user.id).id_number == row["证件号码"]
    assert db.session.scalar(select(AdminAuditEntry).where(AdminAuditEntry.action == "member.id_change")) is None


@pytest.mark.parametrize(
    ("kw", "errors"),
    [
        (
            {"new_id_number": NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")},
            {"new_id_number": "身份证号码校验位不正确，请核对最后一位"},
        ),
        ({"member_name": "别人"}, {"member_number": "没有会员编号与姓名相符的会员"}),
        ({"member_number": "2015009999"}, {"member_number": "没有会员编号与姓名相符的会员"}),
    ],
)
def test_field_checks(world, upload, imported, kw, errors):
    with pytest.raises(Invalid) as err:
        submitted(world, upload, **kw)
    assert err.value.field_errors == errors


def test_same_id_or_an_id_another_account_holds_is_refused(world, upload, imported):
    user, row = imported
    with pytest.raises(Invalid) as err:
        submitted(world, upload, new_id_number=row["证件号码"])
    assert err.value.field_errors == {"new_id_number": "与档案中的身份证号码相同，无需变更"}
    with pytest.raises(Invalid) as err:
        submitted(world, upload, new_id_number=world.local_reviewer.id_number)
    assert "已用于另一账号" in err.value.field_errors["new_id_number"]


def test_an_account_taking_the_new_id_meanwhile_refuses_the_approval(world, upload, imported):
    user, row = imported
    instance = submitted(world, upload)
    world.firm_reviewer.id_number = NEW_ID  # registered with it while the change waited
    db.session.flush()
    with pytest.raises(Invalid) as err:
        review(instance, world.national_reviewer)
    assert "已用于另一账号" in err.value.field_errors["decision"]
    db.session.expire_all()
    assert db.session.get(User, user.id).id_number == row["证件号码"]
    assert open_task(instance).bpmn_id == "Task_National"  # nothing changed: the reviewer may return or reject


def test_the_start_page_offers_it_to_association_staff_only(app, world, imported, logged_in):
    assert "身份证号码变更" in logged_in(world.local_reviewer).get("/").get_data(as_text=True)
    assert "身份证号码变更" not in logged_in(world.firm_reviewer).get("/").get_data(as_text=True)
