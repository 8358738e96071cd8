"""Integers from URLs and query strings bounded to what the database stores: too large is a 404 or 422, never a 500."""

from typing import Any

from werkzeug.routing import Map
from werkzeug.routing.converters import IntegerConverter

# Every id column is an `integer` (PostgreSQL int4); a larger number names nothing and overflows the driver.
MAX_ID = 2**31 - 1
# 100,000 pages of 20 rows: far past any real list, and (page - 1) × 20 still fits every OFFSET.
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: 1 … MAX_ID, so `/tasks/192084346265589350400` is a plain 404."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID, **kw: Any):
        super().__init__(map, fixed_digits, min, max, **kw)


def page_number(text: str) -> int:
    """`request.args.get("page", 1, type=page_number)`: a page out of 1 … MAX_PAGE falls back to the default."""
    value = int(text)
    if not 1 <= value <= MAX_PAGE:
        raise ValueError(text)
    return value


def record_id(text: str) -> int:
    """`request.form.get("firm_id", type=record_id)`: an id out of 1 … MAX_ID counts as missing."""
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise ValueError(text)
    return value


def calendar_year(text: str) -> int:
    """`request.args.get("year", type=calendar_year)`: a year a date can have (1 … 9999), else the default."""
    value = int(text)
    if not 1 <= value <= 9999:
        raise ValueError(text)
    return value
