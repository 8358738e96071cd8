"""Walks processes/firm_change.bpmn: a filed firm's admin changes its people; R-TRF-3 follows the filed list."""

import pytest
from sqlalchemy import select

from app.errors import NotEligible, NotFound
from app.extensions import db
from app.organizations.models import FirmPerson, Organization
from app.workflow import services
from tests.processes.walk import member_of, open_task, person, review

FIRM = "北京正衡资产评估事务所"


@pytest.fixture
def admin(world):
    return person("13900000003")


def submit(instance, user, data):
    return services.submit_task(open_task(instance).id, user, data)


def listed(firm_name=FIRM):
    db.session.expire_all()
    firm = db.session.scalars(select(Organization).where(Organization.name == firm_name)).one()
    return {p.name: p for p in db.session.scalars(select(FirmPerson).where(FirmPerson.firm_id == firm.id))}


def remove_feng(admin):
    instance = services.start_process("firm_change", admin)
    submit(instance, admin, {"person_action": "remove", "remove_key": person("13800000046").id_number})
    assert listed()["冯正"].removal_pending  # still listed until the finance department confirms
    submit(instance, admin, {"person_action": "done"})
    return instance


def test_a_confirmed_change_that_removes_a_shareholder_frees_him_to_transfer(world, admin):
    feng = person("13800000046")
    assert "机构备案变更" in services.check_eligibility("transfer", feng)[1]  # R-TRF-3 before the change
    instance = remove_feng(admin)
    task = open_task(instance)
    assert task.role == "finance_department"
    with pytest.raises(NotFound):
        review(instance, person("13400000002"))  # 上海市财政局 sees nothing of a Beijing firm
    review(instance, person("13400000001"))
    assert instance.status == "approved"
    assert instance.outcome == f"{FIRM}的备案变更已确认，已删除：冯正"
    assert "冯正" not in listed()
    assert member_of(feng).is_shareholder is False
    assert services.check_eligibility("transfer", feng)[1] is None  # R-TRF-3 reads the filed list now
    firm = db.session.scalars(select(Organization).where(Organization.name == FIRM)).one()
    assert [(e["what"], e["detail"]) for e in firm.filing_history] == [("备案变更", "新增：无；删除：冯正")]


def test_a_refused_change_leaves_the_filed_list_as_it_was(world, admin):
    instance = remove_feng(admin)
    review(instance, person("13400000001"), "reject", "股东会决议缺失")
    assert instance.status == "rejected"
    feng = listed()["冯正"]
    assert (feng.filed, feng.removal_pending) == (True, False)
    assert "机构备案变更" in services.check_eligibility("transfer", person("13800000046"))[1]


def test_an_appraiser_added_by_a_change_practises_at_the_firm_after_confirmation(world, admin, upload):
    instance = services.start_process("firm_change", admin)
    he = person("13800000042")  # in custody
    data = {
        "person_action": "add",
        "person_kind": "natural",
        "person_name": he.name,
        "id_number": he.id_number,
        "is_appraiser": True,
        "transfer_form": [upload(admin, "t.png")],
    }
    submit(instance, admin, data)
    assert listed()["何平"].filed is False
    assert member_of(he).in_custody  # nothing moves before confirmation
    submit(instance, admin, {"person_action": "done"})
    review(instance, person("13400000001"))
    member = member_of(he)
    assert (member.firm.name, member.in_custody) == (FIRM, False)


def test_only_a_firm_admin_changes_a_filing(world):
    with pytest.raises(NotEligible, match="只有机构管理员可以办理机构备案变更"):
        services.start_process("firm_change", world.applicant)
