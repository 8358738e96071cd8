"""The administrator's lists come in a stated order on PostgreSQL too, where rows without an ORDER BY (or tied on
their sort key) come back in heap order once rows have been deleted or updated."""

import re
from datetime import UTC, datetime

from app.accounts.models import RoleGrant
from app.extensions import db
from app.workflow.incidents import Incident, open_incidents
from tests.admin.test_admin_pages import as_user
from tests.heap import in_either_heap_order, put_last_in_heap

AT = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


def test_incidents_of_one_instant_are_listed_newest_first(world):
    incidents = [
        Incident(process_id="join_practicing", action="timer", error=error, created_at=AT, last_at=AT)
        for error in ("first", "second")
    ]
    db.session.add_all(incidents)
    db.session.commit()
    first, second = (i.id for i in incidents)

    def check():
        assert [i.id for i in open_incidents()] == [second, first]

    in_either_heap_order(Incident, first, check)


def test_a_users_rights_are_listed_in_the_order_they_were_granted(app, world):
    reviewer = world.local_reviewer
    older = next(g for g in reviewer.grants if g.role == "local_association")
    newer = RoleGrant(user_id=reviewer.id, role="analyst", organization_id=world.local_bj.id)
    db.session.add(newer)
    db.session.commit()
    granted = [older.id, newer.id]
    put_last_in_heap(RoleGrant, older.id)

    page = as_user(app, world.admin).get(f"/admin/users?q={reviewer.mobile}").get_data(as_text=True)
    row = page[page.index(f"<td>{reviewer.mobile}</td>") :].split("</tr>")[0]

    assert [int(i) for i in re.findall(r"/admin/grants/(\d+)/revoke", row)] == granted
