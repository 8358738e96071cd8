"""GET / asks every startable process's eligibility rule; the person's facts are read once, not once per process."""

import contextlib

from sqlalchemy import event, select

from app.accounts.models import User
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.workflow import queries
from app.workflow.facts import person_facts

# the page's own statements (session, user, grants) plus one computation of the facts: a bound that does not
# grow with the number of processes (18 today, the facts about a dozen of them; once per process: 161 for 12)
HOME_STATEMENT_BOUND = 30


@contextlib.contextmanager
def counted():
    box = [0]

    def count(*_args):
        box[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield box
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_home_page_statements_are_bounded_whatever_the_number_of_processes(client, world):
    # R-JOIN-1, R-TRF-1, R-ADM-1: every start rule reads the person's facts; a member has the most of them
    member = db.session.scalar(select(User).where(User.mobile == "13800000022"))  # 冯二, a practising member
    resp = client.post("/login", data={"mobile": member.mobile, "password": DEMO_PASSWORD})
    assert resp.status_code == 302
    processes = len(queries.startable_processes())
    assert processes >= 10  # so that facts per process would blow the bound
    with counted() as n:
        resp = client.get("/")
    assert resp.status_code == 200
    assert n[0] <= HOME_STATEMENT_BOUND, f"{n[0]} SQL statements for GET / ({processes} startable processes)"


def test_the_facts_are_one_select_and_the_earlier_uploads(world):
    """Issue 13: every provider's values in one SELECT of index look-ups, then the earlier uploads (R-TRF-5); the
    request has already read the person's standing and grants (R-ACC-5), which two facts filter by."""
    from app.accounts.rights import active_grants

    member = db.session.scalar(select(User).where(User.mobile == "13800000022"))  # 冯二: a member, most facts
    active_grants(member)
    with counted() as n:
        facts = person_facts(member)
    assert facts["is_member"] is True and facts["firm_has_branches"] is True  # R-TRF-8
    assert n[0] == 2


def test_facts_are_read_again_after_a_write(world):
    """The shared facts never outlive a write: a new pending application shows at once."""
    from app.workflow.services import start_process

    assert person_facts(world.applicant)["has_pending_join"] is False
    start_process("join_practicing", world.applicant)
    assert person_facts(world.applicant)["has_pending_join"] is True


def test_facts_are_shared_within_a_transaction(world):
    person_facts(world.applicant)
    with counted() as n:
        facts = person_facts(world.applicant)
        facts["is_member"] = "changed by a caller"
    assert n[0] == 0
    assert person_facts(world.applicant)["is_member"] is False


# columns that pick out one person's (or one firm's) rows: a look-up by them reads a handful of rows at any scale
# (member_id: the person's membership records, e.g. a suspension in force, joined from their member row by user_id;
# auctioneer_id: their auctioneer record's years and CE hours, joined from it by user_id)
_PERSON_KEYS = (
    "user_id=",
    "applicant_id=",
    "actor_id=",
    "head_office_id=",
    "member_id=",
    "auctioneer_id=",
    "rowid=",
    "id=",
)


def test_every_fact_is_a_lookup_by_the_person(app, world):
    """R-TRF-5, R-TRF-8, R-ADM-1: no fact scans a table or searches by a category (e.g. every firm)."""
    if db.engine.dialect.name != "sqlite":
        return  # the plan is read with SQLite's EXPLAIN QUERY PLAN; PostgreSQL uses the same indexes
    member = db.session.scalar(select(User).where(User.mobile == "13800000022"))  # 冯二, at a branch
    captured = []

    def grab(_conn, _cursor, statement, parameters, _context, _many):
        captured.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        person_facts(member)
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    raw = db.session.connection().connection.dbapi_connection
    for statement, parameters in captured:
        for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall():
            step = row[-1]
            if step.startswith(("SCAN CONSTANT ROW", "SCALAR SUBQUERY", "CORRELATED", "MULTI-INDEX OR", "INDEX ")):
                continue
            if step == "USE TEMP B-TREE FOR ORDER BY":  # the rows the step before found by the person: a handful
                continue
            assert step.startswith("SEARCH"), f"{step}: {statement}"
            keys = step.split("(", 1)[1]
            assert keys.startswith(_PERSON_KEYS), f"{step}: {statement}"
