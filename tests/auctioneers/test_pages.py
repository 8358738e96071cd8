"""The auctioneer's own pages (R-AUC-2, R-AUC-3, R-AUC-8) and the association side's search and 去筹 (R-AUC-4)."""

import io

import pytest
from pypdf import PdfReader

from app.errors import NotEligible
from app.extensions import db
from app.organizations.models import Organization
from app.workflow import services
from tests.processes.walk import open_task

APPLICATION = {
    "sessions": 2,
    "main_item_type": "机动车",
    "turnover_wan": 55,
    "consent_statement": [],
    "join_branch": False,
}


def test_the_center_shows_number_ce_summary_and_never_the_appraisal_society(logged_in, world):
    """R-AUC-3: management number, firm, CE records with their total (学时汇总)."""
    html = logged_in(world.auction_users["practicing"]).get("/auctioneer").get_data(as_text=True)
    assert "PM11000001" in html and "北京京华拍卖有限公司" in html
    assert "继续教育共 <strong>48</strong> 学时" in html
    assert "中国拍卖行业协会 · 拍卖师注册平台" in html and "中国资产评估协会" not in html


def test_the_practice_record_prints_as_a_pdf(logged_in, world):
    response = logged_in(world.auction_users["practicing"]).get("/auctioneer/practice-record.pdf")
    assert response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages).replace("\x00", "")
    assert "拍卖师执业记录" in text and "PM11000001" in text


def test_44_hours_refused_then_one_more_hour_with_proof_lets_the_registration_start(logged_in, world, make_png):
    """R-AUC-2: 44 hours cannot apply (with the count); a CE record of 1 hour with its proof makes 45."""
    user = world.auction_users["short"]
    client = logged_in(user)
    assert "不足 45 学时" in client.get("/auctioneer").get_data(as_text=True)
    with pytest.raises(NotEligible, match="44 学时"):
        services.start_process("auctioneer_registration", user)
    client.post("/auctioneer/ce", data={"item": "线上课程", "hours": "1"})  # no proof: refused (R-AUC-3)
    assert "继续教育共 <strong>44</strong> 学时" in client.get("/auctioneer").get_data(as_text=True)
    proof = (io.BytesIO(make_png()), "proof.png")
    client.post("/auctioneer/ce", data={"item": "线上课程", "hours": "1", "proof": proof})
    assert "继续教育共 <strong>45</strong> 学时" in client.get("/auctioneer").get_data(as_text=True)
    assert services.start_process("auctioneer_registration", user).status == "running"


@pytest.mark.parametrize("hours", ["0", "-3", "201", "abc"])
def test_absurd_ce_hours_are_refused(logged_in, world, make_png, hours):
    client = logged_in(world.auction_users["practicing"])
    client.post("/auctioneer/ce", data={"item": "课程", "hours": hours, "proof": (io.BytesIO(make_png()), "p.png")})
    assert "继续教育共 <strong>48</strong> 学时" in client.get("/auctioneer").get_data(as_text=True)


def test_search_by_management_number_within_the_reviewers_tree(logged_in, world):
    found = logged_in(world.auction_users["caa_reviewer"]).get("/auctioneers/search?number=PM11000001")
    assert "冯拍卖" in found.get_data(as_text=True)
    other = logged_in(world.auction_users["prep_reviewer"]).get("/auctioneers/search?number=PM11000001")
    assert "冯拍卖" not in other.get_data(as_text=True)  # another firm's staff


def test_the_firms_own_staff_record_its_leave_from_preparation(logged_in, world):
    """R-AUC-4: after 去筹 an auctioneer of that firm registers without the consent statement."""
    firm = world.auction["firm_prep"]
    assert (
        logged_in(world.auction_users["firm_reviewer"]).post(f"/auction-firms/{firm.id}/leave-preparation").status_code
        == 403
    )
    logged_in(world.auction_users["prep_reviewer"]).post(f"/auction-firms/{firm.id}/leave-preparation")
    db.session.expire_all()
    assert db.session.get(Organization, firm.id).in_preparation is False
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    services.submit_task(open_task(instance).id, user, {**APPLICATION, "firm_id": firm.id})
    assert open_task(instance).form_key == "auctioneer_payment"
