"""A first registration's personal data (首次注册, R-AUC-1) becomes the auctioneer's record on approval, so the
next year's 注册 starts from it."""

from datetime import date, timedelta

from app import clock
from app.auctioneers.services import add_ce_record, auctioneer_of
from app.extensions import db
from app.workflow import services
from tests.payments.paying import pay
from tests.processes.test_auctioneer_registration import FIRST, PRACTICE, approve_all
from tests.processes.walk import open_task


def test_the_personal_data_form_is_the_auctioneers_record_after_approval(world, logged_in, upload):
    """R-AUC-1: every field of the 首次注册 form is kept; next year the applicant is practicing → 注册, and the
    registration form and its reviewers see the record."""
    user = world.auction_users["first"]
    instance = services.start_process("auctioneer_registration", user)
    services.submit_task(open_task(instance).id, user, {**FIRST, "firm_id": world.auction["firm_bj"].id})
    pay(instance, user)
    approve_all(instance, world)
    record = auctioneer_of(user.id)
    assert (record.id_number, record.id_type, record.gender, record.education) == (
        "110105198403030035",
        "居民身份证",
        "男",
        "大学本科",
    )
    assert (record.birth_date, record.id_valid_until, record.auction_since) == (
        date(1984, 3, 3),
        date(2035, 1, 1),
        date(2015, 6, 1),
    )
    assert (record.residence, record.address, record.postcode, record.phone, record.email) == (
        FIRST["residence"],
        FIRST["address"],
        "100010",
        "010-65550000",
        "he@example.com",
    )
    assert (record.political_status, record.ethnicity, record.nationality) == ("群众", "汉族", "中国")
    clock.advance(timedelta(days=366))  # next year: registered for it, so practicing (R-AUC-1) → 注册
    add_ce_record(user, "年度继续教育", 45, upload(user, "ce.png")["id"])  # R-AUC-2
    nxt = services.start_process("auctioneer_registration", user)
    task = open_task(nxt)
    assert task.form_key == "auctioneer_registration"
    db.session.commit()
    page = logged_in(user).get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "110105198403030035" in page and FIRST["address"] in page
    services.submit_task(task.id, user, {**PRACTICE, "firm_id": world.auction["firm_bj"].id})
    pay(nxt, user)
    db.session.commit()
    review_page = logged_in(world.auction_users["firm_reviewer"]).get(f"/tasks/{open_task(nxt).id}")
    assert FIRST["address"] in review_page.get_data(as_text=True)


def test_the_center_shows_the_personal_data(world, logged_in):
    user = world.auction_users["first"]
    instance = services.start_process("auctioneer_registration", user)
    services.submit_task(open_task(instance).id, user, {**FIRST, "firm_id": world.auction["firm_bj"].id})
    pay(instance, user)
    approve_all(instance, world)
    db.session.commit()
    html = logged_in(user).get("/auctioneer").get_data(as_text=True)
    assert "个人资料" in html and FIRST["address"] in html and "大学本科" in html
    profile = html[html.index("个人资料") : html.index("学时汇总")]
    assert "同意加入拍卖师分会" not in profile and "执业拍卖企业" not in profile  # the personal fields only
