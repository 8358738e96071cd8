"""Insert-or-get says whether this call inserted the row, on PostgreSQL too (psycopg reports no row count for an
INSERT unless SQLAlchemy is asked to keep it): the workbench's first publish of a new file relies on it to refuse the
loser of two concurrent publishers (app/workbench/catalog.py)."""

from sqlalchemy import func, select

from app import clock
from app.dbwrite import insert_unless_present
from app.extensions import db
from app.workbench.catalog import import_files, live_version
from app.workbench.live import disk_sources
from app.workbench.models import SpecLive


def test_the_second_insert_of_one_key_says_it_found_the_row(app):
    import_files(disk_sources(app))
    version = live_version("dmn", "join_kind.dmn")
    values = {"kind": "dmn", "name": "new_rule.dmn", "version_id": version.id, "updated_at": clock.now()}

    assert insert_unless_present(SpecLive, values, ["kind", "name"]) is True
    assert insert_unless_present(SpecLive, values, ["kind", "name"]) is False
    assert db.session.scalar(select(func.count()).where(SpecLive.name == "new_rule.dmn")) == 1
