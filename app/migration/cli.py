"""`flask memberflow migrate-instances <process_id> --from <v> --to <v> [--dry-run] [--id N …]`."""

import click

from app.errors import DomainError
from app.migration.apply import migrate_instances
from app.migration.plan import dry_run as plan_dry_run


@click.command("migrate-instances")
@click.argument("process_id")
@click.option("--from", "from_label", required=True, help="the version the instances run on (its hash)")
@click.option("--to", "to_label", required=True, help="the version to move them to (its hash)")
@click.option("--dry-run", is_flag=True, help="only say which can move and why the others cannot")
@click.option("--id", "instance_ids", type=int, multiple=True, help="only these instances (repeatable)")
def migrate_instances_command(
    process_id: str, from_label: str, to_label: str, dry_run: bool, instance_ids: tuple[int, ...]
) -> None:
    """Move the running instances of one version of a process to another; each that cannot stays, with the reason.

    Exits 1 when some instance cannot move (the dry run too), so a script can tell."""
    ids = list(instance_ids) or None
    try:
        if dry_run:
            verdicts = plan_dry_run(process_id, from_label, to_label, ids)
            for v in verdicts:
                click.echo(
                    f"{v.instance_id}\t{'可迁移' if v.movable else '不可迁移'}\t{v.title}\t{'；'.join(v.reasons)}"
                )
            stuck = sum(not v.movable for v in verdicts)
            click.echo(f"可迁移 {len(verdicts) - stuck} 个，不可迁移 {stuck} 个（试运行，未做任何修改）")
        else:
            report = migrate_instances(process_id, from_label, to_label, None, ids)
            for instance_id, why in sorted(report.skipped.items()):
                click.echo(f"{instance_id}\t不可迁移\t{'；'.join(why)}")
            stuck = len(report.skipped)
            click.echo(f"已迁移 {len(report.moved)} 个，不可迁移 {stuck} 个")
    except DomainError as err:
        raise click.UsageError(err.message) from err
    if stuck:
        raise click.exceptions.Exit(1)
