"""Every benchmark with a target, run --runs times, printed as the README's table (issue 13).

    scripts/bench --all --runs 3                     # temp-file SQLite databases
    scripts/bench --all --runs 3 --full              # the workflow bench at 20,000 and 200,000 instances
    scripts/with_postgres --durable bash -c 'scripts/bench --all --database-url "$MEMBERFLOW_TEST_DATABASE_URL"'

Each run: the workflow bench (task completion beside the same-work bare engine, inbox, home page, task page and
progress page at two sizes of the realistic fill), the history loop, one certificate, the payment callback and the
timers; with --load-requests N also the HTTP load (scripts/load). The sub-benchmarks' own reports go to a log file;
printed is a Markdown table: the figure of each run, the spread (min–max), the reference beside it (the same-work
bare engine, bare SpiffWorkflow's own growth) and the ratio, the target; then the machine and the load average of
each run.
On a database URL the schema is emptied before each sub-benchmark (the certificate, payment and timer benches run
on SQLite files of their own). A shared machine's load moves every figure: read the load average beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from scripts import bench_certificate, bench_loop, bench_payment, bench_timers, bench_workflow


@dataclass
class Row:
    label: str
    target: str
    values: list[float | None] = field(default_factory=list)
    references: list[float | None] = field(default_factory=list)
    reference_label: str = ""
    unit: str = "ms"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="scripts/bench --all", description=__doc__.split("\n\n")[0])
    p.add_argument("--all", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--full", action="store_true", help="workflow bench at 20,000 and 200,000 instances")
    p.add_argument("--n", type=int, default=None, help="joining applications per workflow run (default 200)")
    p.add_argument("--iterations", type=int, default=None, help="calls per page and size (default 200)")
    p.add_argument("--loop-passes", type=int, default=100)
    p.add_argument("--load-requests", type=int, default=0, help="also the HTTP load with N completions (0: not)")
    p.add_argument("--database-url", default=None, help="an EMPTY database for the workflow, loop and load runs")
    p.add_argument("--log", type=Path, default=None, help="where the sub-benchmarks' reports go")
    return p.parse_args(argv)


def _empty(url: str | None) -> None:
    if not url or not url.startswith("postgresql"):
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _load(url: str | None, requests: int) -> dict[str, float]:
    """scripts/load as a subprocess (it starts its own gunicorn); completions/s, p95 and errors from its report."""
    cmd = [sys.executable, "-m", "scripts.load_http", "--requests", str(requests)]
    if url:
        cmd += ["--database-url", url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, check=False).stdout
    figures: dict[str, float] = {}
    for line in out.splitlines():
        if "completions/s" in line and "=" in line:
            figures["rate"] = float(line.split("=")[1].split()[0])
        elif "completion latency ms" in line:
            figures["p95"] = float(line.split("p95")[1].split()[0])
        elif line.strip().startswith("errors:"):
            figures["errors"] = float(line.split(":")[1].split()[0])
        elif line.strip().startswith("disk:"):
            figures["disk"] = 0.0
            print(line)
    return figures


def one_run(a: argparse.Namespace, log: Callable[[str], None]) -> dict[str, Any]:
    wf_args = ["--iterations", str(a.iterations)] if a.iterations else []
    wf_args += (["--n", str(a.n)] if a.n else []) + (["--full"] if a.full else [])
    wf_args += ["--database-url", a.database_url] if a.database_url else []
    result: dict[str, Any] = {"load_before": os.getloadavg()}
    _empty(a.database_url)
    log("workflow bench ...")
    result["workflow"] = bench_workflow.main(wf_args)
    _empty(a.database_url)
    log("history loop ...")
    loop_args = ["--passes", str(a.loop_passes)] + (["--database-url", a.database_url] if a.database_url else [])
    result["loop"] = bench_loop.main(loop_args)
    _empty(a.database_url)
    log("certificate, payment callback, timers ...")
    result["certificate"] = bench_certificate.main([])
    result["payment"] = bench_payment.main([])
    result["timers"] = bench_timers.main([])
    if a.load_requests:
        log(f"HTTP load, {a.load_requests} completions ...")
        result["load"] = _load(a.database_url, a.load_requests)
        _empty(a.database_url)
    result["load_after"] = os.getloadavg()
    return result


def rows_of(runs: list[dict[str, Any]]) -> list[Row]:
    first = runs[0]["workflow"]
    small, large = first["inbox_sizes"]
    limit = first["targets"]["completion"]["limit"]
    rows = [
        Row("task completion, median (service layer + commit)", f"≤ {limit:g}× bare", reference_label="same-work bare"),
        Row("task completion, p95", f"≤ {limit:g}× bare", reference_label="same-work bare"),
    ]
    for size in (small, large):
        rows += [
            Row(f"inbox first page p95, worst sort, {size:,} instances", "≤ 5 ms"),
            Row(f"home page GET / p95, {size:,} instances", "≤ 50 ms"),
            Row(f"task page GET /tasks/<id> p95, {size:,} instances", "≤ 50 ms"),
            Row(f"progress page GET /applications/<id> p95, {size:,} instances", "≤ 50 ms"),
        ]
    rows += [
        Row("loop: pass ~100 / pass 1", "≤ 3×", reference_label="bare SpiffWorkflow, whole tree", unit="×"),
        Row("certificate, warm median", "≤ 100 ms"),
        Row("payment callback, median", "≤ 50 ms"),
        Row("timer lateness p99 (300 + 30 timers)", "≤ 250 ms"),
    ]
    if "load" in runs[0]:
        rows += [
            Row("HTTP completions/s (2 workers, 16 clients)", "≥ 300/s", unit="/s"),
            Row("HTTP completion p95", "≤ 50 ms"),
        ]
    for r in runs:
        w, c = r["workflow"], r["workflow"]["completion"]
        values: list[tuple[float | None, float | None]] = [
            (c["memberflow"]["all"]["median_ms"], c["bare"]["all"]["median_ms"]),
            (c["memberflow"]["all"]["p95_ms"], c["bare"]["all"]["p95_ms"]),
        ]
        for size in (small, large):
            sized = w["inbox"]["sizes"][str(size)]
            values += [
                (max(sized["query"][s]["p95_ms"] for s in bench_workflow.SORTS), None),
                (sized["home"]["p95_ms"], None),
                (sized["task_page"]["p95_ms"], None),
                (sized["progress_page"]["p95_ms"], None),
            ]
        values += [
            (r["loop"]["memberflow"]["growth"], r["loop"]["bare SpiffWorkflow"]["growth"]),
            (r["certificate"]["warm_median_ms"], None),
            (r["payment"].get("median_ms"), None),
            (r["timers"]["all"]["p99_ms"], None),
        ]
        if "load" in r:
            values += [(r["load"].get("rate"), None), (r["load"].get("p95"), None)]
        for row, (value, reference) in zip(rows, values, strict=True):
            row.values.append(value)
            row.references.append(reference)
    return rows


def _cell(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "×":
        return f"{v:.1f}×"
    return f"{v:,.1f}" if v >= 10 else f"{v:.2f}"


def _spread(values: list[float | None], unit: str) -> str:
    known = [v for v in values if v is not None]
    return f"{_cell(min(known), unit)}–{_cell(max(known), unit)}" if known else "—"


def table(runs: list[dict[str, Any]], a: argparse.Namespace) -> list[str]:
    rows = rows_of(runs)
    head = "| figure | " + " | ".join(f"run {i + 1}" for i in range(len(runs)))
    head += " | spread | reference (spread) | ratio (spread) | target |"
    lines = [head, "|" + "---|" * (len(runs) + 5)]
    for row in rows:
        cells = " | ".join(_cell(v, row.unit) for v in row.values)
        refs = [x for x in row.references if x is not None]
        if refs:
            reference = f"{row.reference_label}: {_spread(row.references, row.unit)}"
            ratios = [v / x for v, x in zip(row.values, row.references, strict=True) if v is not None and x]
            ratio = f"{min(ratios):.1f}×–{max(ratios):.1f}×" if ratios and row.unit != "×" else "—"
        else:
            reference = ratio = "—"
        lines.append(
            f"| {row.label} ({row.unit}) | {cells} | {_spread(row.values, row.unit)} | {reference} | {ratio} | "
            f"{row.target} |"
        )
    m = runs[0]["workflow"]["machine"]
    lines += [
        "",
        f"Machine: {m['cpu_count']} CPUs ({m['cpu']}), {m['platform']}, {m['python']}, SpiffWorkflow "
        f"{m['spiffworkflow']}, SQLAlchemy {m['sqlalchemy']}; database: {m['database']}.",
        "Load average (1 / 5 / 15 min) at the start → end of each run: "
        + "; ".join(
            f"run {i + 1} {'/'.join(f'{x:.1f}' for x in r['load_before'])} → "
            f"{'/'.join(f'{x:.1f}' for x in r['load_after'])}"
            for i, r in enumerate(runs)
        )
        + f" ({os.cpu_count()} CPUs: a load above that means the figures wait for CPU).",
        f"Settings: {' '.join(sys.argv[1:]) or '(defaults)'}; workflow cache "
        f"{'on' if runs[0]['workflow']['completion']['workflow_cache']['entries'] else 'off'}; "
        f"{runs[0]['workflow']['n']} applications × 5 completions per run; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    a = parse_args(argv)
    log_path = a.log or Path(tempfile.mkdtemp(prefix="memberflow-bench-all-")) / "bench-all.log"

    def log(msg: str) -> None:
        print(f"... {msg}", file=sys.stderr, flush=True)

    runs = []
    with log_path.open("w") as out:
        for i in range(a.runs):
            log(f"run {i + 1} of {a.runs} (load average {os.getloadavg()[0]:.1f}); reports in {log_path}")
            with contextlib.redirect_stdout(out):
                print(f"\n======== run {i + 1} ========", flush=True)
                runs.append(one_run(a, log))
            out.flush()
            if i + 1 < a.runs:  # a run cut short still leaves the table of the runs done
                print(f"(after run {i + 1} of {a.runs})\n" + "\n".join(table(runs, a)) + "\n", flush=True)
    print("\n".join(table(runs, a)))
    print(f"\n(the sub-benchmarks' full reports, per run: {log_path})")


if __name__ == "__main__":
    main()
