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
