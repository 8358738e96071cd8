"""What changed between two versions of a process (issue 17 item 4): element ids added, removed and changed, and
version B's diagram with them coloured (the progress diagram's renderer: green new, orange changed)."""

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from lxml import etree

from app.engine.migration import diff_specs
from app.engine.spec_files import SAFE_XML
from app.engine.specs import ProcessVersion
from app.workflow.diagram import NS, render_process_svg

# the renderer's state words, said as a diff's (its legend and each element's tooltip)
_WORDS = {"已完成": "新增", "当前步骤": "有改动", "未到达": "未改动"}


@dataclass
class VersionDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # element id -> what differs

    def as_json(self) -> dict[str, Any]:
        return {"added": self.added, "removed": self.removed, "changed": self.changed}


def _flows(version: ProcessVersion) -> dict[str, tuple[str, str, str]]:
    """Every sequence flow of the version's files: id -> (source, target, condition)."""
    flows: dict[str, tuple[str, str, str]] = {}
    for xml in [version.bpmn_xml, *version.called_xml.values()]:
        root = etree.fromstring(xml.encode(), SAFE_XML)
        for flow in root.iterfind(".//bpmn:sequenceFlow", NS):
            condition = flow.find("bpmn:conditionExpression", NS)
            text = (condition.text or "").strip() if condition is not None else ""
            flows[flow.get("id", "")] = (flow.get("sourceRef", ""), flow.get("targetRef", ""), text)
    return flows


def diff_versions(old: ProcessVersion, new: ProcessVersion) -> VersionDiff:
    steps = diff_specs(old, new)
    before, after = _flows(old), _flows(new)
    changed = dict(steps.changed)
    for flow_id in before.keys() & after.keys():
        a, b = before[flow_id], after[flow_id]
        what = [k for k, x, y in zip(("sourceRef", "targetRef", "condition"), a, b, strict=True) if x != y]
        if what:
            changed[flow_id] = what
    return VersionDiff(
        added=sorted({*steps.added, *(after.keys() - before.keys())}),
        removed=sorted({*steps.removed, *(before.keys() - after.keys())}),
        changed=dict(sorted(changed.items())),
    )


def diff_svg(new: ProcessVersion, diff: VersionDiff, style_nonce: str | None) -> str:
    """Version B's diagram: new elements green, changed ones orange, the rest grey; flows new or changed green."""
    flows = _flows(new)
    marked = {flows[f][:2] for f in [*diff.added, *diff.changed] if f in flows}
    svg = render_process_svg(
        new.bpmn_xml,
        new.process_id,
        set(diff.added),
        set(diff.changed),
        taken=marked,
        style_nonce=style_nonce,
    )
    for word, said in _WORDS.items():
        svg = svg.replace(f">{word}<", f">{gettext(said)}<").replace(f"（{word}）", f"（{gettext(said)}）")
    return svg
