"""Page benchmark: the task page GET /tasks/<id>, the home page GET / and the application progress page
GET /applications/<id> on the realistic fill, with wall time, this process's CPU time and SQL statements per request.

    scripts/bench --pages                 # 2,000 and 20,000 instances, 100 requests per page
    scripts/bench --pages --full          # 20,000 and 200,000 instances (1,000,000 audit rows)
    scripts/bench --pages --profile 25    # also a cProfile of each page at the largest size
    scripts/with_postgres --durable bash -c 'scripts/bench --pages --database-url "$MEMBERFLOW_TEST_DATABASE_URL"'

The fill is scripts/bench_workflow's (5,000 filed firms, 40,000 members, instances over 20,000 applicants, ~5 audit
rows per instance). The task page is the Beijing local reviewer's newest open task (a bulk instance copied from a
real one at the local step: its form, the applicant's submissions with five attachments, the applicant panel,
the timeline); "form" is an applicant's own task page at the application form (the firm field a search box,
five attachments); "search" is what that box asks as one types (a name fragment inside 10 of the 5,000 firms' names,
so every firm's name is read); the progress page is the reviewer's task's instance, seen by its applicant; the home
page is a member who applied.
CPU time is this process's (the app and, on SQLite, the database); on a local PostgreSQL the server's CPU (all its
processes, read from /proc) is added as a mean per request.
Target (issue 13): p95 <= 50 ms, flat in size, both databases. A measurement, not a test: always exits 0.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from app.accounts.models import User
from app.extensions import db
from app.workflow.models import HumanTask, ProcessInstance
from scripts import bench_fill
from scripts.bench_workflow import (
    add_instances,
    count_statements,
    database_facts,
    inbox_world,
    login,
    machine_facts,
    make_app,
    set_up,
    stats,
    walk_applications,
)

TARGET_P95_MS = 50.0
PAGES = ("task", "form", "search", "home", "progress")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="scripts/bench --pages", description=__doc__.split("\n\n")[0])
    p.add_argument("--full", action="store_true", help="20,000 and 200,000 instances (default 2,000 and 20,000)")
    p.add_argument("--sizes", default=None, help="comma-separated instance counts, e.g. 2000,20000")
    p.add_argument("--iterations", type=int, default=100, help="requests per page and size (default 100)")
    p.add_argument("--profile", type=int, default=0, metavar="TOP", help="cProfile each page at the last size")
    p.add_argument("--quick", action="store_true", help="smoke run: small fill, 10 requests")
    p.add_argument("--database-url", default=None, help="an EMPTY database (default: a temp-file SQLite database)")
    p.add_argument("--workdir", type=Path, default=None)
    p.add_argument(
        "--no-gc-freeze",
        dest="gc_freeze",
        action="store_false",
        help="leave the app's objects in the garbage collector's passes (the server freezes them: gunicorn.conf.py)",
    )
    a = p.parse_args(argv)
    if a.sizes:
        a.sizes = tuple(int(s) for s in a.sizes.split(","))
    else:
        a.sizes = (300, 3000) if a.quick else (20000, 200000) if a.full else (2000, 20000)
    if a.quick:
        a.iterations = min(a.iterations, 10)
    return a


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def server_cpu_ms(postmaster: int | None) -> float:
    """CPU time (ms) used so far by a PostgreSQL server's processes: the postmaster and its children (backends,
    WAL writer, ...) from /proc, in clock ticks (10 ms), so only a sum over many requests means anything."""
    if postmaster is None:
        return 0.0
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(postmaster) or fields[1] == str(postmaster):
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def postmaster_of_database() -> int | None:
    if db.engine.dialect.name != "postgresql":
        return None
    backend = db.session.scalar(text("SELECT pg_backend_pid()"))
    try:
        return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None  # a server on another machine: its CPU is not ours to read


def time_page(app: Any, client: Any, url: str, iterations: int, postmaster: int | None = None) -> dict[str, Any]:
    """`iterations` GETs after 5 warm-up ones: wall and CPU time (ms) and the SQL statements of each; on a local
    PostgreSQL also the server's CPU per request (the mean over the iterations)."""
    walls, cpus, statements = [], [], []
    server = 0.0
    for k in range(iterations + 5):
        if k == 5:
            server = server_cpu_ms(postmaster)
        with app.app_context(), count_statements() as n:
            c0, t0 = time.process_time_ns(), time.perf_counter_ns()
            resp = client.get(url)
            dt, dc = time.perf_counter_ns() - t0, time.process_time_ns() - c0
        assert resp.status_code == 200, (url, resp.status_code)
        if k >= 5:
            walls.append(dt)
            cpus.append(dc)
            statements.append(n[0])
    server = (server_cpu_ms(postmaster) - server) / iterations
    cpu = stats(cpus)
    return {
        "server_cpu_mean_ms": server if postmaster else None,
        **stats(walls),
        "cpu_median_ms": cpu["median_ms"],
        "cpu_p95_ms": cpu["p95_ms"],
        "sql_statements": int(statistics.median(statements)),
        "bytes": len(resp.get_data()),
    }


