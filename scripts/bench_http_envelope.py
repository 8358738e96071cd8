"""What an API request pays around its view: CPU and SQL statements of an authenticated GET and of a completion.

    python -m scripts.bench_http_envelope [--rounds 200] [--profile get|complete] [--top 40]

Through the WSGI app in process (Flask's test client, no network, no gunicorn), temp-file SQLite with the demo
world and the load client's applicants and tokens (scripts/load_http.py). Per request, this process's CPU time
(`time.process_time_ns`) and statements, medians over --rounds:
- `GET /api/v1/_envelope` with a Bearer token: a view that returns `{}` (registered here only), so everything
  measured is the envelope: WSGI, the hooks, token and user, the rights check, the JSON answer, the commit;
- `GET /api/v1/instances/<id>`: the smallest real read;
- `GET /api/v1/inbox` and `GET /api/v1/tasks/<id>` by the firm reviewer: their inbox's first page and an open task
  (the form, its options, the applicant's submissions);
- `POST /api/v1/tasks/<id>/complete`, the five steps of joining, by the applicant's and reviewers' tokens.
A measurement, not a test. The load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from flask import jsonify
from sqlalchemy import select

from app.accounts.identity_choice import identities
from app.accounts.models import User
from app.accounts.tokens import create_token
from app.extensions import db
from app.workflow.models import HumanTask
from scripts.bench_workflow import PROCESS_ID, count_statements, make_app, set_up, step_data

STEPS = ("notice", "apply", "firm", "local", "national")


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m scripts.bench_http_envelope", description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=200, help="GETs per kind and applications walked (default 200)")
    p.add_argument("--profile", choices=("get", "complete"), default=None, help="cProfile one kind instead")
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--profile-out", type=Path, default=None, help="also write the profile's stats to this file")
    a = p.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="memberflow-envelope-"))
    try:
        run(a, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(a: argparse.Namespace, workdir: Path) -> None:
    app = make_app(workdir)
    app.add_url_rule("/api/v1/_envelope", "api._envelope", lambda: jsonify({}))  # the api blueprint's hooks apply
    applications = a.rounds + 3  # the last one waits at the firm's review
    with app.app_context():
        setup = set_up(applications)
        tokens, datas = [], []
        for applicant_id, uploads in setup.uploads.items():
            user = db.session.get(User, applicant_id)
            assert user is not None
            tokens.append(create_token(user, "bench", "personal", 0)[1])
            datas.append(step_data(setup.world_ids, uploads))
        reviewer_tokens = {}
        for step, user_id in setup.reviewers.items():
            user = db.session.get(User, user_id)
            assert user is not None
            identity = next(i for i in identities(user) if i.key != "personal")
            reviewer_tokens[step] = create_token(user, "bench", identity.key, 0)[1]
        db.session.commit()
    client = app.test_client()

    def request(method: str, url: str, token: str, body: Any = None) -> tuple[int, int, int]:
        """CPU ns, statements, status of one request, in a fresh session as a worker would have it."""
        with app.app_context():
            with count_statements() as box:
                t0 = time.process_time_ns()
                response = client.open(url, method=method, headers=_bearer(token), json=body)
                cpu = time.process_time_ns() - t0
            status = response.status_code
            payload = response.get_json(silent=True)
        if status >= 400:
            raise SystemExit(f"{method} {url}: {status} {payload}")
        request.last = payload  # type: ignore[attr-defined]
        return cpu, box[0], status

    def open_task(instance_id: int) -> int:
        with app.app_context():
            task_id = db.session.scalar(
                select(HumanTask.id).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
            )
            db.session.remove()
        assert task_id is not None
        return int(task_id)

    def walk(k: int, cpu: dict[str, list[int]], sql: dict[str, list[int]]) -> int:
        request("POST", f"/api/v1/processes/{PROCESS_ID}/instances", tokens[k], {})
        instance_id = request.last["instance"]["id"]  # type: ignore[attr-defined]
        for step in STEPS:
            actor = tokens[k] if step in ("notice", "apply") else reviewer_tokens[step]
            c, s, _ = request("POST", f"/api/v1/tasks/{open_task(instance_id)}/complete", actor, datas[k][step])
            cpu.setdefault(step, []).append(c)
            sql.setdefault(step, []).append(s)
        return int(instance_id)

    cpu: dict[str, list[int]] = {}
    sql: dict[str, list[int]] = {}
    instance_id = walk(0, {}, {})  # warm: specs parsed, caches filled
    walk(1, {}, {})
    token = tokens[0]
    # an application left at the firm's review: its task stays open for the reviewer's GETs
    last = a.rounds + 2
    request("POST", f"/api/v1/processes/{PROCESS_ID}/instances", tokens[last], {})
    waiting = request.last["instance"]["id"]  # type: ignore[attr-defined]
    for step in ("notice", "apply"):
        request("POST", f"/api/v1/tasks/{open_task(waiting)}/complete", tokens[last], datas[last][step])
    gets = {
        "envelope": ("/api/v1/_envelope", token),
        "instance": (f"/api/v1/instances/{instance_id}", token),
        "inbox": ("/api/v1/inbox", reviewer_tokens["firm"]),
        "task": (f"/api/v1/tasks/{open_task(waiting)}", reviewer_tokens["firm"]),
    }
    for url, who in gets.values():
        request("GET", url, who)
    if a.profile:
        prof = cProfile.Profile()
        prof.enable()
        if a.profile == "get":
            for _ in range(a.rounds):
                request("GET", *gets["envelope"])
        else:
            for k in range(2, 2 + a.rounds):
                walk(k, {}, {})
        prof.disable()
        if a.profile_out:
            prof.dump_stats(a.profile_out)
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(a.top)
        print(out.getvalue())
        print(f"load average {os.getloadavg()[0]:.1f}")
        return
    gc_ns = [0, 0, 0]  # collections' CPU, count, start of the current one

    def on_gc(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            gc_ns[2] = time.process_time_ns()
        else:
            gc_ns[0] += time.process_time_ns() - gc_ns[2]
            gc_ns[1] += 1

    gc.callbacks.append(on_gc)
    load_before = os.getloadavg()[0]
    for k in range(2, 2 + a.rounds):
        for name, (url, who) in gets.items():
            c, s, _ = request("GET", url, who)
            cpu.setdefault(name, []).append(c)
            sql.setdefault(name, []).append(s)
        walk(k, cpu, sql)
    print(f"API request CPU (this process, ms) and SQL statements, median of {a.rounds}, test client, SQLite file")
    for name in (*gets, *STEPS):
        print(
            f"  {name:>9}: CPU {statistics.median(cpu[name]) / 1e6:6.2f} ms  p90 "
            f"{statistics.quantiles(cpu[name], n=10)[8] / 1e6:6.2f} ms  statements {statistics.median(sql[name]):.0f}"
        )
    gc.callbacks.remove(on_gc)
    done = [c for s in STEPS for c in cpu[s]]
    print(f"  completion mean CPU {statistics.fmean(done) / 1e6:.2f} ms")
    measured = sum(sum(v) for v in cpu.values())
    print(f"  garbage collector: {gc_ns[1]} collections, {100 * gc_ns[0] / measured:.1f}% of the requests' CPU")
    print(f"  load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
