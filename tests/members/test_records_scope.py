"""Local association staff keep their own province's records (issue 14 item 4): inspection rounds, dues, 暂停/除名/恢复
of their own members through /admin/records; another province's members and rounds are refused, nothing written."""

from sqlalchemy import select

from app.admin.models import AdminAuditEntry
from app.extensions import db
from app.members.models import Member
from app.members.record_models import DuesRecord, InspectionRound, MembershipSanction
from tests.admin.test_admin_pages import as_user
from tests.members.test_records import WANG, number_of, refusal


def test_local_staff_keep_their_own_members_records(app, world):
    beijing = as_user(app, world.local_reviewer)
    form = {"local_association_id": world.local_bj.id, "year": 2026}
    assert beijing.post("/admin/records/open", data=form).status_code == 302
    assert refusal(WANG, "transfer") == "年检进行中，年检结束前不能转所"  # R-TRF-2
    round_id = db.session.scalar(
        select(InspectionRound.id).where(InspectionRound.local_association_id == world.local_bj.id)
    )
    data = {"round_id": round_id, "numbers": number_of(WANG), "status": "failed", "note": "未提交年检材料"}
    assert beijing.post("/admin/records/mark", data=data).status_code == 302
    assert refusal(WANG, "transfer") == "年检未通过，不能转所"
    dues = {"number": number_of(WANG), "year": 2025, "amount": "800"}
    assert beijing.post("/admin/records/dues", data=dues).status_code == 302
    member = db.session.scalar(select(Member).where(Member.member_number == number_of(WANG)))
    db.session.refresh(member)
    assert member.unpaid_dues == 800
    page = beijing.get(f"/admin/records?number={number_of(WANG)}").get_data(as_text=True)
    assert "2026：未通过（未提交年检材料）" in page and "上海市资产评估协会" not in page
    actors = set(
        db.session.scalars(select(AdminAuditEntry.actor_id).where(AdminAuditEntry.action.like("inspection.%")))
    )
    assert actors == {world.local_reviewer.id}  # audited as the staff member


def test_another_provinces_staff_cannot_touch_these_members(app, world):
    shanghai = as_user(app, world.other_local_reviewer)
    opened = shanghai.post("/admin/records/open", data={"local_association_id": world.local_bj.id, "year": 2026})
    assert opened.status_code == 403 and "只能管理本协会的会员" in opened.get_data(as_text=True)
    assert db.session.scalar(select(InspectionRound.id)) is None
    dues = shanghai.post("/admin/records/dues", data={"number": number_of(WANG), "year": 2025, "amount": "800"})
    assert dues.status_code == 403
    assert db.session.scalar(select(DuesRecord.id)) is None
    data = {"number": number_of(WANG), "kind": "suspension", "reason": "示例"}
    assert shanghai.post("/admin/records/sanction", data=data).status_code == 403
    assert db.session.scalar(select(MembershipSanction.id)) is None
    # the Beijing member's file is not shown to Shanghai's staff, as for an unknown number
    page = shanghai.get(f"/admin/records?number={number_of(WANG)}").get_data(as_text=True)
    assert "王五" not in page and "不存在" in page
    # Beijing's round is neither listed nor markable for Shanghai
    as_user(app, world.local_reviewer).post(
        "/admin/records/open", data={"local_association_id": world.local_bj.id, "year": 2026}
    )
    round_id = db.session.scalar(select(InspectionRound.id))
    assert "北京资产评估协会" not in shanghai.get("/admin/records").get_data(as_text=True)
    mark = {"round_id": round_id, "numbers": number_of(WANG), "status": "passed"}
    assert shanghai.post("/admin/records/mark", data=mark).status_code == 403


def test_lifting_another_provinces_suspension_is_refused(app, world):
    admin = as_user(app, world.admin)
    data = {"number": number_of(WANG), "kind": "suspension", "reason": "未参加继续教育"}
    assert admin.post("/admin/records/sanction", data=data).status_code == 302
    sanction_id = db.session.scalar(select(MembershipSanction.id))
    lift = as_user(app, world.other_local_reviewer).post("/admin/records/lift", data={"sanction_id": sanction_id})
    assert lift.status_code == 403
    assert (
        as_user(app, world.local_reviewer).post("/admin/records/lift", data={"sanction_id": sanction_id}).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(MembershipSanction, sanction_id).lifted_on is not None
