"""Drafts per analyst: saved with their problems, published only without any, rebased onto a newer live version."""

import difflib
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from lxml import etree
from sqlalchemy import select

from app import clock
from app.accounts.models import User
from app.admin.audit import record_admin_action
from app.engine import specs
from app.engine.spec_files import SAFE_XML, SCENARIO, SpecProblem
from app.errors import Invalid, NotFound
from app.extensions import db
from app.workbench import gate, lint, scenario_files
from app.workbench.catalog import PublishConflict, live_version, publish
from app.workbench.models import SpecDraft, SpecFileVersion


@dataclass
class Checked:
    draft: SpecDraft
    problems: list[SpecProblem]


def draft_of(user: User, kind: str, name: str) -> SpecDraft | None:
    stmt = select(SpecDraft).where(SpecDraft.user_id == user.id, SpecDraft.kind == kind, SpecDraft.name == name)
    return db.session.scalar(stmt)


def save_draft(user: User, kind: str, name: str, content: str, new_file: bool = False) -> Checked:
    """Keep the analyst's text whatever its problems (nothing typed is lost) and say what they are. Line ends are
    the files' (a browser's text area sends CRLF, which would make every line differ from the version before)."""
    content = content.replace("\r\n", "\n")
    if kind == SCENARIO:
        scenario_files.require_visible(user, name, content)
    draft = draft_of(user, kind, name)
    live = live_version(kind, name)
    if new_file and (live is not None or draft is not None):
        raise Invalid(gettext("文件 %(name)s 已存在", name=name))
    if draft is None:
        draft = SpecDraft(user_id=user.id, kind=kind, name=name, base_version_id=live.id if live else None)
        db.session.add(draft)
    draft.content = content
    draft.updated_at = clock.now()
    db.session.flush()
    return Checked(draft, lint.lint(kind, name, content, user))


def drop_draft(user: User, kind: str, name: str) -> None:
    draft = draft_of(user, kind, name)
    if draft is not None:
        db.session.delete(draft)


def rebase(user: User, kind: str, name: str) -> Checked:
    """Take the live version as the draft's base, keep its text, check it again."""
    draft = _required(user, kind, name)
    live = live_version(kind, name)
    draft.base_version_id = live.id if live else None
    draft.updated_at = clock.now()
    return Checked(draft, lint.lint(kind, name, draft.content, user))


def publish_draft(user: User, kind: str, name: str, comment: str) -> tuple[SpecFileVersion, list[SpecProblem]]:
    """Publish the draft if it has no problem (else nothing, and the problems), from its base (else
    PublishConflict), and the scenarios of the processes it affects pass with it (else gate.ScenariosFailed); the
    draft is gone afterwards and this worker runs the new version at once. The analyst's scenario drafts of those
    processes (`together`) are run with it and published with it: a process change and the scenario saying it go
    live together or not at all."""
    draft = _required(user, kind, name)
    problems = lint.lint(kind, name, draft.content, user)
    with_it = together(user, kind, name, draft.content)
    for companion in with_it:
        problems += lint.lint(SCENARIO, companion.name, companion.content, user)
    if problems:
        return None, problems  # type: ignore[return-value]
    live = live_version(kind, name)
    also = {c.name: c.content for c in with_it}
    gate.check_scenarios(kind, name, draft.content, live.content if live else None, also)
    version = publish(kind, name, draft.content, draft.base_version_id, user, comment, "web")
    record_admin_action(user, "spec.publish", f"{kind}/{name}", {"version": version.number, "comment": comment})
    for companion in with_it:
        text = comment or gettext("随 %(name)s 发布", name=name)
        scenario = publish(SCENARIO, companion.name, companion.content, companion.base_version_id, user, text, "web")
        record_admin_action(user, "spec.publish", f"{SCENARIO}/{companion.name}", {"version": scenario.number})
        db.session.delete(companion)
    db.session.delete(draft)
    return version, []


def partners(user: User, scenario: SpecDraft) -> list[SpecDraft]:
    """The analyst's BPMN, DMN and form drafts a scenario draft is published with (those changing its process)."""
    return [
        d
        for d in scenario_files.my_drafts(user)
        if d.kind != SCENARIO and scenario in together(user, d.kind, d.name, d.content)
    ]


def together(user: User, kind: str, name: str, content: str) -> list[SpecDraft]:
    """The analyst's scenario drafts published with a BPMN, DMN or form draft: those of the processes it affects."""
    if kind == SCENARIO:
        return []
    live = live_version(kind, name)
    return scenario_files.companions(user, gate.affected_processes(kind, name, content, live.content if live else None))


def rollback(user: User, kind: str, name: str, old: SpecFileVersion, comment: str) -> SpecFileVersion:
    """Publish an old version again, as a new version, from the live one (checked like any draft)."""
    live = live_version(kind, name)
    problems = lint.lint(kind, name, old.content, user)
    if problems:
        raise Invalid("；".join(str(p) for p in problems))
    text = comment or gettext("回滚到版本 %(number)s", number=old.number)
    version = publish(kind, name, old.content, live.id if live else None, user, text, "web")
    record_admin_action(user, "spec.rollback", f"{kind}/{name}", {"version": version.number, "from": old.number})
    return version


def text_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_label, new_label, n=3
    )
    return "".join(lines)


def changed_elements(old: str, new: str) -> list[str]:
    """Ids of the XML elements added, removed or changed between two BPMN/DMN texts (empty for forms). An element
    changes with its attributes, text and id-less content (a task's properties); a child with an id counts
    for itself, so editing one task does not mark its process."""
    before, after = _elements(old), _elements(new)
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _elements(text: str) -> dict[str, object]:
    try:
        root = etree.fromstring(text.encode("utf-8"), SAFE_XML)
    except (etree.XMLSyntaxError, ValueError):
        return {}
    return {el.get("id"): _own(el) for el in root.iter() if isinstance(el.tag, str) and el.get("id")}


def _own(el: Any) -> object:
    children = tuple(
        ("ref", child.get("id")) if child.get("id") else _own(child) for child in el if isinstance(child.tag, str)
    )
    return (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip(), children)


def conflict_of(draft: SpecDraft, err: PublishConflict) -> dict[str, object]:
    base = db.session.get(SpecFileVersion, draft.base_version_id) if draft.base_version_id else None
    live_text = err.live.content if err.live else ""
    kind_is_xml = draft.kind in ("bpmn", "dmn")
    return {
        "live_version_id": err.live.id if err.live else None,
        "diff": text_diff(base.content if base else "", live_text, "base", "live"),
        "changed_elements": changed_elements(base.content if base else "", live_text) if kind_is_xml else [],
    }


def _required(user: User, kind: str, name: str) -> SpecDraft:
    draft = draft_of(user, kind, name)
    if draft is None:
        raise NotFound(gettext("没有这个草稿"))
    return draft


def refresh_after_publish() -> None:
    """This worker runs the new version now; the others within MEMBERFLOW_CATALOG_CHECK_SECONDS."""
    from flask import current_app

    from app.workbench.live import refresh_catalog

    refresh_catalog(current_app)  # type: ignore[arg-type]
    _ = specs
