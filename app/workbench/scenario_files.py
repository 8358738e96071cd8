"""Scenario files in the workbench (issues 17 and 18): processes/tests/*.yaml are a catalog kind like the others —
drafted per analyst, checked on save with the runner's own reader (unknown task, wrong field, malformed date → the
line), published with the process change they describe, and seen only by the analysts of the process's association."""

from pathlib import Path

from flask_babel import gettext
from sqlalchemy import select

from app.accounts.models import User
from app.decisions.scope import analyst_scope, process_in_scope
from app.engine.spec_files import SCENARIO, SpecProblem
from app.engine.specs import Catalog, catalog, load_catalog_from
from app.errors import NotFound
from app.extensions import db
from app.scenarios.spec import ScenarioError, load_scenarios, process_named
from app.workbench.catalog import live_version
from app.workbench.models import SpecDraft

NEW_SCENARIO = """# 场景文件：写明人员与日期、办理的步骤和预期结果（格式见 README「场景测试」）
process: status_full
scenarios:
  - name: 场景名称
    rules: [R-STA-1]
    given: {applicant: "13800000031"}
    steps:
      - start: {}
    expect:
      open_task: Task_Apply
"""


def in_scope(user: User, content: str) -> bool:
    """A scenario is its process's: another association's is not shown. A file naming no process, or one the
    catalog does not know, is shown (its check says what is wrong)."""
    process_id = process_named(content)
    if process_id is None or process_id not in catalog().current:
        return True
    return process_in_scope(process_id, analyst_scope(user))


def require_visible(user: User, name: str, content: str | None = None) -> None:
    """404 for another association's scenario file (its draft, its live version, or the text being saved)."""
    texts = [content] if content is not None else []
    draft = db.session.scalar(
        select(SpecDraft.content).where(
            SpecDraft.user_id == user.id, SpecDraft.kind == SCENARIO, SpecDraft.name == name
        )
    )
    live = live_version(SCENARIO, name)
    texts += [t for t in (draft, live.content if live else None) if t is not None]
    if not all(in_scope(user, text) for text in texts):
        raise NotFound(gettext("没有这个文件：%(kind)s/%(name)s", kind=SCENARIO, name=name))


def my_drafts(user: User, kind: str | None = None) -> list[SpecDraft]:
    stmt = select(SpecDraft).where(SpecDraft.user_id == user.id)
    if kind is not None:
        stmt = stmt.where(SpecDraft.kind == kind)
    return list(db.session.scalars(stmt.order_by(SpecDraft.kind, SpecDraft.name)))


def draft_catalog(user: User | None) -> Catalog:
    """The live catalog with the analyst's BPMN, DMN and form drafts in place: a scenario written for a process
    change not yet published is checked against that change."""
    mine = [d for d in my_drafts(user) if d.kind != SCENARIO] if user is not None else []
    if not mine:
        return catalog()
    sources = catalog().sources
    for draft in mine:
        sources = sources.replaced(draft.kind, draft.name, draft.content.encode("utf-8"))
    return load_catalog_from(sources)


def draft_files(user: User) -> dict[str, bytes]:
    """The analyst's BPMN, DMN and form drafts by file name, to lay over the live files in a scenario run."""
    return {d.name: d.content.encode("utf-8") for d in my_drafts(user) if d.kind != SCENARIO}


def scenario_problems(name: str, content: str, against: Catalog) -> list[SpecProblem]:
    """The runner's own reading of the file: YAML, keys, process, tasks, form fields, dates — each with its line."""
    try:
        load_scenarios(Path(name), against, content)
    except ScenarioError as err:
        return [SpecProblem(name, err.line, err.message)]
    return []


def companions(user: User, processes: list[str]) -> list[SpecDraft]:
    """The analyst's scenario drafts for these processes: published together with the file that changes them."""
    wanted = set(processes)
    found = []
    for draft in my_drafts(user, SCENARIO):
        live = live_version(SCENARIO, draft.name)
        named = {process_named(draft.content), process_named(live.content) if live else None}
        if named & wanted:
            found.append(draft)
    return found
