"""PostgreSQL's share of a completion, printed under the bench's phase table (issue 13): the round trip over the
app's own connection, the WAL flushes (fsyncs) per commit, the disk's fsync rate, and the instance state as stored.

A durable commit (synchronous_commit=on) waits for one WAL flush, so the disk's fdatasync time is a floor under every
completion that the same-work bare engine (which writes nothing) does not pay; `scripts/load` prints it too.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.extensions import db


def fsync_rate(directory: Path) -> tuple[float, float] | None:
    """pg_test_fsync's fdatasync rate (one 8 kB write) on the filesystem of `directory`: (ops/s, µs each), if the
    tool exists."""
    tool = shutil.which("pg_test_fsync") or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_test_fsync"), reverse=True)), None
    )
    if tool is None:
        return None
    out = subprocess.run(
        [tool, "-s", "2", "-f", str(directory / "fsync.test")], capture_output=True, text=True, timeout=120
    ).stdout
    match = re.search(r"fdatasync\s+([\d,.]+) ops/sec\s+([\d,.]+) usecs/op", out)
    return (float(match.group(1).replace(",", "")), float(match.group(2).replace(",", ""))) if match else None


@contextlib.contextmanager
def fsync_directory(data_directory: str | None, fallback: Path) -> Iterator[tuple[Path, str]]:
    """Where to time the disk's fsync: a temporary directory beside the server's data directory when that is on this
    machine and writable (the WAL's own disk), else `fallback`; with a description of the place."""
    beside = Path(data_directory).parent if data_directory else None
    if beside is not None and beside.is_dir() and os.access(beside, os.W_OK):
        made = Path(tempfile.mkdtemp(prefix="fsync-", dir=beside))
        try:
            yield made, f"beside the server's data directory {data_directory}"
        finally:
            shutil.rmtree(made, ignore_errors=True)
        return
    if data_directory and Path(data_directory).exists():
        same = os.stat(data_directory).st_dev == os.stat(fallback).st_dev
        yield (
            fallback,
            f"in {fallback}" + (", the data directory's disk" if same else " (not the data directory's disk)"),
        )
    else:
        yield fallback, f"in {fallback} (the server's data directory is not on this machine or not readable)"


def disk_line(rate: tuple[float, float] | None, where: str, connections: int) -> str:
    """The fsync rate, and what it bounds: each durable commit waits for one WAL flush (`connections`: requests
    served at once, workers × threads)."""
    if rate is None:
        return "pg_test_fsync not found"
    ops, us = rate
    line = (
        f"{ops:,.0f} fdatasync/s ({us:,.0f} µs each, pg_test_fsync {where}); a durable commit waits for one, so "
        f"one connection commits at most ~{ops:,.0f}/s"
    )
    if connections > 1:
        line += f" and {connections} connections ~{connections * ops:,.0f}/s unless commits share a flush"
    return line


def server_value(sql: str, engine: Engine | None = None) -> str | None:
    """One value from the server (the app's engine unless given), or None where this role may not read it."""
    try:
        with (engine or db.engine).connect() as conn:
            return str(conn.execute(text(sql)).scalar())
    except Exception:  # e.g. SHOW data_directory needs a superuser or pg_read_all_settings
        return None


def wal_counters(engine: Engine | None = None) -> dict[str, float] | None:
    """WAL flushes, records and bytes so far (pg_stat_wal, PostgreSQL 14+); None when it cannot be read."""
    engine = engine or db.engine
    if engine.dialect.name != "postgresql":
        return None
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT wal_sync, wal_records, wal_bytes FROM pg_stat_wal")).one()
    except Exception:  # an older server, or no rights: the lines are left out
        return None
    return {"sync": float(row[0]), "records": float(row[1]), "bytes": float(row[2])}


@contextlib.contextmanager
def wal_during(engine: Engine | None = None) -> Iterator[dict[str, float]]:
    """The WAL counters' growth while the block runs (empty if they cannot be read)."""
    spent: dict[str, float] = {}
    before = wal_counters(engine)
    yield spent
    after = wal_counters(engine)
    if before and after:
        spent.update({k: after[k] - before[k] for k in before})


def round_trip_us(samples: int = 200) -> float:
    """Median µs of `SELECT 1` over a connection of the app's engine (driver, loopback and server scheduling)."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
        times = []
        for _ in range(samples):
            t0 = time.perf_counter_ns()
            conn.exec_driver_sql("SELECT 1")
            times.append(time.perf_counter_ns() - t0)
        conn.rollback()
    return statistics.median(times) / 1e3


def state_storage() -> str:
    """The instance state as PostgreSQL keeps it: characters, bytes stored (after TOAST compression), method."""
    row = db.session.execute(
        text(
            "SELECT avg(octet_length(state)), avg(pg_column_size(state)), "
            "string_agg(DISTINCT coalesce(pg_column_compression(state)::text, 'not compressed'), ', ') "
            "FROM process_instance"
        )
    ).one()
    db.session.rollback()
    if row[0] is None:
        return "no instances"
    return f"{float(row[0]):,.0f} bytes of text on average, stored as {float(row[1]):,.0f} ({row[2]})"


def report(wal: dict[str, float], commits: int, statements: float, scratch: Path) -> str:
    """The lines printed under the phase table; `commits` = writing commits in the walk the WAL was counted over,
    `statements` = SQL statements per completion there."""
    rtt = round_trip_us()
    lines = [
        "  PostgreSQL's share (the same walk):",
        f"    round trip (SELECT 1 over the app's engine): median {rtt:,.0f} µs; "
        f"× {statements:.1f} statements per completion ≈ {rtt * statements / 1000:.2f} ms",
    ]
    if wal and commits:
        lines.append(
            f"    WAL: {wal['sync'] / commits:.2f} flushes (fsync) per commit, {wal['bytes'] / commits:,.0f} bytes and "
            f"{wal['records'] / commits:.0f} records per commit (starts and the server's background flushes included)"
        )
    with fsync_directory(server_value("SHOW data_directory"), scratch) as (where_dir, where):
        lines.append(f"    disk: {disk_line(fsync_rate(where_dir), where, 1)}")
    lines.append(f"    instance state: {state_storage()}")
    return "\n".join(lines)
