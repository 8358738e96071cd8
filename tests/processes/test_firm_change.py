"""Walks processes/firm_change.bpmn: a filed firm's admin changes its people; R-TRF-3 follows the filed list."""

import pytest
from sqlalchemy import select

from app.errors import Invalid, NotEligible, NotFound
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


def firm():
    db.session.expire_all()
    return db.session.scalars(select(Organization).where(Organization.credit_code == "91110105MA01QRT343")).one()


def rename(admin, **data):
    instance = services.start_process("firm_change", admin)
    submit(instance, admin, {"person_action": "firm_info", **data})
    return instance


def test_a_new_name_and_address_apply_only_when_the_finance_department_confirms(world, admin):
    """Issue 11 item 5: name/address changes go through the same finance confirmation; nothing changes before."""
    instance = rename(admin, new_firm_name="北京正衡联合资产评估事务所", new_address="北京市朝阳区建国路 1 号")
    assert (firm().name, firm().address) == (FIRM, None)  # the filed data stays until confirmation
    assert (firm().pending_name, firm().pending_address) == ("北京正衡联合资产评估事务所", "北京市朝阳区建国路 1 号")
    submit(instance, admin, {"person_action": "done"})
    assert firm().name == FIRM
    review(instance, person("13400000001"))
    assert instance.status == "approved"
    assert (firm().name, firm().address, firm().pending_name) == (
        "北京正衡联合资产评估事务所",
        "北京市朝阳区建国路 1 号",
        None,
    )
    assert firm().filing_history[-1]["detail"] == (
        f"新增：无；删除：无；名称：{FIRM} → 北京正衡联合资产评估事务所；地址：未登记 → 北京市朝阳区建国路 1 号"
    )
    assert member_of(person("13800000047")).firm.name == "北京正衡联合资产评估事务所"  # its members follow the row


def test_a_refused_rename_leaves_the_name_as_filed(world, admin):
    instance = rename(admin, new_firm_name="北京正衡联合资产评估事务所")
    submit(instance, admin, {"person_action": "done"})
    review(instance, person("13400000001"), "reject", "名称未经核准")
    assert (firm().name, firm().pending_name) == (FIRM, None)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"new_firm_name": FIRM}, "请填写与已备案信息不同的新机构名称或新地址"),
        ({}, "请填写与已备案信息不同的新机构名称或新地址"),
        ({"new_firm_name": "北京中和资产评估有限公司"}, "已有名为「北京中和资产评估有限公司」的机构，请核对"),
    ],
)
def test_a_rename_that_changes_nothing_or_takes_another_firms_name_is_refused(world, admin, data, reason):
    instance = services.start_process("firm_change", admin)
    with pytest.raises(Invalid) as err:
        submit(instance, admin, {"person_action": "firm_info", **data})
    assert err.value.field_errors == {"new_firm_name": reason}
    assert firm().pending_name is None
