"""Walks processes/auctioneer_registration.bpmn through the services (R-AUC-1, R-AUC-2, R-AUC-4, R-AUC-7, R-AUC-8)."""

import pytest

from app import clock
from app.auctioneers.models import PracticeRecord
from app.auctioneers.services import auctioneer_of
from app.errors import Invalid, NotEligible
from app.extensions import db
from app.payments.models import PaymentOrder
from app.workflow import services
from app.workflow.models import HumanTask
from tests.payments.paying import pay
from tests.processes.walk import open_task, review

FIRST = {
    "name": "何首次",
    "gender": "男",
    "id_number": "110105198403030035",
    "id_type": "居民身份证",
    "id_valid_until": "2035-01-01",
    "management_number": "PM2026FIRST01",
    "birth_date": "1984-03-03",
    "auction_since": "2015-06-01",
    "political_status": "群众",
    "ethnicity": "汉族",
    "nationality": "中国",
    "education": "大学本科",
    "postcode": "100010",
    "phone": "010-65550000",
    "email": "he@example.com",
    "residence": "北京市东城区",
    "address": "北京市东城区东长安街 1 号",
    "consent_statement": [],
    "join_branch": False,
}
PRACTICE = {
    "sessions": 12,
    "main_item_type": "房地产",
    "turnover_wan": 3560.5,
    "consent_statement": [],
    "join_branch": False,
}


def open_task_or_none(instance):
    db.session.expire_all()
    return db.session.query(HumanTask).filter_by(instance_id=instance.id, status="open").one_or_none()


def reviewers(world):
    u = world.auction_users
    return [u["firm_reviewer"], u["provincial_reviewer"], u["caa_reviewer"]]


def approve_all(instance, world):
    for reviewer in reviewers(world):
        review(instance, reviewer)


def test_first_registration_with_the_personal_data_form_three_levels(world):
    """R-AUC-1 never registered → 首次注册; R-AUC-7 firm → provincial → CAA; registered for the next year."""
    user = world.auction_users["first"]
    instance = services.start_process("auctioneer_registration", user)
    task = open_task(instance)
    assert task.form_key == "auctioneer_first_registration"
    services.submit_task(task.id, user, {**FIRST, "firm_id": world.auction["firm_bj"].id})
    pay(instance, user)
    levels = []
    for reviewer in reviewers(world):
        task = open_task(instance)
        levels.append((task.role, task.organization_id))
        review(instance, reviewer)
    assert levels == [
        ("auction_firm", world.auction["firm_bj"].id),
        ("provincial_auction_association", world.auction["bj"].id),
        ("caa", world.auction["caa"].id),
    ]
    assert instance.status == "approved"
    year = clock.today().year + 1
    assert instance.outcome == f"已完成{year}年度拍卖师首次注册，拍卖师管理号 PM2026FIRST01"
    assert auctioneer_of(user.id).management_number == "PM2026FIRST01"


@pytest.mark.parametrize(
    ("key", "form_key", "label"),
    [("practicing", "auctioneer_registration", "注册"), ("lapsed", "auctioneer_registration", "再注册")],
)
def test_registration_and_re_registration_keep_the_practice_record(world, key, form_key, label):
    """R-AUC-1 practicing → 注册, not practicing → 再注册; R-AUC-3 the practice record of this year is kept."""
    user = world.auction_users[key]
    instance = services.start_process("auctioneer_registration", user)
    task = open_task(instance)
    assert task.form_key == form_key
    services.submit_task(task.id, user, {**PRACTICE, "firm_id": world.auction["firm_bj"].id})
    pay(instance, user)
    approve_all(instance, world)
    assert instance.outcome.startswith(f"已完成{clock.today().year + 1}年度拍卖师{label}，")
    record = db.session.query(PracticeRecord).filter_by(auctioneer_id=auctioneer_of(user.id).id).one()
    assert (record.year, record.sessions, record.main_item_type, float(record.turnover_wan)) == (
        clock.today().year,
        12,
        "房地产",
        3560.5,
    )


def test_fewer_than_45_ce_hours_cannot_apply_and_are_told_the_count(world):
    """R-AUC-2: 44 hours → refused, with the count."""
    with pytest.raises(NotEligible, match="本年度已有 44 学时"):
        services.start_process("auctioneer_registration", world.auction_users["short"])


def test_a_firm_in_preparation_needs_its_consent_statement(world, upload):
    """R-AUC-4: without the firm's consent statement the application is refused; with it, review starts."""
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    data = {**PRACTICE, "firm_id": world.auction["firm_prep"].id}
    with pytest.raises(Invalid) as refused:
        services.submit_task(open_task(instance).id, user, data)
    assert "consent_statement" in refused.value.field_errors
    services.submit_task(open_task(instance).id, user, {**data, "consent_statement": [upload(user, "consent.png")]})
    pay(instance, user)
    task = open_task(instance)
    assert (task.role, task.organization_id) == ("auction_firm", world.auction["firm_prep"].id)


