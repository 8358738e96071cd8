"""What every API request costs the database before its view runs: one statement (issue 13).

The token, its user, the user's role grants and the person's standing (R-ACC-5: resigned, expelled or suspended)
come in the token's one query; the rights check, may_act and the view then ask none of them again."""

from datetime import date

import pytest
from sqlalchemy import select

from app import clock
from app.accounts.tokens import create_token
from app.extensions import db
from app.members.models import Member
from app.members.record_models import MembershipSanction
from tests.api.test_completion_statements import captured
from tests.processes.walk import person

WANG = "13800000003"  # 王五, a full member at 北京中和
# GET /api/v1/instances for a member: the token query, then the view's own: the year's applications
LIST_BOUND = 2


@pytest.fixture
def token_client(app):
    def make(user):
        _token, secret = create_token(user, "对接", "personal", 0)
        db.session.commit()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        return client

    return make


def _get(client, url):
    client.get("/api/v1/processes")  # the first call of a token writes its last use; the catalog's check is done
    db.session.remove()  # a request of its own: nothing cached in the test's session
    with captured() as statements:
        response = client.get(url)
    return response, statements


def test_an_api_get_reads_its_caller_in_the_token_query_alone(world, token_client):
    client = token_client(person(WANG))
    response, statements = _get(client, "/api/v1/instances")
    assert response.status_code == 200, response.json
    assert "token_hash" in statements[0] and "membership_sanction" in statements[0] and "role_grant" in statements[0]
    assert not [s for s in statements[1:] if "FROM member" in s or "role_grant" in s], statements
    assert len(statements) <= LIST_BOUND, statements


def test_an_expelled_member_is_refused_by_the_token_query_alone(world, token_client):
    """R-ACC-5: the standing read with the token refuses the inbox; only the reason is read after it (a
    suspension's, app/accounts/rights.py)."""
    client = token_client(person(WANG))
    for membership in db.session.scalars(select(Member).where(Member.user_id == person(WANG).id)):
        membership.status = "expelled"
    db.session.commit()
    response, statements = _get(client, "/api/v1/inbox")
    assert response.status_code == 403
    assert len(statements) == 2 and "membership_sanction" in statements[1], statements
    assert _get(client, "/api/v1/instances")[0].status_code == 200  # their own applications stay theirs


def test_a_suspension_in_force_refuses_from_its_first_day_until_it_ends(world, token_client, clock_at):
    """R-ACC-5 (issue 14): the token query's standing follows the suspension's dates and its lifting."""
    client = token_client(person(WANG))
    member = db.session.scalars(select(Member).where(Member.user_id == person(WANG).id)).first()
    today = clock.today()
    sanction = MembershipSanction(
        member_id=member.id,
        kind="suspension",
        reason="违反职业道德",
        starts_on=date(today.year + 1, 1, 1),
        ends_on=date(today.year + 1, 12, 31),
    )
    db.session.add(sanction)
    db.session.commit()
    sanction_id = sanction.id
    assert _get(client, "/api/v1/inbox")[0].status_code == 200  # not yet in force
    clock_at(f"{today.year + 1}-01-01T04:00:00")
    refused = _get(client, "/api/v1/inbox")[0]
    assert refused.status_code == 403 and "违反职业道德" in refused.json["error"]
    clock_at(f"{today.year + 2}-01-01T04:00:00")
    assert _get(client, "/api/v1/inbox")[0].status_code == 200  # ended
    clock_at(f"{today.year + 1}-06-01T04:00:00")
    assert _get(client, "/api/v1/inbox")[0].status_code == 403
    db.session.get(MembershipSanction, sanction_id).lifted_on = clock.today()
    db.session.commit()
    assert _get(client, "/api/v1/inbox")[0].status_code == 200  # lifted
