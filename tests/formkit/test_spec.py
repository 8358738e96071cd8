"""Loading form files: analysts get the file and line of whatever they got wrong."""

import json

import pytest

from app.formkit import FormFileError, FormSpec

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 50},
        "kind": {"type": "string", "enum": ["trainee", "full"]},
    },
    "required": ["name"],
}
UI = {
    "title": "执业会员入会申请",
    "order": ["name", "kind"],
    "fields": {
        "name": {"label": "姓名"},
        "kind": {"label": "会员类别", "widget": "radio", "options": {"trainee": "见习执业会员"}},
    },
}


@pytest.fixture
def write_form(tmp_path):
    def write(schema_text: str | None = None, ui_text: str | None = None):
        (tmp_path / "join.json").write_text(schema_text or json.dumps(SCHEMA, indent=2), encoding="utf-8")
        (tmp_path / "join.ui.json").write_text(
            ui_text or json.dumps(UI, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        return tmp_path / "join.json"

    return write


def test_loads_schema_and_layout(write_form):
    spec = FormSpec.from_files(write_form())

    assert spec.key == "join"
    assert spec.title == "执业会员入会申请"
    assert spec.submit_label == "提交"
    assert spec.label("kind") == "会员类别"
    assert [o.label for o in spec.enum_options("kind")] == ["见习执业会员", "full"]
    assert FormSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


def test_malformed_json_reports_its_line(write_form):
    broken = '{\n  "type": "object",\n  "properties": {\n    "name": {"type": "string"}\n    "x": 1\n  }\n}'

    with pytest.raises(FormFileError) as caught:
        FormSpec.from_files(write_form(schema_text=broken))

    assert caught.value.line == 5
    assert caught.value.file.endswith("join.json")
    assert "第 5 行" in str(caught.value) and "invalid JSON" in str(caught.value)


def test_invalid_schema_reports_pointer_and_line(write_form):
    schema = dict(SCHEMA, properties={"name": {"type": "string"}, "age": {"type": "integr"}})

    with pytest.raises(FormFileError) as caught:
        FormSpec.from_files(write_form(schema_text=json.dumps(schema, indent=2)))

    assert "/properties/age/type" in caught.value.message
    assert caught.value.line == 8


def test_required_field_missing_from_properties_is_reported(write_form):
    schema = dict(SCHEMA, required=["name", "nmae"])

    with pytest.raises(FormFileError, match="nmae"):
        FormSpec.from_files(write_form(schema_text=json.dumps(schema, indent=2)))


def test_layout_naming_unknown_field_is_reported(write_form):
    ui = dict(UI, fields={**UI["fields"], "mobile": {"label": "手机"}})

    with pytest.raises(FormFileError) as caught:
        FormSpec.from_files(write_form(ui_text=json.dumps(ui, indent=2, ensure_ascii=False)))

    assert caught.value.file.endswith("join.ui.json")
    assert "mobile" in caught.value.message
    assert caught.value.line == 18


def test_order_naming_unknown_field_is_reported(write_form):
    ui = dict(UI, order=["name", "knd"])

    with pytest.raises(FormFileError) as caught:
        FormSpec.from_files(write_form(ui_text=json.dumps(ui, indent=2, ensure_ascii=False)))

    assert "knd" in caught.value.message
    assert caught.value.line == 5


def test_unknown_widget_is_reported(write_form):
    ui = dict(UI, fields={"name": {"label": "姓名", "widget": "slider"}})

    with pytest.raises(FormFileError) as caught:
        FormSpec.from_files(write_form(ui_text=json.dumps(ui, indent=2, ensure_ascii=False)))

    assert "slider" in caught.value.message
    assert caught.value.line == 10


def test_missing_layout_file_is_reported(tmp_path):
    (tmp_path / "join.json").write_text(json.dumps(SCHEMA), encoding="utf-8")

    with pytest.raises(FormFileError, match="missing UI file"):
        FormSpec.from_files(tmp_path / "join.json")


def test_crop_on_a_field_that_takes_more_than_images_is_reported(write_form):
    schema = dict(SCHEMA, properties={**SCHEMA["properties"], "scan": {"type": "array", "items": {"type": "object"}}})
    ui = dict(UI, fields={"scan": {"label": "扫描件", "widget": "attachments", "accept": "image_or_pdf", "crop": True}})

    with pytest.raises(FormFileError) as caught:
        FormSpec.from_files(write_form(json.dumps(schema, indent=2), json.dumps(ui, indent=2, ensure_ascii=False)))

    assert "crop" in caught.value.message
    assert caught.value.line == 12


def test_the_join_forms_crop_their_core_filings():
    from pathlib import Path

    forms = Path(__file__).resolve().parents[2] / "forms"
    for name in ("join_practicing", "join_non_practicing"):
        spec = FormSpec.from_files(forms / f"{name}.json")
        assert [f for f in spec.order if spec.field_ui(f).get("crop")] == ["photo", "signature"]
