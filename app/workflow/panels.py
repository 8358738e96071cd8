"""Read-only panels a form's layout may ask for ("panel" in its .ui.json), e.g. the people a filing lists so far."""

from collections.abc import Callable

from markupsafe import Markup

from app.workflow.models import ProcessInstance

Panel = Callable[[ProcessInstance], Markup]
_PANELS: dict[str, Panel] = {}


def task_panel(name: str) -> Callable[[Panel], Panel]:
    """Register the panel a form names; domain packages own what it shows."""

    def register(fn: Panel) -> Panel:
        _PANELS[name] = fn
        return fn

    return register


def render_panel(name: str | None, instance: ProcessInstance) -> Markup | None:
    panel = _PANELS.get(name or "")
    return panel(instance) if panel is not None else None


def panel_names() -> list[str]:
    """The panels a form or start event may name (the workbench editors offer them)."""
    return sorted(_PANELS)
