"""Issue 15 item 3: the inbox (filters applied) and the done list as .xlsx, each export audited."""

import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.admin.models import AdminAuditEntry
from app.extensions import db
from app.workflow import export
from tests.workflow.inbox_rows import make_inbox_task
from tests.workflow.test_views import login


def sheet_rows(resp):
    book = load_workbook(io.BytesIO(resp.data), read_only=True)
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def test_inbox_export_applies_the_filters_and_is_audited(world, client):
    make_inbox_task(world.applicant, world.local_bj, due_in=-1)
    make_inbox_task(world.returning, world.local_bj, process_id="resign")
    make_inbox_task(world.applicant, world.local_sh)  # another association's: never exported
    db.session.commit()
    login(client, world.local_reviewer)
    resp = client.get("/inbox/export", query_string={"process": "transfer", "due": "overdue"})
    assert resp.status_code == 200 and resp.mimetype == export.XLSX_MIME
    rows = sheet_rows(resp)
    assert rows[0][:4] == ["申请编号", "申请", "申请人", "身份证号"]
    assert [r[2] for r in rows[1:]] == ["张三"] and rows[1][3] == "110105********1239"
    entry = db.session.scalars(select(AdminAuditEntry).where(AdminAuditEntry.action == "export.inbox")).one()
    assert entry.actor_id == world.local_reviewer.id
    assert entry.details == {"filters": {"process": "transfer", "due": "overdue"}, "rows": 1}


def test_a_large_export_stops_at_the_cap_with_a_note(world, client, monkeypatch):
    monkeypatch.setattr(export, "MAX_ROWS", 3)
    monkeypatch.setattr(export, "CHUNK", 2)
    for _ in range(5):
        make_inbox_task(world.applicant, world.local_bj)
    db.session.commit()
    login(client, world.local_reviewer)
    rows = sheet_rows(client.get("/inbox/export"))
    assert len(rows) == 1 + 3 + 1 and "仅导出前 3 行" in rows[-1][0]


def test_done_list_export(world, client):
    from app.workflow import services

    task = make_inbox_task(world.applicant, world.local_bj)
    db.session.commit()
    services.claim_task(task.id, world.local_reviewer)
    task.status, task.completed_by_id, task.completed_at = "completed", world.local_reviewer.id, task.created_at
    db.session.commit()
    login(client, world.local_reviewer)
    rows = sheet_rows(client.get("/inbox/done/export"))
    assert [r[2] for r in rows[1:]] == ["张三"] and rows[1][-1] == "已完成"
    assert db.session.scalars(select(AdminAuditEntry.action)).all() == ["export.done"]
