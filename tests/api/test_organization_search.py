"""An organisation field of firms in the API (issues 13, 16): the task document names the search instead of listing
every filed firm (5,000 at national scale, R-JOIN-1), and the search finds them by a fragment as the page's box does."""

from sqlalchemy import insert

from app.extensions import db
from app.organizations.models import Organization


def _many_filed_firms(count: int = 50) -> None:
    rows = [
        {"kind": "firm", "name": f"备案机构{i:04d}", "filed": True, "credit_code": f"9111{i:014d}"}
        for i in range(count)
    ]
    db.session.execute(insert(Organization.__table__), rows)
    db.session.commit()


def test_the_task_document_names_the_firm_search_and_lists_only_the_firm_the_draft_holds(world, start_application):
    _many_filed_firms()
    client, _, task_id = start_application()
    document = client.get(f"/api/v1/tasks/{task_id}").json
    assert document["search"] == {"firm_id": f"/api/v1/tasks/{task_id}/organizations/firm_id"}
    assert document["options"]["firm_id"] == []
    assert {o["value"] for o in document["options"]["kind"]} == {"trainee", "full"}  # a rule's enum is still listed

    assert client.put(f"/api/v1/tasks/{task_id}/draft", json={"firm_id": world.firm_bj.id}).status_code == 200
    held = client.get(f"/api/v1/tasks/{task_id}").json["options"]["firm_id"]
    assert held == [{"value": world.firm_bj.id, "label": world.firm_bj.name, "disabled_reason": None}]


def test_the_search_finds_filed_firms_by_a_fragment_at_most_20(world, start_application):
    _many_filed_firms()
    db.session.add(Organization(kind="firm", name="备案机构筹建中", filed=False))
    db.session.commit()
    client, _, task_id = start_application()
    url = f"/api/v1/tasks/{task_id}/organizations/firm_id"
    many = client.get(url, query_string={"q": "备案机构"}).json
    assert len(many["results"]) == 20 and many["more"] is True
    assert many["results"][0] == {
        "id": many["results"][0]["id"],
        "name": "备案机构0000",
        "credit_code": "9111" + "0" * 14,
    }
    assert "备案机构筹建中" not in [r["name"] for r in client.get(url, query_string={"q": "筹建"}).json["results"]]
    by_code = client.get(url, query_string={"q": "0001x"}).json  # the credit code, in any case
    assert [r["id"] for r in by_code["results"]] == [world.firm_bj.id] and by_code["more"] is False


def test_only_whoever_sees_the_task_and_only_its_searched_organisation_fields(world, start_application, basic):
    client, _, task_id = start_application()
    for field in ("kind", "education", "nothing"):  # an enum, a plain field, no field
        refused = client.get(f"/api/v1/tasks/{task_id}/organizations/{field}", query_string={"q": "北京"})
        assert refused.status_code == 404 and refused.json["error"] == "表单中没有可检索的机构字段"
    stranger = basic(world.other_firm_reviewer).get(f"/api/v1/tasks/{task_id}/organizations/firm_id")
    assert stranger.status_code == 404 and stranger.json["error"] == "任务不存在或您无权查看"


def test_the_openapi_document_describes_the_search(client):
    document = client.get("/api/v1/openapi.json").json
    search = document["paths"]["/api/v1/tasks/{task_id}/organizations/{field}"]["get"]
    assert search["parameters"][0]["in"] == "query" and "404" in search["responses"]
    assert "search" in document["components"]["schemas"]["TaskDocument"]["properties"]
