"""scripts/bench_workflow.py --quick runs end to end and returns its figures (a smoke test, not a measurement)."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "scripts" / "bench_workflow.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_workflow", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_quick_benchmark_returns_the_figures(tmp_path):
    bench = _bench_module()
    lines: list[str] = []
    fig = bench.main(["--quick", "--n", "2", "--profile", "3", "--workdir", str(tmp_path)], print_=lines.append)

    assert set(fig) >= {"machine", "n", "completion", "inbox", "targets"}
    assert set(fig["machine"]) >= {"python", "cpu_count", "spiffworkflow", "database"}
    completion = fig["completion"]
    for side in ("memberflow", "bare"):
        assert set(completion[side]) >= {"notice", "apply", "firm", "local", "national", "all"}
        assert completion[side]["all"]["count"] == 2 * 5
        assert completion[side]["all"]["median_ms"] > 0 and completion[side]["all"]["p95_ms"] > 0
    assert set(completion["ratio"]) == {"median", "p95"}
    small, large = fig["inbox_sizes"]
    for size in (small, large):
        row = fig["inbox"]["sizes"][str(size)]
        assert row["instances"] >= size
        for kind in ("query", "http"):
            assert set(row[kind]) == {"newest", "oldest", "due"}
            assert all(v["p95_ms"] > 0 for v in row[kind].values())
        # issue 15: the process filter plus each kind of search, list_inbox and the whole page, wall and CPU
        for kind in ("filtered", "http_filtered"):
            assert tuple(row[kind]) == bench.SEARCH_KINDS
            assert all(v["p95_ms"] > 0 and v["cpu_p95_ms"] > 0 for v in row[kind].values())
        assert all(row["search_plans"][k] for k in bench.SEARCH_KINDS)
    assert set(fig["targets"]) == {"completion", "inbox"}
    assert all(isinstance(t["pass"], bool) for t in fig["targets"].values())
    assert any("PASS" in line or "FAIL" in line for line in lines)
    phases = fig["profile"].split("cProfile")[0]  # the --profile phase table: where a completion's time goes
    assert "run_on_instance" in phases and "of which the engine run" in phases and "commit" in phases
    for size in (small, large):
        assert fig["inbox"]["sizes"][str(size)]["task_page"]["p95_ms"] > 0
        progress = fig["inbox"]["sizes"][str(size)]["progress_page"]
        assert progress["p95_ms"] > 0 and progress["cpu_median_ms"] > 0 and progress["sql_statements"] > 0
    assert completion["workflow_cache"]["hits"] > 0  # the walk's completions find the worker's live workflow

    # scripts/bench --all prints the README's table from such figures (here with made-up figures of the others)
    from scripts import bench_all

    others = {
        "loop": {"memberflow": {"growth": 1.1}, "bare SpiffWorkflow": {"growth": 40.0}},
        "certificate": {"warm_median_ms": 120.0},
        "payment": {"median_ms": 20.0},
        "timers": {"all": {"p99_ms": 200.0}},
    }
    runs = [
        {"workflow": fig, **others, "load_before": (9.0, 8.0, 7.0), "load_after": (10.0, 9.0, 8.0)},
        {"workflow": fig, **others, "load_before": (4.0, 4.0, 4.0), "load_after": (5.0, 4.0, 4.0)},
    ]
    table = bench_all.table(runs, bench_all.parse_args(["--runs", "2"]))
    ratio = completion["memberflow"]["all"]["median_ms"] / completion["bare"]["all"]["median_ms"]
    [median_row] = [line for line in table if line.startswith("| task completion, median")]
    assert f"{ratio:.1f}×–{ratio:.1f}×" in median_row and "same-work bare" in median_row
    [loop_row] = [line for line in table if line.startswith("| loop")]
    assert "1.1×" in loop_row and "40.0×" in loop_row
    assert any("run 1 9.0/8.0/7.0 → 10.0/9.0/8.0; run 2 4.0/4.0/4.0" in line for line in table)


def test_the_page_benchmark_times_the_pages_and_the_firm_search_with_cpu_and_statements(tmp_path):
    from scripts import bench_pages

    lines: list[str] = []
    fig = bench_pages.main(
        ["--quick", "--iterations", "2", "--workdir", str(tmp_path), "--no-gc-freeze"], print_=lines.append
    )
    for size in (300, 3000):
        for page in ("task", "form", "search", "home", "progress"):
            f = fig["sizes"][size][page]
            assert f["p95_ms"] > 0 and f["cpu_median_ms"] > 0 and f["sql_statements"] > 0
    assert any(line.startswith("| progress | 3,000 |") for line in lines)


def test_the_migration_benchmark_moves_the_movable_and_finds_the_inbox_consistent():
    spec = importlib.util.spec_from_file_location("bench_migrate", BENCH.with_name("bench_migrate.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fig = module.main(["--n", "10"], print_=lambda _line: None)
    assert (fig["moved"], fig["skipped"], fig["movable"]) == (8, 2, 8)
    assert fig["consistent"] and fig["check_problems"] == 0 and fig["migrate_s"] > 0
    web = module.main(["--n", "10", "--web"], print_=lambda _line: None)  # the page's way: a background job
    assert (web["moved"], web["skipped"]) == (8, 2) and web["consistent"] and web["web_request_s"] is not None
