"""The analyst role is granted per association (issue 18): an analyst of the appraisal society or of the auctioneers'
association sees and replays only that association's decisions, scenarios and rule coverage; administrators see all
(R-STA-1, R-AUC-5)."""

import pytest

from app.accounts.models import RoleGrant
from app.extensions import db
from tests.decisions.test_log import login
from tests.processes.walk import person

CAS_TABLE, CAA_TABLE = "status_full_eligibility", "auctioneer_fee"


@pytest.fixture
def analysts(world):
    """One analyst of each association: 李四 for the appraisal society, 王五 for the auctioneers' association."""
    cas, caa = person("13800000032"), person("13800000033")
    db.session.add(RoleGrant(user_id=cas.id, role="analyst", organization_id=world.national.id))
    db.session.add(RoleGrant(user_id=caa.id, role="analyst", organization_id=world.auction["caa"].id))
    db.session.commit()
    return {"cas": cas, "caa": caa}


@pytest.mark.parametrize(("who", "mine", "theirs"), [("cas", CAS_TABLE, CAA_TABLE), ("caa", CAA_TABLE, CAS_TABLE)])
def test_an_analyst_sees_and_replays_only_their_associations_decisions(client, analysts, who, mine, theirs):
    login(client, analysts[who])
    index = client.get("/workbench/decisions/").get_data(as_text=True)
    assert mine in index and theirs not in index
    assert client.get(f"/workbench/decisions/{mine}").status_code == 200
    assert client.get(f"/workbench/decisions/{theirs}").status_code == 404  # not found rather than forbidden
    assert client.post(f"/workbench/decisions/{theirs}", data={"draft_text": "<x/>"}).status_code == 404


def test_an_administrator_sees_every_association(client, world, analysts):
    login(client, world.admin)
    index = client.get("/workbench/decisions/").get_data(as_text=True)
    assert CAS_TABLE in index and CAA_TABLE in index
    coverage = client.get("/workbench/rules").get_data(as_text=True)
    assert "R-AUC-5" in coverage and "R-STA-1" in coverage


def test_rule_coverage_shows_the_analysts_association_only(client, analysts):
    login(client, analysts["caa"])
    page = client.get("/workbench/rules").get_data(as_text=True)
    assert "R-AUC-5" in page and "auctioneer_fee.dmn" in page
    assert "R-STA-1" not in page and "status_full" not in page
    login(client, analysts["cas"])
    page = client.get("/workbench/rules").get_data(as_text=True)
    assert "R-STA-1" in page and "R-AUC-5" not in page and "resign.yaml" in page


def test_scenarios_of_another_association_are_neither_listed_nor_run(client, analysts):
    login(client, analysts["caa"])
    page = client.get("/workbench/scenarios/").get_data(as_text=True)
    assert "auctioneer_registration.yaml" in page and "resign.yaml" not in page and "transfer.yaml" not in page
    text = "process: resign\nscenarios: []\n"
    assert client.post("/workbench/scenarios/", data={"text": text}).status_code == 404
    login(client, analysts["cas"])
    page = client.get("/workbench/scenarios/").get_data(as_text=True)
    assert "resign.yaml" in page and "auctioneer_registration.yaml" not in page
