"""The yearly history as the manual's table and the detail page with every round (R-AUC-5, R-AUC-6, R-AUC-7,
R-AUC-8), as the applicant uses them: 查看详情 → 修改申请信息 → the form again → resubmitted, review from the firm."""

import re

from app import clock
from app.extensions import db
from app.workflow import services
from tests.payments.paying import pay
from tests.processes.walk import open_task, review
from tests.workflow.drafts import typed

APPLICATION = {"sessions": 2, "main_item_type": "机动车", "turnover_wan": 55, "consent_statement": []}


def submitted(world, key, **changes):
    user = world.auction_users[key]
    instance = services.start_process("auctioneer_registration", user)
    data = {**APPLICATION, "join_branch": False, "firm_id": world.auction["firm_bj"].id, **changes}
    services.submit_task(open_task(instance).id, user, data)
    return user, instance


def history_rows(client):
    html = client.get("/auctioneer").get_data(as_text=True)
    table = html[html.index("注册申请历史记录") :]
    rows = re.findall(r"<tr>\s*<td>(\d{4})</td>(.*?)</tr>", table, re.S)
    return [[year, *re.findall(r"<td>([^<]*)</td>", rest)] for year, rest in rows]


def test_the_history_row_per_year_as_the_manuals_table(logged_in, world):
    """R-AUC-8: 申请注册年度, 付费状态, then 企业/省/中拍协 each level's state, for a rejected and resubmitted round."""
    user, instance = submitted(world, "lapsed")
    year = str(clock.today().year + 1)
    client = logged_in(user)
    db.session.commit()
    assert history_rows(client) == [[year, "未付款", "待审核", "待审核", "待审核"]]  # the manual's 2022 row
    pay(instance, user)
    review(instance, world.auction_users["firm_reviewer"], "reject", "场次有误")
    db.session.commit()
    assert history_rows(client) == [[year, "已付款", "驳回", "待审核", "待审核"]]
    services.submit_task(open_task(instance).id, user, {**typed(open_task(instance)), "sessions": 3})
    review(instance, world.auction_users["firm_reviewer"])
    db.session.commit()
    assert history_rows(client) == [[year, "已付款", "已通过", "待审核", "待审核"]]


def test_a_branch_member_is_exempt_in_the_history(logged_in, world):
    """R-AUC-5: 会员免缴 in the 付费状态 column."""
    user, _instance = submitted(world, "branch")
    db.session.commit()
    assert history_rows(logged_in(user))[0][1] == "会员免缴"


def test_the_history_offers_paying_while_unpaid(logged_in, world):
    user, instance = submitted(world, "practicing")
    db.session.commit()
    html = logged_in(user).get("/auctioneer").get_data(as_text=True)
    assert f'href="/tasks/{open_task(instance).id}">付款</a>' in html


def test_the_detail_page_shows_every_round_with_each_levels_decision(logged_in, world):
    """R-AUC-8: each submission with what was submitted, each level's decision with reviewer and comment."""
    user, instance = submitted(world, "lapsed")
    pay(instance, user)
    firm, provincial, _caa = (world.auction_users[k] for k in ("firm_reviewer", "provincial_reviewer", "caa_reviewer"))
    review(instance, firm)
    review(instance, provincial, "reject", "主要标的类型与企业报送不一致")
    services.submit_task(open_task(instance).id, user, {**typed(open_task(instance)), "main_item_type": "房地产"})
    review(instance, firm)
    services.applicant_action(instance.id, user, "withdraw")  # pending at the province: edited again
    services.submit_task(open_task(instance).id, user, {**typed(open_task(instance)), "sessions": 7})
    db.session.commit()
    html = logged_in(user).get(f"/auctioneer/registrations/{instance.id}").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert f"{clock.today().year + 1} 年度拍卖师再注册申请" in text
    assert "第 1 次提交" in text and "第 2 次提交" in text and "第 3 次提交" in text
    assert "省拍卖行业协会 驳回 " in text and "主要标的类型与企业报送不一致" in text
    assert provincial.name in text
    assert "撤回修改" in text  # the second round ended by the applicant's edit
    assert "机动车" in text and "房地产" in text  # what each round submitted
    assert "下载回执" in text  # the one order, paid once


def test_edit_from_the_detail_page_restarts_review_at_the_firm(logged_in, world):
    """R-AUC-8 through the pages: 修改申请信息 while the CAA reviews → the form, filled in → resubmitted → firm."""
    user, instance = submitted(world, "practicing")
    pay(instance, user)
    review(instance, world.auction_users["firm_reviewer"])
    review(instance, world.auction_users["provincial_reviewer"])
    db.session.commit()
    client = logged_in(user)
    detail = client.get(f"/auctioneer/registrations/{instance.id}").get_data(as_text=True)
    assert f"/applications/{instance.id}/actions/withdraw" in detail and "修改申请信息" in detail
    moved = client.post(f"/applications/{instance.id}/actions/withdraw")
    task = open_task(instance)
    assert moved.headers["Location"].endswith(f"/tasks/{task.id}")
    form = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'value="55' in form  # the submitted turnover is filled in
    fields = {
        **{k: str(v) for k, v in typed(task).items() if k not in ("consent_statement", "join_branch")},
        "sessions": "4",
    }
    resp = client.post(f"/tasks/{task.id}", data={**fields, "action": "submit"})
    assert resp.status_code == 302, re.findall(r"error[^>]*>([^<]+)<", resp.get_data(as_text=True))
    assert open_task(instance).role == "auction_firm"
    assert client.get("/auctioneer").status_code == 200


def test_the_form_after_a_rejection_shows_why(logged_in, world):
    """R-AUC-7: the applicant edits according to the comment, shown on the form itself."""
    user, instance = submitted(world, "practicing")
    pay(instance, user)
    review(instance, world.auction_users["firm_reviewer"], "reject", "请上传企业同意说明")
    db.session.commit()
    form = logged_in(user).get(f"/tasks/{open_task(instance).id}").get_data(as_text=True)
    assert "审核记录" in form and "请上传企业同意说明" in form


def test_someone_elses_registration_is_not_found(logged_in, world):
    _user, instance = submitted(world, "practicing")
    db.session.commit()
    assert logged_in(world.auction_users["lapsed"]).get(f"/auctioneer/registrations/{instance.id}").status_code == 404
