"""The catalog of published versions: what is live per file, publishing (only from the live version the draft
started on — the database decides), and importing file versions it has never seen."""

import hashlib
import logging
import re

from flask_babel import gettext
from lxml import etree
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app import clock
from app.accounts.models import User
from app.dbwrite import insert_unless_present
from app.engine.spec_files import SAFE_XML, SpecSources
from app.errors import NotFound
from app.extensions import db
from app.workbench.models import SpecFileVersion, SpecLive

log = logging.getLogger(__name__)
NAME_PATTERNS = {
    "bpmn": re.compile(r"[A-Za-z0-9_-]{1,100}\.bpmn"),
    "dmn": re.compile(r"[A-Za-z0-9_-]{1,100}\.dmn"),
    "form": re.compile(r"[A-Za-z0-9_-]{1,100}(\.ui)?\.json"),
    "scenario": re.compile(r"[A-Za-z0-9_-]{1,100}\.ya?ml"),
}
WB_KINDS = tuple(NAME_PATTERNS)  # bpmn, dmn, form and the scenario files (processes/tests/*.yaml)
FROM_FILE = "从文件导入"


class PublishConflict(Exception):
    """Another version went live since the draft's base: the caller shows the diff and offers a rebase."""

    def __init__(self, live: SpecFileVersion | None) -> None:
        super().__init__(f"live version is {live.id if live else None}")
        self.live = live


def check_file(kind: str, name: str) -> None:
    """A kind and file name the workbench knows how to store (the file's own name in processes/, rules/, forms/)."""
    pattern = NAME_PATTERNS.get(kind)
    if pattern is None or not pattern.fullmatch(name):
        raise NotFound(gettext("没有这个文件：%(kind)s/%(name)s", kind=kind, name=name))


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def processes_in(content: str) -> list[str]:
    """The process ids a BPMN file declares (its versions page links each one's versions and running applications)."""
    try:
        root = etree.fromstring(content.encode("utf-8"), SAFE_XML)
    except etree.XMLSyntaxError:
        return []
    return [p.get("id", "") for p in root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}process") if p.get("id")]


def generation() -> int:
    """The catalog's state: the newest version's id. Every change of a live version inserts a version, so a
    worker whose catalog was read at another number reads it again (one indexed max per check)."""
    return db.session.scalar(select(func.max(SpecFileVersion.id))) or 0


def live_version(kind: str, name: str) -> SpecFileVersion | None:
    stmt = select(SpecFileVersion).join(SpecLive, SpecLive.version_id == SpecFileVersion.id)
    return db.session.scalar(stmt.where(SpecLive.kind == kind, SpecLive.name == name))


def live_versions() -> list[SpecFileVersion]:
    stmt = select(SpecFileVersion).join(SpecLive, SpecLive.version_id == SpecFileVersion.id)
    return list(db.session.scalars(stmt.order_by(SpecLive.kind, SpecLive.name)))


def versions_of(kind: str, name: str) -> list[SpecFileVersion]:
    stmt = select(SpecFileVersion).where(SpecFileVersion.kind == kind, SpecFileVersion.name == name)
    return list(db.session.scalars(stmt.order_by(SpecFileVersion.number.desc())))


def version_by_id(kind: str, name: str, version_id: int) -> SpecFileVersion:
    version = db.session.get(SpecFileVersion, version_id)
    if version is None or (version.kind, version.name) != (kind, name):
        raise NotFound(gettext("没有这个版本"))
    return version


def publish(
    kind: str, name: str, content: str, base_version_id: int | None, author: User | None, comment: str, source: str
) -> SpecFileVersion:
    """Make `content` the live version, moving the live pointer only from `base_version_id` (None: a file
    never published). The conditional UPDATE row-locks the pointer until commit; a second publisher from the same
    base then finds it moved and gets PublishConflict — never a silent overwrite. The caller commits."""
    now = clock.now()
    if base_version_id is not None:
        moved = db.session.execute(
            update(SpecLive)
            .where(SpecLive.kind == kind, SpecLive.name == name, SpecLive.version_id == base_version_id)
            .values(updated_at=now)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise PublishConflict(live_version(kind, name))
    last = db.session.scalar(
        select(func.max(SpecFileVersion.number)).where(SpecFileVersion.kind == kind, SpecFileVersion.name == name)
    )
    version = SpecFileVersion(
        kind=kind,
        name=name,
        number=(last or 0) + 1,
        content=content,
        hash=content_hash(content),
        author_id=author.id if author else None,
        author_name=author.name if author else gettext("文件"),
        comment=comment[:500],
        source=source,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except IntegrityError as err:  # the same number taken by a concurrent publisher of a new file
        raise PublishConflict(live_version(kind, name)) from err
    if base_version_id is None:
        values = {"kind": kind, "name": name, "version_id": version.id, "updated_at": now}
        if not insert_unless_present(SpecLive, values, ["kind", "name"]):
            raise PublishConflict(live_version(kind, name))
    else:
        db.session.execute(
            update(SpecLive).where(SpecLive.kind == kind, SpecLive.name == name).values(version_id=version.id)
        )
    return version


def import_files(sources: SpecSources) -> list[SpecFileVersion]:
    """Each file whose content the catalog has never seen (by hash) becomes a new live version "from file";
    a file equal to any earlier version is left alone, so a version published in the browser survives a restart.
    Two processes starting together: the second finds the first's version (or loses the number) and skips."""
    imported = []
    for kind, files in sources.files.items():
        for name, raw in sorted(files.items()):
            try:
                content = raw.decode("utf-8")
            except UnicodeDecodeError:
                log.error("%s/%s is not UTF-8: not imported into the catalog", kind, name)
                continue
            seen = select(SpecFileVersion.id).where(
                SpecFileVersion.kind == kind,
                SpecFileVersion.name == name,
                SpecFileVersion.hash == content_hash(content),
            )
            if db.session.scalar(seen.limit(1)) is not None:
                continue
            live = live_version(kind, name)
            try:
                with db.session.begin_nested():
                    imported.append(publish(kind, name, content, live.id if live else None, None, FROM_FILE, "file"))
            except (PublishConflict, IntegrityError):
                log.info("%s/%s was imported by another process", kind, name)
    return imported
