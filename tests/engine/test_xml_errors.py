"""An analyst's BPMN/DMN that fails to parse: libxml2's English message said in the page's language for the
common errors, with the line; shown as libxml2 wrote it otherwise (issue 10 item 4)."""

import shutil

import pytest
from flask import Flask

from app.config import ROOT
from app.demo import DEMO_PASSWORD
from app.engine.specs import load_catalog
from app.engine.xml_errors import explain

BROKEN = {
    "mismatched tag": (
        "<bpmn:definitions xmlns:bpmn='b'>\n<bpmn:process id='p'>\n</bpmn:definitions>",
        3,
        "结束标签 </definitions> 与第 2 行的开始标签 <process> 不匹配",
        "The end tag </definitions> does not match the start tag <process> on line 2",
    ),
    "premature end": (
        "<bpmn:definitions xmlns:bpmn='b'>\n<bpmn:process id='p'>\n",
        3,
        "文件提前结束：第 2 行的标签 <process> 没有结束标签",
        "The file ends early: the tag <process> opened on line 2 is never closed",
    ),
    "undefined entity": (
        "<definitions>\n<documentation>&nbsp;</documentation></definitions>",
        2,
        "未定义的实体 &nbsp;（XML 只认识 &lt; &gt; &amp; &quot; &apos;）",
        "Undefined entity &nbsp; (XML knows only &lt; &gt; &amp; &quot; &apos;)",
    ),
    "DOCTYPE": (
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x "y">]>\n<definitions/>',
        2,  # the DOCTYPE's own line (issue 17: the workbench pins each problem to its line)
        "不允许 DOCTYPE 声明（流程与决策文件不能声明 DTD 或实体）",
        "A DOCTYPE declaration is not allowed (process and decision files cannot declare a DTD or entities)",
    ),
    "attribute without value": (
        "<definitions>\n\n<process isExecutable></process></definitions>",
        3,
        '属性 isExecutable 缺少取值（应写作 isExecutable="…"）',
        'The attribute isExecutable has no value (write isExecutable="…")',
    ),
    "invalid character": (
        "<definitions>\n<documentation>a\x01b</documentation></definitions>",
        2,
        "有 XML 不允许的字符",
        "A character XML does not allow",
    ),
}


@pytest.fixture
def rules_with(tmp_path):
    """Returns a callable: a copy of the shipped files with one broken DMN, loaded; gives its one problem."""

    def load(text: str):
        for name in ("processes", "rules", "forms"):
            shutil.copytree(ROOT / name, tmp_path / name, dirs_exist_ok=True)
        (tmp_path / "rules" / "zz_broken.dmn").write_bytes(text.encode())
        catalog = load_catalog(tmp_path / "processes", tmp_path / "rules", tmp_path / "forms")
        [problem] = catalog.problems
        return problem

    return load


@pytest.mark.parametrize("case", BROKEN)
def test_a_common_parse_error_is_said_in_chinese_and_english_with_its_line(app: Flask, rules_with, case):
    text, line, chinese, english = BROKEN[case]
    problem = rules_with(text)
    assert problem.file == "zz_broken.dmn" and problem.line == line
    with app.test_request_context():
        assert explain(problem.message) == chinese
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert explain(problem.message) == english


def test_another_parse_error_is_shown_as_libxml2_wrote_it(app, rules_with):
    problem = rules_with("<definitions>\n<![CDATA[never closed</definitions>")
    with app.test_request_context():
        assert explain(problem.message) == problem.message and "CData" in problem.message


def test_the_administrator_reads_the_problem_in_english_on_the_home_page(app, world, rules_with):
    from app.engine.specs import catalog

    text, line, _, english = BROKEN["mismatched tag"]
    problems = catalog().problems
    problems.append(rules_with(text))
    try:
        client = app.test_client()
        client.post("/language", data={"locale": "en"})
        client.post("/login", data={"mobile": world.admin.mobile, "password": DEMO_PASSWORD})
        html = client.get("/").get_data(as_text=True)
    finally:
        problems.pop()
    assert f"zz_broken.dmn line {line}</code>：" + english.replace("<", "&lt;").replace(">", "&gt;") in html
