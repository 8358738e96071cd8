"""Rule coverage: every R-… rule cited in the BPMN/DMN files, the elements citing it, the scenarios and tests that
exercise it. A rule no scenario names is flagged: nothing an analyst can read proves it."""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from app.engine.spec_files import SAFE_XML

RULE = re.compile(r"\bR-[A-Z]+-\d+\b")


@dataclass
class RuleCoverage:
    rule: str
    elements: list[str] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return not self.scenarios


def _rule_key(rule: str) -> tuple[str, int]:
    _r, area, number = rule.split("-")
    return area, int(number)


def _label(element: Any) -> str:
    name = element.get("name")
    return f"{element.get('id')}（{name}）" if name else str(element.get("id"))


def _owner(node: Any) -> Any:
    """The element a comment, description or documentation belongs to: the nearest ancestor with an id."""
    parent = node.getparent()
    while parent is not None and parent.get("id") is None:
        parent = parent.getparent()
    return parent


def elements_citing(name: str, content: bytes) -> dict[str, set[str]]:
    """Rule → "file · element" for every comment, <description>, <documentation> or text annotation citing it."""
    found: dict[str, set[str]] = defaultdict(set)
    root = etree.fromstring(content, SAFE_XML)
    annotated = {a.get("sourceRef"): a.get("targetRef") for a in root.iter("{*}association")}
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    # a comment at the top of the file speaks for its process (or decision)
    first = root.find("{*}process")
    first = first if first is not None else root.find("{*}decision")
    top = _label(first) if first is not None else "—"
    for node in root.iter():
        text = node.text or ""
        if not RULE.search(text):
            continue
        is_text = isinstance(node.tag, str) and etree.QName(node).localname in ("description", "documentation", "text")
        if not is_text and node.tag is not etree.Comment:
            continue
        owner = _owner(node) if node.getparent() is not None else None
        if owner is not None and owner.get("id") in annotated:  # a text annotation names the element it points at
            owner = by_id.get(annotated[owner.get("id")], owner)
        where = _label(owner) if owner is not None and owner is not root else top
        for rule in RULE.findall(text):
            found[rule].add(f"{name} · {where}")
    return found


def scenarios_naming(texts: dict[str, str], process_shown: Callable[[str], bool] | None = None) -> dict[str, set[str]]:
    """Rule → the scenarios citing it, from the scenario files' `texts` by file name."""
    found: dict[str, set[str]] = defaultdict(set)
    for name, text in sorted(texts.items()):
        try:
            doc = yaml.safe_load(text) or {}
        except (yaml.YAMLError, ValueError):
            continue  # the scenario runner reports a broken file with its line
        if process_shown is not None and not (isinstance(doc, dict) and process_shown(str(doc.get("process")))):
            continue
        for item in doc.get("scenarios") or []:
            if isinstance(item, dict):
                for rule in item.get("rules") or []:
                    found[str(rule)].add(f"{name} · {item.get('name', '')}")
    return found


def tests_naming(folder: Path | None) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    if folder is None or not folder.is_dir():
        return found
    for path in sorted(folder.rglob("test_*.py")):
        for rule in set(RULE.findall(path.read_text(encoding="utf-8"))):
            found[rule].add(str(path.relative_to(folder.parent)))
    return found


def rule_coverage(
    specs: dict[str, bytes],
    scenario_texts: dict[str, str],
    tests: Path | None,
    file_shown: Callable[[str], bool] | None = None,
    process_shown: Callable[[str], bool] | None = None,
) -> list[RuleCoverage]:
    """Every rule cited by a BPMN or DMN file (`specs`: content by file name — the live versions of the workbench's
    catalog, so a version published in the browser counts), in rule order, with what implements and exercises it;
    only the files and scenario files (by their process) shown, when told (an analyst sees their association's)."""
    cited: dict[str, set[str]] = defaultdict(set)
    for name, content in sorted(specs.items()):
        if not name.endswith((".bpmn", ".dmn")) or (file_shown is not None and not file_shown(name)):
            continue
        try:
            for rule, elements in elements_citing(name, content).items():
                cited[rule] |= elements
        except etree.XMLSyntaxError:
            continue  # the loader reports a broken file with its line
    scenarios = scenarios_naming(scenario_texts, process_shown)
    named_by_tests = tests_naming(tests)
    return [
        RuleCoverage(rule, sorted(cited[rule]), sorted(scenarios.get(rule, ())), sorted(named_by_tests.get(rule, ())))
        for rule in sorted(cited, key=_rule_key)
    ]


def files_in(*folders: Path, pattern: str = "*") -> dict[str, bytes]:
    """Content by file name of the files in `folders` matching `pattern` (the files on disk, e.g. in tests)."""
    return {p.name: p.read_bytes() for folder in folders for p in sorted(folder.glob(pattern)) if p.is_file()}
