"""Computes a clean BPMNDI layout for a BPMN file: python -m scripts.bpmn_layout processes/x.bpmn [--write]."""

import argparse
import sys
from collections.abc import Iterator
from itertools import pairwise, product
from pathlib import Path
from typing import TypeAlias

from lxml import etree

from app.workflow.diagram import LINE_HEIGHT, NS
from app.workflow.svgtext import text_width, wrap_text  # the renderer's metrics, so label bounds fit its text

El: TypeAlias = etree._Element
Pt = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1
BPMNDI, DC, DI = (f"{{{NS[k]}}}" for k in ("bpmndi", "dc", "di"))
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
ACTIVITIES = {"task", "subProcess", "callActivity", "transaction", "adHocSubProcess"}
STRIP, MARGIN, GAP, PAD, ROW_GAP, TRACK = 30, 40, 70, 14, 30, 20
TRACKS = (0, -12, 12, -24, 24)  # x offsets of the vertical legs in a column gap, the middle first
HIT, OVERLAP, LABEL, CROSS, BEND = 1000, 100, 20, 6, 4  # route costs: a node >> along a flow >> a label >> ...


class Node:
    def __init__(self, el: El, kind: str, order: int, w: float) -> None:
        self.id, self.kind, self.order, self.w, self.h = el.get("id", ""), kind, order, w, 80 if w == 100 else w
        self.name, self.attached = el.get("name", "") if w < 100 else "", el.get("attachedToRef", "")  # name: label
        self.lane, self.col, self.cx, self.cy, self.side = 0, 0, 0.0, 0.0, 1  # side: a boundary event's border
        self.host: Node | None = None  # boundary events: the activity they sit on

    @property
    def box(self) -> Box:
        return self.cx - self.w / 2, self.cy - self.h / 2, self.cx + self.w / 2, self.cy + self.h / 2


class Flow:
    def __init__(self, el: El, nodes: dict[str, Node]) -> None:
        self.id, self.name, self.back = el.get("id", ""), el.get("name", ""), False
        self.s, self.t = nodes[el.get("sourceRef", "")], nodes[el.get("targetRef", "")]
        self.pts: list[Pt] = []


def _size(text: str, wrap: float) -> Pt:
    return (max(map(text_width, lines := wrap_text(text, wrap))) + 1, LINE_HEIGHT * len(lines)) if text else (0, 0)


def _hit(a: Box, b: Box, m: float = 0) -> bool:
    return a[0] < b[2] + m and b[0] < a[2] + m and a[1] < b[3] + m and b[1] < a[3] + m


def _segs(pts: list[Pt]) -> list[Box]:
    return [(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])) for a, b in pairwise(pts)]


def _paths(p: Pt, d: Pt, q: Pt, e: Pt, xs: list[float], ys: list[float], xo: list[float], n: int) -> Iterator[list[Pt]]:
    """Orthogonal polylines with n bends from p heading d to q heading e (xs, xo: vertical legs; ys: horizontal)."""
    (px, py), (qx, qy) = p, q
    if d[0] and e[0]:
        cands = [[p, q], *([p, (x, py), (x, qy), q] for x in xs)]
    elif d[1] and e[1]:
        cands = [[p, q], *([p, (px, y), (qx, y), q] for y in ys)]
    elif d[1]:
        cands = [[p, (px, qy), q], *([p, (px, y), (x, y), (x, qy), q] for y, x in product(ys, xs))]
    else:
        cands = [[p, (qx, py), q], *([p, (x, py), (x, y), (qx, y), q] for x, y in product(xo, ys))]
    for pts in (pts for pts in cands if len(pts) == n + 2):  # leaving heading d, arriving heading e, room for arrow
        heads = [((b[0] > a[0]) - (b[0] < a[0]), (b[1] > a[1]) - (b[1] < a[1])) for a, b in pairwise(pts)]
        x0, y0, x1, y1 = _segs(pts)[-1]
        axial = all(abs(h[0]) + abs(h[1]) == 1 for h in heads) and (heads[0], heads[-1]) == (d, e)
        if axial and all(a[0] * b[0] + a[1] * b[1] == 0 for a, b in pairwise(heads)) and x1 - x0 + y1 - y0 >= 12:
            yield pts


