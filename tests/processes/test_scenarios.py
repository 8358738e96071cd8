"""Every scenario file in processes/tests/ runs through the services (issue 18 item 3); failures name file and line.

The demo world is loaded once for the module and each scenario's work is rolled back after it, as the workbench's
sandbox does (a scenario only flushes): the world was rebuilt and every table emptied for each scenario before.
"""

from pathlib import Path

import pytest
import yaml

from app import clock
from app.demo import load_demo
from app.engine.specs import catalog
from app.extensions import db
from app.scenarios.runner import run_scenario
from app.scenarios.spec import load_scenarios
from tests.conftest import empty_tables

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "processes" / "tests"
FILES = sorted(SCENARIO_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def shared_world(app):
    """The demo world, committed once, in one app context (one session) kept for the module's scenarios."""
    ctx = app.app_context()
    ctx.push()
    clock.reset()
    world = load_demo()
    db.session.commit()
    yield world
    empty_tables()
    ctx.pop()
    clock.reset()


@pytest.fixture(autouse=True)
def _clean(request):
    """Replaces conftest's: a scenario's work is rolled back and the clock put back; the world stays."""
    yield
    if "shared_world" in request.fixturenames:
        db.session.rollback()
    clock.reset()


def _count(path: Path) -> int:
    """How many scenarios the file lists (a broken file still gives one case, which reports it with its line)."""
    try:
        return max(len(yaml.safe_load(path.read_text(encoding="utf-8")).get("scenarios") or []), 1)
    except (yaml.YAMLError, AttributeError):
        return 1


@pytest.mark.parametrize(
    ("path", "index"),
    [(path, i) for path in FILES for i in range(_count(path))],
    ids=lambda v: v.stem if isinstance(v, Path) else str(v),
)
def test_scenario(shared_world, path, index):
    scenario = load_scenarios(path, catalog())[index]
    run_scenario(scenario, shared_world)


def test_the_three_converted_walks_are_there():
    assert {"join_practicing", "transfer", "resign"} <= {p.stem for p in FILES}
