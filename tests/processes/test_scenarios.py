"""Every scenario file in processes/tests/ runs through the services (issue 18 item 3); failures name file and line."""

from pathlib import Path

import pytest
import yaml

from app.engine.specs import catalog
from app.scenarios.runner import run_scenario
from app.scenarios.spec import load_scenarios

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "processes" / "tests"
FILES = sorted(SCENARIO_DIR.glob("*.yaml"))


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
def test_scenario(world, path, index):
    scenario = load_scenarios(path, catalog())[index]
    run_scenario(scenario, world)


def test_the_three_converted_walks_are_there():
    assert {"join_practicing", "transfer", "resign"} <= {p.stem for p in FILES}
