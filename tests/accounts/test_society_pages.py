"""Several associations on one platform (issue 12 part 1): identity page, headers, role labels, SMS, numbers."""

import re
from pathlib import Path

from app.engine.specs import catalog
from app.extensions import db
from app.notify.models import OutboxMessage
from app.organizations.societies import society_by_key, society_member_number, society_of_process
from app.workflow.models import ProcessInstance

ROOT = Path(__file__).resolve().parents[2]


def test_every_process_declares_an_association_that_exists(world):
    """Each BPMN names its association on its start event (property society); a merged BPMN without it fails here."""
    for process_id in catalog().current:
        assert society_of_process(process_id) is not None, process_id


def test_no_code_or_template_names_the_appraisal_society():
    """The association's name is data (society row); only demo data and migrations may spell it."""
    allowed = {"app/demo.py", "app/demo_societies.py", "app/demo_lifecycle.py"}
    found = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "app").rglob("*")
        if p.suffix in (".py", ".html", ".js") and "中国资产评估协会" in p.read_text(encoding="utf-8")
    ]
    assert [f for f in found if f not in allowed] == []


def test_identity_page_offers_each_associations_businesses(logged_in, world):
    """R-ACC-6 with several associations: one account, each association's businesses under its name."""
    html = logged_in(world.applicant).get("/identity").get_data(as_text=True)
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings == ["中国资产评估协会", "中国拍卖行业协会"]


def test_an_auction_reviewer_sees_the_auction_association_only(logged_in, world):
    """Header and role labels speak for the reviewer's association; auctioneer pages never say 中国资产评估协会."""
    client = logged_in(world.auction_users["caa_reviewer"])
    html = client.get("/inbox").get_data(as_text=True)
    assert "中国拍卖行业协会 · 拍卖师注册平台" in html
    assert "中国资产评估协会" not in html


def test_an_appraisal_reviewer_keeps_the_appraisal_header(logged_in, world):
    html = logged_in(world.national_reviewer).get("/inbox").get_data(as_text=True)
    assert "中国资产评估协会 · 会员业务办理平台" in html
    assert "中国拍卖行业协会" not in html


def test_staff_sms_is_signed_by_the_firms_association(logged_in, world, app):
    """A staff account created for an auction firm is announced in the auction association's name."""
    from app.accounts.models import RoleGrant
    from app.accounts.staff import add_staff
    from app.extensions import db

    admin = world.auction_users["firm_reviewer"]
    db.session.add(RoleGrant(user_id=admin.id, role="firm_admin", organization_id=world.auction["firm_bj"].id))
    db.session.flush()
    add_staff(admin, world.auction["firm_bj"].id, "15700000099", "周新人", "110105198607070021")
    sent = db.session.query(OutboxMessage).order_by(OutboxMessage.id.desc()).first()
    assert sent is not None and sent.body.startswith("【中国拍卖行业协会】")


def test_member_numbers_follow_the_associations_series(world):
    caa = society_by_key("caa")
    assert caa is not None and caa.member_number_prefix == "PM"
    assert society_member_number(world.auction["firm_bj"].society_id, 2027, 12) == "PM2027000012"
    assert society_member_number(world.firm_bj.society_id, 2027, 12) == "2027000012"


def test_a_first_time_auctioneer_finds_the_registration_and_its_pages_speak_for_the_caa(logged_in, world):
    """Issue 12: the identity page offers 拍卖师首次注册 under the CAA; the application's pages say CAA only."""
    client = logged_in(world.auction_users["first"])
    html = client.get("/identity").get_data(as_text=True)
    caa_part = html.split("<h2>中国拍卖行业协会</h2>", 1)[1]
    assert "拍卖师首次注册" in caa_part and 'action="/processes/auctioneer_registration/start"' in caa_part
    started = client.post("/processes/auctioneer_registration/start")
    assert started.status_code == 302
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "拍卖师首次注册申请" in page and "中国拍卖行业协会 · 拍卖师注册平台" in page
    assert "中国资产评估协会" not in page
    instance_id = db.session.query(ProcessInstance.id).filter_by(process_id="auctioneer_registration").scalar()
    progress = client.get(f"/applications/{instance_id}").get_data(as_text=True)
    assert "<svg" in progress and "中拍协审核" in progress and "中国资产评估协会" not in progress
