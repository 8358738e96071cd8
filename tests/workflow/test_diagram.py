"""Progress diagram: every process file is fully laid out, states land on the right shapes, text is safe."""

from pathlib import Path

import pytest
from lxml import etree

from app.workflow.diagram import render_process_svg

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "review_with_di.bpmn"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
SVG = "{http://www.w3.org/2000/svg}"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


def _drawn(svg: str) -> dict[str, list[str]]:
    """Classes of every drawn BPMN element, keyed by its id, in drawing order."""
    root = etree.fromstring(svg.encode(), SAFE)
    return {g.get("data-bpmn-id"): g.get("class", "").split() for g in root.iter(f"{SVG}g") if g.get("data-bpmn-id")}


def _tooltip(svg: str, bpmn_id: str) -> str:
    group = etree.fromstring(svg.encode(), SAFE).find(f".//{SVG}g[@data-bpmn-id='{bpmn_id}']")
    return "".join(group.find(f"{SVG}title").itertext())


def _needs_layout(el: etree._Element) -> bool:
    kind = etree.QName(el).localname
    return kind.endswith(("Task", "Event", "Gateway")) or kind in {
        "task",
        "subProcess",
        "callActivity",
        "sequenceFlow",
    }


@pytest.mark.parametrize("path", [*sorted(ROOT.glob("processes/*.bpmn")), FIXTURE], ids=lambda p: p.name)
def test_every_step_and_flow_of_a_process_file_is_laid_out(path: Path) -> None:
    xml = path.read_bytes()
    for process in etree.fromstring(xml, SAFE).iterfind(f"{BPMN}process"):
        expected = {el.get("id") for el in process.iterchildren(etree.Element) if _needs_layout(el)}
        missing = expected - _drawn(render_process_svg(xml, process.get("id"), set(), set())).keys()
        assert not missing, f"{path.name}: no BPMNDI shape/edge for {sorted(missing)}; lay it out in a modeler"


def test_finished_current_and_pending_steps_are_marked() -> None:
    svg = render_process_svg(FIXTURE.read_text(), "review", {"start", "fill_form"}, {"review_form"})
    drawn = _drawn(svg)
    assert "done" in drawn["fill_form"]
    assert "current" in drawn["review_form"]
    assert "pending" in drawn["review_result"] and "pending" in drawn["end_joined"]
    assert "done" in drawn["to_fill"] and "done" in drawn["submitted"]
    assert "pending" in drawn["reviewed"] and "pending" in drawn["approved"]
    assert _tooltip(svg, "review_form") == "地方协会审核（当前步骤）"
    assert all(label in svg for label in ("已完成", "当前步骤", "未到达"))


def test_lanes_show_the_role_names_the_caller_gives() -> None:
    svg = render_process_svg(FIXTURE.read_bytes(), "review", set(), set(), lane_labels={"applicant": "申请人"})
    lane = etree.fromstring(svg.encode(), SAFE).find(f".//{SVG}g[@data-bpmn-id='Lane_applicant']")
    assert "".join(lane.find(f"{SVG}text").itertext()) == "申请人"


def test_the_view_box_holds_every_shape() -> None:
    svg = etree.fromstring(render_process_svg(FIXTURE.read_bytes(), "review", set(), set()).encode(), SAFE)
    x, y, w, h = map(float, svg.get("viewBox").split())
    assert float(svg.get("width")) == w  # its own width; the stylesheet lets it shrink
    for rect in svg.iter(f"{SVG}rect"):
        rx, ry, rw, rh = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
        assert x <= rx and y <= ry and rx + rw <= x + w and ry + rh <= y + h


def test_names_from_the_file_are_escaped() -> None:
    xml = FIXTURE.read_text().replace('name="地方协会审核"', 'name="&lt;script&gt;alert(1)&lt;/script&gt;"')
    svg = render_process_svg(xml, "review", set(), set())
    assert "<script" not in svg
    assert etree.fromstring(svg.encode(), SAFE).find(f".//{SVG}script") is None
    assert _tooltip(svg, "review_form") == "<script>alert(1)</script>（未到达）"


NOTE = '<bpmn:textAnnotation id="note"><bpmn:text>见附件 &xxe;</bpmn:text></bpmn:textAnnotation>'
NOTE_DI = '<bpmndi:BPMNShape bpmnElement="note"><dc:Bounds x="560" y="40" width="160" height="40"/></bpmndi:BPMNShape>'


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = (
        FIXTURE.read_text()
        .replace("?>", f'?>\n<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>', 1)
        .replace("</bpmn:process>", f"{NOTE}</bpmn:process>")
        .replace("</bpmndi:BPMNPlane>", f"{NOTE_DI}</bpmndi:BPMNPlane>")
    )
    svg = render_process_svg(xml, "review", set(), set())
    assert "见附件" in svg
    assert "TOP-SECRET" not in svg


def test_a_file_without_layout_still_lists_the_steps_in_order() -> None:
    root = etree.fromstring(FIXTURE.read_bytes(), SAFE)
    root.remove(root.find(f"{BPMNDI}BPMNDiagram"))
    svg = render_process_svg(etree.tostring(root), "review", {"start"}, {"fill_form"})
    drawn = _drawn(svg)
    assert list(drawn) == [
        "start",
        "fill_form",
        "review_form",
        "review_due",
        "wait_payment",
        "end_joined",
        "end_timed_out",
    ]
    assert "done" in drawn["start"] and "current" in drawn["fill_form"] and "pending" in drawn["end_joined"]
    assert svg.startswith("<svg") and "viewBox" in svg


def test_an_unknown_process_is_an_error() -> None:
    with pytest.raises(ValueError, match="no_such_process"):
        render_process_svg(FIXTURE.read_bytes(), "no_such_process", set(), set())


def test_a_process_drawn_as_a_pool_of_a_collaboration_is_found() -> None:
    pool = '<bpmn:collaboration id="collab"><bpmn:participant id="pool" name="入会" processRef="review"/>'
    pool += "</bpmn:collaboration><bpmn:process"
    pool_di = '<bpmndi:BPMNShape bpmnElement="pool"><dc:Bounds x="-30" y="0" width="790" height="340"/>'
    xml = (
        FIXTURE.read_text()
        .replace("<bpmn:process", pool, 1)
        .replace('bpmnElement="review"', 'bpmnElement="collab"')
        .replace(
            '<bpmndi:BPMNShape id="Lane_applicant_di"',
            f'{pool_di}</bpmndi:BPMNShape><bpmndi:BPMNShape id="Lane_applicant_di"',
        )
    )
    drawn = _drawn(render_process_svg(xml, "review", set(), set()))
    assert {"pool", "Lane_applicant", "fill_form", "returned"} <= drawn.keys()


def test_a_loop_back_flow_is_green_only_when_it_was_taken() -> None:
    done = {"start", "fill_form", "review_form", "review_result"}
    straight = {("start", "fill_form"), ("fill_form", "review_form"), ("review_form", "review_result")}
    drawn = _drawn(render_process_svg(FIXTURE.read_text(), "review", done, set(), taken=straight))
    assert "done" in drawn["reviewed"] and "pending" in drawn["returned"]
    looped = straight | {("review_result", "fill_form")}
    drawn = _drawn(render_process_svg(FIXTURE.read_text(), "review", done, set(), taken=looped))
    assert "done" in drawn["returned"]
