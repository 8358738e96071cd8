"""Call activities: a process may call a process of its own file or of another file of processes/.

A file is parsed together with the files it calls (found by each callActivity's calledElement, transitively),
so its version's spec carries every process it may run. The version's user tasks, forms and content hash
include the called processes', and it keeps the called files' XML for the progress diagram.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.engine.spec_files import SpecProblem, parse_xml_bytes, problem

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


@dataclass(frozen=True)
class BpmnFile:
    path: Path
    raw: bytes
    tree: Any

    def process_ids(self) -> list[str]:
        return [p.get("id") for p in self.tree.getroot().iterfind(f"{BPMN}process") if p.get("id")]

    def called_ids(self) -> set[str]:
        return {el.get("calledElement") for el in self.tree.iter(f"{BPMN}callActivity") if el.get("calledElement")}


def index_by_process(files: list[BpmnFile]) -> dict[str, BpmnFile]:
    """Which file defines each process id (the first file, in name order, if two do)."""
    index: dict[str, BpmnFile] = {}
    for f in files:
        for process_id in f.process_ids():
            index.setdefault(process_id, f)
    return index


def called_files(own: BpmnFile, index: dict[str, BpmnFile]) -> list[BpmnFile]:
    """The other files whose processes `own` calls, directly or through them; a process no file defines is left
    to the parser, which refuses it with its name."""
    seen, found, todo = {own.path}, [], [own]
    while todo:
        for process_id in sorted(todo.pop().called_ids()):
            target = index.get(process_id)
            if target is not None and target.path not in seen:
                seen.add(target.path)
                found.append(target)
                todo.append(target)
    return found


def source_of(spec_name: str, own: BpmnFile, index: dict[str, BpmnFile]) -> BpmnFile:
    """The file a (sub)process spec comes from: a called process's file, else the file itself (embedded ones)."""
    target = index.get(spec_name)
    return target if target is not None and spec_name not in own.process_ids() else own


def called_xml(subprocess_specs: dict[str, Any], own: BpmnFile, index: dict[str, BpmnFile]) -> dict[str, str]:
    """The XML of the file of each called process (own file included), to draw it on the progress page."""
    return {
        name: source_of(name, own, index).raw.decode("utf-8")
        for name in subprocess_specs
        if name in index or name in own.process_ids()
    }


def read_bpmn_files(sources: dict[str, bytes]) -> tuple[list[BpmnFile], list[SpecProblem]]:
    """Every BPMN file of the sources (name -> content), read safely; a broken one is a problem with its line, and
    not used."""
    files, problems = [], []
    for name in sorted(sources):
        path = Path(name)
        try:
            tree = parse_xml_bytes(sources[name], name)
        except Exception as err:
            problems.append(problem(path, err))
            continue
        files.append(BpmnFile(path, sources[name], tree))
    return files, problems
