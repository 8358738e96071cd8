"""A draft checked exactly as the loader checks a published file: the whole catalog is read with the draft in
place of the live file, and every problem that the live catalog does not have is the draft's (its own file's
problems, and those it causes elsewhere, e.g. a process naming a decision the draft removed)."""

from pathlib import Path
from typing import Any

from flask_babel import gettext

from app.accounts.models import User
from app.engine.scripting import OPERATIONS
from app.engine.spec_files import KINDS, SCENARIO, SpecProblem, parse_xml_bytes, problem
from app.engine.specs import Catalog, catalog, load_catalog_from
from app.engine.xml_errors import explain
from app.workbench.scenario_files import draft_catalog, scenario_problems

MAX_BYTES = 1024 * 1024


def lint(kind: str, name: str, content: str, user: User | None = None) -> list[SpecProblem]:
    """The draft's problems; a scenario file is read against the live files with `user`'s drafts in place."""
    raw = content.encode("utf-8")
    if not content.strip():
        return [SpecProblem(name, None, gettext("文件内容为空"))]
    if len(raw) > MAX_BYTES:
        return [SpecProblem(name, None, gettext("文件超过 1 MB"))]
    if kind == SCENARIO:
        return scenario_problems(name, content, draft_catalog(user))
    if kind in ("bpmn", "dmn"):
        try:  # DOCTYPE, entities (XXE) and syntax, said first and plainly
            parse_xml_bytes(raw, name)
        except Exception as err:
            return [problem(Path(name), err)]
    problems = draft_problems(catalog(), kind, name, raw)
    return problems + (unknown_operations(name, raw) if kind == "bpmn" else [])


def unknown_operations(name: str, raw: bytes) -> list[SpecProblem]:
    """Service tasks naming an operation nobody registered (app/engine/scripting.py OPERATIONS) would fail when
    reached; said now, at the task."""
    tree = parse_xml_bytes(raw, name)
    problems = []
    for operator in tree.iter("{*}serviceTaskOperator"):
        if operator.get("id") not in OPERATIONS:
            task = next((a for a in operator.iterancestors() if a.tag.endswith("serviceTask")), operator)
            message = gettext("服务任务 %(task)s 的操作 %(op)s 未注册", task=task.get("id"), op=operator.get("id"))
            problems.append(SpecProblem(name, operator.sourceline, message, task.get("id")))
    return problems


def draft_problems(live: Catalog, kind: str, name: str, raw: bytes) -> list[SpecProblem]:
    assert kind in KINDS
    drafted = load_catalog_from(live.sources.replaced(kind, name, raw))
    known = {str(p) for p in live.problems}
    return [p for p in drafted.problems if str(p) not in known]


def as_json(problems: list[SpecProblem]) -> list[dict[str, Any]]:
    return [
        {"file": p.file, "line": p.line, "element_id": p.element_id, "message": explain(p.message)} for p in problems
    ]
