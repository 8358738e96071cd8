"""Server-side HTML for a form (editable or read-only) and display values for reviewers."""

from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from flask_babel import get_translations, gettext
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from app.formkit.parse import PDF_MIME
from app.formkit.spec import CHOICE_WIDGETS, FormSpec, Option, as_text, field_type, ui_text
from app.formkit.validate import FORM_ERROR_KEY, MAX_IMAGES_PER_SLOT
from app.i18n import translate_data

FILE_URL = "/files/{id}"
ACCEPT_ATTRIBUTES = {
    "image": "image/png,image/jpeg,.png,.jpg,.jpeg",
    "image_or_pdf": "image/png,image/jpeg,.png,.jpg,.jpeg,application/pdf,.pdf",
}
INPUT_TYPES = {"text": "text", "email": "email", "tel": "tel", "date": "date", "number": "number"}

# Its own environment, so read-only forms render without an app or request context.
_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.i18n"],
)
# `_()` as in the app's templates: the page's language in a request, Chinese (the source text) outside one
_env.install_gettext_callables(  # type: ignore[attr-defined]
    lambda s: get_translations().ugettext(s), lambda s, p, n: get_translations().ungettext(s, p, n), newstyle=True
)
_env.filters["tr"] = translate_data


def _t(text: str, **values: Any) -> str:
    """gettext where there is an app (the page's language); the Chinese source text where there is none."""
    return gettext(text, **values) if has_app_context() else text % values


_env.globals["_"] = _t


