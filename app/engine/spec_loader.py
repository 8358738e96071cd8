"""Reading processes/, rules/ and forms/ (or any set of their texts) into a Catalog: each broken file left out and
reported with its file and line; a process file parsed again only when it, a file it calls, or the rules and forms
it was checked against changed (the parse cache: a publish re-parses what changed, not every process)."""

import hashlib
import logging
from pathlib import Path
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from app.engine.calls import BpmnFile, called_files, called_xml, index_by_process, read_bpmn_files, source_of
from app.engine.dmn_lint import catch_all_problems
from app.engine.spec_files import (
    SpecProblem,
    SpecSources,
    decision_references,
    declared_society,
    parse_xml_bytes,
    problem,
    read_dir_sources,
)
from app.engine.spec_model import Catalog, ProcessVersion
from app.engine.spec_tasks import lint_process
from app.formkit import FormFileError, FormSpec

log = logging.getLogger(__name__)


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
            names = {d.get("id"): d.get("name") for d in tree.iter("{*}decision")}
            for decision_id, engine in parse_decisions(tree, name).items():
                if names.get(decision_id):
                    catalog.decision_names[decision_id] = names[decision_id]
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
        problems, tasks = lint_process(path, tree, spec, catalog.forms, catalog.decisions)
        for sub in subprocess_specs.values():  # a called process is checked in its own file, with its lines
            source = source_of(sub.name, own, index)
            sub_problems, sub_tasks = lint_process(source.path, source.tree, sub, catalog.forms, catalog.decisions)
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
        version = ProcessVersion.of(
            key=f"{process_id}:{digest.hexdigest()[:16]}",
            process_id=process_id,
            name=spec.description or process_id,
            bpmn_xml=raw.decode("utf-8"),
            spec=spec,
            subprocess_specs=subprocess_specs,
            forms={k: catalog.forms[k] for k in form_keys},
            called_xml=called_xml(subprocess_specs, own, index),
        )
        catalog.add(version, current=True)
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
    # read once into a local: a thread checking a draft may clear the cache between a store here and a read back
    parsed = _PARSED.get(key)
    if parsed is None:
        scratch = Catalog(decisions=catalog.decisions, forms=catalog.forms, decision_files=catalog.decision_files)
        _load_process_file(own, index, called, rules, form_raw, scratch)
        if len(_PARSED) > 500:
            _PARSED.clear()
        parsed = _PARSED[key] = (list(scratch.versions.values()), scratch.problems, scratch.file_societies)
    versions, problems, societies = parsed
    for version in versions:
        catalog.add(version, current=True)
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
