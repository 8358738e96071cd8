"""Importing existing firms and members (issue 14 item 1): row-by-row report, all or nothing, re-import updates."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.accounts.models import User
from app.admin.models import AdminAuditEntry, ImportJob
from app.extensions import db
from app.members.models import Member
from app.members.record_models import CreditRecord
from app.organizations.models import Organization
from tests.admin.test_admin_pages import as_user
from tests.importing import (
    FIRM_COLUMNS,
    MEMBER_COLUMNS,
    credit_code,
    csv_bytes,
    id_number,
    member_row,
    run_import,
    xlsx_bytes,
)

FIRM_CODE = credit_code(999)


@pytest.fixture(autouse=True)
def _firm_with_a_valid_code(world):
    """The demo's 北京中和 gets a credit code with a valid check character, as imported members name it."""
    world.firm_bj.credit_code = FIRM_CODE
    db.session.commit()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_templates_download_as_excel_and_csv_with_the_columns(app, world):
    admin = as_user(app, world.admin)
    sheet = load_workbook(io.BytesIO(admin.get("/admin/imports/template/members.xlsx").data)).active
    assert [c.value for c in sheet[1]] == list(MEMBER_COLUMNS)
    text = admin.get("/admin/imports/template/firms.csv").data.decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == list(FIRM_COLUMNS)
    assert as_user(app, world.local_reviewer).get("/admin/imports").status_code == 403


def test_members_import_from_a_gbk_csv_with_accounts_without_passwords(app, world):
    rows = [member_row(i, FIRM_CODE, 信用档案="2021-05 警告；2023-01 通报批评" if i == 1 else "") for i in range(1, 4)]
    admin = as_user(app, world.admin)
    data = csv_bytes(MEMBER_COLUMNS, rows, encoding="gbk")
    resp = admin.post("/admin/imports/members", data={"file": (io.BytesIO(data), "会员.csv")})
    assert resp.status_code == 302
    page = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "新增 3" in page, page[page.index("<main") :]
    member = db.session.scalar(select(Member).where(Member.member_number == "2015000001"))
    user = db.session.get(User, member.user_id)
    assert (member.kind, member.firm_id, member.local_association_id) == ("full", world.firm_bj.id, world.local_bj.id)
    assert user.password_hash == "" and not user.check_password("") and user.imported_at is not None
    assert user.legacy_login == "old1" and user.mobile == "13500000001"
    assert [c.content for c in db.session.scalars(select(CreditRecord).where(CreditRecord.member_id == member.id))] == [
        "2021-05 警告",
        "2023-01 通报批评",
    ]
    entry = db.session.scalars(select(AdminAuditEntry).where(AdminAuditEntry.action == "import.members")).one()
    assert entry.details["created"] == 3


def test_every_refused_row_is_reported_with_its_reason_and_nothing_is_written(app, world):
    bad_id = id_number(7)[:-1] + ("0" if id_number(7)[-1] != "0" else "1")
    rows = [
        member_row(1, FIRM_CODE),
        member_row(2, FIRM_CODE, 证件号码=bad_id),
        member_row(3, credit_code(42)),
        member_row(4, FIRM_CODE, 会员编号="2015000001"),
        member_row(5, FIRM_CODE, 证件号码=member_row(1, FIRM_CODE)["证件号码"]),
        member_row(6, FIRM_CODE[:-1] + "Y"),
        member_row(7, FIRM_CODE, 会员类型="会员"),
    ]
    users_before, members_before = count(User), count(Member)
    job = run_import(world.admin, "members", csv_bytes(MEMBER_COLUMNS, rows))
    assert job.status == "refused"
    reasons = {item["row"]: item["reason"] for item in job.report}
    assert reasons == {
        3: "身份证号码校验位不正确，请核对最后一位",
        4: f"机构不存在：统一社会信用代码 {credit_code(42)} 未在平台备案，请先导入机构",
        5: "会员编号与第 2 行重复",
        6: "证件号码与第 2 行重复",
        7: f"统一社会信用代码 {FIRM_CODE[:-1]}Y 不正确（应为 18 位，且校验位须符合 GB 32100）",
        8: "会员类型应为：见习执业会员、正式执业会员、非执业会员",
    }
    assert (count(User), count(Member)) == (users_before, members_before)  # all or nothing
    page = as_user(app, world.admin).get(f"/admin/imports/jobs/{job.id}").get_data(as_text=True)
    assert "未导入任何数据" in page and "会员编号与第 2 行重复" in page


