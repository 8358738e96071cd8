"""Pinned process versions: stored once in the database, so running instances outlive a changed file."""

import json

from app.dbwrite import insert_unless_present
from app.engine.specs import ProcessVersion, catalog
from app.engine.store import dump_spec
from app.extensions import db
from app.workflow.models import ProcessInstance, SpecVersion


def persist_version(version: ProcessVersion) -> None:
    """Pin-able versions live in the database, so instances survive a changed or broken file.

    Two workers starting the first instance of a new version both insert it: the database keeps one.
    """
    if db.session.get(SpecVersion, version.key) is not None:
        return
    insert_unless_present(
        SpecVersion,
        {
            "key": version.key,
            "process_id": version.process_id,
            "name": version.name,
            "bpmn_xml": version.bpmn_xml,
            "spec_json": dump_spec(version.spec, version.subprocess_specs, version.called_xml),
            "forms_json": json.dumps({k: f.to_dict() for k, f in version.forms.items()}),
        },
        ["key"],
    )


def _load_spec_version(key: str) -> SpecVersion | None:
    return db.session.get(SpecVersion, key)


def version_of(instance: ProcessInstance) -> ProcessVersion:
    return catalog().version(instance.spec_key, _load_spec_version)
