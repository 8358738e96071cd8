"""Command line: `flask --app app:create_app memberflow …` (click), registered by the app factory.

    flask memberflow upgrade      the database to the newest schema (migrations/; also stamps a pre-migration one)
    flask memberflow init-demo    upgrade, then load the demo data once (scripts/run)

`python -m app.cli init-demo` still works (the same commands, without the flask launcher).
"""

import sys

import click
from flask.cli import AppGroup

from app.extensions import db

memberflow = AppGroup("memberflow", help="memberflow: database and demo commands.")


@memberflow.command("upgrade")
def upgrade_command() -> None:
    """Upgrade the database schema to the newest migration (flask db upgrade, plus pre-migration databases)."""
    from app.schema import OutdatedDatabase, upgrade_database

    try:
        click.echo(upgrade_database())
    except OutdatedDatabase as e:
        raise click.ClickException(str(e)) from e


@memberflow.command("init-demo")
def init_demo_command() -> None:
    """Upgrade the schema, then load the demo data unless it is there (idempotent)."""
    from app.demo import demo_loaded, load_demo
    from app.schema import OutdatedDatabase, drop_everything, upgrade_database

    try:
        click.echo(upgrade_database())
    except OutdatedDatabase as e:
        # only ever the demo database: made before the baseline, it cannot be upgraded, and its data is generated
        click.echo(f"demo {e}: rebuilding it")
        drop_everything()
        click.echo(upgrade_database())
    if demo_loaded():
        click.echo("demo data already present")
        return
    load_demo()
    db.session.commit()
    click.echo("demo data loaded")


def main(argv: list[str] | None = None) -> None:
    """`python -m app.cli COMMAND`: the memberflow group on the default app."""
    from app import create_app

    with create_app().app_context():
        memberflow.main(args=argv if argv is not None else sys.argv[1:], prog_name="python -m app.cli")


if __name__ == "__main__":
    main()
