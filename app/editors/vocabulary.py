"""What the editors offer to pick from: the names this project's processes may use, read from where they live."""

import inspect
from typing import Any

from flask_babel import gettext

from app.editors.labels import panel_labels
from app.engine.scripting import OPERATIONS
from app.engine.specs import ROLE_LANES, catalog
from app.organizations.societies import all_societies, role_label
from app.workflow.due import DEFAULT_DUE_DAYS
from app.workflow.panels import panel_names

# A service task's parameter says its type in the XML (<spiffworkflow:parameter type="int" …>).
_PARAMETER_TYPES = {int: "int", str: "str", bool: "bool", float: "float"}


def operation_list() -> list[dict[str, Any]]:
    """Every registered service-task operation with its parameters (name, type, required), sorted by name."""
    return [{"name": name, "parameters": _parameters(fn)} for name, fn in sorted(OPERATIONS.items())]


def _parameters(fn: Any) -> list[dict[str, Any]]:
    found = []
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        hint = param.annotation
        if hint in (inspect.Parameter.empty, None):
            kind = "str"
        else:
            kind = _PARAMETER_TYPES.get(hint, "any") if isinstance(hint, type) else _hinted(str(hint))
        found.append({"name": param.name, "type": kind, "required": param.default is inspect.Parameter.empty})
    return found


def _hinted(hint: str) -> str:
    """`from __future__ import annotations` leaves hints as text: 'int', 'int | None', 'str'…"""
    first = hint.split("|")[0].strip()
    return first if first in _PARAMETER_TYPES.values() else "any"


def vocabulary() -> dict[str, Any]:
    """The pick lists of the BPMN properties panel (app/static/workbench/bpmn-props.js)."""
    cat = catalog()
    return {
        # the role list's labels (app/accounts/services.py ROLE_LABELS, or the association's own words), translated
        "roles": [{"value": role, "label": gettext(role_label(role))} for role in ROLE_LANES],
        "forms": sorted(cat.forms),
        "decisions": sorted(cat.decisions),
        "due_days": sorted(DEFAULT_DUE_DAYS),
        "societies": [s.key for s in all_societies()],
        "panels": panel_names(),
        "operations": operation_list(),
        "form_rules": {key: _field_rules(form.ui) for key, form in sorted(cat.forms.items())},
        "outcomes": ["approved", "rejected", "abandoned", "completed"],
        "labels": panel_labels(),
    }


def _field_rules(ui: dict[str, Any]) -> dict[str, str]:
    """Field -> the DMN decision that enables its options (a form field's `rule`, R-JOIN-2, R-ADM-4)."""
    return {name: field["rule"] for name, field in ui.get("fields", {}).items() if field.get("rule")}
