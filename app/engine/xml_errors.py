"""The XML parser's messages as an analyst reads them: libxml2 writes English only, so the common errors of a
hand-edited BPMN or DMN file are said again in the page's language; anything else is shown as libxml2 wrote it.

The file's problem keeps libxml2's text (app/engine/specs.py, logged as is); `explain` runs where it is shown.
"""

import re

from flask_babel import gettext

from app.i18n import N_

_WHERE = re.compile(r",? line (?P<line>\d+), column \d+.*$")
# libxml2's message (without its ", line N, column M (file, line N)" tail) → the text people read
_KNOWN = (
    (
        re.compile(r"Opening and ending tag mismatch: (?P<open>\S+) line (?P<open_line>\d+) and (?P<close>\S+)"),
        N_("结束标签 </%(close)s> 与第 %(open_line)s 行的开始标签 <%(open)s> 不匹配"),
    ),
    (
        re.compile(r"Premature end of data in tag (?P<open>\S+) line (?P<open_line>\d+)"),
        N_("文件提前结束：第 %(open_line)s 行的标签 <%(open)s> 没有结束标签"),
    ),
    (re.compile(r"EndTag: '</' not found"), N_("文件提前结束：有标签没有结束标签")),
    (
        re.compile(r"Entity '(?P<entity>[^']+)' not defined"),
        N_("未定义的实体 &%(entity)s;（XML 只认识 &lt; &gt; &amp; &quot; &apos;）"),
    ),
    (re.compile(r"DOCTYPE is not allowed"), N_("不允许 DOCTYPE 声明（流程与决策文件不能声明 DTD 或实体）")),
    (
        re.compile(r"Specification mandates value for attribute (?P<attribute>\S+)"),
        N_('属性 %(attribute)s 缺少取值（应写作 %(attribute)s="…"）'),
    ),
    (re.compile(r"AttValue: \" or ' expected"), N_("属性值须用引号括起")),
    (re.compile(r"Unescaped '<' not allowed in attributes values"), N_("属性值中有未转义的 <（可能漏写了右引号）")),
    (
        re.compile(r"(?:PCDATA invalid Char value|Char 0x\S+ out of allowed range|invalid character)"),
        N_("有 XML 不允许的字符"),
    ),
    (
        re.compile(r"Input is not proper UTF-8|Invalid bytes in character encoding"),
        N_("有不是 UTF-8 编码的字节，请以 UTF-8 保存文件"),
    ),
    (re.compile(r"EntityRef: expecting ';'"), N_("文字中的 & 须写作 &amp;")),
    (re.compile(r"StartTag: invalid element name"), N_("< 后不是有效的标签名（文字中的 < 须写作 &lt;）")),
    (re.compile(r"Document is empty"), N_("文件是空的")),
    (re.compile(r"Extra content at the end of the document"), N_("根元素结束后还有内容")),
)


def explain(message: str) -> str:
    """libxml2's message in the page's language when it is a common one (the line stays beside it: the
    problem's own line), else unchanged."""
    text = _WHERE.sub("", message)
    for pattern, msgid in _KNOWN:
        found = pattern.match(text)
        if found:
            return gettext(msgid, **found.groupdict())
    return message
