"""Issue 15 item 6: the start page groups businesses by association, identity and kind (start property kind)."""

import re

from tests.workflow.test_views import login


def test_start_page_groups_by_association_identity_and_kind(world, client):
    login(client, world.applicant)
    html = client.get("/").get_data(as_text=True)
    groups = re.findall(r"<h2>(.*?)</h2>", html)
    assert "中国资产评估协会 · 个人业务" in groups and "中国拍卖行业协会 · 个人业务" in groups
    appraisal = html.split("<h2>中国资产评估协会 · 个人业务</h2>")[1].split("</section>")[0]
    kinds = re.findall(r"<h3>(.*?)</h3>", appraisal)
    assert kinds == [k for k in ("入会", "变更", "转所", "退会", "会费", "机构管理员", "机构备案") if k in kinds]
    assert {"入会", "变更", "转所", "退会"} <= set(kinds)
    joining = appraisal.split("<h3>入会</h3>")[1].split("<h3>")[0]
    assert "执业会员入会申请" in joining and "暂不可申请" not in joining.split("执业会员入会申请")[0]
    auction = html.split("<h2>中国拍卖行业协会 · 个人业务</h2>")[1].split("</section>")[0]
    assert re.findall(r"<h3>(.*?)</h3>", auction) == ["拍卖师注册"]


def test_refusal_reasons_stay_on_each_business(world, client):
    login(client, world.applicant)
    html = client.get("/").get_data(as_text=True)
    resign = html.split("<h3>退会</h3>")[1].split("</div>")[0]
    assert "暂不可申请" in resign  # 张三 is no member yet: the start rule's reason, as before
