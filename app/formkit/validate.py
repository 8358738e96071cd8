"""Server-side validation of form data: JSON Schema plus the platform's own rules, in Chinese."""

from typing import Any

from flask_babel import gettext
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from app.formkit.parse import PDF_MIME
from app.formkit.spec import CHOICE_WIDGETS, FormSpec, Option, as_text
from app.i18n import N_

# R-JOIN-5: an attachment slot takes up to 20 images in page order, or exactly one PDF.
MAX_IMAGES_PER_SLOT = 20
# Errors that belong to no single field (e.g. an if/then rule) are reported under this key.
FORM_ERROR_KEY = "_form"


def validate(spec: FormSpec, data: dict[str, Any], *, options: dict[str, list[Option]] | None = None) -> dict[str, str]:
    """One Chinese message per invalid field (keyed by field name); empty when the data is valid."""
    errors: dict[str, str] = {}
    validator = Draft202012Validator(spec.schema, format_checker=FormatChecker())
    for error in sorted(validator.iter_errors(data), key=_priority):
        for name in _fields_of(error):
            errors.setdefault(name, _message(spec, name, error))
    for name, choices in (options or {}).items():
        if name in data and (refusal := _option_refusal(spec, name, data[name], choices)):
            errors[name] = refusal
    for name in spec.order:
        if spec.widget(name) == "attachments" and name not in errors and data.get(name):
            if refusal := _attachment_refusal(spec, name, data[name]):
                errors[name] = refusal
    return errors


def _priority(error: ValidationError) -> int:
    """The most basic complaint about a field wins: missing before wrong type before the rest."""
    order = ("required", "dependentRequired", "type", "const", "enum", "format")
    return order.index(str(error.validator)) if error.validator in order else len(order)


def _fields_of(error: ValidationError) -> list[str]:
    if error.path:
        return [str(error.path[0])]
    instance = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "required":
        return [name for name in error.validator_value if name not in instance]
    if error.validator == "dependentRequired":
        return [
            name
            for trigger, needed in error.validator_value.items()
            if trigger in instance
            for name in needed
            if name not in instance
        ]
    return [FORM_ERROR_KEY]


def _message(spec: FormSpec, name: str, error: ValidationError) -> str:
    if name == FORM_ERROR_KEY:
        return gettext("表单内容不完整或不一致，请检查后再提交")
    keyword = "required" if error.validator == "dependentRequired" else str(error.validator)
    label = spec.label(name)
    custom = spec.field_ui(name).get("errors", {}).get(keyword)
    if custom:
        return gettext(custom).replace("{label}", label)
    widget = spec.widget(name)
    limit = error.validator_value
    if keyword == "required" or (keyword == "const" and widget == "checkbox"):
        return _required_message(widget, label)
    if keyword == "format":
        return _format_message(str(limit), label)
    if keyword in ("minItems", "maxItems"):
        return _items_message(keyword, widget, label, limit)
    messages = {
        "minLength": N_("%(label)s至少 %(limit)s 个字符"),
        "maxLength": N_("%(label)s最多 %(limit)s 个字符"),
        "enum": N_("%(label)s的选项无效"),
        "const": N_("%(label)s的值无效"),
        "minimum": N_("%(label)s不能小于 %(limit)s"),
        "maximum": N_("%(label)s不能大于 %(limit)s"),
        "exclusiveMinimum": N_("%(label)s须大于 %(limit)s"),
        "exclusiveMaximum": N_("%(label)s须小于 %(limit)s"),
    }
    return gettext(messages.get(keyword, N_("%(label)s格式不正确")), label=label, limit=_number(limit))


def _required_message(widget: str, label: str) -> str:
    if widget == "attachments":
        return gettext("请上传%(label)s", label=label)
    if widget == "checkbox":
        return gettext("请勾选%(label)s", label=label)
    if widget in CHOICE_WIDGETS:
        return gettext("请选择%(label)s", label=label)
    return gettext("请填写%(label)s", label=label)


def _format_message(format_name: str, label: str) -> str:
    if format_name == "date":
        return gettext("%(label)s须为有效日期（如 2024-05-01）", label=label)
    if format_name in ("email", "idn-email"):
        return gettext("%(label)s须为有效的电子邮箱地址（如 name@example.com）", label=label)
    return gettext("%(label)s格式不正确", label=label)


def _items_message(keyword: str, widget: str, label: str, limit: int) -> str:
    messages = {
        ("minItems", True): N_("%(label)s至少上传 %(limit)s 个文件"),
        ("maxItems", True): N_("%(label)s最多上传 %(limit)s 个文件"),
        ("minItems", False): N_("%(label)s至少选择 %(limit)s 项"),
        ("maxItems", False): N_("%(label)s最多选择 %(limit)s 项"),
    }
    return gettext(messages[keyword, widget == "attachments"], label=label, limit=limit)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _option_refusal(spec: FormSpec, name: str, value: Any, choices: list[Option]) -> str | None:
    chosen = next((o for o in choices if as_text(o.value) == as_text(value)), None)
    if chosen is None:
        return gettext("%(label)s的选项无效", label=spec.label(name))
    return chosen.disabled_reason


def _attachment_refusal(spec: FormSpec, name: str, attachments: list[dict[str, Any]]) -> str | None:
    label = spec.label(name)
    pdfs = sum(1 for a in attachments if a.get("mime") == PDF_MIME)
    images = len(attachments) - pdfs
    if pdfs and spec.field_ui(name).get("accept") == "image":
        return gettext("%(label)s只接受 PNG/JPG/JPEG 图片，请删除 PDF 文件", label=label)
    if pdfs and images:
        return gettext(
            "%(label)s不能同时包含图片和 PDF：请上传最多 %(n)d 张图片（按页序）或 1 个 PDF 文件",
            label=label,
            n=MAX_IMAGES_PER_SLOT,
        )
    if pdfs > 1:
        return gettext("%(label)s只能上传 1 个 PDF 文件（多页材料请合并为一个 PDF）", label=label)
    if images > MAX_IMAGES_PER_SLOT:
        return gettext("%(label)s最多上传 %(n)d 张图片", label=label, n=MAX_IMAGES_PER_SLOT)
    return None
