"""What-if: replay the recorded evaluations of one decision against a draft DMN table, before it is published."""

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.decisions.log import outcome_of
from app.decisions.models import DecisionRecord
from app.engine.drafts import DraftProblem, load_draft_decision
from app.engine.specs import decide_with
from app.errors import Invalid
from app.extensions import db

DEFAULT_REPLAY = 10_000
EXAMPLES_PER_ROW = 5
ERROR = "error"  # the draft could not evaluate a recorded case (e.g. it reads a fact nobody recorded)


@dataclass(frozen=True)
class Change:
    person_id: int | None
    person_name: str
    at: datetime
    old: str
    new: str
    old_reason: str
    new_reason: str


@dataclass
class RowGroup:
    """The changed outcomes that a row of the draft now decides."""

    rule_id: str | None
    row: int | None
    annotation: str
    count: int = 0
    directions: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: list[Change] = field(default_factory=list)


@dataclass
class ReplayResult:
    decision_id: str
    draft_version: str
    replayed: int
    changed: int
    directions: Counter[tuple[str, str]]
    groups: list[RowGroup]
    seconds: float


def _reason(outputs: dict[str, Any]) -> str:
    return str(outputs.get("reason") or outputs.get("warning") or "")


def replay_decision(
    decision_id: str, draft: bytes, filename: str = "draft.dmn", limit: int = DEFAULT_REPLAY
) -> ReplayResult:
    """Evaluate the newest `limit` records of `decision_id` with the draft; raises Invalid for a bad draft."""
    try:
        tables, version = load_draft_decision(draft, filename)
    except DraftProblem as err:
        raise Invalid(_("决策表草稿有误：%(p)s", p=str(err.problem))) from err
    if decision_id not in tables:
        found = "、".join(tables) or "—"
        raise Invalid(_("草稿中没有决策 %(d)s（草稿中的决策：%(f)s）", d=decision_id, f=found))
    engine = tables[decision_id]
    started = time.perf_counter()
    rows = db.session.execute(
        select(DecisionRecord.person_id, DecisionRecord.at, DecisionRecord.facts, DecisionRecord.outputs)
        .where(DecisionRecord.decision_id == decision_id)
        .order_by(DecisionRecord.at.desc(), DecisionRecord.id.desc())
        .limit(limit)
    ).all()
    directions: Counter[tuple[str, str]] = Counter()
    groups: dict[str | None, RowGroup] = {}
    for person_id, at, facts, outputs in rows:
        try:
            new = decide_with(engine, facts)
            new_outcome, new_reason = outcome_of(new.outputs), _reason(new.outputs)
            key, row, note = new.rule_id, new.row, new.annotation
        except Exception as err:  # noqa: BLE001 - any failure of the draft on a real case is a finding to show
            new_outcome, new_reason, key, row, note = ERROR, str(err).splitlines()[0], ERROR, None, ""
        old_outcome = outcome_of(outputs or {})
        if new_outcome == old_outcome:
            continue
        directions[(old_outcome, new_outcome)] += 1
        group = groups.setdefault(key, RowGroup(key, row, note))
        group.count += 1
        group.directions[(old_outcome, new_outcome)] += 1
        if len(group.examples) < EXAMPLES_PER_ROW:
            change = Change(person_id, "", at, old_outcome, new_outcome, _reason(outputs or {}), new_reason)
            group.examples.append(change)
    _name_examples(list(groups.values()))
    ordered = sorted(groups.values(), key=lambda g: -g.count)
    seconds = time.perf_counter() - started
    return ReplayResult(decision_id, version, len(rows), sum(directions.values()), directions, ordered, seconds)


def _name_examples(groups: list[RowGroup]) -> None:
    ids = {c.person_id for g in groups for c in g.examples if c.person_id is not None}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    for group in groups:
        group.examples = [
            Change(c.person_id, names.get(c.person_id or 0, "—"), c.at, c.old, c.new, c.old_reason, c.new_reason)
            for c in group.examples
        ]


@dataclass(frozen=True)
class WhatIf:
    """What the publish step shows beside its button: the headline, and the whole replay when there was a log."""

    decision_id: str
    headline: str
    result: ReplayResult | None  # None: no recorded evaluation of this decision yet


def what_if_summary(decision_id: str, draft_xml: bytes | str, limit: int = DEFAULT_REPLAY) -> WhatIf:
    """Replay the newest `limit` recorded evaluations of `decision_id` against a draft DMN file before it is
    published: "M 条已记录判定中有 N 条结果会改变" (the groups and named examples in `result`), or that there is no
    log yet. A draft that does not parse or lacks the decision raises Invalid with the line."""
    raw = draft_xml.encode("utf-8") if isinstance(draft_xml, str) else draft_xml
    result = replay_decision(decision_id, raw, f"{decision_id}.dmn", limit)  # checks the draft even with no log
    if result.replayed == 0:
        return WhatIf(decision_id, _("该决策表还没有判定记录（尚无日志），无法回放"), None)
    headline = _("%(m)d 条已记录判定中有 %(n)d 条结果会改变", n=result.changed, m=result.replayed)
    return WhatIf(decision_id, headline, result)


def count_records(decision_id: str) -> int:
    return int(
        db.session.scalar(select(func.count(DecisionRecord.id)).where(DecisionRecord.decision_id == decision_id)) or 0
    )
