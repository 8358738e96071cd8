"""Serialization: a process spec once per version, instance state without its spec."""

import json
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SERIALIZER_VERSION
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from app.engine.scripting import SCRIPT_ENGINE

__all__ = ["SERIALIZER_VERSION", "SPEC_REGISTRY", "dump_instance", "dump_spec", "load_instance", "load_spec"]


class _InstanceOnlyConverter(BpmnWorkflowConverter):
    """Leaves the spec out of every instance: it is stored once per version (SpecVersion)."""

    def to_dict(self, workflow):  # type: ignore[no-untyped-def]
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


_spec_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
SPEC_REGISTRY = _spec_serializer.registry  # compares spec versions (SpiffWorkflow's diff_workflow)
_config = dict(SPIFF_CONFIG)
_config[BpmnWorkflow] = _InstanceOnlyConverter
_instance_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_config))


def dump_spec(spec: Any, subprocess_specs: dict[str, Any], called_xml: dict[str, str] | None = None) -> str:
    """The spec JSON of a version; `called_xml` (the called processes' files) rides along for the progress diagram."""
    return json.dumps(
        {
            "spec": _spec_serializer.to_dict(spec),
            "subprocess_specs": {k: _spec_serializer.to_dict(v) for k, v in subprocess_specs.items()},
            "called_xml": called_xml or {},
        }
    )


def load_spec(spec_json: str) -> tuple[Any, dict[str, Any]]:
    d = json.loads(spec_json)
    subs = {k: _spec_serializer.from_dict(v) for k, v in d["subprocess_specs"].items()}
    return _spec_serializer.from_dict(d["spec"]), subs


def dump_instance(wf: BpmnWorkflow) -> str:
    return json.dumps(_instance_serializer.to_dict(wf), separators=(",", ":"))


def load_instance(state: str, spec: Any, subprocess_specs: dict[str, Any], version: str) -> BpmnWorkflow:
    if version != SERIALIZER_VERSION:
        raise RuntimeError(f"instance state is serializer {version}, engine is {SERIALIZER_VERSION}: migrate first")
    d = json.loads(state)
    d["spec"], d["subprocess_specs"] = spec, subprocess_specs
    wf = _instance_serializer.from_dict(d)
    wf.script_engine = SCRIPT_ENGINE  # the script engine is not serialized
    return wf
