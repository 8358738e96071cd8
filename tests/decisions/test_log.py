"""The decision log (issue 18 item 1): what a person's acts decided is recorded; previews are not (R-STA-1, R-JOIN-2,
R-CER-2, R-RES-4)."""

from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import func, select

from app import clock
from app.decisions.log import purge_decision_records, recording
from app.decisions.models import DecisionRecord
from app.demo import DEMO_PASSWORD
from app.engine.specs import catalog
from app.errors import Invalid, NotEligible
from app.extensions import db
from app.workflow import services
from tests.processes.walk import open_task, person


def records(**where):
    db.session.flush()
    stmt = select(DecisionRecord).order_by(DecisionRecord.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(DecisionRecord, key) == value)
    return list(db.session.scalars(stmt))


def login(client, user):
    client.post("/logout")
    assert client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD}).status_code == 302


def test_a_refused_start_leaves_a_record_with_every_fact_and_the_matched_row(world):
    """R-STA-1: 23 months refuses; the record names the row (SF_months) and its annotation, and keeps all facts."""
    user = person("13800000031")
    with pytest.raises(NotEligible):
        services.start_process("status_full", user)
    (record,) = records()
    assert (record.decision_id, record.purpose, record.process_id, record.instance_id) == (
        "status_full_eligibility",
        "start",
        "status_full",
        None,
    )
    assert record.version == catalog().decision_versions["status_full_eligibility"] and len(record.version) == 16
    assert (record.rule_id, record.row, record.annotation) == ("SF_months", 3, "R-STA-1 at least 24 months of practice")
    assert record.outputs["eligible"] is False and "23 个月" in record.outputs["reason"]
    assert (record.person_id, record.actor_id) == (user.id, user.id)
    # every fact, not only the five columns the table reads: a draft reading another fact can be replayed
    assert {"practice_months", "is_member", "unpaid_dues", "annual_inspection"} <= set(record.facts)


def test_an_accepted_start_points_at_its_instance(world):
    user = person("13800000032")
    instance = services.start_process("status_full", user)
    (record,) = records(decision_id="status_full_eligibility")
    assert (record.instance_id, record.rule_id, record.outputs["eligible"]) == (instance.id, "SF_ok", True)


def test_the_warning_shown_on_starting_is_recorded(world):
    """R-RES-4: the join warning table decides the hint shown on starting a join."""
    instance = services.start_process("join_practicing", world.applicant)
    warnings = records(purpose="warning")
    assert [r.decision_id for r in warnings] == ["join_warning"]
    assert warnings[0].instance_id == instance.id


def test_previews_are_not_recorded(client, world):
    """The start page evaluates every process's table on each view: nothing is written."""
    login(client, person("13800000031"))
    assert client.get("/").status_code == 200
    assert client.get("/center/").status_code in (200, 302, 404)
    assert db.session.scalar(select(func.count(DecisionRecord.id))) == 0


def test_a_submitted_option_records_only_the_chosen_option(world, upload):
    """R-JOIN-2: the kind field's rule is evaluated for the submitted kind only, and recorded."""
    user = world.applicant
    instance = services.start_process("join_practicing", user)
    services.submit_task(open_task(instance).id, user, {"agree_rules": True})
    task = open_task(instance)
    with pytest.raises(Invalid):  # the rest of the form is missing: the option was decided all the same
        services.submit_task(task.id, user, {"kind": "full"})
    (record,) = records(purpose="option")
    assert (record.decision_id, record.rule_id, record.facts["kind"]) == ("join_kind", "JK_full_first", "full")
    assert (record.instance_id, record.person_id, record.actor_id) == (instance.id, user.id, user.id)


