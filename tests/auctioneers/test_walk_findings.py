"""What a new user tripped over in the browser walk (issue 12): the fee is shown before the order is made, the
application page offers 去支付, the branch checkbox is not marked as required, the record shows only personal data."""

import re

from app.extensions import db
from app.workflow import services
from tests.payments.paying import pay
from tests.processes.walk import open_task

APPLICATION = {"sessions": 2, "main_item_type": "机动车", "turnover_wan": 55, "consent_statement": []}


def submitted(world, join_branch=False):
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    data = {**APPLICATION, "join_branch": join_branch, "firm_id": world.auction["firm_bj"].id}
    services.submit_task(open_task(instance).id, user, data)
    db.session.commit()
    return user, instance


def test_the_payment_form_says_what_is_owed(world, logged_in):
    """R-AUC-5: joining the branch → 1000 yuan membership fee, shown before the order is made."""
    user, instance = submitted(world, join_branch=True)
    html = logged_in(user).get(f"/tasks/{open_task(instance).id}").get_data(as_text=True)
    assert "应缴费用：下一年度拍卖师分会会费 1000.00 元" in html


def test_after_ordering_the_application_page_offers_to_pay(world, logged_in):
    user, instance = submitted(world)
    order = pay(instance, user, deliver=False)
    db.session.commit()
    html = logged_in(user).get(f"/applications/{instance.id}").get_data(as_text=True)
    assert f'action="/payments/orders/{order.order_no}/pay"' in html and "去支付" in html
    assert f'href="/auctioneer/registrations/{instance.id}"' in html


def test_the_branch_checkbox_is_a_choice_not_a_required_field(world, logged_in):
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    db.session.commit()
    html = logged_in(user).get(f"/tasks/{open_task(instance).id}").get_data(as_text=True)
    label = re.search(r'<label for="f-join_branch">.*?</label>', html, re.S) or re.search(
        r"同意加入拍卖师分会.{0,200}", html, re.S
    )
    assert label and "required-mark" not in label.group(0)
    assert 'name="join_branch" aria-required' not in html
