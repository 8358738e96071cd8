"""HTTP load client: task completions per second against the production server command on loopback.

    scripts/load                           # 2,000 completions, 16 clients, scripts/serve with 2 workers, SQLite file
    scripts/load --requests 500 --clients 8
    scripts/with_postgres --durable bash -c 'scripts/load --database-url "$MEMBERFLOW_TEST_DATABASE_URL"'

1. Fills an EMPTY database (a temp-file SQLite database unless --database-url): the demo world, and one applicant
   per application to walk, each with the five uploads of the joining form and a personal access token
   (app/accounts/tokens.py); the firm, local and national reviewers each get a token for their reviewer identity.
2. Starts `scripts/serve` (gunicorn, gunicorn.conf.py) on 127.0.0.1 and a free port with --workers workers of
   --threads threads each (default: gunicorn.conf.py's, i.e. MEMBERFLOW_THREADS or its default).
3. --clients threads each walk joining applications through /api/v1 with Bearer tokens: start (not counted),
   then five completions (notice, apply, firm, local, national: POST /api/v1/tasks/<id>/complete). The next
   reviewer's task id is read from the database by the client (one indexed read outside the timed request), so
   the server sees only what a reviewer's completion costs. A warm-up (each worker parses its specs) runs first.
4. Prints completions/s over the measured phase, latency p50/p95/p99 per completion, errors (any non-2xx), and
   on PostgreSQL its durability settings and the disk's fsync rate (pg_test_fsync), since a durable commit waits
   for one fsync. A measurement, not a test: always exits 0 unless set-up fails.
Bounded: loopback only, a fixed number of requests, one connection per request (no keep-alive).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import runpy
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app.accounts.identity_choice import identities
from app.accounts.models import User
from app.accounts.tokens import create_token
from app.config import ROOT
from app.extensions import db
from app.workflow.live import summed_cache_reports
from scripts.bench_postgres import disk_line, fsync_directory, fsync_rate, server_value, wal_during
from scripts.bench_workflow import PROCESS_ID, make_app, set_up, step_data

STEPS = ("notice", "apply", "firm", "local", "national")
HOST = "127.0.0.1"
# scripts/serve migrates the database and each worker parses the specs first: minutes on a loaded machine
STARTUP_SECONDS = 240


@dataclass
class Plan:
    """What the clients need: tokens and form data per application, reviewer tokens per step."""

    applications: list[tuple[str, dict[str, dict[str, Any]]]]  # (applicant token, step data)
    reviewer_tokens: dict[str, str]


@dataclass
class Tally:
    latencies_ns: list[int] = field(default_factory=list)
    starts_ns: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="scripts/load", description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=2000, help="completions to measure (default 2000)")
    p.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    p.add_argument(
        "--threads", type=int, default=None, help="threads per worker (default: gunicorn.conf.py's, MEMBERFLOW_THREADS)"
    )
    p.add_argument("--warmup", type=int, default=6, help="applications walked before measuring (default 6)")
    p.add_argument("--database-url", default=None, help="an EMPTY database (default: temp-file SQLite)")
    p.add_argument("--workdir", type=Path, default=None, help="directory for files and the SQLite database")
    return p.parse_args(argv)


def prepare(url: str | None, workdir: Path, applications: int) -> tuple[str, Plan]:
    """Fill the database; return its URL and the clients' plan."""
    app = make_app(workdir, url)
    with app.app_context():
        setup = set_up(applications)
        database_url = db.engine.url.render_as_string(hide_password=False)
        tokens = []
        for applicant_id, uploads in setup.uploads.items():
            user = db.session.get(User, applicant_id)
            assert user is not None
            tokens.append((create_token(user, "load", "personal", 0)[1], step_data(setup.world_ids, uploads)))
        reviewer_tokens = {}
        for step, user_id in setup.reviewers.items():
            user = db.session.get(User, user_id)
            assert user is not None
            identity = next(i for i in identities(user) if i.role != "personal" and i.key != "personal")
            reviewer_tokens[step] = create_token(user, "load", identity.key, 0)[1]
        db.session.commit()
        db.engine.dispose()
    return database_url, Plan(tokens, reviewer_tokens)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def configured_threads() -> int:
    """Threads per worker as gunicorn.conf.py sets them (MEMBERFLOW_THREADS, else its default)."""
    return int(runpy.run_path(str(ROOT / "gunicorn.conf.py"))["threads"])


def worker_model(workers: int, threads: int) -> str:
    return f"{workers} sync workers" if threads <= 1 else f"{workers} gthread workers × {threads} threads"


