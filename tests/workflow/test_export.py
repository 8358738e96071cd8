"""Issue 15 item 3: the inbox (filters applied), the done list and the member list as .xlsx, each export audited;
a large one in the background with a progress page and a download."""

import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.accounts.models import User
from app.admin import exports
from app.admin.models import AdminAuditEntry, ExportJob
from app.extensions import db
from app.files import workbooks
from app.members.models import Member
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
    assert resp.status_code == 200 and resp.mimetype == workbooks.XLSX_MIME
    rows = sheet_rows(resp)
    assert rows[0][:4] == ["申请编号", "申请", "申请人", "身份证号"]
    assert [r[2] for r in rows[1:]] == ["张三"] and rows[1][3] == "110105********1239"
    entry = db.session.scalars(select(AdminAuditEntry).where(AdminAuditEntry.action == "export.inbox")).one()
    assert entry.actor_id == world.local_reviewer.id
    assert entry.details == {"filters": {"process": "transfer", "due": "overdue"}, "rows": 1}


def test_a_large_export_stops_at_the_cap_with_a_note(world, client, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_ROWS", 3)
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


def test_a_large_export_runs_as_a_job_with_a_progress_page_and_a_download(world, client, monkeypatch):
    monkeypatch.setattr(exports, "INLINE_ROWS", 2)
    for _ in range(5):
        make_inbox_task(world.applicant, world.local_bj, due_in=-1)
    make_inbox_task(world.returning, world.local_bj, due_in=9)
    db.session.commit()
    login(client, world.local_reviewer)
    resp = client.get("/inbox/export", query_string={"due": "overdue"})
    assert resp.status_code == 302 and "/exports/" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已完成：共 5 行" in page and "下载 Excel" in page
    job = db.session.scalars(select(ExportJob)).one()
    assert (job.status, job.total, job.processed) == ("done", 5, 5)
    rows = sheet_rows(client.get(f"/exports/{job.id}/download"))
    assert len(rows) == 1 + 5 and {r[2] for r in rows[1:]} == {"张三"}
    entry = db.session.scalars(select(AdminAuditEntry).where(AdminAuditEntry.action == "export.inbox")).one()
    assert entry.details == {"filters": {"due": "overdue"}, "rows": 5, "background": True}
    login(client, world.other_local_reviewer)  # another person's export is not found
    assert client.get(f"/exports/{job.id}").status_code == 404
    assert client.get(f"/exports/{job.id}/download").status_code == 404


def test_member_list_export_applies_the_search_and_is_audited(world, client):
    login(client, world.local_reviewer)
    rows = sheet_rows(client.get("/association/members/export", query_string={"q": "王五"}))
    assert rows[0][:3] == ["会员编号", "姓名", "身份证号"]
    assert [r[1] for r in rows[1:]] == ["王五"] and "********" in rows[1][2]
    assert rows[1][4] == "北京中和资产评估有限公司"
    entry = db.session.scalars(select(AdminAuditEntry).where(AdminAuditEntry.action == "export.members")).one()
    assert entry.details == {"q": "王五", "rows": 1}
    login(client, world.applicant)  # not association staff
    assert client.get("/association/members/export").status_code == 403


def test_the_member_list_export_carries_what_the_member_keeps_on_their_account_page(world, client):
    # 职务 / 所学专业 / 工作单位 are carried over at approval and kept by the member on /center (R-MEM basic info);
    # the association's list is where staff look for them
    member = db.session.scalars(select(Member).join(User).where(User.mobile == "13800000003")).one()  # 王五
    member.position, member.major, member.employer = "部门经理", "资产评估", None
    db.session.commit()
    login(client, world.local_reviewer)
    rows = sheet_rows(client.get("/association/members/export", query_string={"q": "王五"}))
    header = rows[0]
    assert header[-3:] == ["职务", "所学专业", "工作单位"]
    row = dict(zip(header, rows[1], strict=False))  # a row's empty trailing cells are not written
    assert (row["职务"], row["所学专业"], row.get("工作单位")) == ("部门经理", "资产评估", None)


def test_a_background_export_in_a_thread_finishes(second_app, monkeypatch):
    """The real delivery: a thread of the web process with its own session; the page polls the job row."""
    import time

    from app.accounts.models import User
    from app.demo import load_demo

    monkeypatch.setattr(exports, "INLINE_ROWS", 2)
    monkeypatch.setattr(workbooks, "CHUNK", 2)
    other = second_app("exports", MEMBERFLOW_IMPORT_DELIVERY="thread")
    with other.app_context():
        if db.session.scalar(select(User).where(User.mobile == "13700000001")) is None:
            load_demo()
        reviewer = db.session.scalar(select(User).where(User.mobile == "13700000001"))
        applicant = db.session.scalar(select(User).where(User.mobile == "13800000001"))
        for _ in range(7):
            make_inbox_task(applicant, reviewer.grants[0].organization)
        db.session.commit()
    client = other.test_client()
    client.post("/login", data={"mobile": "13700000001", "password": "Demo@2026"})
    job_url = client.get("/inbox/export").headers["Location"]
    deadline = time.monotonic() + 60
    while "正在导出" in client.get(job_url).get_data(as_text=True) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "已完成：共 7 行" in client.get(job_url).get_data(as_text=True)
    assert len(sheet_rows(client.get(job_url + "/download"))) == 1 + 7
