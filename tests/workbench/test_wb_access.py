"""One guard for every workbench blueprint (app/workbench/access.py): analysts only, and a file named in the URL
must be one the workbench stores — the editors, the file pages, the file API and the version pages alike."""

from tests.processes.walk import person
from tests.workbench.conftest import login

PAGES = (
    "/workbench/",
    "/workbench/edit/bpmn/transfer.bpmn",
    "/workbench/files/bpmn/transfer.bpmn/versions",
    "/workbench/api/files/bpmn/transfer.bpmn",
    "/workbench/processes/transfer/versions",
)


def test_only_analysts_reach_any_workbench_page(client, world, catalog_started):
    assert all(client.get(url).status_code == 302 for url in PAGES)  # to the login page
    login(client, person("13800000001"))  # an applicant
    assert [client.get(url).status_code for url in PAGES] == [403] * len(PAGES)


def test_a_file_the_workbench_does_not_store_is_not_found_on_every_page(analyst_client):
    assert all(analyst_client.get(url).status_code == 200 for url in PAGES)
    for url in (
        "/workbench/edit/bpmn/../../etc.bpmn",
        "/workbench/edit/bpmn/transfer.txt",
        "/workbench/files/exe/transfer.bpmn/versions",
        "/workbench/files/bpmn/a%20b.bpmn/versions",
    ):
        assert analyst_client.get(url).status_code == 404, url
    resp = analyst_client.get("/workbench/api/files/dmn/transfer.bpmn")
    assert resp.status_code == 404 and "没有这个文件" in resp.json["error"]