def test_rejected_at_the_caa_resubmitted_review_starts_again_at_the_firm(world):
    """R-AUC-7 a rejection with a comment; R-AUC-8 the applicant edits and resubmits, review restarts at the firm."""
    user = world.auction_users["lapsed"]
    instance = services.start_process("auctioneer_registration", user)
    services.submit_task(open_task(instance).id, user, {**PRACTICE, "firm_id": world.auction["firm_bj"].id})
    order = pay(instance, user)
    firm, provincial, caa = reviewers(world)
    review(instance, firm)
    review(instance, provincial)
    review(instance, caa, "reject", "成交额与企业报送数据不一致")
    task = open_task(instance)
    assert (task.user_id, task.form_key) == (user.id, "auctioneer_registration")
    services.submit_task(task.id, user, {**PRACTICE, "turnover_wan": 3000, "firm_id": world.auction["firm_bj"].id})
    assert open_task(instance).role == "auction_firm"  # R-AUC-8: no second payment, review starts at the firm
    approve_all(instance, world)
    assert instance.status == "approved"
    assert [o.order_no for o in db.session.query(PaymentOrder).filter_by(instance_id=instance.id)] == [order.order_no]


def test_a_rejection_needs_a_comment(world):
    """R-AUC-7: reject with a comment."""
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    services.submit_task(open_task(instance).id, user, {**PRACTICE, "firm_id": world.auction["firm_bj"].id})
    pay(instance, user)
    with pytest.raises(Invalid):
        review(instance, world.auction_users["firm_reviewer"], "reject")


def test_a_negative_turnover_is_refused(world):
    """R-AUC-3: a negative or absurd turnover is refused by the form."""
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    for bad in (-1, 1e12):
        with pytest.raises(Invalid):
            services.submit_task(
                open_task(instance).id, user, {**PRACTICE, "turnover_wan": bad, "firm_id": world.auction["firm_bj"].id}
            )


def test_one_application_at_a_time(world):
    user = world.auction_users["practicing"]
    services.start_process("auctioneer_registration", user)
    with pytest.raises(NotEligible, match="正在办理"):
        services.start_process("auctioneer_registration", user)


def test_a_branch_member_pays_nothing_and_review_starts_at_once(world):
    """R-AUC-5: 会员免缴 — no order, straight to the auction firm's review."""
    user = world.auction_users["branch"]
    instance = services.start_process("auctioneer_registration", user)
    services.submit_task(open_task(instance).id, user, {**PRACTICE, "firm_id": world.auction["firm_bj"].id})
    assert open_task(instance).role == "auction_firm"
    assert db.session.query(PaymentOrder).filter_by(instance_id=instance.id).count() == 0


@pytest.mark.parametrize(
    ("join_branch", "amount_fen", "purpose"), [(True, 100000, "下一年度拍卖师分会会费"), (False, 20000, "拍卖师注册费")]
)
def test_the_fee_follows_the_branch_choice_and_review_waits_for_payment(world, join_branch, amount_fen, purpose):
    """R-AUC-5 join the branch → 1000 yuan membership fee, else the registration fee; R-AUC-6 review after payment."""
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    data = {**PRACTICE, "join_branch": join_branch, "firm_id": world.auction["firm_bj"].id}
    services.submit_task(open_task(instance).id, user, data)
    assert open_task(instance).form_key == "auctioneer_payment"
    order = pay(instance, user, deliver=False)
    assert (order.amount_fen, order.purpose, order.status) == (amount_fen, purpose, "pending")
    assert instance.waiting_messages == ["payment_received"]  # review waits for the payment (R-AUC-6)
    assert not open_task_or_none(instance)


def test_a_first_registration_with_a_number_already_taken_is_refused(world):
    """The 拍卖师管理号 is unique: a first registration naming another auctioneer's number is refused on submit."""
    user = world.auction_users["first"]
    instance = services.start_process("auctioneer_registration", user)
    data = {**FIRST, "management_number": "PM11000001", "firm_id": world.auction["firm_bj"].id}
    with pytest.raises(Invalid) as refused:
        services.submit_task(open_task(instance).id, user, data)
    assert "management_number" in refused.value.field_errors


def test_paying_the_branch_fee_makes_the_auctioneer_a_branch_member(world):
    """R-AUC-5: joining the branch (1000 yuan) makes the next registration 会员免缴."""
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    data = {**PRACTICE, "join_branch": True, "firm_id": world.auction["firm_bj"].id}
    services.submit_task(open_task(instance).id, user, data)
    pay(instance, user)
    approve_all(instance, world)
    assert auctioneer_of(user.id).branch_member is True