def test_a_member_number_of_someone_else_or_a_mobile_in_use_is_refused(app, world):
    run_import(world.admin, "members", csv_bytes(MEMBER_COLUMNS, [member_row(1, FIRM_CODE)]))
    rows = [
        member_row(9, FIRM_CODE, 会员编号="2015000001"),
        member_row(10, FIRM_CODE, 手机号=world.applicant.mobile),
    ]
    job = run_import(world.admin, "members", csv_bytes(MEMBER_COLUMNS, rows))
    assert [item["reason"] for item in job.report] == [
        "会员编号 2015000001 已属于另一位会员（证件号码不同）",
        f"手机号 {world.applicant.mobile} 已被其他账号使用",
    ]


def test_reimport_updates_by_member_number(app, world):
    run_import(world.admin, "members", csv_bytes(MEMBER_COLUMNS, [member_row(1, FIRM_CODE, 信用档案="旧记录")]))
    changed = member_row(1, "", 会员类型="非执业会员", 所属地方协会="上海市资产评估协会", 信用档案="新记录")
    job = run_import(world.admin, "members", csv_bytes(MEMBER_COLUMNS, [changed]))
    assert (job.status, job.created, job.updated) == ("done", 0, 1)
    member = db.session.scalar(select(Member).where(Member.member_number == "2015000001"))
    db.session.refresh(member)
    assert (member.kind, member.firm_id, member.local_association_id) == ("non_practicing", None, world.local_sh.id)
    assert [c.content for c in db.session.scalars(select(CreditRecord))] == ["新记录"]
    assert db.session.scalar(select(func.count()).where(Member.member_number == "2015000001")) == 1


def test_firms_import_then_members_of_them_from_excel(app, world):
    firms = [
        {
            "机构名称": "北京导入评估有限公司",
            "统一社会信用代码": credit_code(1),
            "所属地方协会": "北京资产评估协会",
            "组织形式": "公司制",
        },
        {
            "机构名称": "北京导入评估有限公司上海分公司",
            "统一社会信用代码": credit_code(2),
            "所属地方协会": "上海市资产评估协会",
            "总所统一社会信用代码": credit_code(1),
        },
    ]
    job = run_import(world.admin, "firms", xlsx_bytes(FIRM_COLUMNS, firms), "firms.xlsx")
    assert (job.status, job.created) == ("done", 2)
    head = db.session.scalar(select(Organization).where(Organization.credit_code == credit_code(1)))
    branch = db.session.scalar(select(Organization).where(Organization.credit_code == credit_code(2)))
    assert head.filed and head.firm_form == "company" and branch.head_office_id == head.id
    job = run_import(world.admin, "members", xlsx_bytes(MEMBER_COLUMNS, [member_row(1, credit_code(2))]), "m.xlsx")
    assert job.status == "done"
    number = member_row(1, "")["会员编号"]
    assert (
        db.session.scalar(select(Member.local_association_id).where(Member.member_number == number))
        == world.local_sh.id
    )


def test_whole_file_refusals_wrong_columns_formulas_encoding_size(app, world):
    members_before = count(Member)

    def reason(data: bytes) -> str:
        job = run_import(world.admin, "members", data)
        assert job.status == "refused" and job.report[0]["row"] == 0
        return job.report[0]["reason"]

    assert "缺少列：会员编号" in reason("姓名,证件号码\n张三,1\n".encode())
    formula = xlsx_bytes(MEMBER_COLUMNS, [member_row(1, FIRM_CODE, 姓名='=HYPERLINK("x")')])
    assert "公式" in reason(formula)
    assert "公式" in reason(csv_bytes(MEMBER_COLUMNS, [member_row(1, FIRM_CODE, 姓名="=1+1")]))
    assert "编码无法识别" in reason(b"\xff\xfe\x00\x81\x82" * 10)
    assert "Excel 文件无法读取" in reason(b"PK\x03\x04 not really a workbook")
    admin = as_user(app, world.admin)
    big = b"x" * (20 * 1024 * 1024 + 1)
    resp = admin.post("/admin/imports/members", data={"file": (io.BytesIO(big), "big.csv")})
    assert resp.status_code == 422 and "文件超过 20 MB" in resp.get_data(as_text=True)
    assert count(Member) == members_before