def render_form(
    spec: FormSpec,
    data: dict[str, Any],
    errors: dict[str, str],
    *,
    options: dict[str, list[Option]] | None = None,
    readonly: bool = False,
    search_urls: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Markup:
    """The form's notice and fields in layout order; the caller supplies <form>, CSRF and buttons.

    A choice field named in `search_urls` is a combobox searching that URL (`?q=`) instead of a <select> listing
    every option: its `options` need only hold the current value, to name it (5,000 filed firms: issue 13, 16);
    `typed` is the text a refused submission's combobox held without a choice, shown again."""
    options = options or {}
    search_urls = search_urls or {}
    typed = typed or {}
    if readonly:
        rows = [_display_row(spec, name, data.get(name), options.get(name)) for name in spec.order]
        return Markup(_env.get_template("formkit/readonly.html").render(rows=rows))
    fields = [_shown_field(spec, name, data, errors, options, search_urls, typed) for name in spec.order]
    html = _env.get_template("formkit/form.html").render(
        notice=spec.notice, form_error=errors.get(FORM_ERROR_KEY), fields=fields
    )
    return Markup(html)


def _shown_field(
    spec: FormSpec,
    name: str,
    data: dict[str, Any],
    errors: dict[str, str],
    options: dict[str, list[Option]],
    search_urls: dict[str, str],
    typed: dict[str, str],
) -> dict[str, Any]:
    field = _field(spec, name, data.get(name), errors.get(name), options.get(name)) | _requirement(spec, name, data)
    if name in search_urls:
        field |= _searched(data.get(name), options.get(name), search_urls[name], typed.get(name))
    return field


def display_values(
    spec: FormSpec, data: dict[str, Any], *, options: dict[str, list[Option]] | None = None
) -> list[tuple[str, Any]]:
    """(label, value as a reviewer reads it) per shown field; None when the field was left empty."""
    options = options or {}
    return [
        (row["label"], row["value"])
        for row in (_display_row(spec, name, data.get(name), options.get(name)) for name in spec.order)
    ]


def _display_row(spec: FormSpec, name: str, value: Any, choices: list[Option] | None) -> dict[str, Any]:
    row: dict[str, Any] = {"label": spec.label(name), "files": None, "value": value}
    if value is None or value == [] or value == "":
        row["value"] = None
    elif spec.widget(name) == "attachments":
        row["files"] = [_file(a) for a in value]
    elif isinstance(value, bool):
        row["value"] = gettext("是") if value else gettext("否")
    else:
        labels = {as_text(o.value): o.label for o in choices or spec.enum_options(name)}
        row["value"] = labels.get(as_text(value), value)
    return row


def _field(spec: FormSpec, name: str, value: Any, error: str | None, choices: list[Option] | None) -> dict:
    ui = spec.field_ui(name)
    prop = spec.properties[name]
    widget = spec.widget(name)
    field_id = f"f-{name}"
    described = [f"{field_id}-help" if ui.get("help") else "", f"{field_id}-error" if error else ""]
    field: dict[str, Any] = {
        "name": name,
        "id": field_id,
        "label": spec.label(name),
        "widget": widget,
        "required": spec.is_required(name),
        "required_note": _required_note(spec, name),
        "help": ui_text(ui.get("help")),
        "error": error or "",
        "describedby": " ".join(d for d in described if d),
        "value": as_text(value) if not isinstance(value, list) else "",
        "attrs": _input_attrs(widget, prop, ui),
        # what the error summary's link moves to: the file chooser of an attachment slot, else the field (a radio
        # group's fieldset: the page script focuses its chosen or first radio)
        "focus_id": f"{field_id}-upload" if widget == "attachments" else field_id,
    }
    if widget in CHOICE_WIDGETS:
        choices = choices if choices is not None else spec.enum_options(name)
        field["options"] = options = [_option(o, field["value"]) for o in choices]
        allowed = [o for o in options if not o["reason"]]
        if field["required"] and len(allowed) == 1 and not any(o["selected"] for o in options):
            allowed[0]["selected"] = True  # the only choice the rules leave (R-JOIN-2: a first applicant's 见习)
        if widget != "radio":
            field["options_html"] = _options_html(options)
    if widget == "attachments":
        accept = ui.get("accept", "image_or_pdf")
        field["files"] = [_file(a) for a in value or []]
        field["accept"] = ACCEPT_ATTRIBUTES[accept]
        field["upload_hint"] = _upload_hint(accept)
        field["max_bytes"] = current_app.config["MEMBERFLOW_MAX_UPLOAD_BYTES"] if has_app_context() else None
        field["crop"] = bool(ui.get("crop"))  # core filings (photo, signature): the manual's 裁切 before upload
    return field


def _searched(value: Any, choices: list[Option] | None, url: str, typed: str | None) -> dict[str, Any]:
    """A combobox's state: the chosen organisation's name in the text box and its id in the hidden input; when the
    value names nothing the field offers (any more), no id, and the text typed if any."""
    current = as_text(value) if not isinstance(value, list) else ""
    chosen = next((o for o in choices or [] if as_text(o.value) == current and not o.disabled_reason), None)
    return {
        "search_url": url,
        "value": as_text(chosen.value) if chosen else "",
        "chosen_label": chosen.label if chosen else (typed or "").strip(),
    }


def render_attachment_lists(spec: FormSpec, data: dict[str, Any]) -> dict[str, str]:
    """Each attachment field's list of kept files as the form shows it: what the page swaps in once the files
    chosen in it have been saved with the draft (autosave)."""
    macro = _env.get_template("formkit/widgets.html").module.attachment_list  # type: ignore[attr-defined]
    return {
        name: str(macro(_field(spec, name, data.get(name), None, None)))
        for name in spec.order
        if spec.widget(name) == "attachments"
    }


def _requirement(spec: FormSpec, name: str, data: dict[str, Any]) -> dict[str, Any]:
    """Whether the field must be filled given what the form holds now, and the if/then/else conditions that change
    that (as the page script reads them: values as posted), so that the `*` and aria-required follow live."""
    conditions = spec.required_when(name)
    by_condition = any(all(k in data and data[k] in vs for k, vs in c.items()) == then for c, then in conditions)
    return {
        "required_now": spec.is_required(name) or by_condition,
        "required_when": [
            {"if": {k: [as_text(v) for v in vs] for k, vs in c.items()}, "then": then} for c, then in conditions
        ],
    }


def _input_attrs(widget: str, prop: dict[str, Any], ui: dict[str, Any]) -> dict[str, Any]:
    """Extra HTML attributes; no `required`, so a draft can be saved half filled (R-JOIN-6)."""
    attrs: dict[str, Any] = {"placeholder": ui_text(ui.get("placeholder")) or None}
    if widget in INPUT_TYPES:
        attrs["type"] = INPUT_TYPES[widget]
    if widget in ("text", "textarea", "email", "tel"):
        attrs["maxlength"] = prop.get("maxLength")
    if widget == "number":
        attrs["step"] = 1 if field_type(prop) == "integer" else "any"
        attrs["min"] = prop.get("minimum")
        attrs["max"] = prop.get("maximum")
    return {k: v for k, v in attrs.items() if v is not None}


def _option(option: Option, current: str) -> dict[str, Any]:
    value = as_text(option.value)
    selected = value == current and not option.disabled_reason  # a refused choice is not shown as chosen
    return {"value": value, "label": option.label, "reason": option.disabled_reason, "selected": selected}


def _options_html(options: list[dict[str, Any]]) -> Markup:
    """A select's <option>s, built here rather than in a template loop: a firm field offers every filed firm
    (5,000 at national scale), and a template's per-option work was most of the task page's time."""
    lines = [f'<option value="">{escape(_t("请选择"))}</option>']
    for o in options:
        reason = o["reason"]
        note = escape(_t("（不可选：%(reason)s）", reason=translate_data(reason))) if reason else ""
        lines.append(
            f'<option value="{escape(o["value"])}"{" selected" if o["selected"] else ""}'
            f"{' disabled' if reason else ''}>{escape(o['label'])}{note}</option>"
        )
    return Markup("\n".join(lines) + "\n")


def _file(attachment: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": attachment["id"],
        "name": attachment["name"],
        "url": FILE_URL.format(id=attachment["id"]),
        "is_pdf": attachment.get("mime") == PDF_MIME,
    }


def _required_note(spec: FormSpec, name: str) -> str:
    """When a conditionally required field must be filled, as the form's rules say (if/then/else)."""
    notes = []
    for condition, required_if in spec.required_when(name):
        parts = []
        for field, values in condition.items():
            label = spec.label(field)
            if values == [True]:
                parts.append(_t("勾选「%(label)s」", label=label))
            elif values == [False]:
                parts.append(_t("未勾选「%(label)s」", label=label))
            else:
                names = {as_text(o.value): o.label for o in spec.enum_options(field)}
                chosen = "、".join(f"「{names.get(as_text(v), as_text(v))}」" for v in values)
                parts.append(_t("%(label)s选择%(chosen)s", label=label, chosen=chosen))
        condition_text = "，".join(parts)
        notes.append(
            _t("%(condition)s时必填", condition=condition_text)
            if required_if
            else _t("%(condition)s时无需填写", condition=condition_text)
        )
    return "；".join(notes)


def _upload_hint(accept: str) -> str:
    if accept == "image":
        return gettext("可上传最多 %(n)d 张 PNG/JPG/JPEG 图片（按页序上传）", n=MAX_IMAGES_PER_SLOT)
    return gettext("可上传最多 %(n)d 张 PNG/JPG/JPEG 图片（按页序上传），或 1 个 PDF 文件", n=MAX_IMAGES_PER_SLOT)
