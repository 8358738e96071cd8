"""The workbench's pages and the files (issue 17 items 1 and 4): the live version per file and where the files
on disk differ, versions with who/when/comment, diffs, rollback as a new version, a zip of any version set."""

import io
import zipfile
from pathlib import Path

from app.admin.models import AdminAuditEntry
from app.engine.spec_files import SpecSources
from app.engine.specs import catalog
from app.extensions import db
from app.workbench.catalog import import_files, live_version, publish, versions_of
from app.workbench.live import disk_sources

ROOT = Path(__file__).resolve().parents[2]
TRANSFER = (ROOT / "processes" / "transfer.bpmn").read_text(encoding="utf-8")
EDITED = TRANSFER.replace('name="转所申请"', 'name="转所申请（新）"', 1)


def _publish_edit(client, content=EDITED, comment="改名"):
    url = "/workbench/api/files/bpmn/transfer.bpmn"
    assert client.put(f"{url}/draft", json={"content": content}).get_json()["publishable"]
    resp = client.post(f"{url}/publish", json={"comment": comment})
    assert resp.status_code == 200, resp.get_json()


def test_a_restart_does_not_revert_a_version_published_in_the_browser(app, analyst_client):
    _publish_edit(analyst_client)
    assert import_files(disk_sources(app)) == []  # the file on disk is a version the catalog has seen
    assert live_version("bpmn", "transfer.bpmn").content == EDITED


def test_a_file_version_never_seen_is_imported_as_a_new_live_version(app, analyst_client):
    _publish_edit(analyst_client)
    sources = SpecSources({"bpmn": {"transfer.bpmn": TRANSFER.replace("转所申请", "转所申请（git）", 1).encode()}})
    (imported,) = import_files(sources)
    assert (imported.source, imported.number, imported.author_name) == ("file", 3, "文件")
    assert live_version("bpmn", "transfer.bpmn").id == imported.id


def test_home_lists_files_with_live_version_and_where_the_disk_differs(analyst_client):
    page = analyst_client.get("/workbench/").get_data(as_text=True)
    assert 'data-file="bpmn/transfer.bpmn"' in page and 'data-file="form/transfer_apply.ui.json"' in page
    assert "disk-differs" not in page and "/workbench/decisions/" in page and "/workbench/scenarios/" in page
    _publish_edit(analyst_client)
    page = analyst_client.get("/workbench/").get_data(as_text=True)
    row = page[page.index('data-file="bpmn/transfer.bpmn"') :].split("</tr>")[0]
    assert "disk-differs" in row and "v2" in row


def test_versions_diff_and_rollback_publish_the_old_content_again(analyst_client, analyst):
    _publish_edit(analyst_client)
    v1, v2 = sorted(versions_of("bpmn", "transfer.bpmn"), key=lambda v: v.number)
    page = analyst_client.get("/workbench/files/bpmn/transfer.bpmn/versions").get_data(as_text=True)
    assert "改名" in page and analyst.name in page and "从文件导入" in page
    diff = analyst_client.get(f"/workbench/files/bpmn/transfer.bpmn/diff?a={v1.id}&b={v2.id}").get_data(as_text=True)
    assert "+" in diff and "转所申请（新）" in diff and "<code>transfer</code>" in diff  # the process element changed
    resp = analyst_client.post(f"/workbench/files/bpmn/transfer.bpmn/versions/{v1.id}/rollback")
    assert resp.status_code == 302
    live = live_version("bpmn", "transfer.bpmn")
    assert (live.number, live.content, live.hash) == (3, v1.content, v1.hash)
    assert catalog().process("transfer").name == "转所申请"  # this worker runs it at once
    actions = [e.action for e in db.session.query(AdminAuditEntry).order_by(AdminAuditEntry.id)]
    assert actions == ["spec.publish", "spec.rollback"]  # every publish audited


