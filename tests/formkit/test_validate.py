"""Server-side validation speaks Chinese, names the field, and refuses what the UI disabled."""

import pytest

from app.formkit import FORM_ERROR_KEY, FormSpec, Option, validate

ATTACHMENTS = {"type": "array", "items": {"type": "object"}, "minItems": 1, "maxItems": 20}
SPEC = FormSpec(
    key="join",
    schema={
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 2, "maxLength": 4},
            "id_number": {"type": "string", "pattern": "^[0-9]{17}[0-9X]$"},
            "kind": {"type": "string", "enum": ["trainee", "full"]},
            "years": {"type": "integer", "minimum": 0, "maximum": 60},
            "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5},
            "born_on": {"type": "string", "format": "date"},
            "email": {"type": "string", "format": "email"},
            "promise": {"type": "boolean", "const": True},
            "contract": ATTACHMENTS,
            "pages": {"type": "array", "items": {"type": "object"}},
            "photo": {"type": "array", "items": {"type": "object"}},
            "mobile": {"type": "string", "pattern": "^1[0-9]{10}$"},
            "firm_id": {"type": "integer"},
        },
        "required": ["name", "kind", "promise", "contract", "firm_id"],
    },
    ui={
        "fields": {
            "name": {"label": "姓名"},
            "id_number": {"label": "身份证号"},
            "kind": {"label": "会员类别", "widget": "radio"},
            "years": {"label": "从业年限"},
            "ratio": {"label": "比例"},
            "born_on": {"label": "出生日期", "widget": "date"},
            "email": {"label": "电子邮箱", "widget": "email"},
            "promise": {"label": "诚信承诺", "widget": "checkbox"},
            "contract": {"label": "劳动合同", "widget": "attachments"},
            "pages": {"label": "工作底稿", "widget": "attachments"},
            "photo": {"label": "照片", "widget": "attachments", "accept": "image"},
            "mobile": {"label": "手机号", "errors": {"pattern": "请输入 11 位手机号码"}},
            "firm_id": {"label": "执业事务所", "widget": "organization"},
        }
    },
)


def image(n: int) -> dict:
    return {"id": n, "name": f"page{n}.jpg", "mime": "image/jpeg"}


def pdf(n: int) -> dict:
    return {"id": n, "name": f"doc{n}.pdf", "mime": "application/pdf"}


VALID = {"name": "张三", "kind": "trainee", "promise": True, "contract": [image(1)], "firm_id": 7}


def errors_for(**changes) -> dict[str, str]:
    data = {k: v for k, v in {**VALID, **changes}.items() if v is not None}
    return validate(SPEC, data)


def test_valid_data_has_no_errors():
    assert validate(SPEC, VALID) == {}


def test_missing_required_fields_are_named_by_kind_of_widget():
    """R-JOIN-9: a missing required field is named."""
    assert validate(SPEC, {"promise": False}) == {
        "name": "请填写姓名",
        "kind": "请选择会员类别",
        "promise": "请勾选诚信承诺",
        "contract": "请上传劳动合同",
        "firm_id": "请选择执业事务所",
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "张"}, "name", "姓名至少 2 个字符"),
        ({"name": "欧阳张三丰"}, "name", "姓名最多 4 个字符"),
        ({"id_number": "12345"}, "id_number", "身份证号格式不正确"),
        ({"kind": "honorary"}, "kind", "会员类别的选项无效"),
        ({"years": "十二"}, "years", "从业年限格式不正确"),
        ({"years": -1}, "years", "从业年限不能小于 0"),
        ({"years": 61}, "years", "从业年限不能大于 60"),
        ({"ratio": 0}, "ratio", "比例须大于 0"),
        ({"ratio": 1.5}, "ratio", "比例须小于 1.5"),
        ({"born_on": "2024-02-30"}, "born_on", "出生日期须为有效日期（如 2024-05-01）"),
        ({"email": "zhangsan"}, "email", "电子邮箱须为有效的电子邮箱地址（如 name@example.com）"),
        ({"contract": [image(n) for n in range(21)]}, "contract", "劳动合同最多上传 20 个文件"),
        ({"mobile": "12345"}, "mobile", "请输入 11 位手机号码"),
    ],
)
def test_each_broken_rule_gives_one_chinese_message(changes, field, message):
    assert errors_for(**changes) == {field: message}


def test_disabled_option_is_refused_with_its_reason():
    reason = "首次申请执业只能选择见习执业会员"
    options = {"kind": [Option("trainee", "见习执业会员"), Option("full", "正式执业会员", reason)]}

    assert validate(SPEC, {**VALID, "kind": "full"}, options=options) == {"kind": reason}
    assert validate(SPEC, VALID, options=options) == {}


def test_value_outside_the_supplied_options_is_refused():
    options = {"firm_id": [Option(7, "甲会计师事务所"), Option(8, "乙会计师事务所")]}

    assert validate(SPEC, {**VALID, "firm_id": 9}, options=options) == {"firm_id": "执业事务所的选项无效"}


def test_up_to_twenty_images_or_one_pdf_are_accepted():
    """R-JOIN-5: up to 20 images in page order, or exactly one PDF."""
    assert errors_for(pages=[image(n) for n in range(20)]) == {}
    assert errors_for(pages=[pdf(1)]) == {}


def test_more_than_twenty_images_are_refused_even_without_max_items():
    """R-JOIN-5: no more than 20 images."""
    assert errors_for(pages=[image(n) for n in range(21)]) == {"pages": "工作底稿最多上传 20 张图片"}


def test_images_and_pdf_cannot_be_mixed():
    """R-JOIN-5: images or one PDF, not both."""
    assert errors_for(pages=[image(1), pdf(2)]) == {
        "pages": "工作底稿不能同时包含图片和 PDF：请上传最多 20 张图片（按页序）或 1 个 PDF 文件"
    }


def test_two_pdfs_are_refused():
    """R-JOIN-5: exactly one PDF."""
    assert errors_for(pages=[pdf(1), pdf(2)]) == {"pages": "工作底稿只能上传 1 个 PDF 文件（多页材料请合并为一个 PDF）"}


def test_image_only_field_refuses_a_pdf():
    assert errors_for(photo=[pdf(1)]) == {"photo": "照片只接受 PNG/JPG/JPEG 图片，请删除 PDF 文件"}


def test_conditionally_required_field_is_named():
    spec = FormSpec(
        key="x",
        schema={
            "type": "object",
            "properties": {"retired": {"type": "boolean"}, "retirement_proof": ATTACHMENTS},
            "if": {"properties": {"retired": {"const": True}}, "required": ["retired"]},
            "then": {"required": ["retirement_proof"]},
        },
        ui={"fields": {"retirement_proof": {"label": "退休证明", "widget": "attachments"}}},
    )

    assert validate(spec, {"retired": True}) == {"retirement_proof": "请上传退休证明"}
    assert validate(spec, {"retired": False}) == {}


def test_rule_spanning_fields_is_reported_for_the_form():
    spec = FormSpec(
        key="x",
        schema={
            "type": "object",
            "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
            "not": {"required": ["a", "b"]},
        },
        ui={},
    )

    assert validate(spec, {"a": 1, "b": 2}) == {FORM_ERROR_KEY: "表单内容不完整或不一致，请检查后再提交"}
