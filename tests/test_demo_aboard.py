"""The demo part of issue 14 (init-demo): imported members in each of the README's situations."""

from sqlalchemy import select

from app.accounts.models import User
from app.demo import DEMO_PASSWORD
from app.demo_aboard import load_aboard_demo
from app.extensions import db
from app.workflow import services


def person(mobile: str) -> User:
    return db.session.scalars(select(User).where(User.mobile == mobile)).one()


def test_the_imported_members_demo(world):
    assert load_aboard_demo(DEMO_PASSWORD) and not load_aboard_demo(DEMO_PASSWORD)  # once
    db.session.commit()
    on_record, to_bind = person("13800000061"), person("13800000062")
    assert not on_record.has_password and not to_bind.has_password and on_record.legacy_login == "zhouyp"
    refusals = {
        mobile: services.check_eligibility(process_id, person(mobile))[1]
        for mobile, process_id in (
            ("13800000064", "transfer"),
            ("13800000065", "status_practicing"),
            ("13800000066", "transfer"),
        )
    }
    assert refusals["13800000064"] == "年检未通过，不能转所"  # R-TRF-2
    assert refusals["13800000065"] == "您有欠缴会费 800 元，缴清后方可申请转为执业会员"  # R-STA-3
    assert "您的会员资格已于" in refusals["13800000066"] and "未按规定参加继续教育（示例）" in refusals["13800000066"]
    assert person("13800000064").check_password(DEMO_PASSWORD)


def test_the_readme_walks_of_the_id_change_and_the_dues_payment(world, upload):
    """README: 孙北京 submits 郑改号's ID change, 吴中评 approves; 陈欠费 pays the arrears through the dev callback."""
    from app.payments.services import receive_notification
    from tests.payments.paying import PAYER, latest_order, signed_callback
    from tests.processes.walk import open_task, review

    load_aboard_demo(DEMO_PASSWORD)
    instance = services.start_process("id_change", world.local_reviewer)
    form = {"member_number": "2012000063", "member_name": "郑改号", "new_id_number": "110108198408080138"}
    services.submit_task(
        open_task(instance).id, world.local_reviewer, {**form, "police_proof": [upload(world.local_reviewer)]}
    )
    review(instance, world.national_reviewer)
    assert person("13800000063").id_number == "110108198408080138"
    arrears = person("13800000065")
    instance = services.start_process("dues_payment", arrears)
    services.submit_task(open_task(instance).id, arrears, {**PAYER, "method": "wechat"})
    assert receive_notification("dev", *signed_callback(latest_order(instance))) == "paid"
    db.session.expire_all()
    assert (
        services.check_eligibility("status_practicing", arrears)[1] != "您有欠缴会费 800 元，缴清后方可申请转为执业会员"
    )
