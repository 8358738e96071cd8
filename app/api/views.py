"""The /api/v1 blueprint and the parsing every resource module shares: query arguments, JSON bodies."""

import json
import math
from typing import Any

from flask import Blueprint, request
from flask_babel import gettext
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from app.errors import DomainError, Invalid

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Form data is a flat object of short values and attachment references (object → list → object → value):
# a few KB in practice. The caps refuse, before any service runs, a body built to exhaust the parser.
MAX_JSON_BYTES = 256 * 1024
MAX_JSON_DEPTH = 8


class TooLarge(DomainError):
    status = 413


def load_args(schema: Schema) -> dict[str, Any]:
    """Query arguments checked by `schema`; a bad one is a 422 naming the argument in Chinese."""
    try:
        return schema.load(request.args)
    except ValidationError as err:
        fields = err.messages if isinstance(err.messages, dict) else {}
        raise Invalid(gettext("请求参数不正确"), {name: f"参数「{name}」的取值无效" for name in fields}) from err


def json_object() -> dict[str, Any]:
    """The request body, which must be a JSON object (form data: field name → value), of bounded size and depth."""
    if not request.is_json:
        raise DomainError(gettext("请求体须为 JSON 对象（Content-Type: application/json）"))
    request.max_content_length = MAX_JSON_BYTES  # a longer body is refused before it is read
    try:
        body = json.loads(request.get_data(cache=False), parse_float=_finite, parse_constant=_finite)
    except RequestEntityTooLarge as err:
        raise TooLarge(f"请求体过大（不超过 {MAX_JSON_BYTES // 1024} KB）") from err
    except (ValueError, RecursionError):  # RecursionError: nested past the interpreter's limit
        body = None
    if not isinstance(body, dict):
        raise DomainError(gettext("请求体须为 JSON 对象（Content-Type: application/json）"))
    if _depth(body) > MAX_JSON_DEPTH:
        raise DomainError(f"请求体嵌套过深（不超过 {MAX_JSON_DEPTH} 层）")
    return body


def _finite(text: str) -> float:
    """NaN, Infinity and 1e999 are no JSON a database column can store back (PostgreSQL refuses them)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON (a scalar is 0), walked without recursion and stopping past the cap."""
    deepest, stack = 0, [(value, 0)]
    while stack and deepest <= MAX_JSON_DEPTH:
        node, level = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is not None:
            deepest = max(deepest, level + 1)
            stack.extend((child, level + 1) for child in children)
    return deepest
