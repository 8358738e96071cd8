"""Turn a posted HTML form (strings and uploads) into typed data shaped by the form's JSON Schema."""

import math
from collections.abc import Callable
from typing import Any

from flask_babel import gettext
from werkzeug.datastructures import FileStorage, MultiDict

from app.errors import Invalid
from app.formkit.spec import FormSpec, field_type

PDF_MIME = "application/pdf"
TRUE_STRINGS = frozenset({"on", "true", "1", "yes", "y"})

# stores one upload of the named field and gives the field's value for it ({"id", "name", "mime"})
Store = Callable[[FileStorage, str], dict[str, Any]]


def parse_form(
    spec: FormSpec,
    form: MultiDict,
    files: MultiDict,
    previous: dict[str, Any],
    store: Store,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed data for the fields the form shows, and the messages of uploads `store` refused.

    Values that do not convert (e.g. "abc" for an integer) are kept as posted so that validation
    reports them; attachments start from `previous`, so a draft keeps its files across posts, and a file `store`
    answers with one the field already holds (the same content kept by the autosave) is not added twice.
    """
    data: dict[str, Any] = {}
    upload_errors: dict[str, str] = {}
    for name in spec.order:
        if spec.widget(name) == "attachments":
            attachments, error = _parse_attachments(spec, name, form, files, previous, store)
            if attachments:
                data[name] = attachments
            if error:
                upload_errors[name] = error
            continue
        value = _parse_value(spec.properties[name], spec.widget(name), form.get(name))
        if value is not None:
            data[name] = value
    return data, upload_errors


def _parse_value(prop: dict[str, Any], widget: str, raw: str | None) -> Any:
    kind = field_type(prop)
    if kind == "boolean" and widget == "checkbox":
        # An unticked checkbox posts nothing: that is the only way to say "no".
        return (raw or "").strip().lower() in TRUE_STRINGS
    text = (raw or "").strip()
    if not text:
        return None
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.lower(), text)
    if kind == "integer":
        return _to_int(text)
    if kind == "number":
        return _to_number(text)
    return text


def _to_int(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text


def _to_number(text: str) -> int | float | str:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def _parse_attachments(
    spec: FormSpec, name: str, form: MultiDict, files: MultiDict, previous: dict[str, Any], store: Store
) -> tuple[list[dict[str, Any]], str | None]:
    removed = set(form.getlist(f"{name}__remove"))
    kept = _in_page_order(previous.get(name) or [], form.getlist(f"{name}__order"))
    kept = [a for a in kept if str(a["id"]) not in removed]
    errors: list[str] = []
    images_only = spec.field_ui(name).get("accept") == "image"
    for upload in files.getlist(name):
        if not upload or not upload.filename:
            continue
        try:
            value = store(upload, name)
        except Invalid as exc:
            errors.append(exc.message)
            continue
        if images_only and value["mime"] == PDF_MIME:
            errors.append(
                gettext(
                    "文件「%(file)s」不是图片，%(label)s只接受 PNG/JPG/JPEG 图片",
                    file=value["name"],
                    label=spec.label(name),
                )
            )
            continue
        if all(a["id"] != value["id"] for a in kept):
            kept.append(value)
    return kept, "；".join(errors) or None


def _in_page_order(attachments: list[dict[str, Any]], order: list[str]) -> list[dict[str, Any]]:
    """The stored files in the page order the person arranged (R-JOIN-5: `<name>__order`, one file id per entry,
    as the page lists them). Ids naming no file of this field are ignored, so nobody's file can be slipped in;
    files the posted order does not name (uploaded from another tab meanwhile) keep their place after it."""
    rank = {file_id: i for i, file_id in enumerate(dict.fromkeys(order))}
    return sorted(attachments, key=lambda a: rank.get(str(a["id"]), len(rank)))
