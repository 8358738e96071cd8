"""Draws a process diagram from its BPMNDI as standalone SVG, marking finished, current and pending steps."""

import math
from collections.abc import Callable, Mapping
from typing import TypeAlias

from lxml import etree

from app.engine.spec_files import SAFE_XML
from app.workflow.svgtext import FONT_SIZE, fit_lines, path_data, svg_number, text_width, wrap_text

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
SVG_NS = "http://www.w3.org/2000/svg"
FONT = '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
MARGIN = 20
LINE_HEIGHT = 15
# state -> (stroke, fill, legend label)
STATES = {
    "done": ("#2e7d32", "#e8f5e9", "已完成"),
    "current": ("#ef6c00", "#fff3e0", "当前步骤"),
    "pending": ("#9e9e9e", "#fafafa", "未到达"),
}
# Scoped under .mf-bpmn because a <style> inside inline SVG applies to the whole HTML page.
STYLE = (
    f".mf-bpmn text{{font-family:{FONT};font-size:{FONT_SIZE}px;fill:#212121;stroke:none}}"
    ".mf-bpmn .s{stroke-width:1.5}.mf-bpmn .g,.mf-bpmn .flow{fill:none;stroke-width:1.5}"
    + "".join(
        f".mf-bpmn .{k}{{stroke:{c}}}.mf-bpmn .{k} .s{{fill:{f}}}.mf-bpmn .{k} .fill{{fill:{c}}}"
        for k, (c, f, _) in STATES.items()
    )
    + ".mf-bpmn .pending text{fill:#757575}.mf-bpmn .current .s{stroke-width:3}"
    ".mf-bpmn .mark{stroke-width:3}.mf-bpmn .end{stroke-width:4}.mf-bpmn .current .end{stroke-width:5}"
    ".mf-bpmn .lane{fill:none;stroke:#bdbdbd}.mf-bpmn .lane text{font-size:13px;font-weight:bold}"
    ".mf-bpmn .lbl{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}"
    ".mf-bpmn .note{fill:none;stroke:#9e9e9e}.mf-bpmn .assoc{stroke-dasharray:4 3}"
)
# Back to front: pools and lanes, annotations and expanded subprocesses, flows, nodes, boundary events.
_LAYERS = {"participant": 0, "lane": 0, "textAnnotation": 1, "boundaryEvent": 3}

Box = tuple[float, float, float, float]
El: TypeAlias = etree._Element


def render_process_svg(
    bpmn_xml: bytes | str,
    process_id: str,
    done: set[str],
    current: set[str],
    *,
    lane_labels: Mapping[str, str] | None = None,
    taken: set[tuple[str, str]] | None = None,
    style_nonce: str | None = None,
) -> str:
    """SVG markup (a string starting with <svg ...>) of the process's diagram.

    Lane names are role keys (DESIGN.md "Assignment"); lane_labels maps them to the Chinese role names.
    `taken` is the (source, target) pairs the instance actually went through: with it, a loop-back flow
    whose ends are both done stays grey unless it was followed. `style_nonce` lets the diagram's <style>
    apply inside a page whose Content-Security-Policy allows inline styles only with that nonce.
    """
    root = etree.fromstring(bpmn_xml.encode() if isinstance(bpmn_xml, str) else bpmn_xml, SAFE_XML)
    process = next((p for p in root.iterfind("bpmn:process", NS) if p.get("id") == process_id), None)
    if process is None:
        raise ValueError(f"no process {process_id!r} in this BPMN file")
    elements = {el.get("id"): el for el in process.iter(etree.Element) if el.get("id")}
    pools = [p for p in root.iterfind(".//bpmn:participant", NS) if p.get("processRef") == process_id]
    elements.update((p.get("id"), p) for p in pools)
    plane_refs = {process_id} | {p.getparent().get("id") for p in pools}
    planes = [pl for pl in root.iterfind(".//bpmndi:BPMNPlane", NS) if pl.get("bpmnElement") in plane_refs]
    shapes = [
        (_layer(elements[s.get("bpmnElement")], s), elements[s.get("bpmnElement")], s, box)
        for pl in planes
        for s in pl.iterfind("bpmndi:BPMNShape", NS)
        if s.get("bpmnElement") in elements and (box := _bounds(s))
    ]
    shapes.sort(key=lambda item: item[0])
    edges = [e for pl in planes for e in pl.iterfind("bpmndi:BPMNEdge", NS) if e.get("bpmnElement") in elements]
    canvas = _Canvas(process.get("name") or process_id, style_nonce)

    def state(el_id: str) -> str:
        return "current" if el_id in current else "done" if el_id in done else "pending"

    if not shapes:
        _draw_fallback(canvas, process, state)
        return canvas.finish()
    for layer, el, shape, box in shapes:
        if layer < 2 and _kind(el) in _LAYERS:
            _draw_container(canvas, el, box, lane_labels or {})
        elif layer < 2:
            _draw_node(canvas, el, shape, box, state(el.get("id")))
    for edge in edges:
        flow = elements[edge.get("bpmnElement")]
        ends = (flow.get("sourceRef", ""), flow.get("targetRef", ""))
        if taken is None:
            flow_state = _flow_state(state(ends[0]), state(ends[1]))
        else:
            flow_state = "done" if ends in taken else "pending"
        _draw_edge(canvas, flow, edge, flow_state)
    for layer, el, shape, box in shapes:
        if layer >= 2:
            _draw_node(canvas, el, shape, box, state(el.get("id")))
    return canvas.finish()


