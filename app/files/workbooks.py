"""Lists as Excel workbooks (issue 15): a list export names its sheet, columns, row count and rows; written in one
streaming pass (openpyxl write-only), capped, with the progress reported as it goes. No knowledge of what is listed."""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the most rows one workbook holds; beyond, a note row says to narrow the filter (never a timeout: large ones are
# written in the background)
MAX_ROWS = 100_000
CHUNK = 1000  # rows read per query, and how often progress is reported


@dataclass
class ListExport:
    """What one list export writes; `rows(limit)` yields at most `limit` rows, `count(cap)` counts up to `cap`."""

    sheet: str
    headers: list[str]
    count: Callable[[int], int]
    rows: Callable[[int], Iterable[list[object]]]
    audit_action: str
    audit_details: dict[str, Any] = field(default_factory=dict)


def write_workbook(export: ListExport, progress: Callable[[int], None] | None = None) -> tuple[bytes, int]:
    """The workbook's bytes and how many rows it holds (a note row follows when the cap cut the list)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(export.sheet)
    sheet.append(export.headers)
    count = 0
    for row in export.rows(MAX_ROWS):
        sheet.append(row)
        count += 1
        if progress is not None and count % CHUNK == 0:
            progress(count)
    if count >= MAX_ROWS:
        sheet.append([_("仅导出前 %(n)d 行，请缩小筛选范围后分批导出", n=MAX_ROWS)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count


def in_chunks(rows: Iterable[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