class Layout:  # one process: lanes, layered columns, rows; then flows and labels
    def __init__(self, process: El, left: float) -> None:
        kinds = [(i, el, etree.QName(el).localname) for i, el in enumerate(process.iterchildren(etree.Element))]
        self.nodes = nodes = {
            el.get("id", ""): Node(el, k, i, 36 if k.endswith("Event") else 50 if k.endswith("Gateway") else 100)
            for i, el, k in kinds
            if k.endswith(("Task", "Event", "Gateway")) or k in ACTIVITIES
        }
        flows = process.iterfind("bpmn:sequenceFlow", NS)
        self.flows = [Flow(f, nodes) for f in flows if {f.get("sourceRef"), f.get("targetRef")} <= nodes.keys()]
        self.lanes = lanes = process.findall("bpmn:laneSet/bpmn:lane", NS)
        refs = [(str(r.text).strip(), i) for i, x in enumerate(lanes) for r in x.iterfind(".//bpmn:flowNodeRef", NS)]
        lane_of = dict(reversed(refs))  # the first lane naming a node wins
        for n in self.nodes.values():  # a boundary event sits on its host, in the host's lane
            n.host = self.nodes.get(n.attached)
            n.lane = lane_of.get((n.host or n).id, 0)
        self.main = [n for n in self.nodes.values() if not n.host]
        self._columns()
        self._place(left)
        self.labels = self._labels(False)  # gateway and boundary event labels first, for the flows to avoid
        for f in sorted(self.flows, key=lambda f: (not f.back, -self.track.get(f.id, 0), f.s.col, f.s.cy != f.t.cy)):
            f.pts = self._route(f)  # back edges first, to get the natural exit (a gateway's top); straight flows next
        self.labels = self._labels(True)

    def _columns(self) -> None:  # column = longest path over forward flows; back edge = to a node on the DFS stack
        out = {n.id: [f for f in self.flows if (f.s.host or f.s) is n] for n in self.main}  # boundary: from host
        on_stack: dict[str, bool] = {}

        def visit(n: Node) -> None:
            on_stack[n.id] = True
            for f in out[n.id]:
                f.back = on_stack.get(f.t.id, False)
                if f.t.id not in on_stack:
                    visit(f.t)
            on_stack[n.id] = False

        for n in sorted(self.main, key=lambda n: (n.kind != "startEvent", n.order)):
            if n.id not in on_stack:
                visit(n)
        for _ in self.main:  # longest path by relaxation: the forward flows are acyclic
            for f in (f for f in self.flows if not f.back):
                f.t.col = max(f.t.col, (f.s.host or f.s).col + 1)
        for b in self.nodes.values():  # boundary events: on the top border if a flow of theirs heads back or up
            b.col, b.side = (b.host or b).col, 1 - 2 * any(f.back or f.t.lane < b.lane for f in self.flows if f.s is b)

    def _extent(self, n: Node) -> Pt:  # room above and below the centre, for labels and boundary events
        own = n.h / 2 + (_size(n.name, 60)[1] + 4 if n.name else 0)
        bs = [b.side * (n.h / 2 + b.h + _size(b.name, 60)[1] + 4) for b in self.nodes.values() if b.host is n]
        return max([own] + [-r for r in bs]), max([own] + bs)

    def _place(self, left: float) -> None:
        ncol, nlanes = max((n.col for n in self.main), default=0) + 1, max(len(self.lanes), 1)
        widths = [max((n.w for n in self.main if n.col == c), default=36) for c in range(ncol)]
        col_x = [left + STRIP * bool(self.lanes) + MARGIN + sum(widths[:c]) + GAP * c for c in range(ncol)]
        self.width = col_x[-1] + widths[-1] + MARGIN - left
        self.gaps = [col_x[c] + widths[c] + GAP / 2 for c in range(ncol - 1)]
        ext = {n.id: self._extent(n) for n in self.main}
        base = [PAD + max((ext[n.id][0] for n in self.main if n.lane == i), default=0) for i in range(nlanes)]
        for c, lane in product(range(ncol), range(nlanes)):  # column by column, so predecessors are placed
            want = {}  # level with the first predecessor in the lane; below/above it if that is a boundary event
            for n in (n for n in self.main if n.col == c and n.lane == lane):
                s = next((f.s for f in self.flows if f.t is n and not f.back and f.s.lane == lane), None)
                want[n] = (s.host.cy + s.side * (s.host.h / 2 + 40) if s.host else s.cy) if s else base[lane]
            bottom = -1e9
            for n in sorted(want, key=lambda n: (want[n], n.order)):  # the same lane and column: rows
                n.cx = col_x[c] + widths[c] / 2
                n.cy = max(want[n], PAD + ext[n.id][0], bottom + ROW_GAP + ext[n.id][0])
                bottom = n.cy + ext[n.id][1]
        back = sorted((f for f in self.flows if f.back), key=lambda f: (f.s.col - f.t.col, f.s.order))
        self.track = {f.id: 10 + TRACK * (len(back) - 1 - k) for k, f in enumerate(back)}  # the longest highest
        self.slots = {f.t.id: [g for g in back if g.t is f.t] for f in back}
        band, y, self.lane_boxes = TRACK * len(back) + 10 * bool(back), 0.0, []  # back edges' tracks above all
        for i in range(nlanes):
            nodes = [n for n in self.main if n.lane == i]
            name = 1.15 * text_width(self.lanes[i].get("name", "")) + 20 if self.lanes else 0  # drawn rotated
            height = max([n.cy + ext[n.id][1] + PAD for n in nodes] + [80, name]) + band * (i == 0)
            for n in nodes:
                n.cy += y + band * (i == 0)
            self.lane_boxes.append((left, y, left + self.width, y + height))
            y += height
        for host, side in product(self.main, (-1, 1)):
            evs = [b for b in self.nodes.values() if b.host is host and b.side == side]
            evs.sort(key=lambda b: (not any(f.back for f in self.flows if f.s is b), b.order))  # back ones leftmost
            for i, b in enumerate(evs):
                b.cx, b.cy = host.cx + 44 * (i - (len(evs) - 1) / 2), host.cy + side * host.h / 2

    def _route(self, f: Flow) -> list[Pt]:  # the cheapest route over a few exits, entries and free channels
        s, t, (_, y0, x1, y1), (u0, v0, _, v1) = f.s, f.t, f.s.box, f.t.box
        side = 0 if s.kind.endswith("Gateway") else 5  # tasks and events leave to the right, gateways by any corner
        exits = [((x1, s.cy), (1, 0), 0), ((s.cx, y0), (0, -1), side), ((s.cx, y1), (0, 1), side)]
        exits = [((s.cx, s.cy + s.side * s.h / 2), (0, s.side), 0)] if s.host else exits
        gw = 6 * t.kind.endswith("Gateway")  # a gateway's top and bottom are for its outgoing flows
        tops = [(t.cx, gw), (t.cx + t.w / 4, gw + 1), (t.cx - t.w / 4, gw + 1)]
        entries = [((u0, t.cy), (1, 0), 0)] + [((x, y), (0, k), c) for x, c in tops for y, k in ((v0, 1), (v1, -1))]
        boxes = [n.box for n in self.nodes.values() if n not in (s, t, s.host)]
        labels = [b for k, b in self.labels.items() if k not in (s.id, t.id)]
        segs = [b for g in self.flows for b in _segs(g.pts)]
        after = [g + o for g in self.gaps[s.col : s.col + 1] for o in TRACKS]
        xs = [g + o for g in self.gaps for o in TRACKS if min(s.cx, t.cx) < g + o < max(s.cx, t.cx)]
        ys = sorted({b[1] - 12 for b in boxes} | {b[3] + 12 for b in boxes} | {b[3] - 10 for b in self.lane_boxes})
        if f.back:  # into the target's top, the shortest span rightmost so that the nested tracks do not cross
            x = u0 + t.w * (len(self.slots[t.id]) - self.slots[t.id].index(f)) / (len(self.slots[t.id]) + 1)
            entries = [((x, v0), (0, 1), 0), ((u0, t.cy), (1, 0), 8)]
            xs, ys = [g + o for g in self.gaps[t.col - 1 : t.col] if t.col for o in TRACKS], [self.track[f.id]]
        best: tuple[float, list[Pt]] = (float("inf"), [])
        for bends in range(4):  # fewest bends first, until more bends cannot be cheaper
            for (p, d, c1), (q, e, c2) in product(exits, entries) if best[0] >= bends * BEND else []:
                for pts in _paths(p, d, q, e, xs, ys, after, bends):
                    cost = float(c1 + c2 + bends * BEND)
                    for a in _segs(pts):
                        cost += (a[2] - a[0] + a[3] - a[1]) / 100 + HIT * sum(_hit(a, b, 4) for b in boxes)
                        cost += LABEL * sum(_hit(a, b, 3) for b in labels)
                        for b in segs:
                            if (a[0] == a[2]) == (b[0] == b[2]):  # parallel: running along another flow hides it
                                k = 0 if a[0] == a[2] else 1  # the axis both are fixed on
                                along = min(a[3 - k], b[3 - k]) - max(a[1 - k], b[1 - k])
                                cost += OVERLAP * (abs(a[k] - b[k]) < 5 and along > 2)
                            else:
                                cost += CROSS * _hit(a, b, -0.5)
                    best = min(best, (cost, pts), key=lambda b: b[0])
        return best[1]

    def _labels(self, final: bool) -> dict[str, Box]:  # each label at the best of its candidate spots
        lines = [(f, b) for f in self.flows for b in _segs(f.pts)]
        borders = [(x0, y1, x1, y1) for x0, _, x1, y1 in self.lane_boxes[:-1]]  # a lane line through text
        taken, out = [n.box for n in self.nodes.values()] + [b for _, b in lines] + borders, {}

        def put(key: str, cands: list[Box], home: Box) -> None:
            def bad(b: Box) -> float:  # overlaps; outside its lane; squeezed by flows, so it reads as theirs
                inside = all(home[i] <= b[i] and b[i + 2] <= home[i + 2] for i in (0, 1))
                near = sum(_hit(b, o, 16) for f, o in lines if f.id != key) * (key not in self.nodes)  # flow labels
                return 2 * sum(_hit(b, o, 3) for o in taken) + (not inside) + 0.3 * near

            out[key] = min(cands, key=bad)
            taken.append(out[key])

        todo = [n for n in self.nodes.values() if n.name and (final or n.host or n.kind.endswith("Gateway"))]
        for n in sorted(todo, key=lambda n: (n.host is None, n.order)):  # a start or end event's label moves freely
            spots: list[list[Box]] = []
            for wrap in (90, 60):  # then narrower and taller, where the wide one does not fit
                (w, h), (x0, y0, x1, y1), cx = _size(n.name, wrap), n.box, n.cx
                up, down, mid = (y0 - h - 4, y0 - 4), (y1 + 4, y1 + h + 4), (n.cy - h / 2, n.cy + h / 2)
                left, right, centre = (cx - 8 - w, cx - 8), (cx + 8, cx + 8 + w), (cx - w / 2, cx + w / 2)
                away = (up, down)[n.side > 0]  # boundary events: away from the host, beside their flow
                ends = [(centre, down), (centre, up), ((x1 + 4, x1 + 4 + w), mid), ((x0 - 4 - w, x0 - 4), mid)]
                pairs = [(left, up), (right, up), (left, down), (right, down), (centre, up), (centre, down)]
                pairs = [(left, away), (right, away)] if n.host else ends + pairs if n.kind.endswith("Event") else pairs
                spots.append([(xs[0], ys[0], xs[1], ys[1]) for xs, ys in pairs])
            put(n.id, [b for pair in zip(*spots, strict=True) for b in pair], self.lane_boxes[n.lane])
        for f in (f for f in self.flows if f.name and f.pts):
            (w, h), cands = _size(f.name, 120), []
            for ((ax, ay), (bx, by)), k in product(list(pairwise(f.pts))[:2], range(4)):  # near the start
                x = ax + 6 + 30 * k if bx > ax else ax - 6 - w - 30 * k  # beside a horizontal segment
                y = ay + 6 + 20 * k if by > ay else ay - 6 - h - 20 * k  # beside a vertical one
                horizontal = [(x, ay - h - 3, x + w, ay - 3), (x, ay + 3, x + w, ay + h + 3)]
                cands += horizontal if ay == by else [(ax + 5, y, ax + 5 + w, y + h), (ax - 5 - w, y, ax - 5, y + h)]
            put(f.id, cands, (*self.lane_boxes[0][:2], *self.lane_boxes[-1][2:]))
        return out

    def draw(self, plane: El, pool: El | None) -> None:
        def shape(el_id: str, box: Box, label: Box | None = None, **attrs: str) -> None:
            s = etree.SubElement(plane, BPMNDI + "BPMNShape", id=f"{el_id}_di", bpmnElement=el_id, **attrs)
            _bounds(s, box)
            if label:
                _bounds(etree.SubElement(s, BPMNDI + "BPMNLabel"), label)

        if pool is not None:
            (x0, y0, x1, _), y1 = self.lane_boxes[0], self.lane_boxes[-1][3]
            shape(pool.get("id", ""), (x0 - STRIP, y0, x1, y1), isHorizontal="true")
        for lane, box in zip(self.lanes, self.lane_boxes, strict=False):
            shape(lane.get("id", ""), box, isHorizontal="true")
        for n in sorted(self.nodes.values(), key=lambda n: (n.host is not None, n.order)):  # boundary events on top
            marker = {"isMarkerVisible": "true"} if n.kind == "exclusiveGateway" else {}
            shape(n.id, n.box, self.labels.get(n.id), **marker)
        for f in self.flows:
            edge = etree.SubElement(plane, BPMNDI + "BPMNEdge", id=f"{f.id}_di", bpmnElement=f.id)
            for x, y in f.pts:
                etree.SubElement(edge, DI + "waypoint", x=_num(x), y=_num(y))
            if f.id in self.labels:
                _bounds(etree.SubElement(edge, BPMNDI + "BPMNLabel"), self.labels[f.id])


