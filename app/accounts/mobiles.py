"""The one parser of mobile numbers (forms, API, login, SMS): 11 ASCII digits, nothing after them.

`\\d` would accept full-width and Arabic-Indic digits and `$` a trailing newline; such a number is another
string in the database yet the same phone to an SMS gateway, which bypassed the daily code cap (R-ACC-4)."""

import re

MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
MOBILE_ERROR = "请输入 11 位中国大陆手机号码"


def parse_mobile(value: str) -> str | None:
    """The number without surrounding spaces, or None if it is not a mainland mobile number."""
    value = value.strip(" \t")
    return value if MOBILE.fullmatch(value) else None
