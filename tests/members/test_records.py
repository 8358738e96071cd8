"""The association's records (issue 14 item 4): an inspection round and its results, dues and arrears, suspension
and expulsion, read by the rules (R-TRF-2, R-STA-3, R-CER-2, R-ACC-5)."""

from sqlalchemy import select

from app import clock
from app.accounts.rights import holds_no_rights
from app.admin.models import AdminAuditEntry
from app.certificates.services import print_verdict
from app.extensions import db
from app.members.models import Member
from app.members.record_models import MembershipSanction
from app.members.records import member_by_number
from app.workflow import services
from tests.admin.test_admin_pages import as_user
from tests.importing import csv_bytes, run_import
from tests.processes.walk import person

WANG = "13800000003"  # 王五, full member at 北京中和: may transfer


def number_of(mobile: str) -> str:
    return db.session.scalar(select(Member.member_number).where(Member.user_id == person(mobile).id))


def refusal(mobile: str, process_id: str) -> str | None:
    db.session.expire_all()
    return services.check_eligibility(process_id, person(mobile))[1]


def test_an_inspection_failure_entered_by_the_association_blocks_the_transfer_with_the_reason(app, world):
    """R-TRF-2 through the pages: open the round (年检中), mark failed (未通过), then passed."""
    admin = as_user(app, world.admin)
    assert refusal(WANG, "transfer") is None
    resp = admin.post("/admin/records/open", data={"local_association_id": world.local_bj.id, "year": 2026})
    assert resp.status_code == 302
    assert refusal(WANG, "transfer") == "年检进行中，年检结束前不能转所"
    round_id = db.session.scalar(select(AdminAuditEntry.target).where(AdminAuditEntry.action == "inspection.open"))
    round_id = int(round_id.split(":")[1])
    data = {"round_id": round_id, "numbers": f"{number_of(WANG)}\n", "status": "failed", "note": "未提交年检材料"}
    assert admin.post("/admin/records/mark", data=data).status_code == 302
    assert refusal(WANG, "transfer") == "年检未通过，不能转所"
    page = admin.get(f"/admin/records?number={number_of(WANG)}").get_data(as_text=True)
    assert "2026：未通过（未提交年检材料）" in page
    assert admin.post("/admin/records/mark", data={**data, "status": "passed"}).status_code == 302
    assert refusal(WANG, "transfer") is None
    again = admin.post("/admin/records/open", data={"local_association_id": world.local_bj.id, "year": 2026})
    assert again.status_code == 409 and "年度的年检已开启" in again.get_data(as_text=True)


def test_inspection_results_by_import_and_their_refusals(app, world):
    admin = as_user(app, world.admin)
    admin.post("/admin/records/open", data={"local_association_id": world.local_bj.id, "year": 2026})
    columns = ("会员编号", "年度", "年检结果", "说明")
    rows = [
        {"会员编号": number_of(WANG), "年度": "2026", "年检结果": "未通过"},
        {"会员编号": "9999", "年度": "2026", "年检结果": "通过"},
    ]
    job = run_import(world.admin, "inspection", csv_bytes(columns, rows))
    assert job.report == [{"row": 3, "reason": "会员编号 9999 不存在"}]
    assert refusal(WANG, "transfer") == "年检进行中，年检结束前不能转所"  # nothing written
    job = run_import(world.admin, "inspection", csv_bytes(columns, rows[:1]))
    assert job.status == "done"
    assert refusal(WANG, "transfer") == "年检未通过，不能转所"


def test_unpaid_dues_are_the_arrears_the_rules_read(app, world):
    """R-STA-3: a non-practicing member with unpaid dues may not return to practice until they are paid."""
    yang = "13800000033"
    admin = as_user(app, world.admin)
    assert refusal(yang, "status_practicing") is None
    data = {"number": number_of(yang), "year": 2025, "amount": "800"}
    assert admin.post("/admin/records/dues", data=data).status_code == 302
    columns = ("会员编号", "年度", "应缴金额", "是否已缴", "缴费日期")
    job = run_import(
        world.admin,
        "dues",
        csv_bytes(columns, [{"会员编号": number_of(yang), "年度": "2026", "应缴金额": "400", "是否已缴": "否"}]),
    )
    assert job.status == "done"
    assert refusal(yang, "status_practicing") == "您有欠缴会费 1200 元，缴清后方可申请转为执业会员"
    admin.post("/admin/records/dues", data={**data, "paid": "on"})
    assert refusal(yang, "status_practicing") == "您有欠缴会费 400 元，缴清后方可申请转为执业会员"


def test_a_suspended_member_is_refused_everywhere_with_the_reason_until_lifted(app, world):
    """R-ACC-5 respects the suspension: no rights, every start and printing refused with the reason."""
    admin = as_user(app, world.admin)
    wang = person(WANG)
    data = {
        "number": number_of(WANG),
        "kind": "suspension",
        "reason": "违反职业道德",
        "starts_on": "2026-01-01",
        "ends_on": "2030-12-31",
    }
    assert admin.post("/admin/records/sanction", data=data).status_code == 302
    reason = "您的会员资格已于 2026-01-01 被暂停（原因：违反职业道德；暂停至 2030-12-31），暂停期间不能办理此项业务"
    assert refusal(WANG, "transfer") == reason and refusal(WANG, "resign") == reason
    assert holds_no_rights(wang)
    member = member_by_number(number_of(WANG))
    assert print_verdict(member, "full").reason == reason
    assert db.session.scalar(select(AdminAuditEntry.id).where(AdminAuditEntry.action == "member.suspend"))
    lifted = admin.post("/admin/records/lift", data={"sanction_id": db.session.scalar(select(MembershipSanction.id))})
    assert lifted.status_code == 302
    assert refusal(WANG, "transfer") is None and not holds_no_rights(person(WANG))


def test_expulsion_ends_the_membership_and_the_rights(app, world):
    admin = as_user(app, world.admin)
    data = {
        "number": number_of(WANG),
        "kind": "expulsion",
        "reason": "严重违纪",
        "starts_on": clock.today().isoformat(),
    }
    assert admin.post("/admin/records/sanction", data=data).status_code == 302
    member = member_by_number(number_of(WANG))
    db.session.refresh(member)
    assert (member.status, member.left_on) == ("expelled", clock.today())
    assert holds_no_rights(person(WANG))  # R-ACC-5
    assert refusal(WANG, "transfer") == "只有执业会员可以申请转所"


def test_the_import_page_is_for_administrators(app, world):
    assert as_user(app, world.local_reviewer).get("/admin/imports").status_code == 403


def test_the_records_pages_are_for_administrators_and_local_association_staff(app, world):
    assert as_user(app, world.firm_reviewer).get("/admin/records").status_code == 403
    assert as_user(app, world.applicant).get("/admin/records").status_code == 403
    page = as_user(app, world.local_reviewer).get("/admin/records")
    assert page.status_code == 200 and "会员档案" in page.get_data(as_text=True)