def _num(v: float) -> str:
    return f"{round(v, 1):.1f}".removesuffix(".0")


def _bounds(parent: El, b: Box) -> None:
    x0, y0, x1, y1 = b
    etree.SubElement(parent, DC + "Bounds", x=_num(x0), y=_num(y0), width=_num(x1 - x0), height=_num(y1 - y0))


def relayout(xml: bytes) -> bytes:
    """The file with its BPMNDiagram replaced by a computed one; nothing else changes."""
    root = etree.fromstring(xml, PARSER)
    closing, indent = root[-1].tail if len(root) else "\n", root.text if (root.text or "x").isspace() else "\n  "
    for old in root.findall("bpmndi:BPMNDiagram", NS):
        root.remove(old)
    missing = {k: NS[k] for k in ("bpmndi", "dc", "di") if NS[k] not in root.nsmap.values()}
    pools = {p.get("processRef"): p for p in root.iterfind("bpmn:collaboration/bpmn:participant", NS)}
    for pid, process in ((p.get("id", ""), p) for p in root.iterfind("bpmn:process", NS)):  # a diagram each
        diagram = etree.SubElement(root, BPMNDI + "BPMNDiagram", id=f"Diagram_{pid}", nsmap=missing)
        plane_of = pools[pid].getparent().get("id", "") if pid in pools else pid  # a pool's: its collaboration
        plane = etree.SubElement(diagram, BPMNDI + "BPMNPlane", id=f"Plane_{pid}", bpmnElement=plane_of)
        Layout(process, STRIP * (pid in pools)).draw(plane, pools.get(pid))
        diagram.getprevious().tail = diagram.tail = indent
        etree.indent(diagram, space="  ", level=1)
    root[-1].tail = closing
    if missing:  # lxml cannot add declarations to an element, but can hoist the diagram's to the root
        keep = sorted({p for el in root.iter(etree.Element) for p in el.nsmap if p})
        etree.cleanup_namespaces(root, top_nsmap=missing, keep_ns_prefixes=keep)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + bytes(etree.tostring(root.getroottree(), encoding="UTF-8"))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", type=Path, help="a .bpmn file")
    ap.add_argument("--write", action="store_true", help="rewrite the file in place instead of printing the result")
    args = ap.parse_args(argv)
    (args.path.write_bytes if args.write else sys.stdout.buffer.write)(relayout(args.path.read_bytes()))


if __name__ == "__main__":
    main()
