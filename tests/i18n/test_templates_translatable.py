"""Every piece of Chinese text in a template is marked for translation (issue 10 item 4: English is a full second
language, so a template string left outside `_()` would stay Chinese on an English page)."""

import re
from pathlib import Path

from jinja2 import Environment

APP = Path(__file__).resolve().parents[2] / "app"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
GETTEXT_NAMES = {"_", "gettext", "ngettext", "pgettext", "npgettext"}


def untranslatable_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of each Chinese text outside `_()`/gettext calls and `{% trans %}` blocks."""
    found = []
    in_trans = False
    previous: list[tuple[str, str]] = []  # the last significant tokens: (type, value)
    for lineno, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        if kind == "whitespace":
            continue
        if kind == "name" and previous and previous[-1][0] == "block_begin":
            in_trans = value in ("trans", "pluralize") or (in_trans and value != "endtrans")
        if kind in ("data", "string") and CJK.search(value) and not in_trans:
            called = len(previous) == 2 and previous[0][0] == "name" and previous[0][1] in GETTEXT_NAMES
            if not (kind == "string" and called and previous[1] == ("operator", "(")):
                found.append((lineno, value.strip()))
        previous = (previous + [(kind, value)])[-2:]
    return found


def test_a_template_with_bare_chinese_fails_the_check():
    source = '{% block title %}登录{% endblock %}\n<p title="{{ _(\'好\') }}">{{ "是" if x }}</p>\n'
    assert untranslatable_text(source) == [(1, "登录"), (2, '"是"')]


def test_marked_text_passes_the_check():
    source = "{{ _('登录') }}{{ gettext('是') if x }}{% trans n=1 %}共 {{ n }} 条{% endtrans %}{# 注释 #}"
    assert untranslatable_text(source) == []


def test_every_template_marks_its_chinese_text_for_translation():
    problems = [
        f"{path.relative_to(APP.parent)}:{line}: {text[:60]}"
        for path in sorted(APP.rglob("templates/**/*.html"))
        for line, text in untranslatable_text(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "Chinese text outside _() / {% trans %}:\n" + "\n".join(problems)
