"""Walks processes/firm_filing.bpmn through the services.

Rules: R-FIL-1, R-FIL-2, R-FIL-3, R-FIL-4, R-FIL-5, R-FIL-6, R-FIL-7, R-TRF-9 (adoption), R-ADM-1.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from app import clock
from app.accounts.models import FaceSession, RoleGrant
from app.demo import add_member
from app.errors import FaceCheckRequired, Invalid, NotFound
from app.extensions import db
from app.members.models import MemberPenalty, Qualification
from app.organizations.filing_people import confirm_move
from app.organizations.models import FirmPerson, Organization
from app.workflow import services
from app.workflow.facts import person_facts
from app.workflow.models import ProcessInstance
from tests.processes.test_prefiling_transfer import form as prefiling_form
from tests.processes.walk import member_of, open_task, person, review
from tests.workflow.drafts import typed

NEW_CODE = "91110108MA01ABCE1F"
PREFILING_CODE = "91110108MA01ABCD1E"  # the demo's 北京筹建中评估有限公司, not filed


@pytest.fixture
def lin(world):
    return person("13800000041")


def submit(instance, user, data):
    return services.submit_task(open_task(instance).id, user, data)


def firm_data(world, upload, user, firm_form="partnership", code=NEW_CODE, **kw):
    data = {
        "firm_form": firm_form,
        "firm_name": "北京立信评估事务所" if firm_form == "partnership" else "北京立信资产评估有限公司",
        "credit_code": code,
        "local_association_id": world.local_bj.id,
        "address": "北京市朝阳区建国路 1 号",
        "legal_representative": "林立",
        "established_on": "2026-11-01",
        **{
            k: [upload(user, f"{k}.png")]
            for k in ("filing_form", "business_licence", "office_proof", "quality_control_rules")
        },
    }
    founding = (
        ("partnership_agreement", "partners_resolution")
        if firm_form == "partnership"
        else ("articles_of_association", "shareholders_resolution")
    )
    data.update({k: [upload(user, f"{k}.png")] for k in founding})
    data.update(kw)
    return data


def to_people(world, upload, user, **kw):
    """Notice → applicant (legal representative) → firm data: the instance waits on the people page."""
    instance = services.start_process("firm_filing", user)
    submit(instance, user, {"agree_notice": True})
    submit(instance, user, {"applicant_capacity": "legal_representative"})
    submit(instance, user, firm_data(world, upload, user, **kw))
    assert open_task(instance).bpmn_id == "Task_People"
    return instance


def add(instance, user, upload, mobile=None, **kw):
    data = {"person_action": "add", "person_kind": "natural", **kw}
    if mobile:
        p = person(mobile)
        data |= {"person_name": p.name, "id_number": p.id_number}
    if data.get("is_appraiser"):
        data.setdefault("transfer_form", [upload(user, "transfer.png")])
    if data.get("is_shareholder") and data["person_kind"] == "natural":
        data.setdefault("resume", [upload(user, "resume.png")])
    return submit(instance, user, data)


def refusal(instance, user, upload, **kw):
    with pytest.raises(Invalid) as err:
        add(instance, user, upload, **kw)
    return err.value.field_errors


def people(instance, firm_id=None):
    db.session.expire_all()
    firm_id = firm_id or filing_firm(instance).id
    return {p.name: p for p in db.session.scalars(select(FirmPerson).where(FirmPerson.firm_id == firm_id))}


def filing_firm(instance):
    db.session.expire_all()
    return db.session.scalars(
        select(Organization).where(Organization.filing_applicant_id == instance.applicant_id)
    ).one()


def grants(user, firm):
    db.session.expire_all()
    stmt = select(RoleGrant.role).where(RoleGrant.user_id == user.id, RoleGrant.organization_id == firm.id)
    return sorted(db.session.scalars(stmt))


def test_a_partnership_is_filed_by_the_provinces_finance_department(world, upload, lin):
    instance = to_people(world, upload, lin)
    for mobile in ("13800000042", "13800000043"):  # in custody, 10 and 8 years of practice: senior partners
        add(instance, lin, upload, mobile, is_shareholder=True, is_appraiser=True)
    add(instance, lin, upload, person_name="周高管", id_number="110105198001010032", is_executive=True)  # R-FIL-5
    firm = filing_firm(instance)
    submit(instance, lin, {"person_action": "done"})

    task = open_task(instance)
    finance_bj, finance_sh = person("13400000001"), person("13400000002")
    assert (task.role, task.name) == ("finance_department", "地方财政确认")
    assert task.organization_id == finance_bj.grants[0].organization_id
    for outsider in (finance_sh, world.local_reviewer, world.national_reviewer):  # another province sees nothing
        with pytest.raises(NotFound):
            review(instance, outsider)
    review(instance, finance_bj)

    db.session.expire_all()
    assert instance.status == "approved"
    assert instance.outcome == "北京立信评估事务所已完成备案，您已成为该机构的机构管理员"
    assert (firm.filed, firm.firm_form, firm.filing_applicant_id) == (True, "partnership", None)
    assert grants(lin, firm) == ["firm", "firm_admin"]  # R-ADM-1
    for mobile in ("13800000042", "13800000043"):  # their custody ends: they practise at the new firm
        member = member_of(person(mobile))
        assert (member.firm_id, member.in_custody, member.is_shareholder) == (firm.id, False, True)
    assert all(p.filed for p in people(instance, firm.id).values())
    assert firm in db.session.scalars(select(Organization).where(Organization.filed.is_(True))).all()


def test_a_company_with_a_legal_person_shareholder(world, upload, lin):
    instance = to_people(world, upload, lin, firm_form="company")
    appraisers = [("13800000042", True), ("13800000043", True)] + [(m, False) for m in _custody_appraisers(world, 6)]
    for mobile, shareholder in appraisers:
        add(instance, lin, upload, mobile, is_appraiser=True, is_shareholder=shareholder)
    submit(  # R-FIL-2 a legal person: credit code with a valid check character, licence and information form
        instance,
        lin,
        {
            "person_action": "add",
            "person_kind": "legal",
            "person_name": "北京立信投资有限公司",
            "person_credit_code": "91110105MA01XYW121",
            "contact": "010-88886666",
            "subscribed_capital": 100,
            "subscribed_on": "2026-10-01",
            "business_licence_scan": [upload(lin, "licence.png")],
            "shareholder_info_form": [upload(lin, "info.png")],
        },
    )
    assert people(instance)["北京立信投资有限公司"].is_shareholder
    submit(instance, lin, {"person_action": "done"})
    review(instance, person("13400000001"))
    assert instance.status == "approved"
    firm = db.session.get(Organization, filing_firm_id(instance))
    assert firm.filed and firm.firm_form == "company"


def filing_firm_id(instance):
    db.session.expire_all()
    return db.session.scalars(select(Organization.id).where(Organization.name == "北京立信资产评估有限公司")).one()


def _custody_appraisers(world, count):
    mobiles = []
    for i in range(count):
        user, _ = add_member(
            f"1380000090{i}",
            f"代管{i}",
            f"110105198501{i + 1:02d}009",
            member_number=f"20230009{i:02d}",
            kind="full",
            firm_id=None,
            in_custody=True,
            local_association_id=world.local_bj.id,
            joined_on=date(2020, 1, 6),
        )
        db.session.add(Qualification(user_id=user.id, kind="appraiser", passed_on=date(2019, 9, 1)))
        mobiles.append(user.mobile)
    db.session.flush()
    return mobiles


def test_the_filing_adopts_the_row_a_pre_filing_created(world, upload, lin):
    """R-TRF-9: 北京筹建中 exists unfiled with its credit code; the filing fills that row, never a second one."""
    prefiled = db.session.scalars(select(Organization).where(Organization.credit_code == PREFILING_CODE)).one()
    instance = to_people(world, upload, lin, code=PREFILING_CODE)
    assert filing_firm(instance).id == prefiled.id
    rows = db.session.scalar(
        select(func.count()).select_from(Organization).where(Organization.credit_code == PREFILING_CODE)
    )
    assert rows == 1
    listed = people(instance)["邓亮"]  # pre-filed into it: listed by itself as an appraiser
    assert listed.is_appraiser and listed.details["prefiled"]
    add(instance, lin, upload, "13800000042", is_shareholder=True, is_appraiser=True)
    add(instance, lin, upload, "13800000045", is_shareholder=True)  # 邓亮 also becomes a partner
    submit(instance, lin, {"person_action": "done"})
    review(instance, person("13400000001"))
    db.session.expire_all()
    assert prefiled.filed and prefiled.name == "北京立信评估事务所"
    assert member_of(person("13800000045")).firm_id == prefiled.id


def test_another_applicant_cannot_file_the_same_firm_meanwhile(world, upload, lin):
    to_people(world, upload, lin)
    other = world.applicant
    instance = services.start_process("firm_filing", other)
    submit(instance, other, {"agree_notice": True})
    submit(instance, other, {"applicant_capacity": "legal_representative"})
    with pytest.raises(Invalid) as err:
        submit(instance, other, firm_data(world, upload, other))
    assert err.value.field_errors == {"credit_code": "该机构已有他人正在办理备案，请与其联系"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"credit_code": "91110108MA01ABCE10"}, "credit_code", "校验位"),  # R-FIL-2 wrong check character
        ({"credit_code": "91110000100000001X"}, "credit_code", "已属于已备案的「北京中和资产评估有限公司」"),
        ({"firm_name": "北京华信众合资产评估有限公司"}, "firm_name", "已完成备案"),
    ],
)
def test_firm_data_refusals_keep_the_applicant_on_the_page(world, upload, lin, overrides, field, message):
    instance = services.start_process("firm_filing", lin)
    submit(instance, lin, {"agree_notice": True})
    submit(instance, lin, {"applicant_capacity": "legal_representative"})
    with pytest.raises(Invalid) as err:
        submit(instance, lin, firm_data(world, upload, lin, **overrides))
    assert message in err.value.field_errors[field]


def test_a_missing_attachment_of_the_chosen_firm_form_is_refused(world, upload, lin):
    instance = services.start_process("firm_filing", lin)
    submit(instance, lin, {"agree_notice": True})
    submit(instance, lin, {"applicant_capacity": "legal_representative"})
    data = firm_data(world, upload, lin, firm_form="company")
    del data["articles_of_association"]
    with pytest.raises(Invalid) as err:
        submit(instance, lin, data)
    assert err.value.field_errors == {"articles_of_association": "公司制机构须上传公司章程"}


def test_an_agent_uploads_the_power_of_attorney_first(world, upload, lin):
    """R-FIL-1."""
    instance = services.start_process("firm_filing", lin)
    submit(instance, lin, {"agree_notice": True})
    with pytest.raises(Invalid) as err:
        submit(instance, lin, {"applicant_capacity": "agent"})
    assert err.value.field_errors["power_of_attorney"].startswith("授权人须先上传")
    submit(instance, lin, {"applicant_capacity": "agent", "power_of_attorney": [upload(lin, "poa.png")]})
    assert open_task(instance).bpmn_id == "Task_FirmData"


def test_previous_and_next_keep_what_was_entered(world, upload, lin):
    """R-FIL-7: 上一步 goes back without checks; the earlier page shows what was entered."""
    instance = to_people(world, upload, lin)
    submit(instance, lin, {"nav": "back", "person_action": "add"})
    task = open_task(instance)
    assert task.bpmn_id == "Task_FirmData" and typed(task)["firm_name"] == "北京立信评估事务所"
    submit(instance, lin, {"nav": "back"})  # nothing required when going back
    assert typed(open_task(instance))["applicant_capacity"] == "legal_representative"
    submit(instance, lin, {"applicant_capacity": "legal_representative"})
    submit(instance, lin, dict(typed(open_task(instance))))
    assert open_task(instance).bpmn_id == "Task_People"
    assert filing_firm(instance).name == "北京立信评估事务所"  # the same row, not a second one


def test_a_draft_survives_logging_out(world, upload, lin):
    instance = services.start_process("firm_filing", lin)
    submit(instance, lin, {"agree_notice": True})
    submit(instance, lin, {"applicant_capacity": "legal_representative"})
    services.save_draft(open_task(instance).id, lin, {"firm_name": "北京立信评估事务所"})
    db.session.commit()
    assert typed(open_task(instance)) == {"firm_name": "北京立信评估事务所"}


@pytest.mark.parametrize(
    ("mobile", "roles", "reason"),
    [
        ("13800000031", {"is_appraiser": True}, "该会员在其他机构执业，不能加入本机构，请该会员先转入协会代管"),
        ("13800000003", {"is_executive": True}, "不能作为本机构高管加入备案"),
        ("13800000003", {"is_other_field_appraiser": True}, "该会员在其他机构执业"),
        ("13800000036", {"is_appraiser": True}, "该人员已退会，不能以执业资产评估师身份加入本机构，请重新勾选身份"),
        ("13800000033", {"is_appraiser": True}, "该人员为非执业会员"),
        ("13800000041", {"is_appraiser": True}, "该人员不在会员库中"),
    ],
)
def test_member_database_checks_refuse_with_their_reason(world, upload, lin, mobile, roles, reason):
    """R-FIL-3 (appraiser), R-FIL-4 (other field), R-FIL-5 (executive): rules/firm_person_check.dmn."""
    instance = to_people(world, upload, lin)
    extra = {"other_field_type": "land", "certificate_number": "TD001", "certificate_scan": [upload(lin, "c.png")]}
    errors = refusal(
        instance, lin, upload, mobile=mobile, **roles, **(extra if "is_other_field_appraiser" in roles else {})
    )
    assert reason in errors["id_number"]
    assert open_task(instance).bpmn_id == "Task_People"


def test_one_person_several_roles_and_removing_removes_all(world, upload, lin):
    """R-FIL-6."""
    instance = to_people(world, upload, lin)
    add(instance, lin, upload, "13800000042", is_appraiser=True)
    add(instance, lin, upload, "13800000042", is_shareholder=True, is_executive=True)
    he = people(instance)["何平"]
    assert (he.is_appraiser, he.is_shareholder, he.is_executive) == (True, True, True)
    errors = refusal(instance, lin, upload, mobile="13800000042", is_shareholder=True)
    assert errors == {"id_number": "该人员已是本机构的股东（合伙人），不能重复添加"}
    submit(instance, lin, {"person_action": "remove", "remove_key": he.id_number})
    assert "何平" not in people(instance)


def test_a_legal_person_with_a_wrong_check_character_is_refused(world, upload, lin):
    instance = to_people(world, upload, lin)
    errors = refusal(
        instance,
        lin,
        upload,
        person_kind="legal",
        person_name="某投资公司",
        person_credit_code="91110105MA01XYW122",
        contact="010-1",
        subscribed_capital=1,
        subscribed_on="2026-01-01",
        business_licence_scan=[upload(lin, "l.png")],
        shareholder_info_form=[upload(lin, "i.png")],
    )
    assert "校验位" in errors["person_credit_code"]


def test_submit_refuses_a_structure_short_of_the_law(world, upload, lin):
    """rules/firm_structure.dmn (Asset Appraisal Law art. 15): the count that falls short."""
    instance = to_people(world, upload, lin)
    add(instance, lin, upload, "13800000042", is_shareholder=True, is_appraiser=True)
    with pytest.raises(Invalid) as err:
        submit(instance, lin, {"person_action": "done"})
    assert err.value.message == "合伙制机构应当有两名以上执业资产评估师，当前 1 名，还差 1 名（《资产评估法》第十五条）"
    add(instance, lin, upload, "13800000044", is_shareholder=True, is_appraiser=True)  # 18 months of practice
    with pytest.raises(Invalid) as err:
        submit(instance, lin, {"person_action": "done"})
    assert "合伙人 2 名，符合条件 1 名，至少需要 2 名" in err.value.message


def test_a_partner_suspended_in_the_last_three_years_does_not_count(world, upload, lin):
    """rules/firm_structure.dmn FS_partnership_suspended (Asset Appraisal Law art. 15): 薛停 has ten years of
    practice but a suspension that ended 14 months ago; the refusal names the count. Once the suspension lies
    more than three years back, he counts and the list goes to the finance department."""
    instance = to_people(world, upload, lin)
    add(instance, lin, upload, "13800000042", is_shareholder=True, is_appraiser=True)
    add(instance, lin, upload, "13800000050", is_shareholder=True, is_appraiser=True)
    with pytest.raises(Invalid) as err:
        submit(instance, lin, {"person_action": "done"})
    assert err.value.message == (
        "合伙人中应有三分之二以上为具有三年以上从业经历、最近三年未受停止从业处罚的资产评估师：合伙人 2 名，"
        "符合条件 1 名，至少需要 2 名；另有 1 名最近三年受过停止从业处罚，不计入（《资产评估法》第十五条）"
    )
    penalty = db.session.scalars(
        select(MemberPenalty).where(MemberPenalty.member_id == member_of(person("13800000050")).id)
    ).one()
    today = clock.today()
    penalty.starts_on, penalty.ends_on = date(today.year - 4, 1, 1), date(today.year - 4, 7, 1)
    db.session.flush()
    submit(instance, lin, {"person_action": "done"})
    assert open_task(instance).bpmn_id != "Task_People"


HEAD_OFFICE_CODE = "91110105MA01QRT343"  # the demo's filed partnership 北京正衡资产评估事务所


def test_a_branch_names_its_head_office_and_transfers_see_it_once_confirmed(world, upload, lin):
    """Issue 11 item 5, R-TRF-8: a branch (分所) filing names its filed head office by credit code; head_office_id
    is set only on the finance department's confirmation, then head office <-> branch transfers can go there."""
    head = db.session.scalars(select(Organization).where(Organization.credit_code == HEAD_OFFICE_CODE)).one()
    jiang, he = person("13800000047"), person("13800000042")  # a partner at 北京正衡; a member in custody
    assert person_facts(jiang)["firm_has_branches"] is False
    instance = to_people(
        world, upload, lin, firm_name="北京正衡资产评估事务所通州分所", head_office_credit_code=HEAD_OFFICE_CODE
    )
    add(instance, lin, upload, "13800000042", is_appraiser=True)  # a branch has no partners of its own
    submit(instance, lin, {"person_action": "done"})  # FS_branch: art. 15 binds the head office
    branch = filing_firm(instance)
    assert (branch.head_office_id, branch.pending_head_office_id) == (None, head.id)
    assert person_facts(jiang)["firm_has_branches"] is False  # not before confirmation
    review(instance, person("13400000001"))
    db.session.expire_all()
    assert (branch.filed, branch.head_office_id, branch.pending_head_office_id) == (True, head.id, None)
    assert branch.filing_history[-1]["detail"] == "备案人员 1 人；分所，总所：北京正衡资产评估事务所"
    assert person_facts(jiang)["firm_has_branches"] is True
    assert member_of(he).firm_id == branch.id
    transfer = services.start_process("branch_transfer", he)  # R-TRF-8: from the new branch to its head office
    services.submit_task(open_task(transfer).id, he, {"new_firm_id": head.id})
    assert open_task(transfer).role == "local_association"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (PREFILING_CODE, "没有以该统一社会信用代码备案的总所，请核对；总所须先完成备案"),  # not filed
        ("91110105MA01QRT342", "统一社会信用代码不正确（应为 18 位，且校验位须符合 GB 32100），请核对"),
        ("91110105MA01TJF129", "「北京中和资产评估有限公司天津分公司」本身是分所，请填写其总所的统一社会信用代码"),
    ],
)
def test_a_branch_must_name_a_filed_head_office(world, upload, lin, code, reason):
    world.branch_bj.credit_code = "91110105MA01TJF129"  # the demo's 天津分公司 has none
    instance = services.start_process("firm_filing", lin)
    submit(instance, lin, {"agree_notice": True})
    submit(instance, lin, {"applicant_capacity": "legal_representative"})
    with pytest.raises(Invalid) as err:
        submit(instance, lin, firm_data(world, upload, lin, head_office_credit_code=code))
    assert err.value.field_errors == {"head_office_credit_code": reason}
    db.session.commit()
    assert typed(open_task(instance))["head_office_credit_code"] == code  # nothing entered is lost


