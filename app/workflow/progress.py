"""The progress diagrams of an instance: its process, then each process it called (call activities, issue 17)."""

from collections.abc import Mapping

from app.engine.specs import ProcessVersion
from app.workflow.diagram import render_process_svg
from app.workflow.models import ProcessInstance


def progress_svgs(
    instance: ProcessInstance, version: ProcessVersion, lane_labels: Mapping[str, str], style_nonce: str | None
) -> list[str]:
    """The process's diagram, then the diagram of every called process the instance has entered (one of its steps
    done or current: the progress column records the BPMN ids of called processes' steps as well)."""
    progress = instance.progress or {}
    done, current = set(progress.get("done", [])), set(progress.get("current", []))
    taken = {(a, b) for a, b in progress.get("taken", [])}

    def draw(xml: str, process_id: str) -> str:
        return render_process_svg(
            xml, process_id, done, current, lane_labels=lane_labels, taken=taken, style_nonce=style_nonce
        )

    svgs = [draw(version.bpmn_xml, instance.process_id)]
    for process_id, xml in version.called_xml.items():
        steps = (
            set(version.subprocess_specs[process_id].task_specs) if process_id in version.subprocess_specs else set()
        )
        if steps & (done | current):
            svgs.append(draw(xml, process_id))
    return svgs
