"""Issue 15 item 1: GET /inbox with a filter and a search costs a fixed number of SQL statements, however many saved
views (tabs with their counts) and rows it shows; the saved views' counts are one statement."""

from sqlalchemy import select

from app.extensions import db
from app.workflow.models import HumanTask
from app.workflow.saved_views import SavedInboxView
from tests.workflow.inbox_rows import make_inbox_task
from tests.workflow.test_page_statements import captured
from tests.workflow.test_views import login

# today 6 with a name search: the session's user with their standing, grants and the grants' organisations (one
# statement, app/accounts/services.py), the society and the bell (the envelope every page has), then the page's own
# three: the rows with their applicants' ID numbers, the saved views, and all the views' counts together. A number
# search finds the people and their applications inside the rows' statement. It was 9 and 11 before the user came in
# one, and a number search one more until the people's lookup became the rows' subquery.
INBOX_PAGE_STATEMENT_BOUND = 7
SEARCH = {"process": "transfer", "q": "张"}


def _views(world, n):
    db.session.execute(SavedInboxView.__table__.delete())
    filters = [{"claim": "unclaimed"}, {"due": "overdue"}, {"process": "transfer"}, {"q": "李"}, {"step": "x"}]
    for i in range(n):
        db.session.add(SavedInboxView(user_id=world.local_reviewer.id, name=f"视图{i}", filters=filters[i % 5]))
    db.session.commit()


def _get(client, args):
    with captured() as statements:
        resp = client.get("/inbox", query_string=args)
    assert resp.status_code == 200
    return resp.get_data(as_text=True), [s for s, _ in statements]


def test_the_inbox_page_statements_do_not_grow_with_saved_views_or_rows(world, client):
    for k in range(25):
        make_inbox_task(world.applicant if k % 2 else world.returning, world.local_bj, due_in=k - 12)
    db.session.commit()
    login(client, world.local_reviewer)
    _views(world, 1)
    _get(client, SEARCH)  # the first request after login reads what later ones have cached
    _, one_view = _get(client, SEARCH)
    _views(world, 5)
    html, five_views = _get(client, SEARCH)
    assert len(five_views) == len(one_view), "a saved view's count must not be a statement of its own"
    assert len(five_views) <= INBOX_PAGE_STATEMENT_BOUND, five_views
    assert html.count('<span class="count">') == 5
    assert "张三" in html and "李四" not in html  # the search applied
    # the rows' masked ID numbers come with the rows, not in a statement of their own
    assert not [s for s in five_views if "process_instance.id IN" in s]


def test_a_number_search_finds_its_applications_inside_the_list_s_own_statement(world, client):
    """The people with the number (mobile, ID number, member number) and their applications are a subquery of the
    list's statement (and of a saved view's count): as two ORM statements they cost more than the inbox's own query,
    and as one statement of their own still a statement's round of work per page (issue 15)."""
    make_inbox_task(world.applicant, world.local_bj)
    db.session.commit()
    login(client, world.local_reviewer)
    _views(world, 3)
    _get(client, SEARCH)
    _, by_name = _get(client, SEARCH)
    html, by_mobile = _get(client, {"process": "transfer", "q": world.applicant.mobile})
    assert world.applicant.name in html  # the search found the applicant's task
    assert len(by_mobile) == len(by_name), by_mobile
    html, by_application = _get(
        client, {"process": "transfer", "q": str(db.session.scalar(select(HumanTask.instance_id)))}
    )
    assert world.applicant.name in html and len(by_application) == len(by_name), by_application


def test_the_unclaimed_count_reads_the_index_alone(world, client):
    """A tab "未认领" counted up to 1,000 task rows one by one; with the claim column in the scope index it reads none
    (SQLite's plan: a covering index)."""
    for _ in range(3):
        make_inbox_task(world.applicant, world.local_bj)
    db.session.commit()
    if db.engine.dialect.name != "sqlite":
        return
    login(client, world.local_reviewer)
    _views(world, 1)
    _, statements = _get(client, {})
    count = next(s for s in statements if "assignee_id IS NULL" in s and "count(" in s)
    raw = db.session.connection().connection.dbapi_connection
    task = db.session.scalars(select(HumanTask)).first()
    # the status is written into the SQL (partial indexes name it, app/transaction.py), not a bound value
    assert "status = 'open'" in count
    params = (task.role, task.organization_id, 1000, 0)
    plan = [row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + count, params).fetchall()]
    assert any("COVERING INDEX ix_task_inbox" in step for step in plan), plan
