"""scripts/bpmn_layout.py: every step and flow gets a clean layout, and nothing but the diagram changes."""

import importlib.util
import inspect
import subprocess
import sys
from itertools import combinations, pairwise
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "workflow" / "fixtures" / "review_with_di.bpmn"
FILES = [*sorted(ROOT.glob("processes/*.bpmn")), FIXTURE]
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
SAFE = etree.XMLParser(resolve_entities=False, no_network=True)
Box = tuple[float, float, float, float]


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


layout = _load("bpmn_layout", ROOT / "scripts" / "bpmn_layout.py")


def _laid_out(path: Path) -> etree._Element:
    return etree.fromstring(layout.relayout(path.read_bytes()), SAFE)


def _box(shape: etree._Element) -> Box:
    b = shape.find("dc:Bounds", NS)
    x, y, w, h = (float(b.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _flow_nodes(root: etree._Element) -> dict[str, etree._Element]:
    return {
        el.get("id"): el
        for process in root.iterfind("bpmn:process", NS)
        for el in process.iterchildren(etree.Element)
        if etree.QName(el).localname.endswith(("Task", "Event", "Gateway"))
        or etree.QName(el).localname in {"task", "subProcess", "callActivity"}
    }


def _without_di(root: etree._Element) -> list[bytes]:
    """Canonical XML of everything but the diagram (exclusive: namespace declarations only where used)."""
    kids = [el for el in root.iterchildren() if el.tag != f"{{{NS['bpmndi']}}}BPMNDiagram"]
    # (lxml's c14n crashes on a lone comment, so comments are compared as they are written)
    return [
        etree.tostring(el, method="c14n", exclusive=True, with_tail=False)
        if isinstance(el.tag, str)
        else etree.tostring(el, with_tail=False)
        for el in kids
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_step_and_flow_gets_a_shape_and_an_orthogonal_edge(path: Path) -> None:
    root = _laid_out(path)
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    shapes = {s.get("bpmnElement"): s for s in plane.iterfind("bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement"): e for e in plane.iterfind("bpmndi:BPMNEdge", NS)}
    assert set(_flow_nodes(root)) <= set(shapes)
    flows = {f.get("id") for f in root.iterfind("bpmn:process/bpmn:sequenceFlow", NS)}
    assert flows == set(edges)
    for el_id, shape in shapes.items():
        assert shape.get("id") == f"{el_id}_di"
    for edge in edges.values():
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.iterfind("di:waypoint", NS)]
        assert len(points) >= 2
        assert all(a[0] == b[0] or a[1] == b[1] for a, b in pairwise(points)), edge.get("id")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_shapes_overlap_and_no_flow_or_label_runs_through_a_shape(path: Path) -> None:
    root = _laid_out(path)
    nodes = _flow_nodes(root)
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    boxes = {
        s.get("bpmnElement"): _box(s) for s in plane.iterfind("bpmndi:BPMNShape", NS) if s.get("bpmnElement") in nodes
    }
    for (a, box_a), (b, box_b) in combinations(boxes.items(), 2):
        on_host = nodes[a].get("attachedToRef") == b or nodes[b].get("attachedToRef") == a
        assert on_host or not _overlap(box_a, box_b), f"{a} overlaps {b}"
    for label in plane.iterfind(".//bpmndi:BPMNLabel", NS):
        owner = label.getparent().get("bpmnElement")
        hit = [n for n, box in boxes.items() if _overlap(_box(label), box)]
        assert not hit, f"the label of {owner} covers {hit}"
    for flow in root.iterfind("bpmn:process/bpmn:sequenceFlow", NS):
        ends = {flow.get("sourceRef"), flow.get("targetRef"), nodes[flow.get("sourceRef")].get("attachedToRef")}
        edge = plane.find(f"bpmndi:BPMNEdge[@bpmnElement='{flow.get('id')}']", NS)
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.iterfind("di:waypoint", NS)]
        for (x0, y0), (x1, y1) in pairwise(points):
            segment = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            hit = [n for n, box in boxes.items() if n not in ends and _overlap(segment, box)]
            assert not hit, f"{flow.get('id')} runs through {hit}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_only_the_diagram_changes(path: Path) -> None:
    before, after = etree.fromstring(path.read_bytes(), SAFE), _laid_out(path)
    assert _without_di(before) == _without_di(after)
    assert dict(before.attrib) == dict(after.attrib) and before.tag == after.tag
    assert before.nsmap.items() <= after.nsmap.items()
    assert {k: after.nsmap[k] for k in ("bpmndi", "dc", "di")} == {k: NS[k] for k in ("bpmndi", "dc", "di")}
    assert len(after.findall("bpmndi:BPMNDiagram", NS)) == 1


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_spiffworkflow_still_parses_and_validates_the_result(path: Path) -> None:
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_xml(_laid_out(path), filename=path.name)
    assert parser.get_process_ids()
    for process_id in parser.get_process_ids():
        assert parser.get_spec(process_id).task_specs


def test_the_progress_diagram_tests_pass_on_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    diagram_tests = _load("laid_out_test_diagram", ROOT / "tests" / "workflow" / "test_diagram.py")
    fixture = tmp_path / FIXTURE.name
    fixture.write_bytes(layout.relayout(FIXTURE.read_bytes()))
    monkeypatch.setattr(diagram_tests, "FIXTURE", fixture)
    for path in FILES[:-1]:
        copy = tmp_path / path.name
        copy.write_bytes(layout.relayout(path.read_bytes()))
        diagram_tests.test_every_step_and_flow_of_a_process_file_is_laid_out(copy)
    for name, test in vars(diagram_tests).items():
        if name.startswith("test_") and "path" not in inspect.signature(test).parameters:
            test(**({"tmp_path": tmp_path} if "tmp_path" in inspect.signature(test).parameters else {}))
        elif name.startswith("test_"):
            test(fixture)


def test_back_edges_run_above_the_diagram_on_tracks_of_their_own() -> None:
    root = _laid_out(ROOT / "processes" / "join_practicing.bpmn")
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    nodes = _flow_nodes(root)
    top = min(_box(s)[1] for s in plane.iterfind("bpmndi:BPMNShape", NS) if s.get("bpmnElement") in nodes)
    back = ["Flow_Withdrawn", "Flow_FirmReturn", "Flow_LocalReturn", "Flow_NationalReturn"]
    tracks = []
    for flow_id in back:
        edge = plane.find(f"bpmndi:BPMNEdge[@bpmnElement='{flow_id}']", NS)
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.iterfind("di:waypoint", NS)]
        tracks.append(min(y for _, y in points))
        assert points[-1] == (points[-1][0], _box(plane.find("bpmndi:BPMNShape[@bpmnElement='Task_Apply']", NS))[1])
    assert all(y < top for y in tracks)
    assert tracks == sorted(tracks, reverse=True) and len(set(tracks)) == len(tracks)  # longer ones higher