class _Canvas:
    def __init__(self, title: str, style_nonce: str | None) -> None:
        self.root = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS}, attrib={"class": "mf-bpmn", "role": "img"})
        self.root.set("aria-label", title)
        self.add(None, "style", nonce=style_nonce or "").text = STYLE
        defs = self.add(None, "defs")
        for name, (colour, _, _) in STATES.items():
            marker = self.add(defs, "marker", id=f"mf-arrow-{name}", viewBox="0 0 10 10", refX=10, refY=5)
            marker.attrib.update({"markerWidth": "8", "markerHeight": "8", "orient": "auto-start-reverse"})
            self.add(marker, "path", d="M0,0 L10,5 L0,10 z", fill=colour)
        self.boxes: list[Box] = []

    def add(self, parent: El | None, tag: str, **attrs: object) -> El:
        return etree.SubElement(
            self.root if parent is None else parent,
            tag,
            {"class" if k == "cls" else k.replace("_", "-"): svg_number(v) for k, v in attrs.items() if v != ""},
        )

    def group(self, el_id: str, classes: str, tooltip: str) -> El:
        g = self.add(None, "g", data_bpmn_id=el_id, cls=classes)
        self.add(g, "title").text = tooltip
        return g

    def text(self, g: El, lines: list[str], x: float, top: float, **attrs: str) -> None:
        attrs.setdefault("text_anchor", "middle")
        node = self.add(g, "text", x=x, y=top + FONT_SIZE, **attrs)
        for i, line in enumerate(lines):
            self.add(node, "tspan", x=x, dy=0 if i == 0 else LINE_HEIGHT).text = line
        width = max((text_width(line) for line in lines), default=0)
        left = x - width / 2 if attrs["text_anchor"] == "middle" else x
        self.boxes.append((left, top, width, LINE_HEIGHT * len(lines)))

    def finish(self) -> str:
        x0 = min((b[0] for b in self.boxes), default=0)
        y1 = max((b[1] + b[3] for b in self.boxes), default=0)
        legend = self.add(None, "g", cls="legend")
        for i, (name, (_, _, label)) in enumerate(STATES.items()):
            item = self.add(legend, "g", cls=name)
            self.add(item, "rect", x=x0 + i * 100, y=y1 + 16, width=22, height=14, rx=3, cls="s")
            self.text(item, [label], x0 + i * 100 + 28, y1 + 14, text_anchor="start")
        x0, y0 = (min(b[i] for b in self.boxes) - MARGIN for i in (0, 1))
        x1, y1 = (max(b[i] + b[i + 2] for b in self.boxes) + MARGIN for i in (0, 1))
        # drawn at its own width; the page's stylesheet lets it shrink (max-width) and keeps its proportions
        self.root.attrib.update({"viewBox": path_data(x0, y0, x1 - x0, y1 - y0), "width": svg_number(x1 - x0)})
        return etree.tostring(self.root, encoding="unicode")


