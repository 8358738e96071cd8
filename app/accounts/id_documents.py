"""Identity documents other than the mainland ID card (issue 14 item 5; the certificate manuals' 证件类型): members
from Hong Kong, Macau, Taiwan or abroad register and are imported with their permit or passport, checked by the
document's format (the mainland ID card by GB 11643 and its check digit; residence permits for Hong Kong, Macau and
Taiwan residents are 18-digit numbers of the same standard and go as 居民身份证/居住证)."""

import re

from flask_babel import gettext
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from app.i18n import N_

ID_TYPES = {
    "id_card": N_("居民身份证"),
    "hk_macau_permit": N_("港澳居民来往内地通行证"),
    "taiwan_permit": N_("台湾居民来往大陆通行证"),
    "passport": N_("护照"),
}
TYPE_BY_LABEL = {label: key for key, label in ID_TYPES.items()} | {"": "id_card", "身份证": "id_card"}
FORMATS = {
    # 回乡证: H (Hong Kong) or M (Macau) and 8 digits (10 on the older cards)
    "hk_macau_permit": (
        re.compile(r"[HM]\d{8}(\d{2})?"),
        N_("港澳居民来往内地通行证号码应为 H 或 M 加 8 位（或 10 位）数字"),
    ),
    # 台胞证: 8 digits (10 on the older booklets)
    "taiwan_permit": (re.compile(r"\d{8}(\d{2})?"), N_("台湾居民来往大陆通行证号码应为 8 位（或 10 位）数字")),
    # passports of any country: letters and digits, 5 to 17 characters (ICAO 9303 document numbers are at most 9;
    # a few countries use longer ones)
    "passport": (re.compile(r"[A-Z0-9]{5,17}"), N_("护照号码应为 5–17 位字母或数字")),
}


def document_error(id_type: str, number: str) -> str | None:
    """Why `number` is not a valid document of `id_type` (already normalised: stripped, upper case), or None."""
    if id_type == "id_card":
        return id_number_error(number)
    if id_type not in FORMATS:
        return gettext("请选择证件类型")
    pattern, message = FORMATS[id_type]
    return None if pattern.fullmatch(number) else gettext(message)


def id_number_error(id_number: str) -> str | None:
    """GB 11643: 18 characters, a real birth date, and the check digit (python-stdnum checks both)."""
    try:
        ric.validate(id_number)
    except InvalidLength:
        return gettext("身份证号码应为 18 位")
    except InvalidFormat:
        return gettext("身份证号码格式不正确：前 17 位应为数字，最后一位为数字或 X")
    except InvalidChecksum:
        return gettext("身份证号码校验位不正确，请核对最后一位")
    except InvalidComponent:
        return gettext("身份证号码中的出生日期无效")
    return None
