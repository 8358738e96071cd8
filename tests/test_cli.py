"""`flask memberflow …`: the run script's demo set-up upgrades the database, it does not rebuild it."""

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.schema import current_revision, revisions
from tests.fresh import fresh_app as fresh


@pytest.fixture
def fresh_app(app, tmp_path):
    with fresh(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path) as other:
        yield other


def test_init_demo_upgrades_then_loads_once(fresh_app):
    runner = fresh_app.test_cli_runner()
    first = runner.invoke(args=["memberflow", "init-demo"])
    assert first.exit_code == 0, first.output
    assert "demo data loaded" in first.output
    assert current_revision() == revisions()[-1]
    users = db.session.scalar(select(func.count(User.id)))
    second = runner.invoke(args=["memberflow", "init-demo"])
    assert "demo data already present" in second.output
    assert db.session.scalar(select(func.count(User.id))) == users


def test_init_demo_rebuilds_only_a_demo_database_older_than_the_baseline(fresh_app):
    from sqlalchemy import text

    db.create_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_organization_choice"))  # an index on the column goes with it (0024)
        conn.execute(text("ALTER TABLE organization DROP COLUMN filed"))
    result = fresh_app.test_cli_runner().invoke(args=["memberflow", "init-demo"])
    assert result.exit_code == 0, result.output
    assert "rebuilding it" in result.output and "demo data loaded" in result.output
    assert current_revision() == revisions()[-1]


def test_upgrade_refuses_a_database_older_than_the_baseline(fresh_app):
    from sqlalchemy import text

    db.create_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_organization_choice"))  # an index on the column goes with it (0024)
        conn.execute(text("ALTER TABLE organization DROP COLUMN filed"))
    result = fresh_app.test_cli_runner().invoke(args=["memberflow", "upgrade"])
    assert result.exit_code == 1 and "organization.filed" in result.output


def test_init_demo_adds_the_auction_association_to_an_older_demo_database(fresh_app):
    """A demo database made before issue 12 keeps its data and gains the CAA tree, reviewers and auctioneers."""
    from sqlalchemy import text

    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["memberflow", "init-demo"]).exit_code == 0
    users = db.session.scalar(select(func.count(User.id)))
    with db.engine.begin() as conn:  # back to what the demo was before the auction association
        for table in ("auctioneer_ce_record", "auctioneer_year", "auctioneer"):
            conn.execute(text(f"DELETE FROM {table}"))
        auction = "SELECT id FROM organization WHERE kind IN ('auction_firm', 'provincial_auction_association', 'caa')"
        conn.execute(text(f"DELETE FROM role_grant WHERE organization_id IN ({auction})"))
        conn.execute(text("DELETE FROM user_account WHERE mobile LIKE '157%'"))
        for kind in ("auction_firm", "provincial_auction_association", "caa"):
            conn.execute(text("DELETE FROM organization WHERE kind = :kind"), {"kind": kind})
    db.session.remove()
    result = runner.invoke(args=["memberflow", "init-demo"])
    assert result.exit_code == 0, result.output
    assert "the auction association's demo part added" in result.output
    assert db.session.scalar(select(func.count(User.id))) == users
    again = runner.invoke(args=["memberflow", "init-demo"])
    assert "added" not in again.output
