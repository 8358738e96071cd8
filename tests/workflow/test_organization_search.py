"""The firm search behind an application form's organisation field (issues 13, 16): the same firms the field accepts
(R-JOIN-1: filed firms), found by a fragment of the name or of the credit code, at most 20, in a bounded number of
statements; nobody else's task, no other field; and the form sent with the chosen id, or with a full name typed."""

import pytest
from sqlalchemy import insert

from app.extensions import db
from app.organizations.models import Organization
from tests.workflow.test_page_statements import captured
from tests.workflow.test_views import application_form, login, open_task_id, start_and_accept_notice

SEARCH_STATEMENT_BOUND = 8  # 5 today: session, user, the task, its instance, the search (one statement)


@pytest.fixture
def form_task(world, client):
    start_and_accept_notice(client, world)
    return open_task_id()


def search(client, task_id, q, field="firm_id"):
    return client.get(f"/tasks/{task_id}/organizations/{field}", query_string={"q": q})


def names(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return [r["name"] for r in resp.json["results"]]


def test_a_fragment_of_the_name_finds_filed_firms_those_starting_with_it_first(world, client, form_task):
    db.session.add_all(
        [
            Organization(kind="firm", name="北京衡信评估有限公司", filed=True),
            Organization(kind="firm", name="衡信评估（北京）有限公司", filed=True),
            Organization(kind="firm", name="北京衡信未备案评估有限公司", filed=False),
            Organization(kind="auction_firm", name="衡信拍卖有限公司"),
            Organization(kind="local_association", name="衡信地方协会"),
        ]
    )
    db.session.commit()
    assert names(search(client, form_task, "衡信")) == ["衡信评估（北京）有限公司", "北京衡信评估有限公司"]
    assert names(search(client, form_task, "中和资产评估有限公司天津")) == ["北京中和资产评估有限公司天津分公司"]
    assert names(search(client, form_task, "筹建")) == []  # R-FIL-1: not filed, not offered
    assert names(search(client, form_task, "拍卖")) == []  # another kind of organisation
    assert names(search(client, form_task, "%")) == [] and names(search(client, form_task, "_")) == []


def test_a_fragment_of_the_credit_code_finds_the_firm_in_any_case(world, client, form_task):
    found = search(client, form_task, "0001x").json["results"]
    assert found == [{"id": world.firm_bj.id, "name": world.firm_bj.name, "credit_code": "91110000100000001X"}]


def test_at_most_20_at_national_scale_and_in_bounded_statements(world, client, form_task):
    db.session.execute(
        insert(Organization.__table__),
        [
            {
                "kind": "firm",
                "name": f"备案机构{i:04d}",
                "province": "北京",
                "filed": True,
                "credit_code": f"9111{i:014d}",
            }
            for i in range(5000)
        ],
    )
    db.session.commit()
    with captured() as statements:
        many = search(client, form_task, "备案机构")
    assert len(names(many)) == 20 and many.json["more"] is True
    assert names(many)[:2] == ["备案机构0000", "备案机构0001"]
    assert len(statements) <= SEARCH_STATEMENT_BOUND, f"{len(statements)} SQL statements for one search"
    few = search(client, form_task, "备案机构123")
    assert names(few) == [f"备案机构123{i}" for i in range(10)] and few.json["more"] is False
    assert len(names(search(client, form_task, ""))) == 20  # nothing typed yet: the first by name


def test_only_whoever_sees_the_task_and_only_its_searched_organisation_fields(world, client, form_task):
    assert search(client, form_task, "北京", field="education").status_code == 404  # a plain select
    assert search(client, form_task, "北京", field="no_such_field").status_code == 404
    login(client, world.other_firm_reviewer)  # not their task
    assert search(client, form_task, "北京").status_code == 404
    client.post("/logout")
    assert search(client, form_task, "北京").status_code in (302, 401)


def test_the_form_is_sent_with_the_chosen_firms_id(world, client, form_task, make_png):
    resp = client.post(f"/tasks/{form_task}", data=application_form(world, make_png))
    assert resp.status_code == 302, resp.get_data(as_text=True)


def test_a_firm_the_field_does_not_offer_is_refused_in_chinese_and_not_shown_as_chosen(
    world, client, form_task, make_png
):
    unfiled = db.session.scalars(db.select(Organization.id).where(Organization.name == "北京筹建中评估有限公司")).one()
    resp = client.post(f"/tasks/{form_task}", data=application_form(world, make_png, firm_id=str(unfiled)))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "执业机构的选项无效" in html
    assert 'name="firm_id" id="f-firm_id-value" value=""' in html


def test_a_full_name_typed_without_choosing_is_taken_a_fragment_is_kept_and_refused(world, client, form_task, make_png):
    """Without the page script, or typed to the end and sent: the server looks the exact name up."""
    partial = application_form(world, make_png, firm_id="", firm_id__label="北京中和")
    resp = client.post(f"/tasks/{form_task}", data=partial)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请选择执业机构" in html
    assert 'name="firm_id__label" value="北京中和" role="combobox"' in html  # what was typed stays
    full = application_form(world, make_png, firm_id="", firm_id__label=f" {world.firm_bj.name} ")
    assert client.post(f"/tasks/{form_task}", data=full).status_code == 302


def firm_admin_task(client, user):
    from app.workflow import services

    instance = services.start_process("firm_admin", user)
    db.session.commit()
    login(client, user)
    return open_task_id(instance.id)


def test_a_member_applying_to_be_a_firm_admin_is_offered_their_own_firm_only(world, client):
    """R-ADM-4 (rules/firm_admin_firm.dmn): the box offers what the rule allows; another firm is still refused on
    submission with the rule's reason (tests/processes/test_firm_admin.py)."""
    from tests.processes.test_firm_admin import member

    member(world.applicant, world)  # practising at 北京中和
    task_id = firm_admin_task(client, world.applicant)

    assert names(search(client, task_id, "北京")) == [world.firm_bj.name]
    assert names(search(client, task_id, "")) == [world.firm_bj.name]
    assert names(search(client, task_id, "天津分公司")) == []


def test_someone_not_a_member_may_pick_any_filed_firm_to_administer(world, client):
    """R-ADM-4: a registered user (not a member) may apply for any filed firm."""
    task_id = firm_admin_task(client, world.applicant)

    assert {world.firm_bj.name, world.firm_bj2.name} <= set(names(search(client, task_id, "北京")))


def test_a_rule_that_allows_firms_no_fact_names_offers_them_in_the_box(app, world, client):
    """An analyst's firm_admin_firm.dmn that tells firms apart by something other than a fact (here any firm with an
    id, `firm_id > 0`) refuses the probe id 0 but still allows firms the person's facts do not name: the box offers
    them (before, it searched only the firms the facts name: the member's own)."""
    from pathlib import Path

    from app.workbench.catalog import import_files, live_version, publish
    from app.workbench.live import disk_sources, refresh_catalog
    from tests.processes.test_firm_admin import member

    source = (Path(__file__).resolve().parents[2] / "rules" / "firm_admin_firm.dmn").read_text(encoding="utf-8")
    assert "<text>firm_id == member_firm_id</text>" in source
    import_files(disk_sources(app))
    live = live_version("dmn", "firm_admin_firm.dmn")
    changed = source.replace("<text>firm_id == member_firm_id</text>", "<text>firm_id &gt; 0</text>")
    publish("dmn", "firm_admin_firm.dmn", changed, live.id, None, "任何机构", "web")
    db.session.commit()
    refresh_catalog(app)

    member(world.applicant, world)
    task_id = firm_admin_task(client, world.applicant)

    assert {world.firm_bj.name, world.firm_bj2.name} <= set(names(search(client, task_id, "北京")))