def test_one_filing_at_a_time_and_not_for_a_firm_admin(world, upload, lin):
    services.start_process("firm_filing", lin)
    assert services.check_eligibility("firm_filing", lin)[1].startswith("您有正在办理的新机构备案")
    db.session.add(RoleGrant(user_id=world.applicant.id, role="firm_admin", organization_id=world.firm_bj.id))
    db.session.flush()
    db.session.expire_all()
    assert services.check_eligibility("firm_filing", world.applicant)[1].startswith("您已是机构管理员")


def test_a_returned_filing_comes_back_to_the_firm_data_page(world, upload, lin):
    instance = to_people(world, upload, lin)
    for mobile in ("13800000042", "13800000043"):
        add(instance, lin, upload, mobile, is_shareholder=True, is_appraiser=True)
    submit(instance, lin, {"person_action": "done"})
    review(instance, person("13400000001"), "return", "营业执照不清晰")
    task = open_task(instance)
    assert (task.bpmn_id, task.user_id) == ("Task_FirmData", lin.id)
    submit(instance, lin, dict(typed(task)))
    submit(instance, lin, {"person_action": "done"})
    review(instance, person("13400000001"), "reject", "不符合条件")
    assert instance.status == "rejected"
    assert (
        db.session.scalar(select(ProcessInstance.outcome).where(ProcessInstance.id == instance.id))
        == "不予备案：不符合条件"
    )


