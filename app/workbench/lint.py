"""A draft checked exactly as the loader checks a published file: the whole catalog is read with the draft in
place of the live file, and every problem that the live catalog does not have is the draft's (its own file's
problems, and those it causes elsewhere, e.g. a process naming a decision the draft removed)."""

from typing import Any

from flask_babel import gettext

from app.engine.spec_files import KINDS, SpecProblem, parse_xml_bytes, problem
from app.engine.specs import Catalog, catalog, load_catalog_from

MAX_BYTES = 1024 * 1024


def lint(kind: str, name: str, content: str) -> list[SpecProblem]:
    raw = content.encode("utf-8")
    if not content.strip():
        return [SpecProblem(name, None, gettext("文件内容为空"))]
    if len(raw) > MAX_BYTES:
        return [SpecProblem(name, None, gettext("文件超过 1 MB"))]
    if kind in ("bpmn", "dmn"):
        try:  # DOCTYPE, entities (XXE) and syntax, said first and plainly
            parse_xml_bytes(raw, name)
        except Exception as err:
            from pathlib import Path

            return [problem(Path(name), err)]
    return draft_problems(catalog(), kind, name, raw)


def draft_problems(live: Catalog, kind: str, name: str, raw: bytes) -> list[SpecProblem]:
    assert kind in KINDS
    drafted = load_catalog_from(live.sources.replaced(kind, name, raw))
    known = {str(p) for p in live.problems}
    return [p for p in drafted.problems if str(p) not in known]


def as_json(problems: list[SpecProblem]) -> list[dict[str, Any]]:
    return [{"file": p.file, "line": p.line, "element_id": p.element_id, "message": p.message} for p in problems]
