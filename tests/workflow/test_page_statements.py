"""Issue 13: the task page and the application progress page cost the same at any size of the database.

A bound on their SQL statements, and no statement that reads a whole table: the task page once loaded every
organisation (5,000 firms at national scale) to name the one firm an applicant chose, one statement that took 200 ms.
"""

import contextlib

from sqlalchemy import event, insert, select

from app.extensions import db
from app.organizations.models import Organization
from app.workflow import services
from app.workflow.models import HumanTask
from tests.processes.test_join_non_practicing import apply
from tests.processes.test_status_full import open_task
from tests.workflow.test_views import login

# today: task page 15, progress page 12–13 (session, user, grants, the task and instance, submissions, timeline,
# the applicant panel); a bound that catches a statement per row or per field
TASK_PAGE_STATEMENT_BOUND = 22
PROGRESS_PAGE_STATEMENT_BOUND = 20
FORM_PAGE_STATEMENT_BOUND = 40  # an applicant's form: 29 today (the person's facts for the rules of its fields)

# SQLite plan steps that read a table by key or are not a table read at all
_KEYED = ("SEARCH", "SCAN CONSTANT ROW", "SCALAR SUBQUERY", "CORRELATED", "MULTI-INDEX OR", "USE TEMP B-TREE")
# tables of a handful of rows whatever the size of the association (configuration, not people or applications)
_SMALL = ("society", "process_version", "process_file", "alembic_version", "system_state")


@contextlib.contextmanager
def captured():
    statements: list[tuple[str, object]] = []

    def grab(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)


def _full_reads(statements: list[tuple[str, object]]) -> list[str]:
    """The plan steps (with their statement) that read a table from end to end (SQLite's EXPLAIN QUERY PLAN)."""
    raw = db.session.connection().connection.dbapi_connection
    found = []
    for statement, parameters in statements:
        if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall():
            step = row[-1]
            if step.startswith(_KEYED) or any(f"SCAN {t}" in step for t in _SMALL):
                continue
            found.append(f"{step}: {statement}")
    return found


def _application_at_the_local_review(world, upload):
    # R-JOIN-1: the applicant names an organisation (the local association) in the form the reviewer reads;
    # more organisations than a page would ever show, so that reading them all is visible
    db.session.execute(
        insert(Organization.__table__),
        [{"kind": "firm", "name": f"备案机构{i}", "province": "北京", "filed": True} for i in range(300)],
    )
    instance = apply(world, upload, world.applicant, world.local_bj)
    db.session.commit()
    return instance


def test_task_page_statements_are_bounded_and_read_no_whole_table(world, upload, client):
    instance = _application_at_the_local_review(world, upload)
    login(client, world.local_reviewer)
    with captured() as statements:
        resp = client.get(f"/tasks/{open_task(instance).id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert world.local_bj.name in html  # the chosen organisation is named, not given as its key
    assert len(statements) <= TASK_PAGE_STATEMENT_BOUND, f"{len(statements)} SQL statements for the task page"
    if db.engine.dialect.name == "sqlite":  # the plan is read with SQLite's EXPLAIN QUERY PLAN
        assert _full_reads(statements) == []


def test_progress_page_statements_are_bounded_and_read_no_whole_table(world, upload, client):
    instance = _application_at_the_local_review(world, upload)
    services.submit_task(open_task(instance).id, world.local_reviewer, {"decision": "return", "comment": "补充"})
    db.session.commit()
    login(client, world.applicant)
    with captured() as statements:
        resp = client.get(f"/applications/{instance.id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert world.local_bj.name in html and "补充" in html  # the submission names it; the timeline has the return
    assert len(statements) <= PROGRESS_PAGE_STATEMENT_BOUND, f"{len(statements)} SQL statements for the progress page"
    if db.engine.dialect.name == "sqlite":
        assert _full_reads(statements) == []


def test_the_application_form_carries_no_list_of_firms_only_the_chosen_one_by_name(world, client):
    """R-JOIN-1, issues 13 and 16: the applicant chooses their firm among every filed firm (5,000 at national scale)
    by searching (the combobox asks /tasks/<id>/organizations/firm_id); the page names the firm the draft holds,
    read by its id, and carries none of the others (the page once held 5,000 <option>s)."""
    db.session.execute(
        insert(Organization.__table__),
        [{"kind": "firm", "name": f"备案机构{i:03d}", "province": "北京", "filed": True} for i in range(300)],
    )
    instance = services.start_process("join_practicing", world.applicant)
    services.submit_task(open_task(instance).id, world.applicant, {"agree_rules": True})
    task = db.session.scalars(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    ).one()
    services.save_draft(task.id, world.applicant, {"firm_id": world.firm_bj.id})
    db.session.commit()
    login(client, world.applicant)
    loaded = []

    def on_load(target, _context):
        loaded.append(target)

    event.listen(Organization, "load", on_load)
    try:
        with captured() as statements:
            html = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    finally:
        event.remove(Organization, "load", on_load)
    assert "备案机构" not in html
    assert f'name="firm_id__label" value="{world.firm_bj.name}" role="combobox"' in html
    assert f'name="firm_id" id="f-firm_id-value" value="{world.firm_bj.id}"' in html
    assert f'data-combobox="/tasks/{task.id}/organizations/firm_id"' in html
    assert html.count("<option value=") < 20  # the 学历 select's, not the firms
    assert len(loaded) <= 5, f"{len(loaded)} organisation objects loaded for one form"
    assert len(statements) <= FORM_PAGE_STATEMENT_BOUND, f"{len(statements)} SQL statements for the form page"


def test_submitted_organisation_values_outside_the_id_range_name_nothing(world):
    from app.workflow.presenters import _org_names

    values = ["99999999999999999999", 0, True, "北京", None, world.local_bj.id, str(world.firm_bj.id)]
    names = {o.value: o.label for o in _org_names(values)}
    assert names == {world.local_bj.id: world.local_bj.name, world.firm_bj.id: world.firm_bj.name}
