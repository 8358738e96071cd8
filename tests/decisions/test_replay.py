"""What-if (issue 18 item 2): analysts replay recorded decisions against a draft table before publishing (R-STA-1)."""

from pathlib import Path

import pytest

from app.accounts.models import RoleGrant
from app.decisions.replay import replay_decision
from app.demo import DEMO_PASSWORD
from app.errors import Invalid, NotEligible
from app.extensions import db
from app.workflow import services
from tests.processes.walk import person

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = (ROOT / "rules" / "status_full_eligibility.dmn").read_text(encoding="utf-8")
DRAFT_18 = PUBLISHED.replace("&lt; 24", "&lt; 18")


def login(client, user):
    client.post("/logout")
    assert client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD}).status_code == 302


def refuse_the_23_month_trainee():
    with pytest.raises(NotEligible):
        services.start_process("status_full", person("13800000031"))
    db.session.flush()


def test_lowering_24_to_18_months_turns_the_refusal_into_eligible(world):
    refuse_the_23_month_trainee()
    services.start_process("status_full", person("13800000032"))  # eligible already: unchanged
    result = replay_decision("status_full_eligibility", DRAFT_18.encode())
    assert (result.replayed, result.changed) == (2, 1)
    assert dict(result.directions) == {("refused", "eligible"): 1}
    (group,) = result.groups
    assert (group.rule_id, group.annotation) == ("SF_ok", "R-STA-1 otherwise eligible")
    (example,) = group.examples
    assert (example.person_name, example.old, example.new) == (person("13800000031").name, "refused", "eligible")
    assert "24 个月" in example.old_reason


def test_the_published_table_changes_nothing(world):
    refuse_the_23_month_trainee()
    assert replay_decision("status_full_eligibility", PUBLISHED.encode()).changed == 0


def test_bad_xml_is_refused_with_its_line(world):
    broken = PUBLISHED.replace("</decisionTable>", "</decisionTabl>")
    with pytest.raises(Invalid, match=r"draft\.dmn:\d+"):
        replay_decision("status_full_eligibility", broken.encode())


def test_a_doctype_is_refused(world):
    xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + PUBLISHED.split("?>", 1)[1]
    with pytest.raises(Invalid, match="DOCTYPE"):
        replay_decision("status_full_eligibility", xxe.encode())


def test_a_draft_of_another_decision_is_refused(world):
    other = (ROOT / "rules" / "join_kind.dmn").read_bytes()
    with pytest.raises(Invalid, match="草稿中没有决策 status_full_eligibility"):
        replay_decision("status_full_eligibility", other)


def test_only_analysts_reach_the_workbench(client, world):
    login(client, world.applicant)
    assert client.get("/workbench/decisions/status_full_eligibility").status_code == 403
    analyst = person("13800000032")
    db.session.add(RoleGrant(user_id=analyst.id, role="analyst", organization_id=world.national.id))
    db.session.commit()
    login(client, analyst)
    assert client.get("/workbench/decisions/status_full_eligibility").status_code == 200


def test_no_log_yet_is_said_clearly(client, world):
    login(client, world.admin)
    page = client.post(
        "/workbench/decisions/status_full_eligibility", data={"draft_text": DRAFT_18, "limit": "10000"}
    ).get_data(as_text=True)
    assert "还没有判定记录（尚无日志）" in page


def test_the_analyst_sees_n_of_m_with_names_before_publishing(client, world):
    refuse_the_23_month_trainee()
    db.session.commit()
    login(client, world.admin)  # administrators hold the analyst role too
    resp = client.post("/workbench/decisions/status_full_eligibility", data={"draft_text": DRAFT_18})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "1 条已记录判定中有 1 条结果会改变" in page and person("13800000031").name in page
    assert "不符合 → 符合" in page


def test_a_broken_upload_shows_the_line(client, world):
    login(client, world.admin)
    resp = client.post(
        "/workbench/decisions/status_full_eligibility",
        data={"draft_text": PUBLISHED.replace("<rule ", "<rule<", 1)},
    )
    assert resp.status_code == 422 and "draft.dmn:" in resp.get_data(as_text=True)


def test_administrators_grant_the_analyst_role(client, world):
    login(client, world.admin)
    analyst = person("13800000032")
    resp = client.post(
        f"/admin/users/{analyst.id}/grants", data={"role": "analyst", "organization_id": world.national.id}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert [g.role for g in analyst.grants] == ["analyst"]
    assert (
        client.post(
            f"/admin/users/{analyst.id}/grants", data={"role": "analyst", "organization_id": world.firm_bj.id}
        ).status_code
        == 422
    )
