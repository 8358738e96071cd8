"""Reading the analysts' XML files safely, and saying where one is broken (file and line)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

# no entities, no network, no DTD (XXE): every reader of the analysts' XML files uses this parser
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class SpecProblem:
    file: str
    line: int | None
    message: str
    element_id: str | None = None  # the BPMN/DMN element the problem is about, for the diagram

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


# the three kinds of analysts' files: the directory setting that holds them and the file name ending
KINDS = {
    "bpmn": ("MEMBERFLOW_PROCESSES_DIR", ".bpmn"),
    "dmn": ("MEMBERFLOW_RULES_DIR", ".dmn"),
    "form": ("MEMBERFLOW_FORMS_DIR", ".json"),
}


# analysts' scenario files (issue 18): processes/tests/*.yaml, versioned in the catalog beside the others; the engine
# does not run them, it only carries the live ones so every worker's scenario runs read the same versions
SCENARIO = "scenario"
SCENARIO_SUFFIXES = (".yaml", ".yml")


@dataclass
class SpecSources:
    """The contents of every BPMN, DMN and form file by kind and file name: read from the directories, or the
    live versions of the workbench's catalog; `generation` says which catalog state they are (0: files only)."""

    files: dict[str, dict[str, bytes]] = field(default_factory=lambda: {kind: {} for kind in KINDS})
    generation: int = 0

    def replaced(self, kind: str, name: str, content: bytes | None) -> "SpecSources":
        """A copy with one file changed (a draft), or removed when `content` is None."""
        files = {k: dict(v) for k, v in self.files.items()}
        if content is None:
            files.setdefault(kind, {}).pop(name, None)
        else:
            files.setdefault(kind, {})[name] = content
        return SpecSources(files, self.generation)


def read_dir_sources(processes_dir: Path, rules_dir: Path, forms_dir: Path) -> SpecSources:
    dirs = {"bpmn": processes_dir, "dmn": rules_dir, "form": forms_dir}
    files = {
        kind: {p.name: p.read_bytes() for p in sorted(Path(dirs[kind]).glob(f"*{KINDS[kind][1]}"))} for kind in KINDS
    }
    tests = Path(processes_dir) / "tests"
    files[SCENARIO] = {p.name: p.read_bytes() for p in sorted(tests.glob("*")) if p.suffix in SCENARIO_SUFFIXES}
    return SpecSources(files)


def parse_xml_file(path: Path) -> tuple[bytes, Any]:
    raw = path.read_bytes()
    return raw, parse_xml_bytes(raw, str(path))


def parse_xml_bytes(raw: bytes, name: str) -> Any:
    """An XML file as the loader reads it: no entities, no network, no DOCTYPE (XXE)."""
    tree = etree.fromstring(raw, SAFE_XML).getroottree()
    if tree.docinfo.doctype:
        line = raw[: max(raw.find(b"<!DOCTYPE"), 0)].count(b"\n") + 1
        raise etree.XMLSyntaxError("DOCTYPE is not allowed", None, line, 1, name)  # type: ignore[call-arg]
    return tree


def problem(path: Path, err: Exception) -> SpecProblem:
    line = getattr(err, "line_number", None) or getattr(err, "lineno", None)
    if isinstance(err, etree.XMLSyntaxError):
        line = err.lineno
    element = getattr(err, "id", None)  # SpiffWorkflow's ValidationException names the element
    message = str(err).splitlines()[0] if str(err) else repr(err)
    return SpecProblem(path.name, int(line) if line else None, message, element if isinstance(element, str) else None)


def line_of(tree: Any, bpmn_id: str) -> int | None:
    nodes = tree.xpath("//*[@id=$i]", i=bpmn_id)
    return nodes[0].sourceline if nodes else None


SPIFF_NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "spiff": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
# start-event properties that name a DMN decision evaluated outside the engine (app/workflow/services.py)
DECISION_PROPERTIES = ("eligibilityDecision", "warningDecision")


@dataclass(frozen=True)
class DecisionReference:
    element_id: str
    line: int | None
    via: str  # the property name, or calledDecisionId for a business-rule task
    decision_id: str


def decision_references(tree: Any) -> list[DecisionReference]:
    """Every DMN decision a BPMN file names: start-event rules and business-rule tasks, with element and line."""
    found = []
    for prop in tree.xpath("//spiff:property", namespaces=SPIFF_NS):
        if prop.get("name") in DECISION_PROPERTIES and prop.get("value"):
            element = next((a for a in prop.iterancestors() if a.get("id")), prop)
            found.append(
                DecisionReference(element.get("id", ""), element.sourceline, prop.get("name"), prop.get("value"))
            )
    for task in tree.xpath("//bpmn:businessRuleTask", namespaces=SPIFF_NS):
        for called in task.xpath(".//spiff:calledDecisionId", namespaces=SPIFF_NS):
            name = (called.text or "").strip()
            found.append(DecisionReference(task.get("id", ""), task.sourceline, "calledDecisionId", name))
    return found


MEMBERFLOW_NS = "http://memberflow.example/ext"


def declared_society(tree: Any) -> str | None:
    """The association a DMN file says it serves (`memberflow:society` on <definitions>), for a table no process
    names (it is decided in code, e.g. the auctioneers' fee)."""
    return tree.getroot().get(f"{{{MEMBERFLOW_NS}}}society")  # type: ignore[no-any-return]
