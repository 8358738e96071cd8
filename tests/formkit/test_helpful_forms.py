"""Forms that help (issue 16): required marks as the form's rules state them, including conditional ones; the only
choice the rules allow chosen already; a refused choice not shown as chosen."""

from pathlib import Path

from app.formkit import FormSpec, Option, render_form

FORMS = Path(__file__).resolve().parents[2] / "forms"
JOIN = FormSpec.from_files(FORMS / "join_practicing.json")
REVIEW = FormSpec.from_files(FORMS / "review_firm.json")
REASON = "首次申请执业只能选择见习执业会员"
FIRST_TIMER = {"kind": [Option("trainee", "见习执业会员"), Option("full", "正式执业会员", REASON)]}


def label_of(html: str, field: str) -> str:
    start = html.index("<legend>", html.index(f'id="f-{field}"'))
    return html[start : html.index("</legend>", start)]


def test_slots_required_unless_retired_say_so_r_join_5_r_join_9():
    html = render_form(JOIN, {}, {}, options=FIRST_TIMER)

    for slot in ("social_security", "labour_contract"):
        assert label_of(html, slot).endswith(
            '*</span><span class="required-when">（勾选「本人为退休返聘人员」时无需填写）</span>'
        )
    for slot in ("retirement_proof", "service_contract"):
        assert label_of(html, slot).endswith(
            '*</span><span class="required-when">（勾选「本人为退休返聘人员」时必填）</span>'
        )
    assert label_of(html, "photo") == '<legend>证件照片<span class="required-mark" aria-hidden="true">*</span>'


def test_comment_is_marked_required_when_returning():
    html = render_form(REVIEW, {}, {})

    assert "（机构意见选择「退回申请人修改」时必填）" in html
    assert 'value="approve" checked' not in html and 'value="return" checked' not in html  # two choices: none chosen


def test_a_first_applicants_only_choice_is_chosen_r_join_2():
    html = render_form(JOIN, {}, {}, options=FIRST_TIMER)

    assert '<input type="radio" name="kind" value="trainee" checked>' in html
    assert '<input type="radio" name="kind" value="full" disabled>' in html


def test_a_refused_choice_comes_back_unchosen_and_the_allowed_one_chosen():
    html = render_form(JOIN, {"kind": "full", "position": "评估师"}, {"kind": "不可选"}, options=FIRST_TIMER)

    assert 'value="full" checked' not in html
    assert '<input type="radio" name="kind" value="trainee" checked>' in html
    assert 'value="评估师"' in html


def test_an_allowed_choice_is_kept():
    options = {"kind": [Option("trainee", "见习执业会员"), Option("full", "正式执业会员")]}

    html = render_form(JOIN, {"kind": "full"}, {}, options=options)

    assert '<input type="radio" name="kind" value="full" checked>' in html
    assert 'value="trainee" checked' not in html


def mark_of(html: str, field: str) -> str:
    return label_of(html, field).split('<span class="required-when">')[0]


def test_marks_follow_what_the_form_holds_r_join_5_r_join_9():
    not_retired = render_form(JOIN, {}, {}, options=FIRST_TIMER)
    retired = render_form(JOIN, {"is_retired": True}, {}, options=FIRST_TIMER)

    assert mark_of(not_retired, "social_security").endswith('<span class="required-mark" aria-hidden="true">*</span>')
    assert mark_of(not_retired, "retirement_proof").endswith('aria-hidden="true" hidden>*</span>')
    assert mark_of(retired, "social_security").endswith('aria-hidden="true" hidden>*</span>')
    assert mark_of(retired, "retirement_proof").endswith('<span class="required-mark" aria-hidden="true">*</span>')


def test_the_rule_travels_with_the_field_for_the_page_script():
    html = render_form(JOIN, {}, {}, options=FIRST_TIMER)

    rule = "[{&#34;if&#34;: {&#34;is_retired&#34;: [&#34;true&#34;]}, &#34;then&#34;: false}]"
    assert f'data-required-when="{rule}" data-required="false"' in html
    assert 'id="f-qualification_number" name="qualification_number" aria-required="false"' in html  # full only


def test_a_refused_form_lists_what_to_mend_at_its_top_with_links_to_the_fields():
    """WCAG 3.3.1 (issue 16): on a phone the field refused may be screens below the message."""
    errors = {"firm_id": "请选择执业机构", "kind": "请选择会员类别", "labour_contract": "请上传劳动合同"}
    html = render_form(JOIN, {}, errors, options=FIRST_TIMER)

    summary = html[html.index('<div class="error-summary"') : html.index("</div>", html.index("error-summary"))]
    assert "请修改以下 3 项：" in summary
    assert '<a href="#f-firm_id">执业机构：请选择执业机构</a>' in summary
    assert '<a href="#f-kind">会员类别：请选择会员类别</a>' in summary
    assert '<a href="#f-labour_contract-upload">劳动合同：请上传劳动合同</a>' in summary  # the slot's file chooser
    assert summary.index("f-firm_id") < summary.index("f-kind") < summary.index("f-labour_contract")  # page order
    assert "error-summary" not in render_form(JOIN, {}, {}, options=FIRST_TIMER)
