"""The workbench's tests: an analyst logged in, the catalog holding the project's files (as after a start)."""

import pytest

from app.accounts.models import RoleGrant
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.workbench.catalog import import_files
from app.workbench.live import disk_sources, refresh_catalog
from tests.processes.walk import person


def login(client, user):
    client.post("/logout")
    assert client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD}).status_code == 302


@pytest.fixture
def catalog_started(app, world):
    """What app start does (app/workbench/live.py start): every file imported, the live versions running."""
    import_files(disk_sources(app))
    db.session.commit()
    refresh_catalog(app)


@pytest.fixture
def analyst(world):
    user = person("13800000032")
    db.session.add(RoleGrant(user_id=user.id, role="analyst", organization_id=world.national.id))
    db.session.commit()
    return user


@pytest.fixture
def analyst_client(client, analyst, catalog_started):
    login(client, analyst)
    return client
