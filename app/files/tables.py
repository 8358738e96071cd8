"""Import files as rows: CSV (UTF-8 or GBK) or Excel .xlsx, checked for size, columns and formulas; and the
downloadable templates. No database: the owning package validates each row's meaning."""

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook

from app.errors import Invalid

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # 50,000 members are about 8 MB of CSV
MAX_IMPORT_ROWS = 60_000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    rows: list[dict[str, str]]  # column title -> text, stripped; row numbers as in the file: index + 2


def _refuse(message: str) -> Invalid:
    return Invalid(message, {"file": message})


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; else GBK (GB18030, its superset), as Excel on Chinese Windows saves CSV."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(_("文件编码无法识别：请保存为 UTF-8 或 GBK 编码的 CSV，或 Excel（.xlsx）文件"))


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise _refuse(_("文件内容不是文本表格：请上传 CSV 或 Excel（.xlsx）文件"))
    yield from csv.reader(io.StringIO(text, newline=""))


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as err:  # openpyxl raises many kinds for a damaged or disguised file
        raise _refuse(_("Excel 文件无法读取，请使用下载的模板另存为 .xlsx")) from err
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        cells = []
        for value in row:
            if isinstance(value, str) and value.startswith("="):
                raise _refuse(_("文件含有公式，请将公式单元格粘贴为数值后再上传"))
            cells.append("" if value is None else _cell_text(value))
        yield cells
    book.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "isoformat"):  # datetime from a date cell
        return value.date().isoformat()  # type: ignore[attr-defined]
    return str(value)


def read_table(data: bytes, columns: Sequence[str], required: Sequence[str]) -> Table:
    """The rows of an import file whose first row names exactly `columns` (in any order; extra empty columns
    are ignored). Refused as a whole: too large, unreadable, wrong columns, a formula in any cell."""
    if len(data) > MAX_IMPORT_BYTES:
        raise _refuse(_("文件超过 %(mb)d MB，请分成多个文件导入", mb=MAX_IMPORT_BYTES // (1024 * 1024)))
    rows = _xlsx_rows(data) if data.startswith(XLSX_MAGIC) else _csv_rows(data)
    header = [h.strip() for h in next(rows, [])]
    while header and not header[-1]:
        header.pop()
    missing = [c for c in required if c not in header]
    unknown = [h for h in header if h not in columns]
    if missing or unknown or len(set(header)) != len(header):
        detail = _("缺少列：%(missing)s", missing="、".join(missing) or _("无"))
        detail += "；" + _("无法识别的列：%(unknown)s", unknown="、".join(unknown) or _("无"))
        raise _refuse(_("表头与模板不符（%(detail)s），请使用下载的模板", detail=detail))
    out: list[dict[str, str]] = []
    for cells in rows:
        if not any(c.strip() for c in cells):
            out.append({})  # keeps the numbering of the rows after it; skipped by the importers
            continue
        if len(out) >= MAX_IMPORT_ROWS:
            raise _refuse(_("文件超过 %(n)d 行，请分成多个文件导入", n=MAX_IMPORT_ROWS))
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        if any(v.startswith("=") for v in row.values()):
            raise _refuse(_("文件含有公式，请将公式单元格粘贴为数值后再上传"))
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return Table(out)


def csv_template(columns: Sequence[str], example: Sequence[str]) -> bytes:
    """UTF-8 with BOM, so that Excel opens the Chinese titles correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerow(example)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_template(columns: Sequence[str], example: Sequence[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(columns))
    sheet.append(list(example))
    for cell in sheet[2]:
        cell.number_format = "@"  # text: ID and mobile numbers keep their digits
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
