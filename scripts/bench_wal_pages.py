"""What a completion's commit writes on SQLite: WAL pages per step, by table or index (issue 13).

    python -m scripts.bench_wal_pages [--applications 10] [--firms 200] [--instances 20000]

On a temp-file SQLite database (WAL, synchronous=NORMAL, as the app runs it) with the bench's world
(scripts/bench_workflow.py), joining applications are walked through the services; around each step's commit the
WAL file's growth is read, its frames' page numbers mapped to the b-tree that owns each page (SQLite's dbstat table,
read after the walk). With --instances, that many running instances (with their tasks and audit rows, as the
bench's inbox fills them) are there first: bigger indexes spread a commit's entries over more pages. Automatic
checkpoints are off for the walk, so the WAL only grows. A commit's cost on SQLite
follows these pages: every index of a table a completion writes is at least one page. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import collections
import copy
import os
import random
import shutil
import sqlite3
import struct
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import event

from app.accounts.models import User
from app.extensions import db
from app.workflow import services
from scripts import bench_fill
from scripts.bench_workflow import (
    PROCESS_ID,
    STEPS,
    Walk,
    _open_task,
    add_instances,
    inbox_world,
    make_app,
    memberflow_walk,
    set_up,
    step_data,
)

FRAME_HEADER = 24  # a WAL frame: 24-byte header (page number first), then the page


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m scripts.bench_wal_pages", description=__doc__.split("\n\n")[0])
    p.add_argument("--applications", type=int, default=10, help="joining applications to walk (default 10)")
    p.add_argument("--firms", type=int, default=200, help="filed firms added to the demo world (default 200)")
    p.add_argument("--instances", type=int, default=0, help="running instances filled in first (default 0)")
    return p.parse_args(argv)


def frames(wal: Path, start: int, end: int, page_size: int) -> list[int]:
    """Page numbers of the WAL frames written between two sizes of the file."""
    with wal.open("rb") as f:
        f.seek(start)
        blob = f.read(end - start)
    step = FRAME_HEADER + page_size
    return [struct.unpack(">I", blob[i : i + 4])[0] for i in range(0, len(blob) - step + 1, step)]


def walk(applications: int, firms: int, instances: int, workdir: Path) -> tuple[dict[str, list[list[int]]], Path]:
    app = make_app(workdir)
    database = workdir / "bench.db"
    wal = Path(f"{database}-wal")
    written: dict[str, list[list[int]]] = {step: [] for step in STEPS}
    with app.app_context():
        setup = set_up(applications + 1, firms)
        people = bench_fill.add_people(max(2000, instances // 10), 2000, random.Random(2026))
        first, *measured = setup.uploads
        stages = Walk()  # one application walked first: the rows each step leaves, copied into the fill
        memberflow_walk(first, setup.reviewers, step_data(setup.world_ids, setup.uploads[first]), stages)
        if instances:
            fill = inbox_world(setup.world_ids, [i for i, _ in people], stages.stages)
            add_instances(fill, instances, setup.world_ids["local_bj"])
        db.session.remove()
        db.engine.dispose()

        @event.listens_for(db.engine, "connect")
        def _no_checkpoints(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")

        page_size = db.session.connection().exec_driver_sql("PRAGMA page_size").scalar_one()
        for applicant_id in measured:
            data = step_data(setup.world_ids, setup.uploads[applicant_id])
            actors = {"notice": applicant_id, "apply": applicant_id, **setup.reviewers}
            db.session.remove()
            instance = services.start_process(PROCESS_ID, db.session.get(User, applicant_id))
            db.session.commit()
            instance_id = instance.id
            for step in STEPS:
                task_id = _open_task(instance_id).id
                db.session.remove()
                services.submit_task(task_id, db.session.get(User, actors[step]), copy.deepcopy(data[step]))
                before = os.path.getsize(wal)
                db.session.commit()
                written[step].append(frames(wal, before, os.path.getsize(wal), page_size))
        db.session.remove()
        db.engine.dispose()
    return written, database


def owners(database: Path) -> dict[int, str]:
    with sqlite3.connect(database) as conn:
        return dict(conn.execute("SELECT pageno, name FROM dbstat"))


def report(written: dict[str, list[list[int]]], owner: dict[int, str]) -> None:
    print("WAL pages written by a completion's commit, SQLite, mean per completion (by table or index)")
    for step, commits in written.items():
        by_tree: collections.Counter[str] = collections.Counter()
        for pages in commits:
            by_tree.update(owner.get(p, "(freed since)") for p in pages)
        n = len(commits)
        total = sum(by_tree.values()) / n
        parts = ", ".join(f"{name} {count / n:.1f}" for name, count in by_tree.most_common())
        print(f"  {step:<9} {total:5.1f} pages: {parts}")


def main(argv: list[str] | None = None) -> None:
    a = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="memberflow-walpages-"))
    try:
        written, database = walk(a.applications, a.firms, a.instances, workdir)
        report(written, owners(database))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
