"""Issue 15 item 3: the admin user list pages through its results; typed wildcards match themselves."""

from app.accounts.models import User
from app.admin.services import search_users
from app.extensions import db
from tests.workflow.test_views import login


def test_user_list_pages(world, client):
    db.session.add_all(User(mobile=f"1590000{i:04d}", name=f"分页{i}", password_hash="x") for i in range(60))
    db.session.commit()
    first, more = search_users("分页")
    second, after = search_users("分页", page=2)
    assert (len(first), more, len(second), after) == (50, True, 10, False)
    login(client, world.admin)
    html = client.get("/admin/users", query_string={"q": "分页", "page": 2}).get_data(as_text=True)
    assert "第 2 页" in html and "分页59" in html and "分页0<" not in html and "下一页" not in html


def test_user_search_wildcards_match_themselves(world):
    assert search_users("%")[0] == [] and search_users("_")[0] == []
    assert [u.name for u in search_users("张三")[0]] == ["张三"]