def start_server(database_url: str, workdir: Path, workers: int, threads: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEMBERFLOW_STORAGE_DIR": str(workdir / "files"),
        "MEMBERFLOW_HOST": HOST,
        "MEMBERFLOW_PORT": str(port),
        "MEMBERFLOW_WORKERS": str(workers),
        "MEMBERFLOW_THREADS": str(threads),
        "SECRET_KEY": secrets.token_urlsafe(48),
        # development backends (SMS, identity) are allowed, the development clock (a stored offset) is not read
        "MEMBERFLOW_ENV": "development",
        "MEMBERFLOW_DEV_CLOCK": "0",
    }
    log = (workdir / "server.log").open("wb")
    # its own control socket: gunicorn's default path is shared by every server of the machine's user
    command = [str(ROOT / "scripts" / "serve"), "--control-socket", str(workdir / "gunicorn.ctl")]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"scripts/serve exited with {server.returncode}; see {workdir / 'server.log'}")
        try:
            call(port, "GET", "/healthz", None, None)  # any answer will do (a 503 there: no scheduler runs)
            return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"scripts/serve did not answer within {STARTUP_SECONDS} s")


def call(port: int, method: str, path: str, token: str | None, body: Any) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=payload, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        try:
            return resp.status, json.loads(raw) if raw else None
        except ValueError:
            return resp.status, raw[:200].decode(errors="replace")
    finally:
        conn.close()


class Client(threading.Thread):
    """Walks applications taken from a shared queue until it is empty or enough completions were made."""

    def __init__(self, port: int, plan: Plan, queue: list[int], qlock: threading.Lock, tally: Tally, url: str):
        super().__init__(daemon=True)
        self.port, self.plan, self.queue, self.qlock, self.tally = port, plan, queue, qlock, tally
        self.db = create_engine(url, pool_size=1)

    def _next(self) -> int | None:
        with self.qlock:
            return self.queue.pop(0) if self.queue else None

    def _open_task(self, instance_id: int) -> int | None:
        with self.db.connect() as conn:
            return conn.execute(
                text("SELECT id FROM human_task WHERE instance_id = :i AND status = 'open'"), {"i": instance_id}
            ).scalar()

    def _fail(self, what: str, status: int, body: Any) -> None:
        with self.tally.lock:
            self.tally.errors.append(f"{what}: HTTP {status} {str(body)[:160]}")

    def run(self) -> None:
        while (k := self._next()) is not None:
            try:
                self.walk(*self.plan.applications[k])
            except Exception as err:  # counted, never a dead client
                self._fail("client", 0, repr(err))
        self.db.dispose()

    def walk(self, token: str, data: dict[str, dict[str, Any]]) -> None:
        t0 = time.perf_counter_ns()
        status, doc = call(self.port, "POST", f"/api/v1/processes/{PROCESS_ID}/instances", token, {})
        with self.tally.lock:
            self.tally.starts_ns.append(time.perf_counter_ns() - t0)
        if status != 201:
            return self._fail("start", status, doc)
        instance_id = doc["instance"]["id"]
        for step in STEPS:
            actor = token if step in ("notice", "apply") else self.plan.reviewer_tokens[step]
            task_id = self._open_task(instance_id)
            if task_id is None:
                return self._fail(step, 0, "no open task")
            t0 = time.perf_counter_ns()
            try:
                status, doc = call(self.port, "POST", f"/api/v1/tasks/{task_id}/complete", actor, data[step])
            except OSError as err:
                status, doc = 0, err
            dt = time.perf_counter_ns() - t0
            if status != 200:
                return self._fail(step, status, doc)
            with self.tally.lock:
                self.tally.latencies_ns.append(dt)


def drive(port: int, plan: Plan, indices: list[int], clients: int, url: str) -> tuple[Tally, float]:
    tally, qlock, queue = Tally(), threading.Lock(), list(indices)
    threads = [Client(port, plan, queue, qlock, tally, url) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally, time.perf_counter() - t0


def workers_cpu_seconds(master: int) -> dict[int, float]:
    """User + system CPU seconds of each gunicorn worker now (Linux /proc), by pid."""
    try:
        pids = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return {}
    out = {}
    for pid in pids:
        try:
            fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(pid)] = (int(fields_[11]) + int(fields_[12])) / os.sysconf("SC_CLK_TCK")
    return out


def percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[max(math.ceil(q * len(sorted_ms)) - 1, 0)] if sorted_ms else float("nan")


def database_settings(url: str, concurrent: int) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name != "postgresql":
            return f"SQLite {conn.execute(text('select sqlite_version()')).scalar()} file (WAL)"
        names = ("server_version", "fsync", "synchronous_commit", "wal_sync_method", "commit_delay", "commit_siblings")
        show = {k: conn.execute(text(f"SHOW {k}")).scalar() for k in names}
    engine.dispose()
    line = (
        f"PostgreSQL {show['server_version']} (fsync={show['fsync']}, synchronous_commit={show['synchronous_commit']}"
        f", wal_sync_method={show['wal_sync_method']}, commit_delay={show['commit_delay']} µs, "
        f"commit_siblings={show['commit_siblings']})"
    )
    return line + commit_delay_note(int(show["commit_delay"]), int(show["commit_siblings"]), concurrent)


