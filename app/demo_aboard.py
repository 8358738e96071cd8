"""Demo data of issue 14 (existing members come aboard): firms and members imported through the real import jobs,
a 2026 inspection round of the Shanghai association with a failure, arrears, a suspension. Loaded by init-demo into
a new or existing demo database (not into the tests' demo world, whose counts the other tests read)."""

import csv
import io
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from stdnum.cn import ric, uscc

from app import clock
from app.accounts.models import User
from app.admin.imports import IMPORT_KINDS, run_import_job
from app.admin.models import ImportJob
from app.extensions import db
from app.members import records
from app.organizations.models import Organization

FIRM_BJ, FIRM_SH = "北京原平台资产评估有限公司", "上海原平台资产评估有限公司"
# mobile on record, name, ID base (17 digits), kind, firm, association, old login name, credit record
MEMBERS = [
    ("13800000061", "周原平", "11010819820606001", "正式执业会员", FIRM_BJ, "", "zhouyp", "2022-06 警告（示例）"),
    ("13800000062", "吴换号", "11010819830707002", "正式执业会员", FIRM_BJ, "", "wuhh", ""),
    ("13800000063", "郑改号", "11010819840808003", "见习执业会员", FIRM_BJ, "", "zhenggh", ""),
    ("13800000064", "冯年检", "31010819850909004", "正式执业会员", FIRM_SH, "", "fengnj", ""),
    ("13800000065", "陈欠费", "31010819861010005", "非执业会员", "", "上海市资产评估协会", "chenqf", ""),
    ("13800000066", "林暂停", "11010819871111006", "正式执业会员", FIRM_BJ, "", "linzt", "2025-03 通报批评（示例）"),
]
# these three have already taken over their accounts on the platform (demo password), to show the records' effects
READY = ("13800000064", "13800000065", "13800000066")


def code(base: str) -> str:
    return base + uscc.calc_check_digit(base)


def id_number(base: str) -> str:
    return base + ric.calc_check_digit(base + "0")


def aboard_demo_loaded() -> bool:
    return db.session.scalar(select(Organization.id).where(Organization.name == FIRM_BJ)) is not None


def _import(admin: User, kind: str, rows: Sequence[Sequence[str]], name: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([IMPORT_KINDS[kind].columns, *rows])
    job = ImportJob(kind=kind, filename=name, created_by_id=admin.id)
    db.session.add(job)
    db.session.flush()
    done = run_import_job(job.id, buffer.getvalue().encode("gbk"))  # as Excel on Chinese Windows saves it
    assert done.status == "done", done.report


def load_aboard_demo(password: str) -> bool:
    """False when already there. `password`: the demo password of the members who took over their accounts."""
    if aboard_demo_loaded():
        return False
    admin = db.session.scalar(select(User).where(User.is_admin))
    assert admin is not None
    firms = [
        (FIRM_BJ, code("91110108MA01ABAA0"), "北京资产评估协会", "公司制", "北京市海淀区示例路 1 号", "周法人", ""),
        (FIRM_SH, code("91310104MA1FRA0B0"), "上海市资产评估协会", "合伙制", "上海市徐汇区示例路 2 号", "冯法人", ""),
    ]
    _import(admin, "firms", firms, "原平台机构.csv")
    codes = {name: credit_code for name, credit_code, *_rest in firms}
    members = [
        (
            f"20120000{60 + i}",
            name,
            id_number(base),
            mobile,
            kind,
            codes.get(firm, ""),
            association,
            "否",
            "2012-03-01",
            "",
            login,
            credit,
        )
        for i, (mobile, name, base, kind, firm, association, login, credit) in enumerate(MEMBERS, start=1)
    ]
    _import(admin, "members", members, "原平台会员.csv")
    for user in db.session.scalars(select(User).where(User.mobile.in_(READY))):
        user.set_password(password)
        user.claimed_at = user.verified_at = clock.now()
    _records(admin)
    db.session.flush()
    return True


def _records(admin: User) -> None:
    shanghai = db.session.scalar(select(Organization).where(Organization.name == "上海市资产评估协会"))
    assert shanghai is not None
    round_ = records.open_inspection_round(admin, shanghai.id, clock.today().year)
    records.set_inspection_results(
        admin, round_, {"2012000064": ("failed", "未按期提交年检材料（示例）"), "2012000065": ("passed", "")}
    )
    arrears = records.member_by_number("2012000065")
    records.record_dues(admin, arrears, clock.today().year - 2, 800, True)
    records.record_dues(admin, arrears, clock.today().year - 1, 800, False)
    today = clock.today()
    records.sanction_member(
        admin,
        records.member_by_number("2012000066"),
        "suspension",
        "未按规定参加继续教育（示例）",
        today - timedelta(days=30),
        today + timedelta(days=150),
    )
