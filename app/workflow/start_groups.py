"""The start page's order: businesses grouped by association, then identity (personal or firm), then kind."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.engine.specs import catalog
from app.organizations.societies import society_of_process

# the order the issue lists the kinds in (start property kind=… in each BPMN); a kind not listed comes last
KIND_ORDER = (
    "入会",
    "变更",
    "转所",
    "退会",
    "证书",
    "会费",
    "机构管理员",
    "机构备案",
    "离职人员转入协会代管",
    "身份证号码变更",
    "拍卖师注册",
)


@dataclass
class StartGroup:
    society: str
    identity: str
    kinds: dict[str, list[tuple[str, str, str | None]]] = field(default_factory=dict)


def group_processes(processes: list[tuple[str, str, str | None]]) -> list[StartGroup]:
    """(process id, name, refusal) rows into groups; each group's kinds in KIND_ORDER, processes by name."""
    groups: dict[tuple[str, str], StartGroup] = {}
    for pid, name, refusal in processes:
        props = catalog().process(pid).start_properties
        society = society_of_process(pid)
        identity = {"firm": _("机构业务"), "local_association": _("协会业务")}.get(
            props.get("offeredTo", ""), _("个人业务")
        )
        key = (society.name if society else "", identity)
        group = groups.setdefault(key, StartGroup(*key))
        group.kinds.setdefault(props.get("kind") or _("其他"), []).append((pid, name, refusal))
    for group in groups.values():
        group.kinds = dict(sorted(group.kinds.items(), key=lambda kv: _kind_rank(kv[0])))
    return list(groups.values())


def _kind_rank(kind: str) -> tuple[int, str]:
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)
