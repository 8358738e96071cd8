"""The English catalog's completeness: which msgids lack an English text (`scripts/i18n check`, tests/i18n)."""

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from lxml import etree

Extracted = tuple[int, str, str | tuple[str, str], list[str]]  # a pgettext message is (context, msgid)
CATALOG = Path(__file__).resolve().parent.parent / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def untranslated(path: Path = CATALOG) -> list[str]:
    """Each msgid whose English text is empty or marked fuzzy (a fuzzy one is not used by the app)."""
    with path.open("rb") as f:
        catalog = read_po(f)
    return [
        str(message.id)
        for message in catalog
        if message.id
        and (message.fuzzy or not all(message.string if isinstance(message.string, tuple) else [message.string]))
    ]


# Babel extractors (babel.cfg): the analysts' files are data, written in Chinese like the templates; their
# user-visible texts go through the same catalog, so an analyst writes Chinese only and the English lives in
# messages.po beside every other English text.
UI_TEXT_KEYS = ("title", "notice", "submit_label", "label", "help", "placeholder")
BPMN_SHOWN = ("process", "userTask", "manualTask", "receiveTask")
BPMN_SHOWN_PROPERTIES = ("identityChoice", "identityText", "kind")  # kind: the start page's group headings


def extract_form_ui(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Extracted]:
    """forms/*.ui.json: title, notice, submit label; each field's label, help, placeholder, option labels and
    custom error messages."""
    text = fileobj.read().decode("utf-8")
    ui = json.loads(text)
    found = [ui.get(key) for key in UI_TEXT_KEYS]
    for field in ui.get("fields", {}).values():
        found += [field.get(key) for key in UI_TEXT_KEYS]
        found += list(field.get("options", {}).values()) + list(field.get("errors", {}).values())
    for message in found:
        if isinstance(message, str) and message:
            yield _line_of(text, message), "gettext", message, []


def extract_bpmn(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Extracted]:
    """processes/*.bpmn: the texts people see — the process's and its waiting steps' names (inbox, progress),
    the identity page's texts and the start page's kind of a start event, and an outcome that is a plain string."""
    for element in etree.parse(fileobj).iter():
        if not isinstance(element.tag, str):
            continue
        kind, line = etree.QName(element).localname, element.sourceline or 0
        if kind in BPMN_SHOWN and element.get("name"):
            yield line, "gettext", element.get("name"), []
        elif kind == "property" and element.get("name") in BPMN_SHOWN_PROPERTIES and element.get("value"):
            yield line, "gettext", element.get("value"), []
        elif kind == "property" and element.get("name") == "outcomeText":
            value = (element.get("value") or "").strip()
            if _PLAIN_STRING.fullmatch(value):
                yield line, "gettext", value[1:-1], []


def extract_dmn(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Extracted]:
    """rules/*.dmn: the output cells that are a plain Chinese string — the reasons a rule gives people (why
    they may not apply yet) — and the inputs' labels, which say why a row matched (app/decisions/explain.py). An
    f-string cell whose placeholders are plain fact names is a template: it goes in under the context "dmn" with
    `{fact}` written `%(fact)s`, and `|tr` translates the reason it produced with the facts kept (app/i18n.py)."""
    for element in etree.parse(fileobj).iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == "input" and element.get("label"):
            yield element.sourceline or 0, "gettext", element.get("label"), []
        elif isinstance(element.tag, str) and etree.QName(element).localname == "outputEntry":
            cell = "".join(element.itertext()).strip()
            if _PLAIN_STRING.fullmatch(cell) and _CJK.search(cell):
                yield element.sourceline or 0, "gettext", cell[1:-1], []
            elif _FACT_TEMPLATE.fullmatch(cell) and _CJK.search(cell):
                template = _FACT.sub(r"%(\1)s", cell[2:-1])
                yield element.sourceline or 0, "pgettext", (RULE_TEMPLATE_CONTEXT, template), []


_PLAIN_STRING = re.compile(r'"[^"\\{}]*"')
RULE_TEMPLATE_CONTEXT = "dmn"
_FACT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_FACT_TEMPLATE = re.compile(r'f"(?:[^"\\{}%]|\{[A-Za-z_][A-Za-z0-9_]*\})*"')
_CJK = re.compile(r"[\u3400-\u9fff]")


def _line_of(text: str, message: str) -> int:
    return text.count("\n", 0, max(text.find(json.dumps(message, ensure_ascii=False)), 0)) + 1


if __name__ == "__main__":
    missing = untranslated(Path(sys.argv[1]) if len(sys.argv) > 1 else CATALOG)
    for msgid in missing:
        print(f"untranslated: {msgid}")
    sys.exit(1 if missing else 0)
