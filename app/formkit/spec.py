"""A user-task form as analysts write it: a JSON Schema plus a UI layout file, checked on load."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

WIDGETS = frozenset(
    {
        "text",
        "textarea",
        "select",
        "radio",
        "checkbox",
        "date",
        "number",
        "email",
        "tel",
        "attachments",
        "organization",
    }
)
ACCEPTS = frozenset({"image_or_pdf", "image"})
CHOICE_WIDGETS = frozenset({"select", "radio", "organization"})


class FormFileError(Exception):
    """A form file an analyst wrote cannot be used; says which file, which line and why."""

    def __init__(self, file: str, line: int | None, message: str):
        super().__init__(file, line, message)
        self.file = file
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.file} 第 {self.line} 行 (line {self.line})" if self.line else self.file
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class Option:
    """One choice of a select/radio/organization field; a disabled one says why it cannot be chosen."""

    value: str | int
    label: str
    disabled_reason: str | None = None


@dataclass
class FormSpec:
    key: str
    schema: dict[str, Any]
    ui: dict[str, Any]

    @classmethod
    def from_files(cls, json_path: Path) -> FormSpec:
        json_path = Path(json_path)
        key = json_path.name.removesuffix(".json")
        ui_path = json_path.with_name(f"{key}.ui.json")
        return cls.from_texts(
            key, _read(json_path), _read(ui_path) if ui_path.exists() else None, str(json_path), str(ui_path)
        )

    @classmethod
    def from_texts(cls, key: str, schema_raw: bytes, ui_raw: bytes | None, schema_file: str, ui_file: str) -> FormSpec:
        """A form from its two files' contents (on disk, or a version in the workbench's catalog)."""
        schema_text, schema = _parse_json(schema_file, schema_raw)
        _check_schema(schema_file, schema_text, schema)
        if ui_raw is None:
            raise FormFileError(ui_file, None, "找不到表单界面文件 (missing UI file)")
        ui_text, ui = _parse_json(ui_file, ui_raw)
        _check_ui(ui_file, ui_text, ui, schema)
        return cls(key=key, schema=schema, ui=ui)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "schema": self.schema, "ui": self.ui}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FormSpec:
        return cls(key=data["key"], schema=data["schema"], ui=data["ui"])

    @property
    def title(self) -> str:
        return ui_text(self.ui.get("title", ""))

    @property
    def notice(self) -> str:
        return ui_text(self.ui.get("notice", ""))

    @property
    def submit_label(self) -> str:
        return ui_text(self.ui.get("submit_label")) or gettext("提交")

    @property
    def properties(self) -> dict[str, dict[str, Any]]:
        return self.schema.get("properties", {})

    @property
    def order(self) -> list[str]:
        """The fields the form shows, in order (all schema fields when the layout names none)."""
        return list(self.ui.get("order") or self.properties)

    def field_ui(self, name: str) -> dict[str, Any]:
        return self.ui.get("fields", {}).get(name, {})

    def label(self, name: str) -> str:
        return ui_text(self.field_ui(name).get("label")) or name

    def widget(self, name: str) -> str:
        return self.field_ui(name).get("widget") or _default_widget(self.properties.get(name, {}))

    def is_required(self, name: str) -> bool:
        return name in self.schema.get("required", [])

    def required_when(self, name: str) -> list[tuple[dict[str, list[Any]], bool]]:
        """The if/then/else blocks (top level or in allOf) that make `name` required: (condition, True) when
        required if the condition holds, (condition, False) when required unless it does. A condition maps each
        field it tests to the values (const or enum) that satisfy it."""
        found = []
        for block in [self.schema, *self.schema.get("allOf", [])]:
            tests = block.get("if", {}).get("properties", {})
            condition = {f: [t["const"]] if "const" in t else list(t.get("enum", [])) for f, t in tests.items()}
            if not condition or not all(condition.values()):
                continue
            for branch, required in (("then", True), ("else", False)):
                if name in block.get(branch, {}).get("required", []):
                    found.append((condition, required))
        return found

    def enum_options(self, name: str) -> list[Option]:
        labels = self.field_ui(name).get("options", {})
        enum = self.properties.get(name, {}).get("enum", [])
        return [Option(v, ui_text(labels.get(as_text(v))) or as_text(v)) for v in enum]


def ui_text(text: str | None) -> str:
    """A text of the ui file in the page's language: the ui files are Chinese, their English is in the catalog
    (babel.cfg extracts them; README: Languages)."""
    return gettext(text) if text else ""


def as_text(value: Any) -> str:
    """A value as an HTML form posts it (JSON spelling for booleans, "" for nothing)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def field_type(prop: dict[str, Any]) -> str | None:
    """The JSON type of a field, ignoring a "null" alternative."""
    types = prop.get("type")
    if isinstance(types, list):
        return next((t for t in types if t != "null"), None)
    return types


