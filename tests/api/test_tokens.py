"""Personal API tokens (issue 10, item 3): made and revoked in the browser, shown once, stored hashed, one
identity each, checked against the user's rights at every call, ended by the revoking events (R-ACC-3,
R-ACC-5), and never a password check or a count toward the lock."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.accounts.models import ApiToken, RoleGrant, User
from app.accounts.tokens import create_token
from app.extensions import db
from app.members.models import Member


@pytest.fixture
def bearer(app):
    """Returns a callable giving a test client sending `Authorization: Bearer <secret>`."""

    def make(secret: str):
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        return client

    return make


@pytest.fixture
def token_for():
    """Returns a callable making a token for `user` acting as `identity` (committed); gives the secret."""

    def make(user, identity: str = "personal", days: int = 0) -> str:
        _token, secret = create_token(user, "对接", identity, days)
        db.session.commit()
        return secret

    return make


def firm_key(world) -> str:
    return f"firm:{world.firm_bj.id}"


def test_a_token_is_made_on_the_page_shown_once_and_stored_as_its_hash(world, browser, bearer):
    page = browser(world.firm_reviewer, xhr=False)
    form = page.get("/account/tokens").get_data(as_text=True)
    assert "创建令牌" in form and firm_key(world) in form
    made = page.post("/account/tokens", data={"name": "人事系统", "identity": firm_key(world), "expiry_days": "90"})
    assert made.status_code == 201 and made.headers["Cache-Control"] == "private, no-store"
    secret = re.search(r'<code class="secret">(mfp_[\w-]+)</code>', made.get_data(as_text=True)).group(1)
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in stored.token_hash
    listed = page.get("/account/tokens").get_data(as_text=True)
    assert secret not in listed and "人事系统" in listed and stored.prefix in listed and "从未使用" in listed
    assert bearer(secret).get("/api/v1/inbox").status_code == 200
    assert "从未使用" not in page.get("/account/tokens").get_data(as_text=True)  # last used, to the minute


def test_the_page_refuses_an_identity_the_user_does_not_hold(world, browser):
    page = browser(world.applicant, xhr=False)
    other = {"name": "x", "identity": firm_key(world), "expiry_days": "0"}
    assert page.post("/account/tokens", data=other).status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


def test_a_token_acts_as_the_one_identity_chosen(world, submitted, bearer, token_for):
    _client, instance_id = submitted()
    as_firm = bearer(token_for(world.firm_reviewer, firm_key(world)))
    as_person = bearer(token_for(world.firm_reviewer, "personal"))
    [task] = as_firm.get("/api/v1/inbox").json["items"]
    assert as_person.get("/api/v1/inbox").json["items"] == []
    assert as_person.get(f"/api/v1/tasks/{task['id']}").status_code == 404
    assert as_person.get(f"/api/v1/instances/{instance_id}").status_code == 404
    assert as_firm.get(f"/api/v1/instances/{instance_id}").status_code == 200


def test_an_administrators_personal_token_is_no_administrator(world, submitted, bearer, token_for):
    _client, instance_id = submitted()
    assert bearer(token_for(world.admin, "admin")).get(f"/api/v1/instances/{instance_id}").status_code == 200
    assert bearer(token_for(world.admin, "personal")).get(f"/api/v1/instances/{instance_id}").status_code == 404


def test_a_state_changing_call_needs_no_other_header(world, bearer, token_for):
    response = bearer(token_for(world.applicant)).post("/api/v1/processes/join_practicing/instances")
    assert response.status_code == 201


def test_revoked_and_expired_tokens_are_refused(world, browser, bearer, token_for):
    revoked = token_for(world.firm_reviewer, firm_key(world))
    page = browser(world.firm_reviewer, xhr=False)
    token_id = db.session.scalar(select(ApiToken.id))
    assert page.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    refused = bearer(revoked).get("/api/v1/inbox")
    assert refused.status_code == 401 and refused.json["error"] == "API 令牌无效、已过期或已撤销"
    assert "已撤销" in page.get("/account/tokens").get_data(as_text=True)

    expiring = token_for(world.firm_reviewer, firm_key(world), days=30)
    assert bearer(expiring).get("/api/v1/inbox").status_code == 200
    clock.advance(timedelta(days=30))
    assert bearer(expiring).get("/api/v1/inbox").status_code == 401


def test_someone_elses_token_cannot_be_revoked(world, browser, token_for):
    token_for(world.firm_reviewer, firm_key(world))
    token_id = db.session.scalar(select(ApiToken.id))
    assert browser(world.applicant, xhr=False).post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert db.session.scalar(select(ApiToken.revoked_at)) is None


def test_logout_ends_the_tokens_too(world, browser, bearer, token_for):
    secret = token_for(world.applicant)
    browser(world.applicant, xhr=False).post("/logout")
    assert bearer(secret).get("/api/v1/instances").status_code == 401


def test_a_revoked_role_ends_the_token_at_once(world, browser, bearer, token_for):
    secret = token_for(world.firm_reviewer, firm_key(world))
    assert bearer(secret).get("/api/v1/inbox").status_code == 200
    grant_id = db.session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == world.firm_reviewer.id))
    assert browser(world.admin, xhr=False).post(f"/admin/grants/{grant_id}/revoke").status_code == 302
    assert bearer(secret).get("/api/v1/inbox").status_code == 401


def test_a_grant_removed_without_revocation_still_leaves_the_token_no_rights(world, submitted, bearer, token_for):
    submitted()
    secret = token_for(world.firm_reviewer, firm_key(world))
    db.session.execute(RoleGrant.__table__.delete().where(RoleGrant.user_id == world.firm_reviewer.id))
    db.session.commit()
    assert bearer(secret).get("/api/v1/inbox").json["items"] == []  # checked against the rights of now


def test_resignation_ends_the_token(world, bearer, token_for):
    from app.members.lifecycle import resign_member

    user = db.session.scalar(select(User).where(User.mobile == "13800000032"))
    secret = token_for(user)
    assert bearer(secret).get("/api/v1/instances").status_code == 200
    resign_member(db.session.scalar(select(Member.id).where(Member.user_id == user.id)))
    db.session.commit()
    assert bearer(secret).get("/api/v1/instances").status_code == 401


def test_wrong_tokens_count_toward_no_lock_and_no_rate_limit(app, world, bearer, basic, token_for, monkeypatch):
    """R-ACC-3 counts wrong passwords; a wrong token is no password: 30 of them lock nothing, limit nothing."""
    for _ in range(30):
        assert bearer("mfp_" + "x" * 43).get("/api/v1/inbox").status_code == 401
    db.session.expire_all()
    assert db.session.get(User, world.firm_reviewer.id).failed_logins == 0
    assert basic(world.firm_reviewer).get("/api/v1/inbox").status_code == 200

    secret = token_for(world.firm_reviewer, firm_key(world))

    def no_password_hash(*_args, **_kwargs):
        raise AssertionError("a token check must not hash a password")

    monkeypatch.setattr("app.accounts.models.check_password_hash", no_password_hash)
    assert bearer(secret).get("/api/v1/inbox").status_code == 200


def test_the_token_identity_does_not_outlive_its_request(app, world, submitted, bearer, basic, token_for):
    submitted()
    assert bearer(token_for(world.firm_reviewer, "personal")).get("/api/v1/inbox").json["items"] == []
    assert len(basic(world.firm_reviewer).get("/api/v1/inbox").json["items"]) == 1


def test_on_the_api_the_token_wins_over_a_session_cookie_sent_with_it(world, submitted, browser, token_for):
    submitted()
    client = browser(world.firm_reviewer)
    assert len(client.get("/api/v1/inbox").json["items"]) == 1
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token_for(world.firm_reviewer, 'personal')}"
    assert client.get("/api/v1/inbox").json["items"] == []
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer mfp_revoked-or-wrong"
    assert client.get("/api/v1/inbox").status_code == 401


def test_a_token_check_is_one_query_by_a_unique_index(world, token_for):
    from sqlalchemy import event, inspect

    from app.accounts.tokens import authenticate_token

    secret = token_for(world.firm_reviewer, firm_key(world))
    db.session.expire_all()
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        authenticate_token(secret)  # first use: sets last_used_at in memory, written by the request's commit
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "token_hash" in statements[0]
    unique = {tuple(u["column_names"]) for u in inspect(engine).get_unique_constraints("api_token")}
    assert ("token_hash",) in unique


def test_the_token_query_brings_every_grant_of_its_user(world, token_for):
    """Issue 13: the rights check and may_act read the user's grants on every API request; the token's one query
    brings them (a row per grant, one user), so no lazy load follows."""
    from sqlalchemy import event

    from app.accounts.tokens import authenticate_token

    reviewer = world.firm_reviewer
    reviewer.grants.append(RoleGrant(role="local_association", organization_id=world.local_bj.id))
    secret = token_for(reviewer, firm_key(world))
    expected = sorted([("firm", world.firm_bj.id), ("local_association", world.local_bj.id)])
    db.session.expunge_all()
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        token, user = authenticate_token(secret)
        held = sorted((g.role, g.organization_id) for g in user.grants)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert held == expected
    assert len(statements) == 1 and token.user_id == user.id
