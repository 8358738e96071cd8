"""The header's identities (R-ACC-6) are made once per page, and never carried from one request to the next."""

from app.accounts import identity_choice
from app.accounts.models import RoleGrant
from app.extensions import db


def test_a_page_makes_the_person_s_identities_once(logged_in, world, monkeypatch):
    """The header, the branding (which association speaks) and the inbox's identity note all read them."""
    made = []
    real = identity_choice.identities
    monkeypatch.setattr(identity_choice, "identities", lambda user: made.append(user.id) or real(user))
    client = logged_in(world.local_reviewer)
    made.clear()
    assert client.get("/inbox").status_code == 200
    assert made == [world.local_reviewer.id]


def test_a_grant_given_between_two_requests_is_in_the_next_page_s_header(logged_in, world):
    """The tests' app context outlives requests, as a script's does: the identities of one request are not the
    next one's."""
    client = logged_in(world.local_reviewer)
    assert "资产评估机构 · 北京中和资产评估有限公司" not in client.get("/inbox").get_data(as_text=True)
    db.session.add(RoleGrant(user_id=world.local_reviewer.id, role="firm", organization_id=world.firm_bj.id))
    db.session.commit()
    assert "资产评估机构 · 北京中和资产评估有限公司" in client.get("/inbox").get_data(as_text=True)


def test_two_people_on_one_app_context_each_see_their_own_identities(logged_in, world):
    reviewer, firm = logged_in(world.local_reviewer), logged_in(world.firm_reviewer)
    assert "地方协会 · 北京资产评估协会" in reviewer.get("/inbox").get_data(as_text=True)
    html = firm.get("/inbox").get_data(as_text=True)
    assert "地方协会 · 北京资产评估协会" not in html
