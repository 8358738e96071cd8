"""The process catalog the app runs: loaded from processes/, rules/ and forms/ at start (app/engine/spec_loader.py),
replaced as a whole when a version is published (app/workbench/live.py). Its shape is app/engine/spec_model.py;
what a process's steps say, and their lint, app/engine/spec_tasks.py. The names other packages import stay here."""

from pathlib import Path

from flask import Flask, current_app

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


def init_app(app: Flask) -> None:
    LIMITS.seconds = app.config["MEMBERFLOW_SCRIPT_SECONDS"]
    LIMITS.max_items = app.config["MEMBERFLOW_SCRIPT_MAX_ITEMS"]
    LIMITS.max_chars = app.config["MEMBERFLOW_SCRIPT_MAX_CHARS"]
    app.extensions["memberflow.file_catalog"] = app.extensions["memberflow.catalog"] = load_catalog(
        Path(app.config["MEMBERFLOW_PROCESSES_DIR"]),
        Path(app.config["MEMBERFLOW_RULES_DIR"]),
        Path(app.config["MEMBERFLOW_FORMS_DIR"]),
    )


def catalog() -> Catalog:
    return current_app.extensions["memberflow.catalog"]


def catalog_of(app: Flask) -> Catalog:
    return app.extensions["memberflow.catalog"]


def install_catalog(app: Flask, new: Catalog) -> None:
    """Run `new` from now on (one assignment: a request already holding the old catalog finishes with it)."""
    app.extensions["memberflow.catalog"] = new


def reset_to_files(app: Flask) -> None:
    """Back to the catalog read from the files at start (tests, after emptying the tables)."""
    app.extensions["memberflow.catalog"] = app.extensions["memberflow.file_catalog"]