def test_output_is_deterministic_and_a_second_run_changes_nothing() -> None:
    once = layout.relayout(FIXTURE.read_bytes())
    assert layout.relayout(FIXTURE.read_bytes()) == once
    assert layout.relayout(once) == once


def test_a_process_in_a_pool_gets_the_pool_around_its_lanes() -> None:
    pool = '<bpmn:collaboration id="collab"><bpmn:participant id="pool" name="入会" processRef="review"/>'
    xml = FIXTURE.read_text().replace("<bpmn:process", pool + "</bpmn:collaboration><bpmn:process", 1)
    root = etree.fromstring(layout.relayout(xml.encode()), SAFE)
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    assert plane.get("bpmnElement") == "collab"
    shapes = {s.get("bpmnElement"): _box(s) for s in plane.iterfind("bpmndi:BPMNShape", NS)}
    for lane in ("Lane_applicant", "Lane_local_association"):
        p, b = shapes["pool"], shapes[lane]
        assert p[0] < b[0] and p[1] <= b[1] and b[2] <= p[2] and b[3] <= p[3]


def test_namespaces_are_declared_on_the_root_and_entities_stay_unresolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    root = etree.fromstring(FIXTURE.read_bytes(), SAFE)
    root.remove(root.find("bpmndi:BPMNDiagram", NS))
    etree.cleanup_namespaces(root)  # drops the now unused bpmndi/dc/di declarations
    xml = etree.tostring(root, encoding="unicode").replace('decision == "approve"', "&xxe;")
    doctype = f'<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    assert "xmlns:bpmndi" not in xml
    out = layout.relayout((doctype + xml).encode()).decode()
    assert "TOP-SECRET" not in out and ">&xxe;<" in out
    root_tag = out[out.index("<bpmn:definitions") : out.index(">", out.index("<bpmn:definitions"))]
    assert all(f'xmlns:{p}="{NS[p]}"' in root_tag for p in ("bpmndi", "dc", "di"))
    assert out.count("xmlns:bpmndi") == 1


def test_the_command_prints_or_rewrites_the_file(tmp_path: Path) -> None:
    copy = tmp_path / "review.bpmn"
    copy.write_bytes(FIXTURE.read_bytes())
    printed = subprocess.run(
        [sys.executable, "-m", "scripts.bpmn_layout", str(copy)], cwd=ROOT, capture_output=True, check=True
    ).stdout
    assert copy.read_bytes() == FIXTURE.read_bytes()
    subprocess.run([sys.executable, "-m", "scripts.bpmn_layout", str(copy), "--write"], cwd=ROOT, check=True)
    assert copy.read_bytes() == printed == layout.relayout(FIXTURE.read_bytes())
