"""Two versions of a small process (fixtures/v1, fixtures/v2) and instances on the first."""

from pathlib import Path

import pytest

from app.config import ROOT
from app.engine.specs import load_catalog
from app.extensions import db
from app.workflow.instances import create_instance
from app.workflow.steps import audit

FIXTURES = Path(__file__).parent / "fixtures"


def catalog_of(name: str, processes: Path | None = None):
    cat = load_catalog(processes or FIXTURES / name, ROOT / "rules", ROOT / "forms")
    assert cat.problems == []
    return cat


@pytest.fixture
def use_version(app, monkeypatch):
    """Returns a callable making the catalog of fixtures/<name> (or a directory) the loaded one; gives its key."""

    def use(name: str, processes: Path | None = None) -> str:
        cat = catalog_of(name, processes)
        monkeypatch.setitem(app.extensions, "memberflow.catalog", cat)
        return cat.current["mig"]

    return use


def start_mig(user):
    """An instance of the loaded `mig` as the app starts one (startedBy system: no one-running-per-person claim)."""
    instance = create_instance("mig", user, {})
    audit(instance, user, "started", step="迁移测试")
    db.session.flush()
    return instance
