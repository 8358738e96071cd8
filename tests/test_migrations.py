"""The migrations in migrations/ build exactly the models' schema and keep data (README: Migrations).

The other tests use db.create_all() for speed; these build real databases with the migrations, on SQLite and,
under scripts/with_postgres, on a PostgreSQL database of their own.
"""

import flask_migrate
import pytest
from sqlalchemy import func, inspect, select, text

from app import system_state
from app.extensions import db
from app.schema import BASELINE, OutdatedDatabase, current_revision, revisions, schema_diff, upgrade_database
from tests.fresh import fresh_app as fresh


@pytest.fixture
def fresh_app(app, tmp_path):
    with fresh(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path) as other:
        yield other


def row_counts() -> dict[str, int]:
    tables = [t for t in inspect(db.engine).get_table_names() if t != "alembic_version"]
    with db.engine.connect() as conn:
        return {t: conn.execute(select(func.count()).select_from(text(f'"{t}"'))).scalar_one() for t in tables}


def fill_with_demo_data() -> None:
    """The demo world plus a started application, so that the workflow tables have rows too."""
    from app.demo import load_demo
    from app.workflow import services

    world = load_demo()
    services.start_process("join_practicing", world.applicant)
    system_state.record_heartbeat()
    db.session.commit()
    db.session.remove()


def test_the_migrations_build_exactly_the_models_schema(fresh_app):
    """No autogenerate diff: a model change without its migration fails here (`flask db migrate` writes it)."""
    flask_migrate.upgrade()
    assert current_revision() == revisions()[-1]
    assert schema_diff() == []


def test_a_model_change_without_its_migration_is_caught(fresh_app):
    """The check above can fail: a column the migrations do not create shows as a diff."""
    flask_migrate.upgrade()
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE organization DROP COLUMN province"))
    assert [d[0] for d in schema_diff()] == ["add_column"]


def test_upgrading_a_filled_database_keeps_every_row(fresh_app):
    """Step by step from the baseline to head, every table keeps its row count (generic over all migrations)."""
    flask_migrate.upgrade()
    fill_with_demo_data()
    flask_migrate.downgrade(revision=BASELINE)
    steps = revisions()
    assert steps[0] == BASELINE
    for revision in steps[1:]:
        before = row_counts()
        flask_migrate.upgrade(revision=revision)
        after = row_counts()
        assert {t: after[t] for t in before} == before, f"migration {revision} lost rows"
    counts = row_counts()
    assert counts["user_account"] > 10 and counts["process_instance"] == 1 and counts["audit_event"] >= 1


def test_a_database_made_before_migrations_is_stamped_and_upgraded_not_rebuilt(fresh_app):
    """The previous release made its tables with create_all; its data stays."""
    flask_migrate.upgrade()
    fill_with_demo_data()  # the models are at head: filled there, then taken back to the baseline's schema
    flask_migrate.downgrade(revision=BASELINE)  # exactly the schema create_all made in the previous release
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    before = row_counts()
    assert current_revision() is None
    upgrade_database()
    assert current_revision() == revisions()[-1]
    assert {t: n for t, n in row_counts().items() if t in before} == before


def test_a_database_older_than_the_baseline_is_refused(fresh_app):
    db.create_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_organization_choice"))  # an index on the column goes with it (0024)
        conn.execute(text("ALTER TABLE organization DROP COLUMN filed"))
    with pytest.raises(OutdatedDatabase) as e:
        upgrade_database()
    assert e.value.missing == ["organization.filed"]


def test_the_migrated_partial_unique_indexes_refuse_a_second_firm_admin(fresh_app):
    """R-ADM-1: autogenerate does not compare an index's WHERE clause, so this checks the migrated index itself."""
    from sqlalchemy.exc import IntegrityError

    from app.accounts.models import RoleGrant
    from app.demo import load_demo

    flask_migrate.upgrade()
    world = load_demo()
    db.session.add(RoleGrant(user_id=world.applicant.id, role="firm", organization_id=world.firm_sh.id))
    db.session.add(RoleGrant(user_id=world.returning.id, role="firm", organization_id=world.firm_sh.id))
    db.session.add(RoleGrant(user_id=world.applicant.id, role="firm_admin", organization_id=world.firm_sh.id))
    db.session.flush()  # two plain reviewers of one firm are fine
    db.session.add(RoleGrant(user_id=world.returning.id, role="firm_admin", organization_id=world.firm_sh.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_migrated_trigger_drops_a_completed_tasks_drafts(fresh_app):
    """Issue 13: autogenerate does not compare triggers, so this checks the migrated one (R-JOIN-6's drafts)."""
    from sqlalchemy import update

    from app.demo import load_demo
    from app.workflow import services
    from app.workflow.drafts import keep_draft
    from app.workflow.models import HumanTask, TaskDraft

    flask_migrate.upgrade()
    world = load_demo()
    instance = services.start_process("join_practicing", world.applicant)
    task = db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)).one()
    keep_draft(task, world.applicant.id, {"agree_rules": True})
    db.session.execute(update(HumanTask).where(HumanTask.id == task.id).values(status="completed"))
    assert db.session.scalar(select(func.count()).select_from(TaskDraft)) == 0
    db.session.rollback()
