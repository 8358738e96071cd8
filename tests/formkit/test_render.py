"""The HTML of a form: labels, required marks, errors beside fields, values filled back and escaped."""

from app.formkit import FORM_ERROR_KEY, FormSpec, Option, display_values, render_form

SPEC = FormSpec(
    key="join",
    schema={
        "type": "object",
        "properties": {
            "name": {"type": "string", "maxLength": 20},
            "kind": {"type": "string", "enum": ["trainee", "full"]},
            "promise": {"type": "boolean", "const": True},
            "firm_id": {"type": "integer"},
            "contract": {"type": "array", "items": {"type": "object"}},
            "photo": {"type": "array", "items": {"type": "object"}},
            "remark": {"type": "string"},
        },
        "required": ["name", "kind"],
    },
    ui={
        "notice": "请如实填写。\n提交后不可修改。",
        "order": ["name", "kind", "promise", "firm_id", "contract", "photo", "remark"],
        "fields": {
            "name": {"label": "姓名", "help": "与身份证一致", "placeholder": "如：张三"},
            "kind": {
                "label": "会员类别",
                "widget": "radio",
                "options": {"trainee": "见习执业会员", "full": "正式执业会员"},
            },
            "promise": {"label": "我承诺所填内容真实", "widget": "checkbox"},
            "firm_id": {"label": "执业事务所", "widget": "organization"},
            "contract": {"label": "劳动合同", "widget": "attachments"},
            "photo": {"label": "照片", "widget": "attachments", "accept": "image"},
            "remark": {"label": "备注", "widget": "textarea"},
        },
    },
)
FIRMS = {"firm_id": [Option(7, "甲会计师事务所"), Option(8, "乙会计师事务所")]}


def test_labels_required_marks_help_and_notice_are_shown():
    """R-JOIN-9: fields marked * are required."""
    html = render_form(SPEC, {}, {})

    assert '<label for="f-name">姓名<span class="required-mark" aria-hidden="true">*</span></label>' in html
    assert "与身份证一致" in html and 'placeholder="如：张三"' in html
    assert "请如实填写。<br>提交后不可修改。" in html
    assert ">备注</label>" in html


def test_values_are_filled_back_and_escaped():
    data = {
        "name": '<script>alert("x")</script>',
        "remark": "</textarea><script>",
        "kind": "full",
        "firm_id": 8,
    }

    html = render_form(SPEC, data, {}, options=FIRMS)

    assert "<script>alert" not in html and "</textarea><script>" not in html
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"' in html
    assert 'value="full" checked' in html
    assert '<option value="8" selected>乙会计师事务所</option>' in html


def test_errors_are_shown_beside_their_field_and_marked_invalid():
    html = render_form(SPEC, {}, {"name": "请填写姓名", FORM_ERROR_KEY: "表单内容不完整"})

    assert 'aria-invalid="true" aria-describedby="f-name-help f-name-error"' in html
    assert '<p class="field-error" id="f-name-error" role="alert">请填写姓名</p>' in html
    assert '<p class="form-error" role="alert">表单内容不完整</p>' in html
    assert html.count("aria-invalid") == 1


def test_disabled_option_is_shown_with_its_reason():
    reason = "首次申请执业只能选择见习执业会员"
    options = {"kind": [Option("trainee", "见习执业会员"), Option("full", "正式执业会员", reason)]}

    html = render_form(SPEC, {}, {}, options=options)

    assert '<input type="radio" name="kind" value="full" disabled> 正式执业会员' in html
    assert f"（不可选：{reason}）" in html


def test_organization_select_works_without_script():
    html = render_form(SPEC, {}, {}, options=FIRMS)

    assert '<select id="f-firm_id" name="firm_id">' in html
    assert '<option value="7">甲会计师事务所</option>' in html


def test_attachments_list_files_in_order_with_remove_boxes():
    data = {
        "contract": [
            {"id": 3, "name": "第1页.png", "mime": "image/png"},
            {"id": 4, "name": "<b>合同</b>.pdf", "mime": "application/pdf"},
        ]
    }

    html = render_form(SPEC, data, {})

    assert html.index('src="/files/3"') < html.index('href="/files/4"')
    assert 'alt="第1页.png"' in html and "&lt;b&gt;合同&lt;/b&gt;.pdf</a>" in html
    assert '<input type="checkbox" name="contract__remove" value="4">' in html
    assert 'name="contract" multiple accept="image/png,image/jpeg,.png,.jpg,.jpeg,application/pdf,.pdf"' in html
    assert 'name="photo" multiple accept="image/png,image/jpeg,.png,.jpg,.jpeg"' in html


def test_readonly_shows_display_values_not_inputs():
    data = {"name": "张三", "kind": "trainee", "promise": True, "firm_id": 7}

    html = render_form(SPEC, data, {}, options=FIRMS, readonly=True)

    assert "<input" not in html and "<select" not in html
    assert "见习执业会员" in html and "甲会计师事务所" in html and "未填写" in html


def test_display_values_translate_for_reviewers():
    photo = [{"id": 5, "name": "照片.jpg", "mime": "image/jpeg"}]
    data = {"name": "张三", "kind": "full", "promise": False, "firm_id": 8, "photo": photo}

    assert display_values(SPEC, data, options=FIRMS) == [
        ("姓名", "张三"),
        ("会员类别", "正式执业会员"),
        ("我承诺所填内容真实", "否"),
        ("执业事务所", "乙会计师事务所"),
        ("劳动合同", None),
        ("照片", photo),
        ("备注", None),
    ]