def test_a_background_import_reports_progress_and_finishes(second_app):
    """The real delivery: a thread of the web process with its own session, polled through the job's JSON."""
    import time

    from app.demo import load_demo

    other = second_app("imports", MEMBERFLOW_IMPORT_DELIVERY="thread")
    with other.app_context():
        if db.session.scalar(select(User).where(User.is_admin)) is None:  # SQLite: a database file of its own
            load_demo()  # (PostgreSQL: the suite's one database, where this module's fixture loaded the demo)
        firm = db.session.scalar(select(Organization).where(Organization.name == "北京中和资产评估有限公司"))
        firm.credit_code = FIRM_CODE
        admin_mobile = db.session.scalar(select(User.mobile).where(User.is_admin))
        db.session.commit()
    client = other.test_client()
    client.post("/login", data={"mobile": admin_mobile, "password": "Demo@2026"})
    rows = [
        member_row(i, FIRM_CODE, 会员编号=f"T{i:07d}", 手机号=f"147{i:08d}", 证件号码=id_number(i, "19591231"))
        for i in range(1, 1001)
    ]
    resp = client.post("/admin/imports/members", data={"file": (io.BytesIO(csv_bytes(MEMBER_COLUMNS, rows)), "m.csv")})
    status_url = resp.headers["Location"] + ".json"
    deadline = time.monotonic() + 60
    while (state := client.get(status_url).json)["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
    with other.app_context():
        report = db.session.scalars(select(ImportJob.report)).one()
        assert (state["status"], state["total"], state["processed"], state["created"]) == ("done", 1000, 1000, 1000), (
            report
        )
        assert db.session.scalar(select(func.count()).where(Member.member_number.like("T%"))) == 1000


def test_reviewers_see_the_imported_credit_records_for_reference(app, world):
    """R-STA-1: the credit record is shown to reviewers for reference only (members/_record.html)."""
    from app.members.center_views import member_record

    row = member_row(1, FIRM_CODE, 信用档案="2021-05 警告")
    run_import(world.admin, "members", csv_bytes(MEMBER_COLUMNS, [row]))
    user = db.session.scalar(select(User).where(User.id_number == row["证件号码"]))
    assert member_record(user)["credit"] == ["2021-05 警告"]
    html = app.jinja_env.get_template("members/_record.html").render(instance=type("I", (), {"applicant": user}))
    assert "信用档案（仅作参考）" in html and "2021-05 警告" in html


def test_an_import_whose_worker_died_is_marked_failed_when_its_lease_lapses(app, world):
    """A worker killed mid-file leaves its job 导入中; once its heartbeat is older than the lease the pages say it
    failed, and nothing of it was written (the import's one transaction never committed)."""
    from datetime import timedelta

    from app import clock
    from app.admin import imports

    members_before = count(Member)
    job = ImportJob(kind="members", filename="m.csv", created_by_id=world.admin.id, status="running", total=1000)
    db.session.add(job)
    db.session.commit()
    admin = as_user(app, world.admin)

    def state():
        return admin.get(f"/admin/imports/jobs/{job.id}.json").json["status"]

    clock.advance(timedelta(minutes=4))
    imports._write_progress(job.id, 400, 1000)  # the worker's heartbeat with its progress
    clock.advance(timedelta(minutes=4))
    assert state() == "running"  # 8 minutes old, but beating 4 minutes ago: within the 5-minute lease
    clock.advance(timedelta(minutes=1, seconds=1))
    assert state() == "error"
    page = admin.get(f"/admin/imports/jobs/{job.id}")
    assert "Refresh" not in page.headers  # the page stops polling
    assert "导入进程已中断（超过 5 分钟没有进展），未写入任何数据，请重新导入" in page.get_data(as_text=True)
    imports._write_progress(job.id, 500, 1000)  # a late write of a worker thought dead does not revive the job
    db.session.expire_all()
    assert db.session.get(ImportJob, job.id).status == "error"
    assert count(Member) == members_before
    listed = admin.get("/admin/imports").get_data(as_text=True)
    assert "导入中" not in listed
