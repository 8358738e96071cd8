"""A diff of two process versions in the analyst's words (issue 17 item 4): each element by its name and kind
("排他网关「转出地协会意见」"), and what changed about it as the diagram says it — condition, flow, form, role,
name — never the engine's attribute names (cond_task_specs), which stay available as a detail."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext, lazy_gettext
from lxml import etree

from app.engine.spec_files import SAFE_XML
from app.engine.specs import ProcessVersion
from app.migration.diff import VersionDiff
from app.workflow.diagram import NS

_KINDS = {
    "userTask": lazy_gettext("用户任务"),
    "serviceTask": lazy_gettext("服务任务"),
    "scriptTask": lazy_gettext("脚本任务"),
    "businessRuleTask": lazy_gettext("业务规则任务"),
    "manualTask": lazy_gettext("手工任务"),
    "task": lazy_gettext("任务"),
    "callActivity": lazy_gettext("调用活动"),
    "subProcess": lazy_gettext("子流程"),
    "exclusiveGateway": lazy_gettext("排他网关"),
    "parallelGateway": lazy_gettext("并行网关"),
    "inclusiveGateway": lazy_gettext("包容网关"),
    "eventBasedGateway": lazy_gettext("事件网关"),
    "startEvent": lazy_gettext("开始事件"),
    "endEvent": lazy_gettext("结束事件"),
    "intermediateCatchEvent": lazy_gettext("中间事件"),
    "intermediateThrowEvent": lazy_gettext("中间事件"),
    "boundaryEvent": lazy_gettext("边界事件"),
    "sequenceFlow": lazy_gettext("顺序流"),
}
# the engine's attribute names (SpiffWorkflow's SpecDiff, and the flows' own) -> what the analyst changed
_WHAT = {
    "cond_task_specs": lazy_gettext("条件"),
    "default_task_spec": lazy_gettext("默认顺序流"),
    "condition": lazy_gettext("条件"),
    "sourceRef": lazy_gettext("顺序流（起点）"),
    "targetRef": lazy_gettext("顺序流（终点）"),
    "lane": lazy_gettext("角色"),
    "bpmn_name": lazy_gettext("名称"),
    "name": lazy_gettext("名称"),
    "typename": lazy_gettext("类型"),
    "documentation": lazy_gettext("说明文字"),
    "description": lazy_gettext("说明文字"),
    "script": lazy_gettext("脚本"),
    "prescript": lazy_gettext("脚本"),
    "postscript": lazy_gettext("脚本"),
    "event_definition": lazy_gettext("事件（定时、消息）"),
    "operation_name": lazy_gettext("服务操作"),
    "operation_params": lazy_gettext("服务操作的参数"),
    "result_variable": lazy_gettext("结果变量"),
    "cancel_activity": lazy_gettext("是否中断当前步骤"),
}
# a user task's or event's properties (spiffworkflow:property) -> what the analyst changed
_PROPERTIES = {
    "formKey": lazy_gettext("表单"),
    "assignee": lazy_gettext("办理人"),
    "orgScope": lazy_gettext("办理范围"),
    "dueDays": lazy_gettext("办理期限"),
    "faceCheck": lazy_gettext("人脸核验"),
    "eligibilityDecision": lazy_gettext("资格判定决策表"),
    "warningDecision": lazy_gettext("提示判定决策表"),
}


@dataclass(frozen=True)
class Change:
    bpmn_id: str
    kind: str  # 用户任务, 排他网关, 顺序流 …
    label: str  # its name on the diagram, or where a flow leads when it has none
    change: str  # added | removed | changed
    what: tuple[str, ...] = ()  # for a changed element: what changed, in words
    engine: tuple[str, ...] = ()  # … and as the engine names it (a detail)


def _elements(version: ProcessVersion) -> dict[str, tuple[str, str, dict[str, str]]]:
    """Every element of the version's files: id -> (kind, name, its attributes)."""
    found: dict[str, tuple[str, str, dict[str, str]]] = {}
    for xml in [version.bpmn_xml, *version.called_xml.values()]:
        root = etree.fromstring(xml.encode(), SAFE_XML)
        for process in root.iterfind(".//bpmn:process", NS):
            for el in process.iter():
                if isinstance(el.tag, str) and el.get("id"):
                    found[el.get("id", "")] = (etree.QName(el).localname, el.get("name") or "", dict(el.attrib))
    return found


def _label(el_id: str, elements: dict[str, tuple[str, str, dict[str, str]]]) -> str:
    kind, name, attrs = elements[el_id]
    if name:
        return name
    if kind == "sequenceFlow":
        source, target = (attrs.get(end, "") for end in ("sourceRef", "targetRef"))
        return (
            f"{_label(source, elements) if source in elements else source} → "
            f"{_label(target, elements) if target in elements else target}"
        )
    return el_id


def _properties(version: ProcessVersion, bpmn_id: str) -> dict[str, str]:
    for spec in [version.spec, *version.subprocess_specs.values()]:
        for ts in spec.task_specs.values():
            if ts.bpmn_id == bpmn_id:
                return dict(getattr(ts, "extensions", {}).get("properties", {}))
    return {}


def _what(bpmn_id: str, engine: list[str], old: ProcessVersion, new: ProcessVersion) -> Iterator[str]:
    for attr in engine:
        if attr == "extensions":
            before, after = _properties(old, bpmn_id), _properties(new, bpmn_id)
            keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
            if not keys:  # other extensions than the properties (a service task's operation, a form field's rule)
                yield gettext("其他设置")
            for key in keys:
                said = _PROPERTIES.get(key)
                yield str(said) if said is not None else gettext("设置 %(name)s", name=key)
        else:
            said = _WHAT.get(attr)
            yield str(said) if said is not None else gettext("其他设置（%(name)s）", name=attr)


def describe(old: ProcessVersion, new: ProcessVersion, diff: VersionDiff) -> list[Change]:
    """The diff's elements in words: changed first (what an analyst checks), then added, then removed."""
    before, after = _elements(old), _elements(new)
    both = {**before, **after}

    def kind(el_id: str, where: dict[str, Any]) -> str:
        k = where.get(el_id, ("", "", {}))[0]
        return str(_KINDS.get(k, gettext("元素")))

    changes = []
    for el_id, engine in diff.changed.items():
        what = tuple(
            dict.fromkeys(_what(el_id, engine, old, new))
        )  # in order, once each (a prescript and a postscript: 脚本)
        where = after if el_id in after else both
        label = _label(el_id, where) if el_id in where else el_id
        changes.append(Change(el_id, kind(el_id, where), label, "changed", what, tuple(engine)))
    for el_id in diff.added:
        label = _label(el_id, after) if el_id in after else el_id
        changes.append(Change(el_id, kind(el_id, after), label, "added"))
    for el_id in diff.removed:
        label = _label(el_id, before) if el_id in before else el_id
        changes.append(Change(el_id, kind(el_id, before), label, "removed"))
    return changes
