"""Reads a scenario file and checks it against the process it names; every mistake is reported with its line.

    process: transfer
    scenarios:
      - name: 原机构 7 天未处理视为同意
        rules: [R-TRF-4]
        given: {today: 2026-03-02, applicant: "13800000003", member: {annual_inspection: passed}}
        steps:
          - start: {}                       # or  start: {refused: "年检未通过"}
          - complete: Task_TransferApply    # a user task of the process
            by: applicant                   # the applicant, a demo person (world name) or a mobile number
            data: {new_firm_id: $firm_bj2, leaving_certificate: $upload}
            face_check: false               # optional: the actor did not pass the face check just before
          - timer: 7                        # days pass; the due timers fire
        expect:
          path: [Task_TransferApply, Event_FirmTimeout, Task_OutLocal, End_Transferred]
          status: approved
          outcome: 已转入北京华信众合资产评估有限公司（北京资产评估协会）
          member: {firm_id: $firm_bj2}

`$name` stands for a demo organisation's or person's id; `$upload` for one uploaded image of the acting person.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _

from app.engine.specs import Catalog

SCENARIO_KEYS = {"name", "rules", "given", "steps", "expect"}
GIVEN_KEYS = {"today", "applicant", "member"}
STEP_KEYS = {"start": {"start"}, "complete": {"complete", "by", "data", "refused", "face_check"}, "timer": {"timer"}}
EXPECT_KEYS = {"path", "status", "outcome", "outcome_contains", "member", "open_task"}
RULE_ID = re.compile(r"^R-[A-Z]+-\d+$")


class ScenarioError(Exception):
    """A scenario file that cannot run, or a scenario that did not go as written: file, line, reason."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.file, self.line, self.message = file, line, message


class Node(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers its line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    result = Node(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    result.key_lines = {str(k.value): k.start_mark.line + 1 for k, _v in node.value}
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
# dates stay text: the checker parses them itself and reports a malformed one with its line
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Step:
    kind: str
    line: int
    task: str | None = None
    by: str = "applicant"
    data: dict[str, Any] = field(default_factory=dict)
    days: float = 0
    refused: str | None = None
    face_check: bool = True  # the actor passed the face check just before (R-ACC-2); `face_check: false` tests it


@dataclass
class Scenario:
    file: str
    process_id: str
    name: str
    line: int
    rules: list[str]
    today: date | None
    applicant: str
    member: dict[str, Any]
    steps: list[Step]
    expect: Node


def _check_keys(file: str, node: Any, allowed: set[str], what: str) -> None:
    if not isinstance(node, Node):
        raise ScenarioError(file, None, _("%(what)s 应为键值映射", what=what))
    for key in node:
        if key not in allowed:
            raise ScenarioError(
                file,
                node.key_lines.get(key),
                _(
                    "%(what)s 中有未知的键 %(key)r（可用：%(keys)s）",
                    what=what,
                    key=key,
                    keys=", ".join(sorted(allowed)),
                ),
            )


def process_named(text: str) -> str | None:
    """The process a scenario file names (`process:`), without checking the rest; None when it names none or
    does not parse (load_scenarios reports that with its line)."""
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader (dates stay text, as load_scenarios reads)
    except (yaml.YAMLError, ValueError):
        return None
    return str(doc["process"]) if isinstance(doc, dict) and doc.get("process") else None


def load_scenarios(path: Path, catalog: Catalog, text: str | None = None) -> list[Scenario]:
    """The scenarios of one file, checked against the catalog's current version of its process."""
    file = path.name
    try:
        doc = yaml.load(text if text is not None else path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else None
        raise ScenarioError(file, line, _("不是有效的 YAML：%(p)s", p=err.problem)) from err
    _check_keys(file, doc, {"process", "scenarios"}, _("文件"))
    process_id = doc.get("process")
    if process_id not in catalog.current:
        raise ScenarioError(file, doc.key_lines.get("process"), _("未知的流程 %(p)r", p=process_id))
    version = catalog.process(process_id)
    items = doc.get("scenarios")
    if not isinstance(items, list) or not items:
        raise ScenarioError(file, doc.key_lines.get("scenarios"), _("scenarios 应为非空列表"))
    return [_scenario(file, process_id, version, item) for item in items]


def _scenario(file: str, process_id: str, version: Any, node: Any) -> Scenario:
    _check_keys(file, node, SCENARIO_KEYS, _("场景"))
    given = node.get("given") or Node()
    if given:
        _check_keys(file, given, GIVEN_KEYS, "given")
    rules = [str(r) for r in node.get("rules") or []]
    for rule in rules:
        if not RULE_ID.match(rule):
            raise ScenarioError(file, node.key_lines.get("rules"), _("%(r)r 不是规则编号（R-字母-数字）", r=rule))
    steps = [_step(file, version, s) for s in node.get("steps") or []]
    expect = node.get("expect") or Node()
    if expect:
        _check_keys(file, expect, EXPECT_KEYS, "expect")
    return Scenario(
        file=file,
        process_id=process_id,
        name=str(node.get("name") or f"line {node.line}"),
        line=node.line,
        rules=rules,
        today=_date(file, given, "today"),
        applicant=str(given.get("applicant", "applicant")),
        member=dict(given.get("member") or {}),
        steps=steps,
        expect=expect,
    )


def _date(file: str, node: Node, key: str) -> date | None:
    value = node.get(key)
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ScenarioError(
            file, node.key_lines.get(key), _("日期格式有误 %(v)r：请写成 YYYY-MM-DD", v=value)
        ) from None


def _step(file: str, version: Any, node: Any) -> Step:
    if not isinstance(node, Node):
        raise ScenarioError(file, None, _("步骤应为键值映射，而不是 %(n)r", n=node))
    kind = next((k for k in STEP_KEYS if k in node), None)
    if kind is None:
        raise ScenarioError(file, node.line, _("步骤只能是 start、complete 或 timer"))
    _check_keys(file, node, STEP_KEYS[kind], f"{kind}")
    if kind == "start":
        start = node.get("start") or Node()
        refused = start.get("refused") if isinstance(start, dict) else None
        return Step("start", node.line, refused=str(refused) if refused else None)
    if kind == "timer":
        days = node.get("timer")
        if not isinstance(days, int | float) or days <= 0:
            raise ScenarioError(file, node.line, _("timer 应为天数，而不是 %(d)r", d=days))
        return Step("timer", node.line, days=float(days))
    task = str(node.get("complete"))
    if task not in version.user_tasks:
        known = ", ".join(sorted(version.user_tasks))
        raise ScenarioError(
            file,
            node.key_lines["complete"],
            _("流程 %(p)s 中没有任务 %(t)r（已有：%(k)s）", p=version.process_id, t=task, k=known),
        )
    form = version.forms[version.user_tasks[task].properties.get("formKey", "")]
    data = node.get("data") or Node()
    if not isinstance(data, Node):
        raise ScenarioError(file, node.key_lines.get("data"), _("data 应为表单字段的键值映射"))
    for name in data:
        if name not in form.properties:
            fields = ", ".join(form.order)
            raise ScenarioError(
                file,
                data.key_lines.get(name),
                _("任务 %(t)s 的表单没有字段 %(n)r（已有：%(f)s）", t=task, n=name, f=fields),
            )
    refused = node.get("refused")
    by, face_check = str(node.get("by", "applicant")), node.get("face_check", True) is not False
    return Step("complete", node.line, task=task, by=by, data=dict(data), refused=refused, face_check=face_check)
