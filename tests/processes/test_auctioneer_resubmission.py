"""R-AUC-8: while pending at any review level, or after a rejection, the applicant edits and resubmits; review
starts again at the auction firm and a fee already paid stays paid (no second order)."""

import pytest

from app.errors import NotAllowed, NotFound
from app.extensions import db
from app.payments.models import PaymentOrder
from app.workflow import services
from app.workflow.models import HumanTask
from tests.payments.paying import pay
from tests.processes.test_auctioneer_registration import FIRST, PRACTICE, reviewers
from tests.processes.walk import open_task, review
from tests.workflow.drafts import typed


def submitted(world, key, data):
    user = world.auction_users[key]
    instance = services.start_process("auctioneer_registration", user)
    services.submit_task(open_task(instance).id, user, {**data, "firm_id": world.auction["firm_bj"].id})
    return user, instance


def orders_of(instance):
    return db.session.query(PaymentOrder).filter_by(instance_id=instance.id).all()


@pytest.mark.parametrize("approved_levels", [0, 1, 2])
def test_edit_while_pending_at_any_level_restarts_review_at_the_firm(world, approved_levels):
    """R-AUC-8: pending at the firm, the provincial association or the CAA → edit, resubmit, firm again, paid once."""
    user, instance = submitted(world, "practicing", PRACTICE)
    order = pay(instance, user)
    for reviewer in reviewers(world)[:approved_levels]:
        review(instance, reviewer)
    pending = open_task(instance)
    services.applicant_action(instance.id, user, "withdraw")
    db.session.expire_all()
    assert db.session.get(HumanTask, pending.id).status == "withdrawn"  # the reviewer's task is gone from the inbox
    task = open_task(instance)
    assert (task.user_id, task.form_key) == (user.id, "auctioneer_registration")
    assert typed(task)["sessions"] == 12  # the form opens with what was submitted
    services.submit_task(task.id, user, {**typed(task), "sessions": 13})
    assert open_task(instance).role == "auction_firm"
    for reviewer in reviewers(world):
        review(instance, reviewer)
    assert instance.status == "approved"
    assert [(o.order_no, o.status) for o in orders_of(instance)] == [(order.order_no, "paid")]


def test_a_first_registration_edited_at_the_caa_goes_back_to_the_personal_data_form(world):
    """R-AUC-8 for 首次注册: the edit opens the first-registration form again, with the personal data kept."""
    user, instance = submitted(world, "first", FIRST)
    pay(instance, user)
    for reviewer in reviewers(world)[:2]:
        review(instance, reviewer)
    services.applicant_action(instance.id, user, "withdraw")
    task = open_task(instance)
    assert task.form_key == "auctioneer_first_registration"
    assert (typed(task)["id_number"], typed(task)["address"]) == (FIRST["id_number"], FIRST["address"])
    services.submit_task(task.id, user, {**typed(task), "address": "北京市西城区 2 号"})
    assert open_task(instance).role == "auction_firm"
    assert len(orders_of(instance)) == 1


def test_a_branch_member_edits_and_still_pays_nothing(world):
    """R-AUC-5 with R-AUC-8: 会员免缴 stays settled after an edit; no order is ever opened."""
    user, instance = submitted(world, "branch", PRACTICE)
    services.applicant_action(instance.id, user, "withdraw")
    services.submit_task(open_task(instance).id, user, {**typed(open_task(instance))})
    assert open_task(instance).role == "auction_firm"
    assert orders_of(instance) == []


@pytest.mark.parametrize("level", [0, 1])
def test_rejected_at_the_firm_or_the_province_resubmitted_without_paying_again(world, level):
    """R-AUC-7 a rejection at any level returns to the applicant; R-AUC-8 resubmission starts at the firm."""
    user, instance = submitted(world, "lapsed", PRACTICE)
    pay(instance, user)
    for reviewer in reviewers(world)[:level]:
        review(instance, reviewer)
    review(instance, reviewers(world)[level], "reject", "请补充执业记录")
    task = open_task(instance)
    assert (task.user_id, typed(task)["main_item_type"]) == (user.id, "房地产")
    services.submit_task(task.id, user, typed(task))
    assert open_task(instance).role == "auction_firm"
    assert len(orders_of(instance)) == 1


def test_no_edit_while_an_order_waits_for_its_payment(world):
    """An open order may still be paid at the provider: the application is not edited under it (R-AUC-6)."""
    user, instance = submitted(world, "practicing", PRACTICE)
    pay(instance, user, deliver=False)
    with pytest.raises(NotAllowed):
        services.applicant_action(instance.id, user, "withdraw")


def test_only_the_applicant_edits(world):
    """The reviewer is told no (403); another applicant does not learn the application exists (404)."""
    user, instance = submitted(world, "practicing", PRACTICE)
    pay(instance, user)
    with pytest.raises(NotAllowed):
        services.applicant_action(instance.id, world.auction_users["firm_reviewer"], "withdraw")
    with pytest.raises(NotFound):
        services.applicant_action(instance.id, world.auction_users["lapsed"], "withdraw")
    assert open_task(instance).role == "auction_firm"


def test_edit_before_paying_recomputes_the_fee(world):
    """R-AUC-8 while 未付款: the edit changes the branch choice, and the fee follows it (R-AUC-5)."""
    user, instance = submitted(world, "practicing", PRACTICE)
    assert open_task(instance).form_key == "auctioneer_payment"
    services.applicant_action(instance.id, user, "withdraw")
    services.submit_task(open_task(instance).id, user, {**typed(open_task(instance)), "join_branch": True})
    order = pay(instance, user)
    assert (order.amount_fen, order.purpose) == (100000, "下一年度拍卖师分会会费")
    assert open_task(instance).role == "auction_firm"
