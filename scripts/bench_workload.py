"""The reviewers' pages at 20,000 instances (issue 15): the workload dashboard's numbers per viewer, and GET /inbox
with a filter and a search, optionally profiled. Rows are bulk-inserted (no engine walk) on a temp SQLite file, or
on --database-url.

    python -m scripts.bench_workload [--instances 20000] [--iterations 50] [--profile 15]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from app import clock
from app.accounts.models import User
from app.demo import load_demo
from app.extensions import db
from app.organizations.models import Organization
from app.workflow.models import HumanTask, ProcessInstance, SpecVersion
from app.workflow.workload import workload
from scripts.bench_workflow import login, make_app

STEPS = (("firm", "机构审核"), ("local_association", "地方协会审核"), ("national_association", "中评协审核"))


def fill(instances: int, rng: random.Random) -> None:
    """Six more provinces of three firms; each instance passed 0–2 review steps and waits at the next (or is done)."""
    world = load_demo()
    for p in range(6):
        local = Organization(kind="local_association", name=f"基准协会{p}", province=f"省{p}")
        db.session.add(local)
        for f in range(3):
            db.session.add(Organization(kind="firm", name=f"基准评估{p}-{f}", filed=True, local_association=local))
    db.session.add(SpecVersion(key="bench", process_id="join", name="入会", bpmn_xml="", spec_json="", forms_json=""))
    db.session.commit()
    from app.demo_societies import adopt_organizations
    from app.organizations.societies import Society

    adopt_organizations(db.session.scalars(select(Society).where(Society.key == "cas")).one())
    db.session.commit()
    firms = [
        (o.id, o.local_association_id)
        for o in db.session.scalars(
            select(Organization).where(Organization.kind == "firm", Organization.local_association_id.is_not(None))
        )
    ]
    now, applicant = clock.now(), world.applicant
    for start in range(0, instances, 2000):
        rows, tasks = [], []
        for k in range(start, min(start + 2000, instances)):
            firm, local = firms[rng.randrange(len(firms))]
            created = now - timedelta(seconds=rng.uniform(0, 120 * 86400))
            iid = k + 1000
            rows.append(
                dict(
                    id=iid,
                    process_id="join",
                    spec_key="bench",
                    title=f"入会申请（填充{k}）",
                    status="running",
                    applicant_id=applicant.id,
                    serializer_version="1",
                    state="{}",
                    progress={},
                    waiting_messages=[],
                    created_at=created,
                    updated_at=created,
                    row_version=1,
                )
            )
            reached = rng.randrange(4)
            at = created
            for n, (role, step) in enumerate(STEPS[: min(reached + 1, 3)]):
                org = {"firm": firm, "local_association": local, "national_association": world.national.id}[role]
                is_open = n == reached
                took = timedelta(hours=rng.uniform(1, 400))
                tasks.append(
                    dict(
                        instance_id=iid,
                        process_id="join",
                        task_uuid=str(uuid.UUID(int=rng.getrandbits(128))),
                        bpmn_id=f"T{n}",
                        name=step,
                        role=role,
                        organization_id=org,
                        status="open" if is_open else "completed",
                        created_at=at,
                        due_at=at + timedelta(days=15),
                        completed_at=None if is_open else at + took,
                        completed_by_id=None,
                        title=f"入会申请（填充{k}）",
                        applicant_name=f"填充{k:05d}",
                    )
                )
                at = at + took
        db.session.execute(insert(ProcessInstance.__table__), rows)
        db.session.execute(insert(HumanTask.__table__), tasks)
        db.session.commit()


def timed(call: Any, iterations: int) -> dict[str, float]:
    """Wall time and this process's CPU time per call: on a loaded machine the wall time is mostly waiting for a CPU,
    the CPU time is what the request costs."""
    wall, cpu = [], []
    for _ in range(iterations):
        w, c = time.perf_counter_ns(), time.process_time_ns()
        call()
        cpu.append(time.process_time_ns() - c)
        wall.append(time.perf_counter_ns() - w)
    wall.sort()
    cpu.sort()
    p95 = max(int(len(wall) * 0.95) - 1, 0)
    return {
        "median_ms": round(statistics.median(wall) / 1e6, 2),
        "p95_ms": round(wall[p95] / 1e6, 2),
        "cpu_median_ms": round(statistics.median(cpu) / 1e6, 2),
        "cpu_p95_ms": round(cpu[p95] / 1e6, 2),
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--instances", type=int, default=20000)
    p.add_argument("--iterations", type=int, default=50)
    p.add_argument("--profile", type=int, default=0, help="print the top N functions of GET /inbox (filter+search)")
    p.add_argument("--database-url")
    p.add_argument("--workdir", help="keep the SQLite file here; a second run reuses it")
    a = p.parse_args()
    workdir = Path(a.workdir or tempfile.mkdtemp(prefix="bench-workload-"))
    reuse = a.database_url is None and (workdir / "bench.db").exists()
    app = make_app(workdir, a.database_url)
    with app.app_context():
        if not reuse:
            db.create_all()
            fill(a.instances, random.Random(15))
        tasks = db.session.query(HumanTask).count()
        print(f"{a.instances:,} instances, {tasks:,} tasks; load average {os.getloadavg()[0]:.2f}")
        for mobile in ("13600000001", "13700000001", "13900000001"):
            user_id = db.session.scalar(select(User.id).where(User.mobile == mobile))

            def call(uid: int = user_id) -> None:
                workload(db.session.get(User, uid))  # type: ignore[arg-type]
                db.session.remove()

            print(f"workload() for {mobile}: {timed(call, a.iterations)}")
    client = app.test_client()
    for mobile in ("13600000001", "13700000001"):
        client.post("/logout")
        login(client, mobile)
        print(f"GET /workload as {mobile}: {timed(lambda: client.get('/workload'), a.iterations)}")
    client.post("/logout")
    login(client, "13700000001")
    url = "/inbox?process=join&q=填充01"
    assert client.get(url).status_code == 200
    print(f"GET {url} as 13700000001: {timed(lambda: client.get(url), a.iterations)}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    if a.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(a.iterations):
            client.get(url)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(a.profile)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(a.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
