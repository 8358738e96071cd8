"""Traceability: every business rule the project cites (R-… IDs of DOMAIN.md in app/, processes/, rules/, forms/) is
named, by its full ID, inside a test that checks it. A span ("R-CER-2..7", "R-ACC-1…6", "R-TRF-2/3") names no
rule in a test: it says the rules are somewhere near, not which test checks which one."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPLEMENTATION = ("app", "processes", "rules", "forms")
SUFFIXES = (".py", ".bpmn", ".dmn", ".json", ".html")
RULE = re.compile(r"\bR-([A-Z]+)-(\d+)\b")
SPAN = re.compile(r"\bR-([A-Z]+)-(\d+)\s*(\.\.|…|/)\s*(?:R-\1-)?(\d+)\b")


def _rule_key(rule: str) -> tuple[str, int]:
    _, area, number = rule.split("-")
    return area, int(number)


def rules_in(text: str) -> set[str]:
    """The rules a text cites; in code a span stands for every rule in it (R-STA-1..3: 1, 2 and 3)."""
    rules = {f"R-{area}-{n}" for area, n in RULE.findall(text)}
    for area, first, sep, last in SPAN.findall(text):
        numbers = (int(first), int(last)) if sep == "/" else range(int(first), int(last) + 1)
        rules |= {f"R-{area}-{n}" for n in numbers}
    return rules


def implemented_rules() -> dict[str, str]:
    """Rule → one file citing it."""
    found: dict[str, str] = {}
    for folder in IMPLEMENTATION:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES:
                for rule in rules_in(path.read_text(encoding="utf-8")):
                    found.setdefault(rule, str(path.relative_to(ROOT)))
    return found


def _test_sources() -> list[Path]:
    return [p for p in sorted((ROOT / "tests").rglob("test_*.py")) if p.name != Path(__file__).name]


def rules_named_by_tests() -> set[str]:
    """Full IDs written inside a test function (its name's decorators, docstring, comments or body), spans removed."""
    named: set[str] = set()
    for path in _test_sources():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                text = SPAN.sub("", "\n".join(lines[first - 1 : node.end_lineno]))
                named |= {f"R-{area}-{n}" for area, n in RULE.findall(text)}
    return named


def test_rules_in_spans_are_each_counted():
    assert rules_in("R-STA-1..3, R-ADM-1…R-ADM-4 and R-TRF-2/3") == {
        "R-STA-1",
        "R-STA-2",
        "R-STA-3",
        "R-ADM-1",
        "R-ADM-2",
        "R-ADM-3",
        "R-ADM-4",
        "R-TRF-2",
        "R-TRF-3",
    }
    assert rules_in("R-STA-3/R-RES-4 (R-TRF-10)") == {"R-STA-3", "R-RES-4", "R-TRF-10"}


def test_every_implemented_rule_is_named_by_a_test():
    implemented, named = implemented_rules(), rules_named_by_tests()
    missing = sorted(set(implemented) - named, key=_rule_key)
    assert not missing, "rules the code cites that no test names in full: " + ", ".join(
        f"{rule} ({implemented[rule]})" for rule in missing
    )


def test_tests_name_rules_one_by_one():
    spans = [
        f"{path.relative_to(ROOT)}:{source[: m.start()].count(chr(10)) + 1}: {m.group(0)}"
        for path in _test_sources()
        for source in [path.read_text(encoding="utf-8")]
        for m in SPAN.finditer(source)
    ]
    assert not spans, "name each rule in full, in the test that checks it, instead of a span: " + "; ".join(spans)
