"""Business-rule tasks the engine evaluates during a run, told to the decision observers like `Catalog.decide`.

A business-rule task carries its own copy of the decision table (parsed with the process, or read back from a
stored spec), which knows its table id but not its decision id nor the file it came from: both are looked up in
the catalog once per table object; a table that differs from the published one (an instance pinned to an older
version) is versioned by a hash of its own content.
"""

import hashlib
import json
from typing import Any

from SpiffWorkflow.dmn.specs import BusinessRuleTaskMixin

from app.engine.specs import DECISION_OBSERVERS, Catalog, catalog, decide_with

_IDENTITY = "_memberflow_identity"  # (decision id, version), cached on the table object


def _content(table: Any) -> str:
    rules = [
        (r.row_number, r.description, [e.lhs for e in r.inputEntries], [e.text for e in r.outputEntries])
        for r in table.rules
    ]
    inputs = [i.expression for i in table.inputs]
    return json.dumps([table.hit_policy, inputs, [o.name for o in table.outputs], rules], default=str)


def _identity(table: Any, cat: Catalog) -> tuple[str, str]:
    known = getattr(table, _IDENTITY, None)
    if known is None:
        content = _content(table)
        found = next((d for d, e in cat.decisions.items() if e.decision_table.id == table.id), None)
        if found is not None and _content(cat.decisions[found].decision_table) == content:
            known = (found, cat.decision_versions.get(found, ""))
        else:  # not the published table: its own content names the version
            known = (found or table.id, "t" + hashlib.sha256(content.encode()).hexdigest()[:15])
        setattr(table, _IDENTITY, known)
    return known  # type: ignore[no-any-return]


def observe_business_rule(task: Any) -> None:
    """`will_complete_task` of every engine run: a business-rule task about to decide is evaluated for the log
    over the data it is given (Spiff evaluates it again as it runs; a DMN row costs microseconds)."""
    spec = task.task_spec
    if not DECISION_OBSERVERS or not isinstance(spec, BusinessRuleTaskMixin):
        return
    try:
        facts = json.loads(json.dumps(task.data, default=str))  # what the log can store: dates as ISO text
        decision = decide_with(spec.dmnEngine, task.data)
    except Exception:  # noqa: BLE001 - the task's own run fails the same way and reports it with its element
        return
    decision_id, version = _identity(spec.dmnEngine.decision_table, catalog())
    for observer in DECISION_OBSERVERS:
        observer(decision_id, version, facts, decision)
