"""Every worker and the scheduler run the live versions: the files on disk overlaid with the catalog's live
versions, read again whenever the catalog's generation moved (checked at most every few seconds)."""

import logging
import threading
import time
from dataclasses import replace
from pathlib import Path

from flask import Flask, request
from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError

from app.engine import specs
from app.engine.spec_files import SpecSources, read_dir_sources
from app.extensions import db
from app.workbench.catalog import generation, import_files
from app.workbench.models import SpecFileVersion, SpecLive

log = logging.getLogger(__name__)
_RELOAD = threading.Lock()
_CHECKED_AT = "memberflow.catalog_checked_at"


def disk_sources(app: Flask) -> SpecSources:
    cfg = app.config
    return read_dir_sources(
        Path(cfg["MEMBERFLOW_PROCESSES_DIR"]), Path(cfg["MEMBERFLOW_RULES_DIR"]), Path(cfg["MEMBERFLOW_FORMS_DIR"])
    )


def live_sources(app: Flask) -> SpecSources:
    sources = disk_sources(app)
    sources.generation = generation()
    stmt = select(SpecFileVersion.kind, SpecFileVersion.name, SpecFileVersion.content).join(
        SpecLive, SpecLive.version_id == SpecFileVersion.id
    )
    for kind, name, content in db.session.execute(stmt):
        sources.files.setdefault(kind, {})[name] = content.encode("utf-8")
    return sources


def refresh_catalog(app: Flask) -> bool:
    """Read the live versions again if the catalog changed since this process read them; True if it did."""
    if generation() == specs.catalog_of(app).generation:
        return False
    with _RELOAD:
        sources = live_sources(app)
        current = specs.catalog_of(app)
        if sources.files == current.sources.files:  # e.g. the start's import of the files already running
            specs.install_catalog(app, replace(current, generation=sources.generation, sources=sources))
        elif sources.generation != current.generation:
            started = time.monotonic()
            specs.install_catalog(app, specs.load_catalog_from(sources))
            log.info("catalog generation %s loaded in %.2f s", sources.generation, time.monotonic() - started)
    return True


def start(app: Flask, attempts: int = 5) -> None:
    """At start (web workers and the scheduler): import file versions the catalog has never seen, then run the
    live versions. Skipped when the database has no catalog yet (before `memberflow upgrade`). Processes starting
    together (the web and the scheduler on one SQLite file) may find the database busy with the other's import:
    the next attempt finds those versions seen; a start never fails for it (the next request's check catches up)."""
    with app.app_context():
        try:
            if not inspect(db.engine).has_table(SpecLive.__tablename__):
                return
            for attempt in range(1, attempts + 1):
                try:
                    imported = import_files(disk_sources(app))
                    db.session.commit()
                    break
                except SQLAlchemyError as err:
                    db.session.rollback()
                    log.warning("catalog import, attempt %s of %s: %s", attempt, attempts, err)
            else:
                log.error("files not imported into the catalog; running the files as they are")
                return
            if imported:
                log.info("imported %s file versions into the catalog", len(imported))
            refresh_catalog(app)
        finally:
            db.session.remove()


def install_catalog_refresh(app: Flask) -> None:
    """Each request checks the catalog's generation at most every MEMBERFLOW_CATALOG_CHECK_SECONDS."""
    interval = float(app.config["MEMBERFLOW_CATALOG_CHECK_SECONDS"])

    @app.before_request
    def _fresh_catalog() -> None:
        if request.endpoint == "static":
            return
        now = time.monotonic()
        if now - app.extensions.get(_CHECKED_AT, float("-inf")) < interval:
            return
        app.extensions[_CHECKED_AT] = now
        try:
            refresh_catalog(app)
        except SQLAlchemyError as err:  # no catalog table yet (before the upgrade): serve what runs now
            db.session.rollback()
            log.warning("catalog not checked: %s", err)
