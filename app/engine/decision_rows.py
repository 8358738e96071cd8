"""A published decision table's row as plain data: the conditions it tested, for saying why it matched."""

from dataclasses import dataclass

from app.engine.specs import catalog


@dataclass(frozen=True)
class Condition:
    label: str  # the input's label, in the analyst's words (e.g. 执业月数)
    expression: str  # what the input reads (a fact name, or an expression over the facts)
    test: str  # the cell: "< 24", "True", "!= None", …


def row_conditions(decision_id: str, version: str, rule_id: str | None) -> list[Condition] | None:
    """The tested (not "-") cells of row `rule_id` as published now; None when the table has changed since
    `version` was recorded (or is gone), so an old record is not explained with today's conditions."""
    cat = catalog()
    if rule_id is None or cat.decision_versions.get(decision_id) != version or decision_id not in cat.decisions:
        return None
    table = cat.decisions[decision_id].decision_table
    rule = next((r for r in table.rules if r.id == rule_id), None)
    if rule is None:
        return None
    return [
        Condition(entry.input.label or entry.input.name or "", entry.input.expression or "", lhs.strip())
        for entry in rule.inputEntries
        for lhs in entry.lhs
        if lhs is not None and lhs.strip() not in ("", "-")
    ]
