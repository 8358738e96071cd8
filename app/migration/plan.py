"""Which versions of a process the database knows, which instances run on one, and which of them can move to
another version, with the reason in words when one cannot (the dry run)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from app.engine.migration import MigrationCheck, check_migration
from app.engine.specs import ProcessVersion, catalog
from app.errors import Invalid, NotFound
from app.extensions import db
from app.migration.files import Parts, file_versions
from app.workbench.catalog import content_hash
from app.workbench.models import SpecFileVersion
from app.workflow.models import ProcessInstance, SpecVersion

# a waiting step may be renamed or given another due time in the new version (the inbox follows); these
# properties decide whose inbox it is in and what the person fills in, so they must stay as they are
_KEPT_PROPERTIES = ("formKey", "orgScope", "assignee")


@dataclass(frozen=True)
class VersionRow:
    key: str
    label: str  # the content hash, as the CLI names a version (the page shows it only as a detail)
    created_at: datetime | None  # when the database first pinned it (an instance started on it, or one moved)
    running: int
    current: bool
    # the published file versions it is made of (app/migration/files.py): its own BPMN file's, the called files'
    files: list[SpecFileVersion] = field(default_factory=list)
    called: list[SpecFileVersion] = field(default_factory=list)
    same_file_as_other: bool = False  # another version has the same BPMN: the rules or forms it uses differ

    @property
    def published(self) -> SpecFileVersion | None:
        """The file version it was published as (the newest with its content: a rollback republishes one)."""
        return self.files[-1] if self.files else None

    @property
    def title(self) -> str:
        """How people name it: the file version ("transfer.bpmn v3"), else its hash."""
        if self.published is None:
            return gettext("版本 %(hash)s", hash=self.label)
        return f"{self.published.name} v{self.published.number}"


@dataclass(frozen=True)
class Verdict:
    instance_id: int
    title: str
    current_step: str | None
    reasons: list[str]

    @property
    def movable(self) -> bool:
        return not self.reasons


def short(key: str) -> str:
    return key.split(":", 1)[-1]


def list_versions(process_id: str) -> list[VersionRow]:
    """The versions the database has pinned (newest first), and the loaded one even before its first instance, each
    with the published file versions it is made of."""
    counts = dict(
        db.session.execute(
            select(ProcessInstance.spec_key, func.count())
            .where(ProcessInstance.process_id == process_id, ProcessInstance.status == "running")
            .group_by(ProcessInstance.spec_key)
        ).all()
    )
    current = catalog().current.get(process_id)
    rows = db.session.execute(
        select(SpecVersion.key, SpecVersion.created_at, SpecVersion.bpmn_xml, SpecVersion.spec_json)
        .where(SpecVersion.process_id == process_id)
        .order_by(SpecVersion.created_at.desc(), SpecVersion.key)
    ).all()
    found: list[tuple[str, datetime | None, Parts]] = [(k, at, Parts.of_row(x, j)) for k, at, x, j in rows]
    if current is not None and all(k != current for k, _at, _p in found):
        loaded = catalog().versions[current]
        found.insert(0, (current, None, Parts.of(loaded.bpmn_xml, loaded.called_xml)))
    if not found:
        raise NotFound(gettext("没有该流程的任何版本"))
    by_hash = file_versions(p for _k, _at, p in found)
    owns = [p.own for _k, _at, p in found]
    return [
        VersionRow(
            key=k,
            label=short(k),
            created_at=at,
            running=counts.get(k, 0),
            current=k == current,
            files=by_hash[content_hash(p.own)],
            called=[v[-1] for text in p.called if (v := by_hash[content_hash(text)])],
            same_file_as_other=owns.count(p.own) > 1,
        )
        for k, at, p in found
    ]


def titles(process_id: str) -> dict[str, str]:
    """Version key -> how people name it (the page headings of a diff or a migration)."""
    return {row.key: row.title for row in list_versions(process_id)}


def resolve(process_id: str, label: str) -> ProcessVersion:
    """A version of the process by its hash (or full key): the loaded one, or rebuilt from its stored row."""
    key = label if ":" in label else f"{process_id}:{label}"
    if not key.startswith(f"{process_id}:"):
        raise NotFound(gettext("版本 %(v)s 不属于流程 %(p)s", v=label, p=process_id))
    try:
        return catalog().version(key, lambda k: db.session.get(SpecVersion, k))
    except KeyError as err:
        raise NotFound(gettext("流程 %(p)s 没有版本 %(v)s", p=process_id, v=label)) from err


def pair(process_id: str, from_label: str, to_label: str) -> tuple[ProcessVersion, ProcessVersion]:
    old, new = resolve(process_id, from_label), resolve(process_id, to_label)
    if old.key == new.key:
        raise Invalid(gettext("迁移的原版本与目标版本相同"))
    return old, new


def running_on(process_id: str, key: str, instance_ids: list[int] | None = None) -> list[ProcessInstance]:
    """The running instances on version `key` (all, or those of `instance_ids`), by id."""
    return list(db.session.scalars(_running(select(ProcessInstance), process_id, key, instance_ids)))


def running_ids(process_id: str, key: str, instance_ids: list[int] | None, after_id: int, limit: int) -> list[int]:
    """The next `limit` ids of running instances on `key` after `after_id` (a batch of a migration)."""
    stmt = _running(select(ProcessInstance.id), process_id, key, instance_ids).where(ProcessInstance.id > after_id)
    return list(db.session.scalars(stmt.limit(limit)))


def _running(stmt: Any, process_id: str, key: str, instance_ids: list[int] | None) -> Any:
    stmt = stmt.where(
        ProcessInstance.process_id == process_id,
        ProcessInstance.spec_key == key,
        ProcessInstance.status == "running",
    )
    if instance_ids is not None:
        stmt = stmt.where(ProcessInstance.id.in_(instance_ids))
    return stmt.order_by(ProcessInstance.id)


def reasons(instance: ProcessInstance, old: ProcessVersion, new: ProcessVersion) -> list[str]:
    """Why this instance cannot move to `new` (empty: it can): its waiting steps must exist there, unchanged."""
    check = check_migration(old, new, instance.state, instance.serializer_version)
    return explain(check, old, new)


def explain(check: MigrationCheck, old: ProcessVersion, new: ProcessVersion) -> list[str]:
    found = [gettext("调用的子流程「%(p)s」在新版本中不存在", p=p) for p in check.missing_processes]
    for step in check.removed:
        if step.live:
            found.append(gettext("当前步骤「%(s)s」在新版本中已删除", s=step.name))
        else:
            found.append(gettext("已经过的步骤「%(s)s」在新版本中已删除", s=step.name))
    for step in check.changed:
        found += _changed(step.bpmn_id, step.name, step.changes, old, new)
    return found


def _changed(bpmn_id: str, name: str, changes: tuple[str, ...], old: ProcessVersion, new: ProcessVersion) -> list[str]:
    if {"typename", "name", "bpmn_id"} & set(changes):
        return [gettext("当前步骤「%(s)s」在新版本中已不存在（被其他步骤取代）", s=name)]
    found = []
    if "lane" in changes:
        found.append(gettext("当前步骤「%(s)s」在新版本中由其他角色办理", s=name))
    before, after = old.user_tasks.get(bpmn_id), new.user_tasks.get(bpmn_id)
    if "extensions" in changes and before is not None and after is not None:
        for prop in _KEPT_PROPERTIES:
            if before.properties.get(prop) != after.properties.get(prop):
                found.append(gettext("当前步骤「%(s)s」的 %(p)s 在新版本中不同，须在原版本上办完", s=name, p=prop))
    elif "extensions" in changes:
        found.append(gettext("当前步骤「%(s)s」的设置在新版本中不同", s=name))
    other = [c for c in changes if c not in ("lane", "extensions", "bpmn_name", "documentation", "description")]
    if other:
        found.append(gettext("当前步骤「%(s)s」在新版本中有改动（%(c)s）", s=name, c="、".join(other)))
    return found


def dry_run(process_id: str, from_label: str, to_label: str, instance_ids: list[int] | None = None) -> list[Verdict]:
    """Every selected running instance of version A, and whether it can move to B (nothing is written)."""
    old, new = pair(process_id, from_label, to_label)
    verdicts = []
    for instance in running_on(process_id, old.key, instance_ids):
        verdicts.append(Verdict(instance.id, instance.title, instance.current_step, reasons(instance, old, new)))
    return verdicts
