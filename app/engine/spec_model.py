"""The loaded catalog's shape: each process version (keyed by its files' content hash), the decision tables with their
versions, the forms, the problems of the files left out; and evaluating a decision table outside a workflow."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from app.engine.scripting import SCRIPT_ENGINE
from app.engine.spec_files import SpecProblem, SpecSources
from app.engine.spec_tasks import UserTaskInfo, event_properties, user_tasks
from app.engine.store import load_spec
from app.formkit import FormSpec


@dataclass
class ProcessVersion:
    key: str
    process_id: str
    name: str
    bpmn_xml: str
    spec: Any
    subprocess_specs: dict[str, Any]
    forms: dict[str, FormSpec]
    start_properties: dict[str, str]
    end_properties: dict[str, dict[str, str]]
    user_tasks: dict[str, UserTaskInfo]
    # the XML of the file of each called process (call activities, app/engine/calls.py): the progress diagram
    called_xml: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        key: str,
        process_id: str,
        name: str,
        bpmn_xml: str,
        spec: Any,
        subprocess_specs: dict[str, Any],
        forms: dict[str, FormSpec],
        called_xml: dict[str, str],
    ) -> "ProcessVersion":
        """A version of a parsed spec (loaded from its files or rebuilt from its stored row): what its steps say is
        read from the spec, alike both ways."""
        return cls(
            key=key,
            process_id=process_id,
            name=name,
            bpmn_xml=bpmn_xml,
            spec=spec,
            subprocess_specs=subprocess_specs,
            forms=forms,
            start_properties=next(iter(event_properties(spec, "StartEvent").values()), {}),
            end_properties=event_properties(spec, "EndEvent"),
            user_tasks=user_tasks(spec, subprocess_specs),
            called_xml=called_xml,
        )


@dataclass(frozen=True)
class Decision:
    outputs: dict[str, Any]
    rule_id: str | None
    row: int | None
    annotation: str = ""  # the matched row's <description>, in the analyst's words (it cites the R-… rule)


# Called with (decision_id, version, facts, decision) after every Catalog.decide: the decision log listens here
# (app/decisions/log.py) without this package knowing about it.
DecisionObserver = Callable[[str, str, dict[str, Any], "Decision"], None]
DECISION_OBSERVERS: list[DecisionObserver] = []


def decide_with(engine: Any, facts: dict[str, Any]) -> Decision:
    """Evaluate one parsed DMN table over `facts` (published or a draft): the first matching row wins."""
    task = SimpleNamespace(data=dict(facts), workflow=SimpleNamespace(script_engine=SCRIPT_ENGINE))
    rules = engine.decide(task)
    if not rules:
        return Decision({}, None, None)
    return Decision(rules[0].output_as_dict(task), rules[0].id, rules[0].row_number, rules[0].description or "")


@dataclass
class Catalog:
    versions: dict[str, ProcessVersion] = field(default_factory=dict)
    current: dict[str, str] = field(default_factory=dict)
    decisions: dict[str, Any] = field(default_factory=dict)
    decision_versions: dict[str, str] = field(default_factory=dict)  # content hash of each decision's DMN file
    forms: dict[str, FormSpec] = field(default_factory=dict)
    problems: list[SpecProblem] = field(default_factory=list)
    decision_files: dict[str, str] = field(default_factory=dict)  # decision id -> its DMN file's name
    decision_names: dict[str, str] = field(default_factory=dict)  # decision id -> its name (<decision name=…>)
    # file name -> the associations (society keys) it serves: a BPMN its processes' `society`, a DMN the societies
    # of the processes naming its decisions and the one its file declares (memberflow:society); analysts see by it
    file_societies: dict[str, set[str]] = field(default_factory=dict)
    generation: int = 0  # the workbench catalog's state these files were read at (0: the files on disk)
    sources: SpecSources = field(default_factory=SpecSources)  # what was read (a draft is checked against it)

    def process(self, process_id: str) -> ProcessVersion:
        return self.versions[self.current[process_id]]

    def decision_name(self, decision_id: str) -> str:
        """The name the analyst gave a decision table, as people read it; its id when it has none (or is gone)."""
        return self.decision_names.get(decision_id) or decision_id

    def version(self, key: str, load_row: Callable[[str], Any]) -> ProcessVersion:
        """A pinned version: from this process's parse, or rebuilt from its stored row (file changed since)."""
        if key not in self.versions:
            row = load_row(key)
            if row is None:
                raise KeyError(key)
            spec, subprocess_specs = load_spec(row.spec_json)
            forms = {k: FormSpec.from_dict(v) for k, v in json.loads(row.forms_json).items()}
            called = json.loads(row.spec_json).get("called_xml", {})
            self.add(
                ProcessVersion.of(key, row.process_id, row.name, row.bpmn_xml, spec, subprocess_specs, forms, called)
            )
        return self.versions[key]

    def add(self, version: ProcessVersion, current: bool = False) -> None:
        """Know `version` (a pinned one rebuilt from its row), or run it from now on (`current`: one just loaded)."""
        self.versions[version.key] = version
        if current:
            self.current[version.process_id] = version.key

    def decide(self, decision_id: str, facts: dict[str, Any]) -> Decision:
        """Evaluate a DMN table outside a workflow (eligibility before start, option gating in forms)."""
        decision = decide_with(self.decisions[decision_id], facts)
        for observer in DECISION_OBSERVERS:
            observer(decision_id, self.decision_versions.get(decision_id, ""), facts, decision)
        return decision
