"""A recorded decision in words ("why was I refused"): the conditions of the row that matched, with the person's
facts, then the outcome and the rules the row cites — e.g. 执业月数 23 < 24 → 不符合（R-STA-1）."""

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.decisions import replay
from app.decisions.log import outcome_of
from app.decisions.models import DecisionRecord
from app.engine.decision_rows import Condition, row_conditions

OUTCOME_LABELS = {
    "eligible": _l("符合"),
    "refused": _l("不符合"),
    "no_match": _l("无匹配规则"),
    replay.ERROR: _l("草稿无法判定"),
}
RULE_ID = re.compile(r"\bR-[A-Z]+-\d+\b")
_COMPARISON = re.compile(r"^(<=|>=|<|>|==|!=)\s*(.+)$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _value(value: Any) -> str:
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if value is None or value == "":
        return _("无")
    return str(value)


def _condition(cond: Condition, facts: dict[str, Any]) -> str:
    label = _(cond.label) if cond.label else cond.expression  # DMN input labels are in the catalog (extract_dmn)
    known = _NAME.match(cond.expression) is not None and cond.expression in facts
    value = facts.get(cond.expression) if known else None
    test = cond.test
    if test in ("True", "False"):
        return _("%(label)s：%(value)s", label=label, value=_value(test == "True"))
    if test in ("None", "== None"):
        return _("%(label)s：%(value)s", label=label, value=_value(None))
    if test == "!= None":
        return _("%(label)s：%(value)s", label=label, value=_value(value)) if known else label
    comparison = _COMPARISON.match(test)
    if comparison and known:
        return f"{label} {_value(value)} {comparison.group(1)} {comparison.group(2).strip(chr(34))}"
    if test.startswith('"') and test.endswith('"'):
        return _("%(label)s：%(value)s", label=label, value=test[1:-1])
    shown = f"{label} {_value(value)}" if known else label
    return _("%(label)s（%(test)s）", label=shown, test=test)


def explain(record: DecisionRecord) -> str | None:
    """The matched row as one sentence; None when the table changed since (the row and annotation say it then)."""
    conditions = row_conditions(record.decision_id, record.version, record.rule_id)
    if conditions is None:
        return None
    facts = record.facts or {}
    said = _("，").join(_condition(c, facts) for c in conditions) or _("其余条件均满足")
    outcome = outcome_of(record.outputs or {})
    rules = "、".join(dict.fromkeys(RULE_ID.findall(record.annotation or ""))) or record.rule_id
    return _(
        "%(conditions)s → %(outcome)s（%(rules)s）",
        conditions=said,
        outcome=OUTCOME_LABELS.get(outcome, outcome),
        rules=rules,
    )
