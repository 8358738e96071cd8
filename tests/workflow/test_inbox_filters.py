"""Issue 15 item 1: the inbox's search and filters, each on its own, inside the reviewer's scope."""

from datetime import timedelta

import pytest

from app import clock
from app.accounts.models import User
from app.extensions import db
from app.workflow import queries
from app.workflow.inbox import InboxFilter, mask_id_number
from tests.workflow.inbox_rows import make_inbox_task


def titles(user, **args):
    page = queries.list_inbox(user, filters=InboxFilter.from_args(args), per_page=50)
    return sorted(t.applicant_name for t in page.items)


@pytest.fixture
def rows(world):
    odd = User(mobile="13800009999", name="王_五%", id_number="11010519900101002X", password_hash="x")
    db.session.add(odd)
    db.session.flush()
    now = clock.now()
    local = world.local_bj
    return {
        "zhang": make_inbox_task(world.applicant, local, due_in=-1, arrived=now - timedelta(days=20)),
        "li": make_inbox_task(world.returning, local, process_id="resign", name="地方协会审核", due_in=2),
        "odd": make_inbox_task(odd, local, due_in=10, assignee=world.local_reviewer),
        "elsewhere": make_inbox_task(world.applicant, world.local_sh),
    }


def test_search_by_part_of_the_applicant_name(world, rows):
    assert titles(world.local_reviewer, q="张") == ["张三"]


def test_search_by_id_number_any_case_of_x(world, rows):
    assert titles(world.local_reviewer, q="110105199003071239") == ["张三"]
    assert titles(world.local_reviewer, q="11010519900101002x") == ["王_五%"]


def test_search_by_mobile_and_member_number(world, rows):
    assert titles(world.local_reviewer, q=world.applicant.mobile) == ["张三"]
    assert titles(world.local_reviewer, q="2016000007") == ["李四"]  # 李四's member number (demo)


def test_search_by_application_number(world, rows):
    assert titles(world.local_reviewer, q=str(rows["li"].instance_id)) == ["李四"]


def test_sql_wildcards_match_only_themselves(world, rows):
    assert titles(world.local_reviewer, q="%") == ["王_五%"]
    assert titles(world.local_reviewer, q="_") == ["王_五%"]
    assert titles(world.local_reviewer, q="\\") == []


def test_a_thousand_character_search_is_cut_not_an_error(world, rows, client):
    assert len(InboxFilter.from_args({"q": "张" * 1000}).q) == 40
    from tests.workflow.test_views import login

    login(client, world.local_reviewer)
    assert client.get("/inbox", query_string={"q": "%_" * 500}).status_code == 200


def test_search_never_reaches_past_the_scope(world, rows):
    # 张三 has a task at Shanghai too; the Beijing reviewer finds only Beijing's
    page = queries.list_inbox(world.local_reviewer, filters=InboxFilter(q="张三"))
    assert [t.id for t in page.items] == [rows["zhang"].id]


def test_filter_by_process_and_step(world, rows):
    assert titles(world.local_reviewer, process="resign") == ["李四"]
    assert titles(world.local_reviewer, step="地方协会审核") == ["李四"]
    assert titles(world.local_reviewer, process="no_such_process") == []


def test_filter_by_due_state(world, rows):
    assert titles(world.local_reviewer, due="overdue") == ["张三"]
    assert titles(world.local_reviewer, due="soon", days=3) == ["李四"]
    assert titles(world.local_reviewer, due="soon", days=30) == ["李四", "王_五%"]


def test_filter_by_arrival_date_range(world, rows):
    today = clock.today()
    assert titles(world.local_reviewer, arrived_from=today.isoformat()) == ["李四", "王_五%"]
    assert titles(world.local_reviewer, arrived_to=(today - timedelta(days=10)).isoformat()) == ["张三"]
    assert titles(world.local_reviewer, arrived_from="not a date") == ["张三", "李四", "王_五%"]


def test_filter_claimed_by_me_or_unclaimed(world, rows):
    assert titles(world.local_reviewer, claim="mine") == ["王_五%"]
    assert titles(world.local_reviewer, claim="unclaimed") == ["张三", "李四"]


def test_due_sort_puts_the_earliest_due_first_and_none_last(world, rows):
    make_inbox_task(world.applicant, world.local_bj, due_in=None)
    page = queries.list_inbox(world.local_reviewer, sort="due")
    dues = [t.due_at for t in page.items]
    assert dues[-1] is None and dues[:-1] == sorted(dues[:-1])
    assert [t.applicant_name for t in page.items[:3]] == ["张三", "李四", "王_五%"]


def test_lists_show_id_numbers_masked(world, rows, client):
    from tests.workflow.test_views import login

    assert mask_id_number("110105199003071239") == "110105********1239"
    login(client, world.local_reviewer)
    html = client.get("/inbox", query_string={"q": "110105199003071239"}).get_data(as_text=True)
    listed = html.split("<tbody>")[1].split("</tbody>")[0]  # the search box and links keep what was typed
    assert "110105********1239" in listed and "110105199003071239" not in listed