def test_the_zip_holds_the_live_set_or_the_chosen_versions(analyst_client):
    _publish_edit(analyst_client)
    whole = zipfile.ZipFile(io.BytesIO(analyst_client.get("/workbench/download.zip").data))
    assert whole.read("processes/transfer.bpmn").decode() == EDITED
    assert whole.read("forms/transfer_apply.ui.json") == (ROOT / "forms" / "transfer_apply.ui.json").read_bytes()
    assert "rules/transfer_eligibility.dmn" in whole.namelist()
    v1 = min(versions_of("bpmn", "transfer.bpmn"), key=lambda v: v.number)
    one = zipfile.ZipFile(io.BytesIO(analyst_client.get(f"/workbench/download.zip?v={v1.id}").data))
    assert one.namelist() == ["processes/transfer.bpmn"] and one.read("processes/transfer.bpmn").decode() == TRANSFER


def test_the_draft_page_shows_problems_and_refuses_to_publish(analyst_client):
    broken = TRANSFER.replace('name="firm"', 'name="frim"', 1)
    page = analyst_client.post(
        "/workbench/files/bpmn/transfer.bpmn/draft", data={"action": "save", "content": broken}
    ).get_data(as_text=True)
    assert "不是已知角色" in page and "检查未通过" in page
    resp = analyst_client.post("/workbench/files/bpmn/transfer.bpmn/draft", data={"action": "publish"})
    assert resp.status_code == 422 and len(versions_of("bpmn", "transfer.bpmn")) == 1


def test_the_draft_page_shows_the_conflict_and_rebases(analyst_client, world):
    analyst_client.post("/workbench/files/bpmn/transfer.bpmn/draft", data={"action": "save", "content": EDITED})
    live = live_version("bpmn", "transfer.bpmn")
    publish("bpmn", "transfer.bpmn", TRANSFER + "\n", live.id, world.admin, "别人", "web")
    db.session.commit()
    resp = analyst_client.post("/workbench/files/bpmn/transfer.bpmn/draft", data={"action": "publish"})
    assert resp.status_code == 409 and 'id="conflict"' in resp.get_data(as_text=True)
    analyst_client.post("/workbench/files/bpmn/transfer.bpmn/draft", data={"action": "rebase"})
    resp = analyst_client.post("/workbench/files/bpmn/transfer.bpmn/draft", data={"action": "publish", "comment": "x"})
    assert resp.status_code == 302 and live_version("bpmn", "transfer.bpmn").content == EDITED


def test_a_start_finding_the_database_busy_tries_again_and_never_fails(app, world, monkeypatch):
    """Found walking scripts/run: the web and the scheduler imported together into one SQLite file, the loser's
    insert met 'database is locked' and the web process died at start."""
    from sqlalchemy.exc import OperationalError

    from app.workbench import live

    real, calls = live.import_files, []

    def busy_once(sources):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return real(sources)

    monkeypatch.setattr(live, "import_files", busy_once)
    live.start(app)
    assert len(calls) == 2 and live_version("bpmn", "transfer.bpmn") is not None
    monkeypatch.setattr(live, "import_files", lambda sources: (_ for _ in ()).throw(OperationalError("x", {}, None)))
    live.start(app, attempts=2)  # gives up quietly: the files keep running


def test_a_draft_typed_in_the_browser_keeps_the_files_line_endings(analyst_client):
    """A browser's text area sends CRLF; stored as such, a one-line change diffed as every line changed (found
    walking the workbench as an analyst)."""
    live = analyst_client.get("/workbench/api/files/bpmn/transfer.bpmn").get_json()["live"]["content"]
    edited = live.replace("转所申请", "转所申请（新）", 1).replace("\n", "\r\n")
    analyst_client.post("/workbench/files/bpmn/transfer.bpmn/draft", data={"action": "save", "content": edited})
    draft = analyst_client.get("/workbench/api/files/bpmn/transfer.bpmn").get_json()["draft"]["content"]
    assert "\r" not in draft and draft == live.replace("转所申请", "转所申请（新）", 1)
