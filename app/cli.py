"""Command line: `flask --app app:create_app memberflow …` (click), registered by the app factory.

    flask memberflow upgrade      the database to the newest schema (migrations/; also stamps a pre-migration one)
    flask memberflow init-demo    upgrade, then load the demo data once (scripts/run)
    flask memberflow clock advance 7d | reset | show    development only: move the time web app and scheduler see
    flask memberflow decisions purge [--days N]   delete decision-log rows older than MEMBERFLOW_DECISION_LOG_DAYS
    flask memberflow due-days cas local_review=10   an association's review due days (shown without changes)
    flask memberflow check        after a restore: process files, states, task mirror, audit trail, files (exit 1)
    flask memberflow migrate-instances transfer --from <hash> --to <hash> [--dry-run]   move running instances

`python -m app.cli init-demo` still works (the same commands, without the flask launcher).
"""

import re
import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.migration.cli import migrate_instances_command

memberflow = AppGroup("memberflow", help="memberflow: database and demo commands.")
memberflow.add_command(migrate_instances_command)


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
    from app.demo import DEMO_PASSWORD, demo_loaded, load_demo, load_missing_auction_demo
    from app.demo_aboard import load_aboard_demo
    from app.schema import OutdatedDatabase, drop_everything, upgrade_database

    try:
        click.echo(upgrade_database())
    except OutdatedDatabase as e:
        # only ever the demo database: made before the baseline, it cannot be upgraded, and its data is generated
        click.echo(f"demo {e}: rebuilding it")
        drop_everything()
        click.echo(upgrade_database())
    if demo_loaded():
        added = load_missing_auction_demo()
        aboard = load_aboard_demo(DEMO_PASSWORD)
        db.session.commit()
        click.echo("demo data already present" + ("; the auction association's demo part added" if added else ""))
        if aboard:
            click.echo("the imported members' demo part added (issue 14)")
        return
    load_demo()
    load_aboard_demo(DEMO_PASSWORD)
    db.session.commit()
    click.echo("demo data loaded")


@memberflow.group("clock")
def clock_group() -> None:
    """Development only: move the application's time (stored in the database; web app and scheduler read it)."""
    if not current_app.config.get("MEMBERFLOW_DEV_CLOCK"):
        raise click.ClickException("the clock can be moved only in development (MEMBERFLOW_ENV=development)")


DURATION = re.compile(r"(\d+)([dhms])")
UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_duration(text: str) -> timedelta:
    """'7d', '12h', '1d12h30m', '90s'."""
    if not text or DURATION.sub("", text):
        raise click.BadParameter(f"{text!r}: use days/hours/minutes/seconds, e.g. 7d, 12h, 1d12h, 30m")
    return sum((timedelta(**{UNITS[u]: int(n)}) for n, u in DURATION.findall(text)), timedelta(0))


def _show() -> None:
    from app import clock, system_state

    click.echo(
        f"offset {system_state.clock_offset()}; the application's time is now {clock.now():%Y-%m-%d %H:%M:%S} UTC"
    )


@clock_group.command("advance")
@click.argument("duration")
def clock_advance(duration: str) -> None:
    """Move the clock forward by DURATION (7d, 12h, 1d12h, 30m); the scheduler fires what falls due."""
    from app import system_state

    system_state.set_clock_offset(system_state.clock_offset() + parse_duration(duration))
    _show()


@clock_group.command("reset")
def clock_reset() -> None:
    """Back to the real time."""
    from app import system_state

    system_state.set_clock_offset(timedelta(0))
    _show()


@clock_group.command("show")
def clock_show() -> None:
    _show()


@memberflow.command("due-days")
@click.argument("society")
@click.argument("changes", nargs=-1)
def due_days_command(society: str, changes: tuple[str, ...]) -> None:
    """Show an association's review due days, or set some: `due-days cas local_review=10 national_review=30`."""
    from app.errors import DomainError
    from app.workflow.due import set_due_days

    try:
        parsed = {k: int(v) for k, _, v in (c.partition("=") for c in changes)}
        settings = set_due_days(society, parsed)
    except (ValueError, DomainError) as err:
        raise click.UsageError(getattr(err, "message", "用法：due-days cas local_review=10")) from err
    db.session.commit()
    for key, days in sorted(settings.items()):
        click.echo(f"{key}\t{days}")


@memberflow.command("check")
def check_command() -> None:
    """Check that every instance's state loads and agrees with its tasks and audit trail, and every file is there.

    Prints one line per problem and exits with status 1 when there is any (0 when all agree)."""
    from app.consistency import check_attachments, check_files, check_instances

    problems = 0
    for name, check in (("files", check_files), ("instances", check_instances), ("attachments", check_attachments)):
        found = 0
        for line in check():
            click.echo(line)
            found += 1
        click.echo(f"{name}: {'ok' if not found else f'{found} problem(s)'}")
        problems += found
    if problems:
        raise click.exceptions.Exit(1)


@memberflow.group("decisions")
def decisions_group() -> None:
    """The decision log (issue 18)."""


@decisions_group.command("purge")
@click.option("--days", type=int, default=None, help="keep this many days (default MEMBERFLOW_DECISION_LOG_DAYS)")
def decisions_purge(days: int | None) -> None:
    """Delete decision records older than the retention (MEMBERFLOW_DECISION_LOG_DAYS)."""
    from app.decisions.log import purge_decision_records

    keep = days if days is not None else int(current_app.config["MEMBERFLOW_DECISION_LOG_DAYS"])
    deleted = purge_decision_records(keep)
    db.session.commit()
    click.echo(f"deleted {deleted} decision record(s) older than {keep} days")


def main(argv: list[str] | None = None) -> None:
    """`python -m app.cli COMMAND`: the memberflow group on the default app."""
    from app import create_app

    with create_app().app_context():
        memberflow.main(args=argv if argv is not None else sys.argv[1:], prog_name="python -m app.cli")


if __name__ == "__main__":
    main()
