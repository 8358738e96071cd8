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
    fig = bench.main(["--quick", "--n", "2", "--workdir", str(tmp_path)], print_=lines.append)

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
    assert set(fig["targets"]) == {"completion", "inbox"}
    assert all(isinstance(t["pass"], bool) for t in fig["targets"].values())
    assert any("PASS" in line or "FAIL" in line for line in lines)


def test_the_migration_benchmark_moves_the_movable_and_finds_the_inbox_consistent():
    spec = importlib.util.spec_from_file_location("bench_migrate", BENCH.with_name("bench_migrate.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fig = module.main(["--n", "10"], print_=lambda _line: None)
    assert (fig["moved"], fig["skipped"], fig["movable"]) == (8, 2, 8)
    assert fig["consistent"] and fig["check_problems"] == 0 and fig["migrate_s"] > 0
