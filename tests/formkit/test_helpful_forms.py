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
