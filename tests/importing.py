"""Building import files in tests: valid ID numbers and credit codes, CSV and xlsx bytes, a file run inline."""

import csv
import io

from openpyxl import Workbook
from stdnum.cn import ric, uscc

from app.admin import imports
from app.admin.models import ImportJob
from app.extensions import db

MEMBER_COLUMNS = imports.member_imports.COLUMNS
FIRM_COLUMNS = imports.firm_imports.COLUMNS


def id_number(serial: int, birth: str = "19800101") -> str:
    body = f"110105{birth}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def credit_code(serial: int) -> str:
    body = f"9111010{serial:010d}"
    return body + uscc.calc_check_digit(body)


def member_row(serial: int, firm_code: str, **overrides: str) -> dict[str, str]:
    row = {
        "会员编号": f"20150{serial:05d}",
        "姓名": "导入会员",
        "证件号码": id_number(serial % 1000, birth=f"19{60 + serial // 1000 % 40:02d}01{1 + serial // 40000 % 28:02d}"),
        "手机号": f"135{serial:08d}",
        "会员类型": "正式执业会员",
        "所在机构统一社会信用代码": firm_code,
        "所属地方协会": "",
        "协会代管": "否",
        "入会日期": "2015-03-01",
        "执业开始日期": "2015-03-01",
        "原平台用户名": f"old{serial}",
        "信用档案": "",
    }
    return {**row, **overrides}


def csv_bytes(columns, rows, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(columns, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_import(actor, kind: str, data: bytes, filename: str = "file.csv") -> ImportJob:
    job = imports.submit_import(actor, kind, filename, data)
    db.session.commit()
    return job