def commit_delay_note(delay: int, siblings: int, concurrent: int) -> str:
    """PostgreSQL waits commit_delay only while at least commit_siblings OTHER transactions are writing: with C
    requests served at once (workers × threads) there are at most C - 1, so a larger commit_siblings makes the
    delay (group commit) never happen."""
    if delay and siblings > concurrent - 1:
        return (
            f"; with {concurrent} requests served at once at most {concurrent - 1} other transactions write: "
            "commit_delay never waits"
        )
    return ""


def main(argv: list[str] | None = None) -> None:
    a = parse_args(argv)
    own_dir = a.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="memberflow-load-")) if own_dir else a.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    measured_apps = math.ceil(a.requests / len(STEPS))
    print(f"... filling the database: {a.warmup + measured_apps} applicants with tokens", file=sys.stderr)
    url, plan = prepare(a.database_url, workdir, a.warmup + measured_apps)
    threads = a.threads if a.threads is not None else configured_threads()
    server, port = start_server(url, workdir, a.workers, threads)
    try:
        print(f"... warm-up: {a.warmup} applications", file=sys.stderr)
        warm, _ = drive(port, plan, list(range(a.warmup)), min(a.clients, a.warmup), url)
        print(f"... measuring: {a.requests} completions, {a.clients} clients", file=sys.stderr)
        stats_engine = create_engine(url, poolclass=NullPool)
        cpu_before, load_before = workers_cpu_seconds(server.pid), os.getloadavg()[0]
        client_before = time.process_time()
        with wal_during(stats_engine) as wal:  # PostgreSQL's WAL flushes over the measured phase
            tally, seconds = drive(port, plan, list(range(a.warmup, a.warmup + measured_apps)), a.clients, url)
        client_cpu = time.process_time() - client_before
        cpu_after, load_after = workers_cpu_seconds(server.pid), os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=60)
    ms = sorted(v / 1e6 for v in tally.latencies_ns)
    starts = sorted(v / 1e6 for v in tally.starts_ns)
    print(f"HTTP task completions: scripts/serve (gunicorn, {worker_model(a.workers, threads)}) on {HOST}:{port}")
    print(f"  database: {database_settings(url, a.workers * threads)}")
    if url.startswith("postgresql"):
        with fsync_directory(server_value("SHOW data_directory", stats_engine), workdir) as (fsync_dir, where):
            print(f"  disk: {disk_line(fsync_rate(fsync_dir), where, a.workers * threads)}")
        if wal:
            writes = len(tally.latencies_ns) + len(tally.starts_ns)
            per = f"{writes / wal['sync']:.2f} requests per flush" if wal["sync"] else "no flush counted"
            print(
                f"  WAL over the measured phase: {wal['sync']:,.0f} flushes for {writes:,} writing requests ({per}; "
                f"above 1 = group commit; the scheduler's own commits included), "
                f"{wal['bytes'] / max(writes, 1):,.0f} bytes per request"
            )
    print(f"  load: {a.clients} clients, Bearer tokens, {measured_apps} joining applications (start + 5 completions)")
    print(
        f"  completions: {len(ms)} in {seconds:.2f} s = {len(ms) / seconds:.1f} completions/s "
        f"(+ {len(starts)} starts in the same time; {(len(ms) + len(starts)) / seconds:.1f} requests/s)"
    )
    if ms:
        print(
            f"  completion latency ms: p50 {percentile(ms, 0.5):.1f}  p95 {percentile(ms, 0.95):.1f}  "
            f"p99 {percentile(ms, 0.99):.1f}  max {ms[-1]:.1f}  (mean {statistics.fmean(ms):.1f})"
        )
        print(f"  start latency ms: p50 {percentile(starts, 0.5):.1f}  p95 {percentile(starts, 0.95):.1f}")
    if cpu_before and cpu_before.keys() == cpu_after.keys() and ms:
        cpu = sum(cpu_after.values()) - sum(cpu_before.values())
        print(
            f"  server CPU: {cpu:.2f} s over {len(cpu_after)} workers = {1000 * cpu / (len(ms) + len(starts)):.1f} ms "
            "per request (starts included; less sensitive to other load on the machine than the rates)"
        )
    else:
        print("  server CPU: not measured (a worker was recycled during the run, or no /proc)")
    requests = len(ms) + len(starts)
    print(
        f"  load client CPU: {client_cpu:.2f} s = {1000 * client_cpu / max(requests, 1):.1f} ms per request (this "
        "process: its threads' HTTP, JSON and next-task reads, on the same CPUs as the server)"
    )
    hits, misses, stale = summed_cache_reports((workdir / "server.log").read_text(errors="replace"))
    if hits + misses:
        print(
            f"  live workflow cache (every worker, warm-up included): {hits:,} hits, {misses:,} misses "
            f"({100 * hits / (hits + misses):.0f}% hit; {stale:,} entries stale: another worker ran the instance since)"
        )
    print(f"  machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before / {load_after:.1f} after")
    errors = warm.errors + tally.errors
    print(f"  errors: {len(tally.errors)} (warm-up {len(warm.errors)})")
    for line in errors[:5]:
        print(f"    {line}")
    if own_dir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