def test_a_refusal_from_a_service_step_keeps_what_was_entered_as_the_draft(world, upload, lin):
    """Bad input loses nothing: a credit-code refusal (raised by organizations/open_filing) saves the draft."""
    instance = services.start_process("firm_filing", lin)
    submit(instance, lin, {"agree_notice": True})
    submit(instance, lin, {"applicant_capacity": "legal_representative"})
    data = firm_data(world, upload, lin, credit_code="91110108MA01ABCE10")
    with pytest.raises(Invalid):
        submit(instance, lin, data)
    db.session.commit()  # a 422 commits
    draft = typed(open_task(instance))
    assert draft["credit_code"] == "91110108MA01ABCE10"
    assert draft["partners_resolution"] == data["partners_resolution"]
    assert db.session.scalar(select(func.count()).where(Organization.filing_applicant_id == lin.id)) == 0


def test_changing_the_credit_code_moves_the_listed_people_but_not_the_pre_filed_ones(world, upload, lin):
    instance = to_people(world, upload, lin, code=PREFILING_CODE)
    add(instance, lin, upload, "13800000042", is_shareholder=True, is_appraiser=True)
    submit(instance, lin, {"nav": "back", "person_action": "add"})
    submit(instance, lin, {**typed(open_task(instance)), "credit_code": NEW_CODE})
    assert sorted(people(instance)) == ["何平"]  # 邓亮 pre-filed into 北京筹建中, not into this firm
    prefiled = db.session.scalars(select(Organization).where(Organization.credit_code == PREFILING_CODE)).one()
    assert prefiled.filing_applicant_id is None and not prefiled.filed  # released, still there for 邓亮


