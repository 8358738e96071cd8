"""What every importer returns and shares: refused rows with their reason, counts, progress callback."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

Progress = Callable[[int], None]  # rows checked so far


@dataclass
class Outcome:
    """Refused rows keep their file row number (the title row is 1); with any refusal nothing is written."""

    total: int = 0
    created: int = 0
    updated: int = 0
    refused: list[dict[str, object]] = field(default_factory=list)

    def refuse(self, row: int, reason: str) -> None:
        self.refused.append({"row": row, "reason": reason})


Row = dict[str, str]


def counted_rows(rows: list[Row], progress: Progress, outcome: Outcome) -> Iterator[tuple[int, Row]]:
    """The file's non-empty rows with their index, reporting progress every 1,000 rows and counting each in
    `outcome.total`; a row's number in the file (for a refusal) is index + 2, the title row being 1."""
    for index, row in enumerate(rows):
        if index % 1000 == 0:
            progress(index)
        if not row:
            continue
        outcome.total += 1
        yield index, row


def parse_day(text: str) -> date | None:
    """2024-03-01, 2024/3/1 or 2024.3.1; None when empty or not a date."""
    for sep in ("-", "/", "."):
        parts = text.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                return None
    return None


def yes_no(text: str) -> bool | None:
    """是/否 (also 1/0, Y/N); None for anything else."""
    value = text.strip().upper()
    if value in ("是", "1", "Y", "YES", "TRUE"):
        return True
    if value in ("否", "0", "N", "NO", "FALSE", ""):
        return False
    return None


def duplicate_reason(column: str, first_row: int) -> str:
    return _("%(column)s与第 %(row)d 行重复", column=column, row=first_row)


def chunks(values: list, size: int = 900) -> list[list]:
    """IN-lists small enough for every database (SQLite's variable limit)."""
    return [values[i : i + size] for i in range(0, len(values), size)]