def _draw_container(canvas: _Canvas, el: El, box: Box, lane_labels: Mapping[str, str]) -> None:
    x, y, w, h = box
    canvas.boxes.append(box)
    name = lane_labels.get(el.get("name") or "", el.get("name") or "")
    if _kind(el) == "textAnnotation":
        g = canvas.group(el.get("id"), "note", name)
        canvas.add(g, "path", d=path_data("M", (x + 10, y), "H", x, "V", y + h, "H", x + 10))
        canvas.text(
            g, wrap_text(el.xpath("string(bpmn:text)", namespaces=NS), w - 10), x + 6, y + 4, text_anchor="start"
        )
        return
    g = canvas.group(el.get("id"), "lane", name)
    canvas.add(g, "rect", x=x, y=y, width=w, height=h)
    canvas.add(g, "line", x1=x + 30, y1=y, x2=x + 30, y2=y + h)
    if not name:
        return
    if all(text_width(c) == FONT_SIZE for c in name) and len(name) * 16 <= h - 8:
        # CJK reads naturally top to bottom, one character under the other.
        node = canvas.add(g, "text", x=x + 15, y=y + h / 2 - len(name) * 8 + 12, text_anchor="middle")
        for i, char in enumerate(name):
            canvas.add(node, "tspan", x=x + 15, dy=0 if i == 0 else 16).text = char
    else:
        cx, cy = x + 15, y + h / 2
        canvas.add(
            g, "text", x=cx, y=cy + 4, text_anchor="middle", transform=f"rotate(-90 {svg_number(cx)} {svg_number(cy)})"
        ).text = name


def _draw_edge(canvas: _Canvas, flow: El, edge: El, state: str) -> None:
    points = [(float(p.get("x", 0)), float(p.get("y", 0))) for p in edge.iterfind("di:waypoint", NS)]
    if len(points) < 2:
        return
    name = flow.get("name") or ""
    is_flow = _kind(flow) == "sequenceFlow"
    g = canvas.group(flow.get("id"), f"flow {state}" if is_flow else "flow assoc pending", name or STATES[state][2])
    line = canvas.add(g, "polyline", points=path_data(*points))
    if is_flow:
        line.set("marker-end", f"url(#mf-arrow-{state})")
    canvas.boxes.extend((x, y, 0, 0) for x, y in points)
    if name:
        label = _bounds(edge, "bpmndi:BPMNLabel/dc:Bounds")
        x, y = (label[0] + label[2] / 2, label[1]) if label else _midpoint(points)
        canvas.text(g, wrap_text(name, 120), x, y if label else y - LINE_HEIGHT - 2, cls="lbl")


