"""The process catalog the app runs: loaded from processes/, rules/ and forms/ at start (app/engine/spec_loader.py),
replaced as a whole when a version is published (app/workbench/live.py). Its shape is app/engine/spec_model.py;
what a process's steps say, and their lint, app/engine/spec_tasks.py. The names other packages import stay here."""

from pathlib import Path

from flask import Flask, current_app, g, has_app_context

from app.engine.guard import LIMITS
from app.engine.spec_loader import decision_version, load_catalog, load_catalog_from, parse_decisions
from app.engine.spec_model import DECISION_OBSERVERS, Catalog, Decision, DecisionObserver, ProcessVersion, decide_with
from app.engine.spec_tasks import ROLE_LANES, UserTaskInfo

__all__ = [
    "DECISION_OBSERVERS",
    "ROLE_LANES",
    "Catalog",
    "Decision",
    "DecisionObserver",
    "ProcessVersion",
    "UserTaskInfo",
    "catalog",
    "catalog_of",
    "decide_with",
    "decision_version",
    "init_app",
    "install_catalog",
    "load_catalog",
    "load_catalog_from",
    "parse_decisions",
    "reset_to_files",
]


# g: the catalog the request being served runs, from its start to its end (pinned by a before_request hook)
_PINNED = "_memberflow_catalog"


def init_app(app: Flask) -> None:
    app.before_request(_pin)
    app.teardown_request(_unpin)
    LIMITS.seconds = app.config["MEMBERFLOW_SCRIPT_SECONDS"]
    LIMITS.max_items = app.config["MEMBERFLOW_SCRIPT_MAX_ITEMS"]
    LIMITS.max_chars = app.config["MEMBERFLOW_SCRIPT_MAX_CHARS"]
    app.extensions["memberflow.file_catalog"] = app.extensions["memberflow.catalog"] = load_catalog(
        Path(app.config["MEMBERFLOW_PROCESSES_DIR"]),
        Path(app.config["MEMBERFLOW_RULES_DIR"]),
        Path(app.config["MEMBERFLOW_FORMS_DIR"]),
    )


def catalog() -> Catalog:
    """The catalog the app runs; in a request, the one installed when it began (or that it installed itself): a
    worker's other thread installing a newer one (app/workbench/live.py) never changes it halfway."""
    pinned: Catalog | None = g.get(_PINNED)
    return pinned if pinned is not None else current_app.extensions["memberflow.catalog"]


def _pin() -> None:
    setattr(g, _PINNED, current_app.extensions["memberflow.catalog"])


def _unpin(_exc: BaseException | None) -> None:
    g.pop(_PINNED, None)  # the app context may outlive the request (the tests', a CLI command's)


def catalog_of(app: Flask) -> Catalog:
    return app.extensions["memberflow.catalog"]


def install_catalog(app: Flask, new: Catalog) -> None:
    """Run `new` from now on: requests that begin later, and the one installing it (a publish, the refresh before
    a request); a request of another thread finishes with the catalog it began with (catalog())."""
    app.extensions["memberflow.catalog"] = new
    if has_app_context() and current_app._get_current_object() is app and _PINNED in g:  # type: ignore[attr-defined]
        setattr(g, _PINNED, new)


def reset_to_files(app: Flask) -> None:
    """Back to the catalog read from the files at start (tests, after emptying the tables)."""
    install_catalog(app, app.extensions["memberflow.file_catalog"])
