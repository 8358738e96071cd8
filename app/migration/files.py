"""Which published files a process version is made of: the catalog's file versions (number, author, comment) whose
content is the version's BPMN file or a file it calls — so an analyst reads "transfer.bpmn v3 by 张三", not a hash."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.workbench.catalog import content_hash
from app.workbench.models import SpecFileVersion


@dataclass(frozen=True)
class Parts:
    """A process version's BPMN texts: its own file first, then the files of the processes it calls."""

    own: str
    called: tuple[str, ...] = ()

    @classmethod
    def of(cls, bpmn_xml: str, called_xml: dict[str, str]) -> "Parts":
        return cls(bpmn_xml, tuple(sorted(set(called_xml.values()) - {bpmn_xml})))

    @classmethod
    def of_row(cls, bpmn_xml: str, spec_json: str | None) -> "Parts":
        return cls.of(bpmn_xml, json.loads(spec_json).get("called_xml", {}) if spec_json else {})


def file_versions(parts: Iterable[Parts]) -> dict[str, list[SpecFileVersion]]:
    """Content hash -> the BPMN file versions with that content (oldest first: a rollback republishes a content
    under a new number), for every text of `parts`; one query."""
    hashes = {content_hash(text) for p in parts for text in (p.own, *p.called)}
    found: dict[str, list[SpecFileVersion]] = {h: [] for h in hashes}
    if hashes:
        stmt = select(SpecFileVersion).where(SpecFileVersion.kind == "bpmn", SpecFileVersion.hash.in_(hashes))
        for version in db.session.scalars(stmt.order_by(SpecFileVersion.name, SpecFileVersion.number)):
            found[version.hash].append(version)
    return found