def profile_page(app: Any, client: Any, url: str, top: int, requests: int = 20) -> str:
    prof = cProfile.Profile()
    for _ in range(requests):
        with app.app_context():
            prof.enable()
            client.get(url)
            prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def run(a: argparse.Namespace, workdir: Path, log: Callable[[str], None]) -> dict[str, Any]:
    app = make_app(workdir, a.database_url)
    with app.app_context():
        setup = set_up(4, 50 if a.quick else 5000)
        applicant_ids = list(setup.uploads)
        log("filling applicants and members (bulk) ...")
        people = bench_fill.add_people(300 if a.quick else 20000, 400 if a.quick else 40000, random.Random(2026))
        password = db.session.get(User, setup.world_ids["local_reviewer"]).password_hash  # type: ignore[union-attr]
        home_user = db.session.get(User, people[len(people) // 2][0])
        home_user.password_hash = password  # type: ignore[union-attr]
        home_mobile = home_user.mobile  # type: ignore[union-attr]
        db.session.commit()
        log("walking 4 applications (the rows the fill copies) ...")
        mf_walk, _, _ = walk_applications(setup, applicant_ids, 1)
        iw = inbox_world(setup.world_ids, [i for i, _ in people], mf_walk.stages)
        machine = machine_facts(database_facts(workdir / "bench.db"))
        postmaster = postmaster_of_database()
    reviewer_org = setup.world_ids["local_bj"]
    reviewer = app.test_client()
    login(reviewer, setup.reviewer_mobile)
    home = app.test_client()
    login(home, home_mobile)
    if a.gc_freeze:  # as gunicorn.conf.py's post_worker_init does once a worker has built the app
        gc.collect()
        gc.freeze()
    sizes: dict[int, Any] = {}
    profiles: dict[str, str] = {}
    created = 0
    for size in a.sizes:
        log(f"{size:,} instances ...")
        with app.app_context():
            add_instances(iw, size - created, reviewer_org)
            created = size
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            task_id, instance_id = db.session.execute(
                select(HumanTask.id, HumanTask.instance_id)
                .where(HumanTask.status == "open", HumanTask.role == "local_association")
                .where(HumanTask.organization_id == reviewer_org)
                .order_by(HumanTask.id.desc())
                .limit(1)
            ).one()
            applicant = db.session.get(User, db.session.get(ProcessInstance, instance_id).applicant_id)  # type: ignore[union-attr]
            applicant.password_hash = password  # type: ignore[union-attr]
            applicant_mobile = applicant.mobile  # type: ignore[union-attr]
            form_task = db.session.scalars(
                select(HumanTask)
                .where(HumanTask.status == "open", HumanTask.form_key == iw.stages["apply"].task["form_key"])
                .order_by(HumanTask.id.desc())
                .limit(1)
            ).one()
            form_user = db.session.get(User, form_task.user_id)
            form_user.password_hash = password  # type: ignore[union-attr]
            form_mobile, form_task_id = form_user.mobile, form_task.id  # type: ignore[union-attr]
            db.session.commit()
        owner, filler = app.test_client(), app.test_client()
        login(owner, applicant_mobile)
        login(filler, form_mobile)
        urls = {
            "task": (reviewer, f"/tasks/{task_id}"),
            "form": (filler, f"/tasks/{form_task_id}"),
            "search": (filler, f"/tasks/{form_task_id}/organizations/firm_id?q=%E6%9C%BA%E6%9E%840123"),  # 机构0123
            "home": (home, "/"),
            "progress": (owner, f"/applications/{instance_id}"),
        }
        row: dict[str, Any] = {"load_before": load()}
        for page in PAGES:
            client, url = urls[page]
            row[page] = time_page(app, client, url, a.iterations, postmaster)
        row["load_after"] = load()
        sizes[size] = row
        if a.profile and size == a.sizes[-1]:
            for page in PAGES:
                client, url = urls[page]
                profiles[page] = profile_page(app, client, url, a.profile)
    if a.gc_freeze:
        gc.unfreeze()  # back to a plain process for a caller running this in its own (the smoke test)
    return {
        "machine": machine,
        "sizes": sizes,
        "profiles": profiles,
        "iterations": a.iterations,
        "gc_freeze": a.gc_freeze,
    }


def report(fig: dict[str, Any], print_: Callable[[str], None] = print) -> None:
    m = fig["machine"]
    frozen = "app objects frozen out of the GC as the server does" if fig["gc_freeze"] else "no gc.freeze()"
    print_(f"Pages, {fig['iterations']} requests each after 5 warm-up ({frozen}); {m['database']}")
    print_(f"Machine: {m['cpu_count']} CPUs ({m['cpu']}), {m['python']}, SQLAlchemy {m['sqlalchemy']}")
    print_("")
    print_(
        "| page | instances | SQL statements | wall median | wall p95 | CPU median | CPU p95 | server CPU mean | KB "
        "| load before → after | p95 ≤ 50 ms |"
    )
    print_("|---|---|---|---|---|---|---|---|---|---|---|")
    for size, row in fig["sizes"].items():
        for page in PAGES:
            f = row[page]
            server = "—" if f["server_cpu_mean_ms"] is None else f"{f['server_cpu_mean_ms']:.1f}"
            ok = "PASS" if f["p95_ms"] <= TARGET_P95_MS else "FAIL"
            print_(
                f"| {page} | {size:,} | {f['sql_statements']} | {f['median_ms']:.1f} | {f['p95_ms']:.1f} "
                f"| {f['cpu_median_ms']:.1f} | {f['cpu_p95_ms']:.1f} | {server} | {f['bytes'] / 1024:.0f} "
                f"| {row['load_before']} → {row['load_after']} | {ok} |"
            )
    for page, text_ in fig["profiles"].items():
        print_(f"\ncProfile of {page} page (20 requests, cumulative; cProfile inflates times):\n{text_}")


def main(argv: list[str] | None = None, print_: Callable[[str], None] = print) -> dict[str, Any]:
    a = parse_args(argv)

    def log(msg: str) -> None:
        print(f"... {msg} (load {load()})", file=sys.stderr, flush=True)

    own = a.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="memberflow-pages-")) if own else a.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        fig = run(a, workdir, log)
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    report(fig, print_)
    return fig


if __name__ == "__main__":
    main()
    sys.exit(0)
