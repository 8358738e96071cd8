"""Loads processes/, rules/ and forms/, reports broken files with file and line, versions by content hash."""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from flask import Flask, current_app
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from app.engine.calls import BpmnFile, called_files, called_xml, index_by_process, read_bpmn_files, source_of
from app.engine.dmn_lint import catch_all_problems
from app.engine.guard import LIMITS
from app.engine.scripting import SCRIPT_ENGINE
from app.engine.spec_files import (
    SpecProblem,
    SpecSources,
    decision_references,
    declared_society,
    line_of,
    parse_xml_bytes,
    problem,
    read_dir_sources,
)
from app.engine.store import load_spec
from app.formkit import FormFileError, FormSpec

log = logging.getLogger(__name__)

# Lane names are role keys (DESIGN.md "Assignment"); "system" holds the automatic steps.
ROLE_LANES = (
    "applicant",
    "firm",
    "local_association",
    "national_association",
    "finance_department",
    "auction_firm",
    "provincial_auction_association",
    "caa",
    "cpa_institute",
    "system",
)


@dataclass(frozen=True)
class UserTaskInfo:
    bpmn_id: str
    name: str
    lane: str
    properties: dict[str, str]


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
    # file name -> the associations (society keys) it serves: a BPMN its processes' `society`, a DMN the societies
    # of the processes naming its decisions and the one its file declares (memberflow:society); analysts see by it
    file_societies: dict[str, set[str]] = field(default_factory=dict)
    generation: int = 0  # the workbench catalog's state these files were read at (0: the files on disk)
    sources: SpecSources = field(default_factory=SpecSources)  # what was read (a draft is checked against it)

    def process(self, process_id: str) -> ProcessVersion:
        return self.versions[self.current[process_id]]

    def version(self, key: str, load_row: Callable[[str], Any]) -> ProcessVersion:
        """A pinned version: from this process's parse, or rebuilt from its stored row (file changed since)."""
        if key not in self.versions:
            row = load_row(key)
            if row is None:
                raise KeyError(key)
            spec, subprocess_specs = load_spec(row.spec_json)
            forms = {k: FormSpec.from_dict(v) for k, v in json.loads(row.forms_json).items()}
            self.versions[key] = ProcessVersion(
                key=key,
                process_id=row.process_id,
                name=row.name,
                bpmn_xml=row.bpmn_xml,
                spec=spec,
                subprocess_specs=subprocess_specs,
                forms=forms,
                start_properties=next(iter(_event_properties(spec, "StartEvent").values()), {}),
                end_properties=_event_properties(spec, "EndEvent"),
                user_tasks=_user_tasks(spec, subprocess_specs),
                called_xml=json.loads(row.spec_json).get("called_xml", {}),
            )
        return self.versions[key]

    def decide(self, decision_id: str, facts: dict[str, Any]) -> Decision:
        """Evaluate a DMN table outside a workflow (eligibility before start, option gating in forms)."""
        decision = decide_with(self.decisions[decision_id], facts)
        for observer in DECISION_OBSERVERS:
            observer(decision_id, self.decision_versions.get(decision_id, ""), facts, decision)
        return decision


def _load_forms(forms: dict[str, bytes], catalog: Catalog) -> dict[str, bytes]:
    raw: dict[str, bytes] = {}
    for name in sorted(forms):
        if name.endswith(".ui.json"):
            continue
        key = name.removesuffix(".json")
        ui_name = f"{key}.ui.json"
        try:
            form = FormSpec.from_texts(key, forms[name], forms.get(ui_name), name, ui_name)
        except FormFileError as err:
            catalog.problems.append(SpecProblem(Path(err.file).name, err.line, err.message))
            continue
        catalog.forms[form.key] = form
        raw[form.key] = forms[name] + forms.get(ui_name, b"")
    return raw


def _load_rules(rules: dict[str, bytes], catalog: Catalog) -> dict[str, tuple[bytes, Any]]:
    trees: dict[str, tuple[bytes, Any]] = {}
    for name in sorted(rules):
        raw = rules[name]
        try:
            tree = parse_xml_bytes(raw, name)
            catalog.problems.extend(catch_all_problems(tree, name))
            for decision_id, engine in parse_decisions(tree, name).items():
                catalog.decisions[decision_id] = engine
                catalog.decision_versions[decision_id] = decision_version(raw)
                catalog.decision_files[decision_id] = name
                trees[decision_id] = (raw, tree)
            if declared := declared_society(tree):
                catalog.file_societies.setdefault(name, set()).add(declared)
        except (etree.XMLSyntaxError, ValidationException, SpiffWorkflowException, Exception) as err:
            catalog.problems.append(problem(Path(name), err))
    return trees


