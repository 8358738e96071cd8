"""Walks processes/status_non_practicing.bpmn and status_practicing.bpmn (R-STA-2, R-STA-3, R-STA-4)."""

import pytest

from app.errors import Invalid, NotEligible
from app.extensions import db
from app.workflow import services
from tests.processes.test_status_full import member_of, open_task, person, review
from tests.workflow.drafts import typed


def test_practicing_to_non_practicing_leaves_the_firm_at_the_national_approval(world):
    """R-STA-2, R-STA-4: firm opinion → local → national; then no firm, no practice."""
    user = person("13800000032")
    instance = services.start_process("status_non_practicing", user)
    services.submit_task(open_task(instance).id, user, {"confirm": True})
    assert open_task(instance).organization_id == world.firm_bj.id
    review(instance, world.firm_reviewer)
    review(instance, world.local_reviewer)
    assert member_of(user).kind == "trainee"
    review(instance, world.national_reviewer)
    member = member_of(user)
    assert (instance.status, member.kind, member.firm_id) == ("approved", "non_practicing", None)


def test_in_custody_it_goes_straight_to_the_association(world):
    """R-STA-2: allowed in custody."""
    user = person("13800000035")
    instance = services.start_process("status_non_practicing", user)
    services.submit_task(open_task(instance).id, user, {"confirm": True})
    assert open_task(instance).role == "local_association"
    review(instance, world.local_reviewer, "return", "请说明原因")
    assert open_task(instance).role == "applicant"


def back_to_practice(world, upload, user, firm):
    instance = services.start_process("status_practicing", user)
    files = {k: [upload(user, f"{k}.png")] for k in ("archive_certificate", "social_security", "labour_contract")}
    data = {"firm_id": firm.id, "kind": "trainee", "no_disqualification": True, **files}
    return services.submit_task(open_task(instance).id, user, data)


def test_non_practicing_returns_to_practice_at_the_chosen_firm(world, upload):
    """R-STA-3, R-STA-4: back to practice at the chosen firm after the national approval."""
    user = person("13800000033")
    instance = back_to_practice(world, upload, user, world.firm_bj2)
    assert (open_task(instance).role, open_task(instance).organization_id) == ("firm", world.firm_bj2.id)
    review(instance, world.other_firm_reviewer, "return", "请补充劳动合同")
    services.submit_task(open_task(instance).id, user, typed(open_task(instance)))
    review(instance, world.other_firm_reviewer)
    review(instance, world.local_reviewer)
    review(instance, world.national_reviewer)
    member = member_of(user)
    assert (instance.outcome, member.kind, member.firm_id) == ("已转为见习执业会员", "trainee", world.firm_bj2.id)
    assert member.practice_started_on is not None


def test_a_firm_of_another_province_is_refused_on_the_field(world, upload):
    """R-STA-3: only a firm of the own local association."""
    with pytest.raises(Invalid, match="本地方协会"):
        back_to_practice(world, upload, person("13800000033"), world.firm_sh)


def test_unpaid_dues_block_returning_to_practice(world):
    """R-STA-3: unpaid dues block returning to practice."""
    user = person("13800000033")
    member_of(user).unpaid_dues = 300
    db.session.flush()
    with pytest.raises(NotEligible, match="欠缴会费 300 元"):
        services.start_process("status_practicing", user)
