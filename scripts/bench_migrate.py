"""Migrating running instances (issue 17 item 5): N instances of version A moved to version B, timed, then the inbox
checked against every instance's state.

    python -m scripts.bench_migrate                 # N=1,000 on a temp-file SQLite database
    python -m scripts.bench_migrate --database-url "$MEMBERFLOW_TEST_DATABASE_URL"   # on PostgreSQL

The process is tests/migration/fixtures (v1: A → B → C; v2: A renamed with a due time → B → N, C gone). Of the N
instances 40 % wait at A, 40 % at B (both can move) and 20 % at C (cannot: its step is gone in v2). Timed: the dry
run of all N, and the migration (one transaction per instance under its lock, in batches of 100). Afterwards
`flask memberflow check`'s instance check must find nothing, every instance must have exactly one open task, and
the moved ones' tasks must carry v2's names.
"""

import argparse
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app import clock, create_app
from app.accounts.models import User
from app.config import ROOT, Config
from app.consistency import check_instances
from app.engine.specs import load_catalog
from app.extensions import db
from app.migration.apply import MigrationReport, migrate_instances
from app.migration.jobs import start_migration
from app.migration.models import MigrationJob
from app.migration.plan import dry_run, short
from app.workflow import services
from app.workflow.instances import create_instance
from app.workflow.models import HumanTask, ProcessInstance
from app.workflow.steps import audit

FIXTURES = ROOT / "tests" / "migration" / "fixtures"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--web", action="store_true", help="as the web page does: a background job (its request's time, then the job's)"
    )
    return parser.parse_args(argv)


def make_app(workdir: Path, database_url: str | None):  # type: ignore[no-untyped-def]
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url or f"sqlite:///{workdir / 'migrate.db'}"
        MEMBERFLOW_STORAGE_DIR = str(workdir / "files")
        SECRET_KEY = "bench-only"

    return create_app(BenchConfig)


def _catalog(name: str):  # type: ignore[no-untyped-def]
    cat = load_catalog(FIXTURES / name, ROOT / "rules", ROOT / "forms")
    assert cat.problems == [], cat.problems
    return cat


def set_up(app: Any, n: int) -> None:
    """N running instances of v1: 40 % at A, 40 % at B, 20 % at C."""
    app.extensions["memberflow.catalog"] = _catalog("v1")
    db.drop_all()
    db.create_all()
    now = clock.now()
    users = [User(mobile=f"175{i:08d}", name=f"迁移{i}", password_hash="x", verified_at=now) for i in range(n)]
    db.session.add_all(users)
    db.session.flush()
    for i, user in enumerate(users):
        instance = create_instance("mig", user, {})
        audit(instance, user, "started", step="迁移测试")
        db.session.flush()
        for _ in range(0 if i % 5 < 2 else 1 if i % 5 < 4 else 2):
            task = db.session.scalars(
                select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
            ).one()
            services.submit_task(task.id, user, {"agree_rules": True})
        if i % 100 == 99:
            db.session.commit()
    db.session.commit()


def _via_job(app: Any, v1: str, v2: str) -> tuple[MigrationReport, float]:
    """The web's way (app/migration/jobs.py): the request starts a job and answers; a thread of its own moves the
    instances. Returns what it did and how long the request took; waits (polling the job row) until it is done."""
    analyst = User(mobile="17600000000", name="分析员", password_hash="x", verified_at=clock.now())
    db.session.add(analyst)
    db.session.commit()
    chosen = list(db.session.scalars(select(ProcessInstance.id)))
    with app.test_request_context():
        started = time.perf_counter()
        job_id = start_migration(analyst, "mig", v1, v2, chosen).id
        request_s = time.perf_counter() - started
    while True:
        db.session.remove()
        job = db.session.get(MigrationJob, job_id)
        assert job is not None
        if job.status not in ("queued", "running"):
            break
        time.sleep(0.2)  # the job's thread works meanwhile
    assert job.status == "done", job.error
    moved = db.session.scalars(select(ProcessInstance.id).where(ProcessInstance.spec_key.endswith(v2))).all()
    return MigrationReport(moved=list(moved), skipped={int(k): v for k, v in job.skipped.items()}), request_s


def main(argv: list[str] | None = None, print_: Any = print) -> dict[str, Any]:
    a = parse_args(argv)
    logging.getLogger("spiff").setLevel(logging.WARNING)  # a state change per task would dominate the run
    workdir = Path(tempfile.mkdtemp(prefix="memberflow-bench-migrate-"))
    try:
        app = make_app(workdir, a.database_url)
        with app.app_context():
            print(f"... migrate: setting up {a.n} running instances of v1", file=sys.stderr)
            set_up(app, a.n)
            v1 = app.extensions["memberflow.catalog"].current["mig"]
            app.extensions["memberflow.catalog"] = _catalog("v2")
            v2 = app.extensions["memberflow.catalog"].current["mig"]
            dialect = db.engine.dialect.name
            started = time.perf_counter()
            verdicts = dry_run("mig", short(v1), short(v2))
            dry_s = time.perf_counter() - started
            db.session.rollback()
            started = time.perf_counter()
            if a.web:
                report, request_s = _via_job(app, short(v1), short(v2))
            else:
                report, request_s = migrate_instances("mig", short(v1), short(v2), None), None
            migrate_s = time.perf_counter() - started
            problems = list(check_instances())
            db.session.remove()
            open_per_instance = dict(
                db.session.execute(
                    select(HumanTask.instance_id, func.count())
                    .where(HumanTask.status == "open")
                    .group_by(HumanTask.instance_id)
                ).all()
            )
            running = db.session.scalar(select(func.count()).select_from(ProcessInstance))
            on_v2 = db.session.scalar(select(func.count()).where(ProcessInstance.spec_key == v2))
            renamed = db.session.scalar(
                select(func.count()).where(HumanTask.status == "open", HumanTask.name == "填写（新版）")
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    consistent = (
        not problems
        and len(open_per_instance) == running
        and set(open_per_instance.values()) == {1}
        and on_v2 == len(report.moved)
        and renamed == sum(1 for i in range(a.n) if i % 5 < 2)
    )
    fig = {
        "database": dialect,
        "n": a.n,
        "dry_run_s": round(dry_s, 2),
        "migrate_s": round(migrate_s, 2),
        "web_request_s": None if request_s is None else round(request_s, 3),
        "per_instance_ms": round(migrate_s * 1000 / max(1, len(report.moved) + len(report.skipped)), 1),
        "movable": sum(v.movable for v in verdicts),
        "moved": len(report.moved),
        "skipped": len(report.skipped),
        "check_problems": len(problems),
        "consistent": consistent,
    }
    print_("")
    print_(f"Migration ({dialect}): {a.n} running instances of v1 -> v2, one transaction each")
    print_(f"  dry run of all      {fig['dry_run_s']:>8} s   ({fig['movable']} can move)")
    if fig["web_request_s"] is not None:
        print_(f"  the page's request  {fig['web_request_s']:>8} s   (then the background job:)")
    print_(f"  migrate             {fig['migrate_s']:>8} s   ({fig['per_instance_ms']} ms per instance)")
    print_(f"  moved / stayed      {fig['moved']} / {fig['skipped']}")
    print_(f"  inbox consistent    {'PASS' if consistent else 'FAIL'} ({len(problems)} problems from the check)")
    return fig


if __name__ == "__main__":
    main()