def test_a_refusal_about_a_running_application_is_written_at_once_and_named_for_the_error_page(app, world):
    """Issue 13: a decision about a running application goes to the database by a statement of its own, not the
    session; a refusal among them is still the row the error page names (R-JOIN-2)."""
    user = world.applicant
    instance = services.start_process("join_practicing", user)
    db.session.flush()
    with app.test_request_context(), recording("option", user.id, instance_id=instance.id):
        catalog().decide("join_kind", {"kind": "full", "prior_practicing_before_2023": False})
        assert not [row for row in db.session.new if isinstance(row, DecisionRecord)]
        refusal = g.decision_refusal
    (record,) = records(purpose="option")
    assert (refusal.decision_id, refusal.rule_id, refusal.row) == (record.decision_id, record.rule_id, record.row)
    assert (record.rule_id, record.instance_id, record.outputs["allowed"]) == ("JK_full_first", instance.id, False)


def test_the_refusal_page_names_the_row_and_the_person_sees_it_later(client, world):
    user = person("13800000031")
    login(client, user)
    resp = client.post("/processes/status_full/start")
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "SF_months" in page and "R-STA-1 at least 24 months of practice" in page
    mine = client.get("/decisions/mine").get_data(as_text=True)
    assert "SF_months" in mine and "执业满 24 个月" in mine


def test_the_progress_page_lists_the_instance_decisions(client, world):
    user = person("13800000032")
    instance = services.start_process("status_full", user)
    db.session.commit()
    login(client, user)
    page = client.get(f"/applications/{instance.id}").get_data(as_text=True)
    assert "资格判定" in page and "SF_ok" in page and "R-STA-1 otherwise eligible" in page


def test_a_print_is_recorded_with_the_print_rule_only(client, world):
    """R-CER-2: a member in custody is refused printing; the refusal is recorded (certificate_kind is not)."""
    user = person("13800000012")
    login(client, user)
    assert client.post("/certificate/print").status_code == 422
    (record,) = records()
    assert (record.decision_id, record.purpose, record.outputs["allowed"]) == ("certificate_print", "print", False)


def test_retention_purges_old_records(world):
    with pytest.raises(NotEligible):
        services.start_process("status_full", person("13800000031"))
    clock.advance(timedelta(days=31))
    services.start_process("status_full", person("13800000031"))  # 24 months now: eligible, recorded too
    assert len(records()) == 2
    assert purge_decision_records(30) == 1
    assert [r.outputs["eligible"] for r in records()] == [True]


def test_the_purge_command_keeps_the_retention_setting(app, world):
    with pytest.raises(NotEligible):
        services.start_process("status_full", person("13800000031"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["memberflow", "decisions", "purge"])
    assert "deleted 0 decision record(s) older than 730 days" in result.output
    clock.advance(timedelta(days=731))
    result = app.test_cli_runner().invoke(args=["memberflow", "decisions", "purge"])
    assert "deleted 1 decision record(s)" in result.output


def test_the_decision_benchmark_runs_and_the_18_month_draft_lets_more_in():
    from scripts.bench_decisions import run

    fig = run(5, 60, None)
    assert fig["write"]["evaluations"] == 5 and fig["write"]["logged_median_ms"] > 0
    assert fig["replay"]["replayed"] == 60
    assert set(fig["replay"]["directions"]) <= {"refused->eligible"}


def test_the_applicant_reads_the_decisions_by_name_with_the_engine_terms_folded(client, world):
    """An applicant's 资格判定 card names the table and the business as people say them (issue 16's phone walk found
    'status_full_eligibility 版本 3f…' and 'status_full' in it); the table id, version, row and the analysts' English
    note stay under 技术信息 for staff."""
    user = person("13800000032")
    instance = services.start_process("status_full", user)
    db.session.commit()
    login(client, user)
    page = client.get(f"/applications/{instance.id}").get_data(as_text=True)
    card = page[page.index("资格判定") :]
    card = card[: card.index("</section>")]
    shown, _, folded = card.partition("<details")
    assert catalog().decision_name("status_full_eligibility") in shown
    assert catalog().process("status_full").name in shown
    version = catalog().decision_versions["status_full_eligibility"]
    for engine_term in ("status_full_eligibility", "status_full ", version):
        assert engine_term not in shown
    assert "技术信息" in folded and "status_full_eligibility" in folded and "R-STA-1 otherwise eligible" in folded
