"""Runs scenario files against a draft on a throwaway database with its own clock, from the workbench.

The live database is never written (a scenario's long transaction would also hold SQLite's only writer lock) and
the live clock never moves: the run gets a temporary SQLite file with the demo world, a copy of processes/, rules/
and forms/ with the live versions of the workbench's catalog and then the draft files laid over it, and
`clock.own_clock()`.
"""

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app import clock
from app.config import TestConfig
from app.engine.specs import catalog
from app.extensions import db
from app.scenarios.runner import run_scenario
from app.scenarios.spec import ScenarioError, load_scenarios

DRAFT_FOLDERS = {".bpmn": "processes", ".dmn": "rules", ".json": "forms"}


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    rules: list[str]
    passed: bool
    error: str  # what differed, without the file, line and scenario name (said beside it)
    file: str = ""
    line: int | None = None


@dataclass(frozen=True)
class SandboxRun:
    results: list[ScenarioResult]
    problems: list[str]  # draft files the loader refused (file:line: reason)
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.problems and all(r.passed for r in self.results)


def _copy_sources(work: Path, drafts: dict[str, bytes]) -> dict[str, Path]:
    config = current_app.config
    dirs = {
        "processes": Path(config["MEMBERFLOW_PROCESSES_DIR"]),
        "rules": Path(config["MEMBERFLOW_RULES_DIR"]),
        "forms": Path(config["MEMBERFLOW_FORMS_DIR"]),
    }
    copies = {}
    for name, source in dirs.items():
        copies[name] = work / name
        shutil.copytree(source, copies[name], ignore=shutil.ignore_patterns("tests"))
    live = catalog().sources.files  # the live versions (the workbench's catalog), not only what is on disk
    for kind, into in (("bpmn", "processes"), ("dmn", "rules"), ("form", "forms")):
        for filename, raw in live.get(kind, {}).items():
            (copies[into] / filename).write_bytes(raw)
    for filename, content in drafts.items():
        folder = DRAFT_FOLDERS.get(Path(filename).suffix)
        if folder is None:
            raise ScenarioError(filename, None, _("草稿须为 .bpmn、.dmn 或表单 .json 文件"))
        (copies[folder] / Path(filename).name).write_bytes(content)
    return copies


def run_scenarios_in_sandbox(filename: str, text: str, drafts: dict[str, bytes] | None = None) -> SandboxRun:
    """Every scenario of one file against the published files with `drafts` laid over them."""
    return run_files_in_sandbox([(filename, text)], drafts)


def run_files_in_sandbox(sources: list[tuple[str, str]], drafts: dict[str, bytes] | None = None) -> SandboxRun:
    """Every scenario of several files (name, text) in one throwaway database, the `drafts` laid over the files."""
    from app import create_app
    from app.demo import load_demo

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="memberflow-scenario-"))
    try:
        dirs = _copy_sources(work, drafts or {})

        class Sandbox(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{work / 'scenario.db'}"
            MEMBERFLOW_STORAGE_DIR = str(work / "files")
            MEMBERFLOW_PROCESSES_DIR = str(dirs["processes"])
            MEMBERFLOW_RULES_DIR = str(dirs["rules"])
            MEMBERFLOW_FORMS_DIR = str(dirs["forms"])
            MEMBERFLOW_DEV_PAYMENT_KEY = str(work / "dev-payment.pem")
            MEMBERFLOW_SCENARIO_SANDBOX = True  # the worker's process-wide rate limiter stays as it is

        sandbox = create_app(Sandbox)
        with sandbox.app_context(), clock.own_clock():
            try:
                db.create_all()
                drafted = {Path(f).name for f in drafts or {}}
                problems = [str(p) for p in catalog().problems if p.file in drafted]
                if problems:  # a draft the loader refuses is not run: it could never be published
                    return SandboxRun([], problems, time.perf_counter() - started)
                world = load_demo()
                db.session.commit()  # the world stays; each scenario's own work is rolled back after it
                results = []
                scenarios = [s for name, text in sources for s in load_scenarios(Path(name), catalog(), text)]
                for scenario in scenarios:
                    with clock.own_clock():
                        try:
                            run_scenario(scenario, world)
                            results.append(ScenarioResult(scenario.name, scenario.rules, True, "", scenario.file))
                        except ScenarioError as err:
                            reason = err.message.removeprefix(f"{scenario.name}: ")
                            results.append(
                                ScenarioResult(scenario.name, scenario.rules, False, reason, scenario.file, err.line)
                            )
                        except Exception as err:  # noqa: BLE001 - a step that crashes is a failed scenario to show
                            failure = f"{type(err).__name__}: {err}"
                            results.append(
                                ScenarioResult(
                                    scenario.name, scenario.rules, False, failure, scenario.file, scenario.line
                                )
                            )
                        finally:
                            db.session.rollback()
            finally:
                db.session.remove()
                db.engine.dispose()
        return SandboxRun(results, problems, time.perf_counter() - started)
    finally:
        shutil.rmtree(work, ignore_errors=True)
