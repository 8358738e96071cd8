"""Issue 13/15: the inbox page's list reads its first page in the sort order's index and stops there — with a short
name part too, which matches most of a scope — bounded by the statement and the plan, not by time."""

import pytest

from app.extensions import db
from app.workflow import queries
from app.workflow.inbox import InboxFilter
from tests.workflow.inbox_rows import make_inbox_task
from tests.workflow.test_page_statements import captured


def _rows_statement(user, sort="newest", **filters):
    with captured() as statements:
        page = queries.inbox_rows(user, sort=sort, filters=InboxFilter.from_args(filters))
    rows = [(s, p) for s, p in statements if "FROM human_task" in s]
    assert len(rows) == 1, statements
    return rows[0], page


def _sqlite_plan(statement, parameters):
    raw = db.session.connection().connection.dbapi_connection
    return [row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()]


@pytest.mark.parametrize(("sort", "filters"), [("newest", {}), ("oldest", {}), ("newest", {"process": "transfer"})])
def test_the_first_page_is_read_in_the_sort_order_of_an_inbox_index(world, sort, filters):
    """The scope indexes end in the sort order's time and the task id: no sorting of the page afterwards (with a
    column between the two, SQLite sorted again, and on a large table walked ix_task_org_created instead)."""
    for _ in range(3):
        make_inbox_task(world.applicant, world.local_bj)
    db.session.commit()
    (statement, parameters), page = _rows_statement(world.local_reviewer, sort, **filters)
    assert len(page.items) == 3
    if db.engine.dialect.name != "sqlite":
        return
    plan = _sqlite_plan(statement, parameters)
    assert any("INDEX ix_task_inbox" in step for step in plan), plan
    assert not [step for step in plan if "TEMP B-TREE" in step], plan


def test_a_short_name_part_stops_at_the_first_page(world):
    """A 1–2 character part (a whole given name, a common surname) matches most of a scope: the list must not gather
    every match before sorting (PostgreSQL: 285 ms for 20,000 matches). On PostgreSQL it is a condition on the rows the
    sort order's index walk reads, not an `id IN (…)` over the scope's names; SQLite probes that list during its walk
    (the plan: the process index in order, the list, no sort); a longer part looks the names up first on both."""
    make_inbox_task(world.applicant, world.local_bj)
    make_inbox_task(world.returning, world.local_bj)
    db.session.commit()
    short_name = world.applicant.name[-2:]
    (short, parameters), page = _rows_statement(world.local_reviewer, q=short_name, process="transfer")
    assert [r.applicant_name for r in page.items] == [world.applicant.name]
    (longer, _), _ = _rows_statement(world.local_reviewer, q=world.applicant.name + "x")
    assert "IN (SELECT human_task.id" in longer
    if db.engine.dialect.name == "postgresql":
        assert "human_task.applicant_name LIKE" in short and "IN (SELECT" not in short
        return
    plan = _sqlite_plan(short, parameters)
    assert any("INDEX ix_task_inbox_process" in step for step in plan), plan
    assert any("LIST SUBQUERY" in step for step in plan), plan
    assert not [step for step in plan if "TEMP B-TREE" in step], plan


def test_a_search_for_wildcards_matches_them_literally_in_both_shapes(world):
    for _ in range(2):
        make_inbox_task(world.applicant, world.local_bj)
    db.session.commit()
    for q in ("%", "_", "%_", "\\%"):
        (_, _), page = _rows_statement(world.local_reviewer, q=q)
        assert page.items == [], q


def test_postgresql_plans_each_statement_with_its_values(world):
    """psycopg prepares a statement after its fifth run; a generic plan for the inbox's name search expected one task
    per organisation and joined the scope with itself (seconds a page at 20,000 instances). Every connection plans
    with the values (app/transaction.py)."""
    if db.engine.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    assert db.session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