def decision_version(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def parse_decisions(tree: Any, filename: str) -> dict[str, Any]:
    """The decision tables of one DMN file, parsed and validated as the loader does (raises on a bad file)."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_dmn_xml(tree.getroot(), filename=filename)
    return {decision_id: parser.get_engine(decision_id, None) for decision_id in list(parser.dmn_parsers)}


def _user_tasks(spec: Any, subprocess_specs: dict[str, Any] | None = None) -> dict[str, UserTaskInfo]:
    """The user tasks of the process and of every process it calls or embeds (their tasks run in its instances)."""
    return {
        ts.bpmn_id: UserTaskInfo(
            ts.bpmn_id, ts.bpmn_name or ts.bpmn_id, ts.lane or "", dict(ts.extensions.get("properties", {}))
        )
        for s in [spec, *(subprocess_specs or {}).values()]
        if s is not None
        for ts in s.task_specs.values()
        if isinstance(ts, UserTask)
    }


def _lint(path: Path, tree: Any, spec: Any, catalog: Catalog) -> tuple[list[SpecProblem], dict[str, UserTaskInfo]]:
    """What would break at run time, reported now with its line: unknown lanes, missing forms or scopes."""
    problems, tasks = [], _user_tasks(spec)
    for t in tasks.values():
        line, props = line_of(tree, t.bpmn_id), t.properties
        if t.lane not in ROLE_LANES:
            problems.append(
                SpecProblem(path.name, line, f"用户任务 {t.bpmn_id} 所在泳道 {t.lane!r} 不是已知角色", t.bpmn_id)
            )
        if props.get("formKey") not in catalog.forms:
            problems.append(
                SpecProblem(path.name, line, f"用户任务 {t.bpmn_id} 的表单 {props.get('formKey')!r} 不存在", t.bpmn_id)
            )
        if t.lane == "applicant" and "assignee" not in props:
            problems.append(SpecProblem(path.name, line, f"申请人任务 {t.bpmn_id} 缺少 assignee 属性", t.bpmn_id))
        if t.lane not in ("applicant", "") and "orgScope" not in props:
            problems.append(SpecProblem(path.name, line, f"审核任务 {t.bpmn_id} 缺少 orgScope 属性", t.bpmn_id))
    for event_id, props in _event_properties(spec, "StartEvent").items():
        for prop in ("eligibilityDecision", "warningDecision"):
            if prop in props and props[prop] not in catalog.decisions:
                message = f"开始事件 {event_id} 的 {prop} {props[prop]!r} 不是已知的决策表"
                problems.append(SpecProblem(path.name, line_of(tree, event_id), message, event_id))
    return problems, tasks


def _event_properties(spec: Any, kind: str) -> dict[str, dict[str, str]]:
    return {
        ts.bpmn_id: getattr(ts, "extensions", {}).get("properties", {})
        for ts in spec.task_specs.values()
        if type(ts).__name__ == kind and ts.bpmn_id
    }


def _load_process_file(
    own: BpmnFile,
    index: dict[str, BpmnFile],
    called: set[str],
    rules: dict[str, tuple[bytes, Any]],
    form_raw: dict[str, bytes],
    catalog: Catalog,
) -> None:
    path, raw, tree = own.path, own.raw, own.tree
    calls = called_files(own, index)
    try:
        parser = SpiffBpmnParser(validator=VALIDATOR)
        for _raw, dmn_tree in {id(t): (r, t) for r, t in rules.values()}.values():
            parser.add_dmn_xml(dmn_tree.getroot())
        parser.add_bpmn_xml(tree, filename=path.name)
        # this file's processes (the called files are added after), but not those other processes call: they run
        # inside their callers' instances and are not started on their own
        process_ids = [p for p in parser.get_process_ids() if p not in called]
        for callee in calls:
            parser.add_bpmn_xml(callee.tree, filename=callee.path.name)
    except Exception as err:
        catalog.problems.append(problem(path, err))
        return
    references = decision_references(tree)
    if missing_tables := [
        SpecProblem(
            path.name,
            ref.line,
            f"{ref.element_id} 的 {ref.via} 引用的决策表 {ref.decision_id!r} 不存在",
            ref.element_id,
        )
        for ref in references
        if ref.decision_id not in rules
    ]:  # refused now rather than a KeyError when someone starts it (issue 18)
        catalog.problems.extend(missing_tables)
        return
    for process_id in process_ids:
        try:
            spec = parser.get_spec(process_id)
            subprocess_specs = parser.get_subprocess_specs(process_id)
        except Exception as err:
            catalog.problems.append(problem(path, err))
            continue
        problems, tasks = _lint(path, tree, spec, catalog)
        for sub in subprocess_specs.values():  # a called process is checked in its own file, with its lines
            source = source_of(sub.name, own, index)
            sub_problems, sub_tasks = _lint(source.path, source.tree, sub, catalog)
            problems += [p for p in sub_problems if p not in problems]
            tasks.update(sub_tasks)
        missing = [d for d in parser.get_dependencies() if d not in rules and d not in subprocess_specs]
        problems += [SpecProblem(path.name, None, f"引用的决策表或子流程 {d!r} 不存在") for d in missing]
        if problems:
            catalog.problems.extend(problems)
            continue
        form_keys = sorted({t.properties["formKey"] for t in tasks.values()})
        digest = hashlib.sha256(raw)
        for callee in calls:
            digest.update(callee.raw)
        for decision_id in sorted(parser.get_dmn_dependencies()):
            digest.update(rules[decision_id][0])
        for key in form_keys:
            digest.update(form_raw[key])
        version = ProcessVersion(
            key=f"{process_id}:{digest.hexdigest()[:16]}",
            process_id=process_id,
            name=spec.description or process_id,
            bpmn_xml=raw.decode("utf-8"),
            spec=spec,
            subprocess_specs=subprocess_specs,
            forms={k: catalog.forms[k] for k in form_keys},
            start_properties=next(iter(_event_properties(spec, "StartEvent").values()), {}),
            end_properties=_event_properties(spec, "EndEvent"),
            user_tasks=tasks,
            called_xml=called_xml(subprocess_specs, own, index),
        )
        catalog.versions[version.key] = version
        catalog.current[process_id] = version.key
        if society := version.start_properties.get("society"):
            for name in (path.name, *(catalog.decision_files[ref.decision_id] for ref in references)):
                catalog.file_societies.setdefault(name, set()).add(society)


# parsed process files by their content, the files they call and the rules and forms they were checked against: a
# publish (or a draft's check) parses again only what changed, not all the processes
_PARSED: dict[bytes, tuple[list[ProcessVersion], list[SpecProblem], dict[str, set[str]]]] = {}


def _load_process_cached(
    own: BpmnFile,
    index: dict[str, BpmnFile],
    called: set[str],
    rules: dict[str, tuple[bytes, Any]],
    form_raw: dict[str, bytes],
    catalog: Catalog,
    context: bytes,
) -> None:
    digest = hashlib.sha256(context)
    for f in (own, *called_files(own, index)):
        digest.update(f.path.name.encode() + b"\0" + f.raw + b"\0")
    digest.update(" ".join(sorted(p for p in own.process_ids() if p in called)).encode())  # not startable alone
    key = digest.digest()
    if key not in _PARSED:
        scratch = Catalog(decisions=catalog.decisions, forms=catalog.forms, decision_files=catalog.decision_files)
        _load_process_file(own, index, called, rules, form_raw, scratch)
        if len(_PARSED) > 500:
            _PARSED.clear()
        _PARSED[key] = (list(scratch.versions.values()), scratch.problems, scratch.file_societies)
    versions, problems, societies = _PARSED[key]
    for version in versions:
        catalog.versions[version.key] = version
        catalog.current[version.process_id] = version.key
    catalog.problems.extend(problems)
    for name, keys in societies.items():
        catalog.file_societies.setdefault(name, set()).update(keys)


def load_catalog(processes_dir: Path, rules_dir: Path, forms_dir: Path) -> Catalog:
    return load_catalog_from(read_dir_sources(processes_dir, rules_dir, forms_dir))


def load_catalog_from(sources: SpecSources) -> Catalog:
    """Parse and check every file of `sources`; a broken file is left out and reported with file and line."""
    catalog = Catalog(generation=sources.generation, sources=sources)
    form_raw = _load_forms(sources.files["form"], catalog)
    rules = _load_rules(sources.files["dmn"], catalog)
    files, unreadable = read_bpmn_files(sources.files["bpmn"])
    catalog.problems.extend(unreadable)
    index = index_by_process(files)
    called = {process_id for f in files for process_id in f.called_ids()}
    context = hashlib.sha256(b"".join(raw for raw, _tree in rules.values()) + b"".join(form_raw.values())).digest()
    for own in files:
        _load_process_cached(own, index, called, rules, form_raw, catalog, context)
    for broken in catalog.problems:
        log.error("process file not used: %s", broken)
    return catalog


def init_app(app: Flask) -> None:
    LIMITS.seconds = app.config["MEMBERFLOW_SCRIPT_SECONDS"]
    LIMITS.max_items = app.config["MEMBERFLOW_SCRIPT_MAX_ITEMS"]
    LIMITS.max_chars = app.config["MEMBERFLOW_SCRIPT_MAX_CHARS"]
    app.extensions["memberflow.file_catalog"] = app.extensions["memberflow.catalog"] = load_catalog(
        Path(app.config["MEMBERFLOW_PROCESSES_DIR"]),
        Path(app.config["MEMBERFLOW_RULES_DIR"]),
        Path(app.config["MEMBERFLOW_FORMS_DIR"]),
    )


def catalog() -> Catalog:
    return current_app.extensions["memberflow.catalog"]


def catalog_of(app: Flask) -> Catalog:
    return app.extensions["memberflow.catalog"]


def install_catalog(app: Flask, new: Catalog) -> None:
    """Run `new` from now on (one assignment: a request already holding the old catalog finishes with it)."""
    app.extensions["memberflow.catalog"] = new


def reset_to_files(app: Flask) -> None:
    """Back to the catalog read from the files at start (tests, after emptying the tables)."""
    app.extensions["memberflow.catalog"] = app.extensions["memberflow.file_catalog"]
