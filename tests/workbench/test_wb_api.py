"""The workbench's JSON API (issue 17 items 1, 3, 4): the contract the editor pages code against."""

from pathlib import Path

from app.engine.specs import catalog
from app.extensions import db
from app.workbench.models import SpecFileVersion
from tests.processes.walk import person
from tests.workbench.conftest import login

ROOT = Path(__file__).resolve().parents[2]
TRANSFER = (ROOT / "processes" / "transfer.bpmn").read_text(encoding="utf-8")
URL = "/workbench/api/files/bpmn/transfer.bpmn"


def test_get_gives_the_live_version_and_no_draft(analyst_client):
    body = analyst_client.get(URL).get_json()
    assert body["kind"] == "bpmn" and body["name"] == "transfer.bpmn"
    assert body["live"]["content"] == TRANSFER and body["live"]["author"] and body["draft"] is None
    assert len(body["live"]["hash"]) == 64


def test_a_clean_draft_is_publishable_and_publishing_runs_it_at_once(analyst_client):
    edited = TRANSFER.replace('name="转所申请"', 'name="转所申请（新）"', 1)
    assert edited != TRANSFER
    saved = analyst_client.put(f"{URL}/draft", json={"content": edited})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json() == {"problems": [], "publishable": True}
    old_key = catalog().current["transfer"]
    published = analyst_client.post(f"{URL}/publish", json={"comment": "改名"})
    assert published.status_code == 200, published.get_json()
    version = db.session.get(SpecFileVersion, published.get_json()["version_id"])
    assert (version.content, version.comment, version.source) == (edited, "改名", "web")
    assert catalog().current["transfer"] != old_key  # this worker runs the new version now
    assert catalog().process("transfer").name == "转所申请（新）"
    assert analyst_client.get(URL).get_json()["draft"] is None


def test_a_missing_org_scope_is_pinned_to_the_element_and_its_line(analyst_client):
    broken = TRANSFER.replace('<spiffworkflow:property name="orgScope"', '<spiffworkflow:property name="orgScopeX"', 1)
    assert broken != TRANSFER
    body = analyst_client.put(f"{URL}/draft", json={"content": broken}).get_json()
    assert body["publishable"] is False
    (problem,) = body["problems"]
    assert "orgScope" in problem["message"] and problem["element_id"] and problem["line"]
    assert f'id="{problem["element_id"]}"' in broken.splitlines()[problem["line"] - 1]
    refused = analyst_client.post(f"{URL}/publish", json={"comment": ""})
    assert refused.status_code == 422 and refused.get_json()["problems"]
    assert db.session.query(SpecFileVersion).filter_by(name="transfer.bpmn").count() == 1


def test_publishing_over_a_newer_live_version_is_a_409_with_the_diff_then_rebase(analyst_client, world):
    mine = TRANSFER.replace('name="转所申请"', 'name="转所申请 A"', 1)
    analyst_client.put(f"{URL}/draft", json={"content": mine})
    theirs = TRANSFER.replace('name="转所申请"', 'name="转所申请 B"', 1)
    from app.workbench.catalog import live_version, publish

    live = live_version("bpmn", "transfer.bpmn")
    publish("bpmn", "transfer.bpmn", theirs, live.id, world.admin, "别人的改动", "web")
    db.session.commit()
    conflict = analyst_client.post(f"{URL}/publish", json={"comment": "我的"})
    assert conflict.status_code == 409
    body = conflict.get_json()
    assert body["live_version_id"] == live_version("bpmn", "transfer.bpmn").id
    assert "+" in body["diff"] and "转所申请 B" in body["diff"] and body["changed_elements"]
    assert live_version("bpmn", "transfer.bpmn").content == theirs  # never overwritten silently
    rebased = analyst_client.post(f"{URL}/rebase")
    assert rebased.status_code == 200 and rebased.get_json()["publishable"] is True
    assert rebased.get_json()["base_version_id"] == body["live_version_id"]
    assert analyst_client.get(URL).get_json()["draft"]["content"] == mine  # the draft's text is kept
    assert analyst_client.post(f"{URL}/publish", json={"comment": "我的"}).status_code == 200
    assert live_version("bpmn", "transfer.bpmn").content == mine


def test_delete_draft_and_drafts_are_per_analyst(analyst_client, world):
    analyst_client.put(f"{URL}/draft", json={"content": TRANSFER + "\n"})
    assert analyst_client.get(URL).get_json()["draft"]["content"] == TRANSFER + "\n"
    login(analyst_client, world.admin)  # administrators are analysts too: they do not see another's draft
    assert analyst_client.get(URL).get_json()["draft"] is None
    login(analyst_client, person("13800000032"))
    assert analyst_client.delete(f"{URL}/draft").status_code == 204
    assert analyst_client.get(URL).get_json()["draft"] is None


def test_a_new_file_is_a_draft_until_published(analyst_client):
    content = (ROOT / "forms" / "join_notice.json").read_text(encoding="utf-8")
    made = analyst_client.post("/workbench/api/files/form", json={"name": "extra_notice.json", "content": content})
    assert made.status_code == 201, made.get_json()
    # a form needs its layout file too: the loader's own problem, with the file it names
    assert any(p["file"] == "extra_notice.ui.json" for p in made.get_json()["problems"])
    again = analyst_client.post("/workbench/api/files/form", json={"name": "extra_notice.json", "content": content})
    assert again.status_code == 422
    assert analyst_client.get("/workbench/api/files/form/extra_notice.json").get_json()["live"] is None


def test_only_analysts_reach_the_api(client, world, catalog_started):
    login(client, person("13800000003"))  # an applicant
    assert client.get(URL).status_code == 403
    assert client.put(f"{URL}/draft", json={"content": "x"}).status_code == 403
    assert client.get("/workbench/").status_code == 403
    client.post("/logout")
    assert client.get(URL).status_code in (302, 401)


def test_a_running_application_stays_on_its_version_a_new_one_starts_on_the_published(analyst_client):
    from app.workflow import services
    from app.workflow.versions import version_of

    old = services.start_process("transfer", person("13800000003"))  # 王五 may apply to transfer (R-TRF-1)
    db.session.commit()
    old_key = old.spec_key
    edited = TRANSFER.replace('name="转所申请"', 'name="转所申请（新）"', 1)
    analyst_client.put(f"{URL}/draft", json={"content": edited})
    assert analyst_client.post(f"{URL}/publish", json={"comment": ""}).status_code == 200
    assert version_of(old).key == old_key and version_of(old).name == "转所申请"
    new = services.start_process("transfer", person("13800000021"))  # 郑一, another member at 北京中和
    assert new.spec_key != old_key and version_of(new).name == "转所申请（新）"


def test_changed_elements_name_the_edited_task_not_its_process():
    from app.workbench.drafts import changed_elements

    moved = TRANSFER.replace('<spiffworkflow:property name="orgScope"', '<spiffworkflow:property name="orgScopeX"', 1)
    assert changed_elements(TRANSFER, moved) == ["Task_OldFirmConfirm"]
    assert changed_elements(TRANSFER, TRANSFER) == []
