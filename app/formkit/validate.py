"""Server-side validation of form data: JSON Schema plus the platform's own rules, in Chinese."""

from typing import Any

from flask_babel import gettext
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from app.formkit.parse import PDF_MIME
from app.formkit.spec import CHOICE_WIDGETS, FormSpec, Option, as_text

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
        return "表单内容不完整或不一致，请检查后再提交"
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
        "minLength": f"{label}至少 {limit} 个字符",
        "maxLength": f"{label}最多 {limit} 个字符",
        "enum": f"{label}的选项无效",
        "const": f"{label}的值无效",
        "minimum": f"{label}不能小于 {_number(limit)}",
        "maximum": f"{label}不能大于 {_number(limit)}",
        "exclusiveMinimum": f"{label}须大于 {_number(limit)}",
        "exclusiveMaximum": f"{label}须小于 {_number(limit)}",
    }
    return messages.get(keyword, f"{label}格式不正确")


def _required_message(widget: str, label: str) -> str:
    if widget == "attachments":
        return f"请上传{label}"
    if widget == "checkbox":
        return f"请勾选{label}"
    if widget in CHOICE_WIDGETS:
        return f"请选择{label}"
    return f"请填写{label}"


def _format_message(format_name: str, label: str) -> str:
    if format_name == "date":
        return f"{label}须为有效日期（如 2024-05-01）"
    if format_name in ("email", "idn-email"):
        return f"{label}须为有效的电子邮箱地址（如 name@example.com）"
    return f"{label}格式不正确"


def _items_message(keyword: str, widget: str, label: str, limit: int) -> str:
    unit = ("上传", "个文件") if widget == "attachments" else ("选择", "项")
    bound = "至少" if keyword == "minItems" else "最多"
    return f"{label}{bound}{unit[0]} {limit} {unit[1]}"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _option_refusal(spec: FormSpec, name: str, value: Any, choices: list[Option]) -> str | None:
    chosen = next((o for o in choices if as_text(o.value) == as_text(value)), None)
    if chosen is None:
        return f"{spec.label(name)}的选项无效"
    return chosen.disabled_reason


def _attachment_refusal(spec: FormSpec, name: str, attachments: list[dict[str, Any]]) -> str | None:
    label = spec.label(name)
    pdfs = sum(1 for a in attachments if a.get("mime") == PDF_MIME)
    images = len(attachments) - pdfs
    if pdfs and spec.field_ui(name).get("accept") == "image":
        return f"{label}只接受 PNG/JPG/JPEG 图片，请删除 PDF 文件"
    if pdfs and images:
        choice = f"最多 {MAX_IMAGES_PER_SLOT} 张图片（按页序）或 1 个 PDF 文件"
        return f"{label}不能同时包含图片和 PDF：请上传{choice}"
    if pdfs > 1:
        return f"{label}只能上传 1 个 PDF 文件（多页材料请合并为一个 PDF）"
    if images > MAX_IMAGES_PER_SLOT:
        return f"{label}最多上传 {MAX_IMAGES_PER_SLOT} 张图片"
    return None