def test_the_filing_ends_the_pre_filed_members_watch(world, upload, lin):
    """R-TRF-9 + manual ch.2 §六 (五): 备案完成后，您可进入至该所执业 — the pre-filing deadline watch ends."""
    chu = person("13800000023")
    prefiling = services.start_process("prefiling_transfer", chu)
    submit(
        prefiling,
        chu,
        prefiling_form(upload, chu),
    )
    review(prefiling, world.local_reviewer)
    instance = to_people(world, upload, lin, code=PREFILING_CODE)
    assert people(instance)["褚三"].details["prefiled"]  # listed by himself
    add(instance, lin, upload, "13800000042", is_shareholder=True, is_appraiser=True)
    add(instance, lin, upload, "13800000045", is_shareholder=True)
    submit(instance, lin, {"person_action": "done"})
    review(instance, person("13400000001"))
    db.session.expire_all()
    watch = db.session.scalars(
        select(ProcessInstance).where(
            ProcessInstance.process_id == "prefiling_watch", ProcessInstance.applicant_id == chu.id
        )
    ).one()
    assert (watch.status, watch.outcome, watch.next_timer_at) == ("completed", "机构已完成备案，继续在该机构执业", None)
    assert member_of(chu).firm.filed


def test_an_other_field_appraiser_listed_elsewhere_confirms_by_face_and_moves(world, upload, lin):
    """R-FIL-4: 北京正衡 lists 曹地, the new firm too; he confirms, face-verified, and leaves 北京正衡's list."""
    cao = person("13800000049")
    instance = to_people(world, upload, lin)
    for mobile in ("13800000042", "13800000043"):
        add(instance, lin, upload, mobile, is_shareholder=True, is_appraiser=True)
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
    with pytest.raises(Invalid, match="曹地已被其他机构列为其他领域评估师，须本人扫描认证二维码并人脸识别确认"):
        submit(instance, lin, {"person_action": "done"})
    row = people(instance)["曹地"]
    with pytest.raises(NotFound):
        confirm_move(row.id, lin)  # only the person himself
    with pytest.raises(FaceCheckRequired):
        confirm_move(row.id, cao)  # R-ACC-2: not face-verified just now
    db.session.add(FaceSession(id="cao-face", user_id=cao.id, status="passed", decided_at=clock.now()))
    confirm_move(row.id, cao)
    zhengheng = db.session.scalars(select(Organization).where(Organization.name == "北京正衡资产评估事务所")).one()
    assert "曹地" not in people(instance, zhengheng.id)
    assert "confirm_from_firm_id" not in people(instance)["曹地"].details
    submit(instance, lin, {"person_action": "done"})
    assert open_task(instance).role == "finance_department"
