"""The /api/v1 blueprint and the parsing every resource module shares: query arguments, JSON bodies."""

from typing import Any

from flask import Blueprint, request
from marshmallow import Schema, ValidationError

from app.errors import DomainError, Invalid

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def load_args(schema: Schema) -> dict[str, Any]:
    """Query arguments checked by `schema`; a bad one is a 422 naming the argument in Chinese."""
    try:
        return schema.load(request.args)
    except ValidationError as err:
        fields = err.messages if isinstance(err.messages, dict) else {}
        raise Invalid("请求参数不正确", {name: f"参数「{name}」的取值无效" for name in fields}) from err


def json_object() -> dict[str, Any]:
    """The request body, which must be a JSON object (form data: field name → value)."""
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict):
        raise DomainError("请求体须为 JSON 对象（Content-Type: application/json）")
    return body