def _draw_node(canvas: _Canvas, el: El, shape: El, box: Box, state: str) -> None:
    x, y, w, h = box
    kind, name = _kind(el), el.get("name") or ""
    canvas.boxes.append((x, y, w, h))
    g = canvas.group(
        el.get("id"), f"node {kind} {state}", f"{name}（{STATES[state][2]}）" if name else STATES[state][2]
    )
    cx, cy = x + w / 2, y + h / 2
    if kind.endswith("Event"):
        r = min(w, h) / 2
        canvas.add(g, "circle", cx=cx, cy=cy, r=r, cls="s end" if kind == "endEvent" else "s")
        if kind not in ("startEvent", "endEvent"):
            canvas.add(g, "circle", cx=cx, cy=cy, r=r - 3, cls="g")
        _draw_event_glyph(canvas, g, el, cx, cy, r)
    elif kind.endswith("Gateway"):
        canvas.add(g, "polygon", points=path_data((cx, y), (x + w, cy), (cx, y + h), (x, cy)), cls="s")
        if kind in ("exclusiveGateway", "parallelGateway"):
            d, turn = w * 0.25, f"rotate(45 {svg_number(cx)} {svg_number(cy)})" if kind == "exclusiveGateway" else ""
            plus = path_data("M", (cx, cy - d), "V", cy + d, "M", (cx - d, cy), "H", cx + d)
            canvas.add(g, "path", d=plus, transform=turn, cls="g mark")
        else:
            canvas.add(g, "circle", cx=cx, cy=cy, r=w * 0.22, cls="g mark")
    else:
        canvas.add(g, "rect", x=x, y=y, width=w, height=h, rx=10, cls="s")
        if name:
            expanded = shape.get("isExpanded") == "true"
            lines = fit_lines(wrap_text(name, w - 12), 1 if expanded else max(1, int((h - 8) // LINE_HEIGHT)), w - 12)
            canvas.text(g, lines, cx, y + 6 if expanded else cy - len(lines) * LINE_HEIGHT / 2 - 2)
        return
    if name:
        label = _bounds(shape, "bpmndi:BPMNLabel/dc:Bounds")
        lines = wrap_text(name, max(label[2], 60) if label else 100)
        top = label[1] if label else y + h + 4 if kind.endswith("Event") else y - 4 - len(lines) * LINE_HEIGHT
        canvas.text(g, lines, label[0] + label[2] / 2 if label else cx, top, cls="lbl")


def _draw_event_glyph(canvas: _Canvas, g: El, el: El, cx: float, cy: float, r: float) -> None:
    kinds = {_kind(d) for d in el.iterchildren(etree.Element)}
    if "timerEventDefinition" in kinds:
        canvas.add(g, "circle", cx=cx, cy=cy, r=r * 0.55, cls="g")
        canvas.add(
            g, "path", d=path_data("M", (cx, cy - r * 0.4), "V", cy, "L", (cx + r * 0.3, cy + r * 0.15)), cls="g"
        )
    elif "messageEventDefinition" in kinds:
        x0, x1, y0, y1 = cx - r * 0.5, cx + r * 0.5, cy - r * 0.33, cy + r * 0.33
        canvas.add(
            g, "path", d=path_data("M", (x0, y0), "H", x1, "V", y1, "H", x0, "Z L", (cx, cy), "L", (x1, y0)), cls="g"
        )
    elif "terminateEventDefinition" in kinds:
        canvas.add(g, "circle", cx=cx, cy=cy, r=r * 0.55, cls="fill")


def _draw_fallback(canvas: _Canvas, process: El, state: Callable[[str], str]) -> None:
    steps = [el for el in process.iter(etree.Element) if _kind(el) == "userTask" or _kind(el).endswith("Event")]
    default_names = {"startEvent": "开始", "endEvent": "结束"}
    for i, el in enumerate(steps):
        y = i * 64
        if i:
            flow_state = _flow_state(state(steps[i - 1].get("id")), state(el.get("id")))
            g = canvas.add(None, "g", cls=f"flow {flow_state}")
            canvas.add(g, "line", x1=120, y1=y - 24, x2=120, y2=y, marker_end=f"url(#mf-arrow-{flow_state})")
        name = el.get("name") or default_names.get(_kind(el), "")
        st = state(el.get("id"))
        g = canvas.group(el.get("id"), f"node {_kind(el)} {st}", f"{name}（{STATES[st][2]}）")
        canvas.add(g, "rect", x=0, y=y, width=240, height=40, rx=8, cls="s")
        canvas.boxes.append((0, y, 240, 40))
        lines = fit_lines(wrap_text(name, 228), 2, 228)
        canvas.text(g, lines, 120, y + 20 - len(lines) * LINE_HEIGHT / 2 - 2)


def _layer(el: El, shape: El) -> int:
    # An expanded subprocess is a backdrop: drawn on top of its inner flows it would hide them.
    return 1 if shape.get("isExpanded") == "true" else _LAYERS.get(_kind(el), 2)


def _flow_state(source: str, target: str) -> str:
    return "done" if source == "done" and target != "pending" else "pending"


def _kind(el: El) -> str:
    return etree.QName(el).localname


def _bounds(el: El, path: str = "dc:Bounds") -> Box | None:
    b = el.find(path, NS)
    if b is None:
        return None
    x, y, w, h = (float(b.get(k, 0)) for k in ("x", "y", "width", "height"))
    return x, y, w, h


def _midpoint(points: list[tuple[float, float]]) -> tuple[float, float]:
    a, b = max(zip(points, points[1:], strict=False), key=lambda seg: math.dist(*seg))
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
