"""What publishing a draft asks first (issues 17 and 18): the scenario files of every process the drafted file
affects still pass with the draft in place (else nothing is published, the failing scenarios named), and for a DMN
draft how many recorded decisions it would change (the what-if headline shown beside the Publish button)."""

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext
from lxml import etree

from app.decisions.replay import what_if_summary
from app.engine.spec_files import SAFE_XML, SCENARIO, SpecProblem, decision_references
from app.engine.specs import catalog
from app.errors import Invalid
from app.scenarios.publish import scenarios_pass_for
from app.scenarios.spec import process_named
from app.workbench.live import disk_sources, live_sources


@dataclass
class ScenariosFailed(Exception):
    """A scenario of an affected process fails with the draft in place: refused, nothing published."""

    problems: list[SpecProblem]
    lines: list[str]
    files: list[str]  # the scenario files that failed, to open in the workbench


def _tree(text: str) -> Any:
    try:
        return etree.fromstring(text.encode("utf-8"), SAFE_XML)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _ids(text: str, tag: str) -> set[str]:
    root = _tree(text)
    if root is None:
        return set()
    return {el.get("id") for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == tag}


def affected_processes(kind: str, name: str, content: str, live: str | None) -> list[str]:
    """The processes a drafted file changes: a BPMN its processes (drafted or live), a DMN the processes naming
    its decisions in the diagram or in a form field's `rule` (option gating), a form the processes using it."""
    found: set[str] = set()
    if kind == "bpmn":
        found = _ids(content, "process") | _ids(live or "", "process")
    elif kind == "dmn":
        decisions = _ids(content, "decision") | _ids(live or "", "decision")
        for process_id in catalog().current:
            version = catalog().process(process_id)
            for xml in (version.bpmn_xml, *version.called_xml.values()):
                root = _tree(xml)
                if root is not None and {r.decision_id for r in decision_references(root)} & decisions:
                    found.add(process_id)
            if _form_rules(version.forms.values()) & decisions:  # a form field's options gated by the table
                found.add(process_id)
    elif kind == "form":
        key = name.removesuffix(".json").removesuffix(".ui")
        found = {p for p in catalog().current if key in catalog().process(p).forms}
    elif kind == SCENARIO:
        found = {p for p in (process_named(content), process_named(live or "")) if p in catalog().current}
    return sorted(p for p in found if p)


def _form_rules(forms: Any) -> set[str]:
    """The decisions that gate a form's options (a field's `rule`, R-JOIN-2): used outside the diagram."""
    return {f["rule"] for form in forms for f in form.ui.get("fields", {}).values() if f.get("rule")}


def check_scenarios(kind: str, name: str, content: str, live: str | None, also: dict[str, str] | None = None) -> None:
    """Run the scenarios of every affected process with the draft (and `also`: the analyst's scenario drafts
    published with it) over the live files; ScenariosFailed if any fails. Processes without scenario files pass."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    disk, now = disk_sources(app).files, live_sources(app).files
    files = {n: c for k, by in now.items() for n, c in by.items() if disk.get(k, {}).get(n) != c}
    files[name] = content.encode("utf-8")
    files.update({n: text.encode("utf-8") for n, text in (also or {}).items()})
    problems: list[SpecProblem] = []
    lines: list[str] = []
    for process_id in affected_processes(kind, name, content, live):
        ok, report = scenarios_pass_for(process_id, files)
        if not ok:
            lines += report.lines()
            for text in report.problems:
                problems.append(SpecProblem(name, None, gettext("场景未通过，不能发布：%(s)s", s=text)))
            for result in report.failed:  # pinned to the scenario's file and line, each thing said once
                message = gettext("场景「%(n)s」未通过，不能发布：%(e)s", n=result.name, e=result.error)
                problems.append(SpecProblem(result.file, result.line, message))
    if problems:
        failed = sorted({p.file for p in problems if p.file != name and p.file.endswith((".yaml", ".yml"))})
        raise ScenariosFailed(problems, lines, failed)


def what_if(kind: str, content: str, name: str | None = None) -> list[dict[str, Any]]:
    """For a DMN draft, each decision's what-if headline (or that there is no log yet), the names of some people
    whose outcome changes, and the full replay of this draft (`name`: the drafted file) or the replay page."""
    if kind != "dmn":
        return []
    said = []
    for decision_id in sorted(_ids(content, "decision") - {None}):
        url = f"/workbench/files/dmn/{name}/replay/{decision_id}" if name else f"/workbench/decisions/{decision_id}"
        entry: dict[str, Any] = {"decision_id": decision_id, "url": url, "names": []}
        try:
            summary = what_if_summary(decision_id, content)
        except Invalid as err:
            entry.update(headline=str(err), replayed=0, changed=0, directions=[])
        else:
            result = summary.result
            entry.update(
                headline=summary.headline,
                replayed=result.replayed if result else 0,
                changed=result.changed if result else 0,
                names=list(dict.fromkeys(c.person_name for g in result.groups for c in g.examples))[:5]
                if result
                else [],
                directions=[
                    {"from": old, "to": new, "count": n}
                    for (old, new), n in (result.directions if result else {}).items()
                ],
            )
        said.append(entry)
    return said
