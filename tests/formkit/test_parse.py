"""Posted strings and uploads become typed form data; earlier uploads survive every re-post."""

from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage, MultiDict

from app.errors import Invalid
from app.formkit import FormSpec, parse_form

SPEC = FormSpec(
    key="join",
    schema={
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "years": {"type": "integer"},
            "score": {"type": "number"},
            "born_on": {"type": "string", "format": "date"},
            "promise": {"type": "boolean", "const": True},
            "firm_id": {"type": "integer"},
            "contract": {"type": "array", "items": {"type": "object"}, "minItems": 1, "maxItems": 20},
            "photo": {"type": "array", "items": {"type": "object"}, "maxItems": 1},
            "internal_note": {"type": "string"},
        },
    },
    ui={
        "order": ["name", "years", "score", "born_on", "promise", "firm_id", "contract", "photo"],
        "fields": {
            "promise": {"label": "承诺", "widget": "checkbox"},
            "firm_id": {"label": "事务所", "widget": "organization"},
            "contract": {"label": "劳动合同", "widget": "attachments"},
            "photo": {"label": "照片", "widget": "attachments", "accept": "image"},
        },
    },
)
PAGE_1 = {"id": 1, "name": "p1.png", "mime": "image/png"}
PAGE_2 = {"id": 2, "name": "p2.png", "mime": "image/png"}


def upload(name: str) -> FileStorage:
    return FileStorage(BytesIO(b"content"), filename=name)


@pytest.fixture
def store():
    """A fake store: "bad…" files are refused, the rest get ids from 100 in upload order."""
    stored: list[str] = []

    def store(file: FileStorage, field: str) -> dict:
        if file.filename.startswith("bad"):
            raise Invalid(f"文件「{file.filename}」不是 PNG/JPG/JPEG 图片或 PDF 文件（按文件内容识别）")
        stored.append(file.filename)
        mime = "application/pdf" if file.filename.endswith(".pdf") else "image/png"
        return {"id": 99 + len(stored), "name": file.filename, "mime": mime}

    return store


def test_strings_become_typed_values(store):
    form = MultiDict(
        {
            "name": "  张三 ",
            "years": "12",
            "score": "3.5",
            "born_on": "1990-05-01",
            "firm_id": "7",
            "promise": "true",
        }
    )

    data, errors = parse_form(SPEC, form, MultiDict(), {}, store)

    assert data == {
        "name": "张三",
        "years": 12,
        "score": 3.5,
        "born_on": "1990-05-01",
        "firm_id": 7,
        "promise": True,
    }
    assert errors == {}


def test_empty_fields_are_absent_and_unticked_checkbox_is_false(store):
    data, _ = parse_form(SPEC, MultiDict({"name": "   ", "years": ""}), MultiDict(), {}, store)

    assert data == {"promise": False}


def test_unconvertible_number_is_kept_for_validation_to_report(store):
    data, _ = parse_form(SPEC, MultiDict({"years": "十二", "score": "nan"}), MultiDict(), {}, store)

    assert data["years"] == "十二" and data["score"] == "nan"


def test_fields_outside_the_layout_are_ignored(store):
    data, _ = parse_form(SPEC, MultiDict({"internal_note": "approved"}), MultiDict(), {}, store)

    assert "internal_note" not in data


def test_new_uploads_follow_previous_ones_in_page_order(store):
    files = MultiDict([("contract", upload("p3.png")), ("contract", upload("p4.png"))])

    data, errors = parse_form(SPEC, MultiDict(), files, {"contract": [PAGE_1, PAGE_2]}, store)

    assert [a["name"] for a in data["contract"]] == ["p1.png", "p2.png", "p3.png", "p4.png"]
    assert errors == {}


def test_removal_drops_only_the_ticked_files(store):
    form = MultiDict({"contract__remove": "1"})
    files = MultiDict([("contract", FileStorage(BytesIO(b""), filename=""))])

    data, _ = parse_form(SPEC, form, files, {"contract": [PAGE_1, PAGE_2]}, store)

    assert data["contract"] == [PAGE_2]


def test_removing_every_file_leaves_the_field_empty(store):
    form = MultiDict([("contract__remove", "1"), ("contract__remove", "2")])

    data, _ = parse_form(SPEC, form, MultiDict(), {"contract": [PAGE_1, PAGE_2]}, store)

    assert "contract" not in data


def test_refused_upload_is_reported_and_nothing_earlier_is_lost(store):
    files = MultiDict([("contract", upload("bad.png")), ("contract", upload("p3.png"))])

    data, errors = parse_form(SPEC, MultiDict({"years": "x"}), files, {"contract": [PAGE_1]}, store)

    assert [a["name"] for a in data["contract"]] == ["p1.png", "p3.png"]
    assert errors == {"contract": "文件「bad.png」不是 PNG/JPG/JPEG 图片或 PDF 文件（按文件内容识别）"}


def test_pdf_in_an_image_only_field_is_refused(store):
    files = MultiDict([("photo", upload("scan.pdf"))])

    data, errors = parse_form(SPEC, MultiDict(), files, {}, store)

    assert "photo" not in data
    assert errors["photo"] == "文件「scan.pdf」不是图片，照片只接受 PNG/JPG/JPEG 图片"


PAGE_3 = {"id": 3, "name": "p3.png", "mime": "image/png"}


def test_files_follow_the_page_order_the_person_arranged_r_join_5(store):
    form = MultiDict([("contract__order", "3"), ("contract__order", "1"), ("contract__order", "2")])

    data, _ = parse_form(SPEC, form, MultiDict(), {"contract": [PAGE_1, PAGE_2, PAGE_3]}, store)

    assert [a["id"] for a in data["contract"]] == [3, 1, 2]


def test_new_uploads_come_after_the_arranged_files_and_a_removed_one_leaves_r_join_5(store):
    form = MultiDict([("contract__order", "2"), ("contract__order", "1"), ("contract__remove", "1")])
    files = MultiDict([("contract", upload("p4.png"))])

    data, _ = parse_form(SPEC, form, files, {"contract": [PAGE_1, PAGE_2]}, store)

    assert [a["name"] for a in data["contract"]] == ["p2.png", "p4.png"]


def test_an_order_naming_foreign_or_repeated_ids_moves_only_this_fields_files(store):
    form = MultiDict([("contract__order", i) for i in ("77", "2", "2", "x", "1")])

    data, _ = parse_form(SPEC, form, MultiDict(), {"contract": [PAGE_1, PAGE_2, PAGE_3]}, store)

    assert [a["id"] for a in data["contract"]] == [2, 1, 3]  # 3, not named, keeps its place after the others