def _default_widget(prop: dict[str, Any]) -> str:
    kind = field_type(prop)
    if "enum" in prop:
        return "select"
    if kind == "boolean":
        return "checkbox"
    if kind == "array":
        return "attachments"
    if kind in ("integer", "number"):
        return "number"
    return {"date": "date", "email": "email"}.get(prop.get("format", ""), "text")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FormFileError(str(path), None, f"无法读取文件 (cannot read file): {exc}") from exc


def _parse_json(file: str, raw: bytes) -> tuple[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormFileError(file, None, f"无法读取文件 (cannot read file): {exc}") from exc
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormFileError(file, exc.lineno, f"JSON 格式错误 (invalid JSON): {exc.msg}") from exc


def _check_schema(file: str, text: str, schema: Any) -> None:
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        pointer = "/" + "/".join(str(p) for p in exc.path)
        message = f"不是有效的 JSON Schema (invalid JSON Schema) at {pointer}: {exc.message}"
        raise FormFileError(file, line_of(text, list(exc.path)), message) from exc
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        message = '表单须为 "type": "object" 且带 "properties" (form must be a flat object)'
        raise FormFileError(file, 1, message)
    for name, prop in schema["properties"].items():
        if field_type(prop) == "object":
            message = f"字段「{name}」不能是嵌套对象 (fields must be top-level, not objects)"
            raise FormFileError(file, line_of(text, ["properties", name]), message)
    for i, name in enumerate(schema.get("required", [])):
        if name not in schema["properties"]:
            message = f"必填字段「{name}」未在 properties 中定义 (required field not defined)"
            raise FormFileError(file, line_of(text, ["required", i]), message)


def _check_ui(file: str, text: str, ui: Any, schema: dict[str, Any]) -> None:
    if not isinstance(ui, dict):
        raise FormFileError(file, 1, "界面文件须为 JSON 对象 (UI file must be an object)")
    properties = schema["properties"]
    for i, name in enumerate(ui.get("order", [])):
        if name not in properties:
            raise FormFileError(file, line_of(text, ["order", i]), _unknown_field(name))
    for name, field in ui.get("fields", {}).items():
        if name not in properties:
            raise FormFileError(file, line_of(text, ["fields", name]), _unknown_field(name))
        _check_field_ui(file, text, name, field, properties[name])


def _check_field_ui(file: str, text: str, name: str, field: Any, prop: dict[str, Any]) -> None:
    if not isinstance(field, dict):
        message = f"字段「{name}」的界面设置须为 JSON 对象 (field UI must be an object)"
        raise FormFileError(file, line_of(text, ["fields", name]), message)
    widget = field.get("widget")
    if widget is not None and widget not in WIDGETS:
        message = f"字段「{name}」的控件「{widget}」未知 (unknown widget); 可用: {', '.join(sorted(WIDGETS))}"
        raise FormFileError(file, line_of(text, ["fields", name, "widget"]), message)
    accept = field.get("accept")
    if accept is not None and accept not in ACCEPTS:
        message = f"字段「{name}」的 accept「{accept}」未知 (unknown accept); 可用: image_or_pdf, image"
        raise FormFileError(file, line_of(text, ["fields", name, "accept"]), message)
    enum = {as_text(v) for v in prop.get("enum", [])}
    for value in field.get("options", {}):
        if value not in enum:
            message = f"字段「{name}」的选项「{value}」不在 schema 的 enum 中 (option not in enum)"
            raise FormFileError(file, line_of(text, ["fields", name, "options", value]), message)


def _unknown_field(name: str) -> str:
    return f"字段「{name}」不在表单 schema 中 (field not in schema)"


def line_of(text: str, path: list[str | int]) -> int | None:
    """The line where the value at `path` (object keys / array indexes) starts in a JSON text."""
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    try:
        for part in path:
            if text[pos] == "{":
                pos = _find_key(text, pos, str(part), decoder)
            elif text[pos] == "[" and isinstance(part, int):
                pos = _find_index(text, pos, part, decoder)
            else:
                return None
    except (IndexError, ValueError):
        return None
    return text.count("\n", 0, pos) + 1


def _find_key(text: str, pos: int, key: str, decoder: json.JSONDecoder) -> int:
    pos = _skip_ws(text, pos + 1)
    while text[pos] == '"':
        name, after = decoder.raw_decode(text, pos)
        value_pos = _skip_ws(text, _skip_ws(text, after) + 1)
        if name == key:
            return value_pos
        _, end = decoder.raw_decode(text, value_pos)
        pos = _skip_ws(text, _skip_ws(text, end) + 1)
    raise ValueError(key)


def _find_index(text: str, pos: int, index: int, decoder: json.JSONDecoder) -> int:
    pos = _skip_ws(text, pos + 1)
    for _ in range(index):
        _, end = decoder.raw_decode(text, pos)
        pos = _skip_ws(text, _skip_ws(text, end) + 1)
    return pos


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
