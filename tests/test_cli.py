"""The run command's demo set-up survives a schema change (no migrations yet for the demo database)."""

from sqlalchemy import text

from app.cli import schema_drift
from app.extensions import db


def test_a_missing_column_is_reported_as_drift(app):
    assert schema_drift() == []
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE organization DROP COLUMN filed"))
    try:
        assert schema_drift() == ["organization.filed"]
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE organization ADD COLUMN filed BOOLEAN NOT NULL DEFAULT false"))
