"""scripts/bench_certificate.py runs end to end and returns its figures (a smoke test, not a measurement)."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench_certificate.py"


def test_certificate_benchmark_returns_the_figures():
    spec = importlib.util.spec_from_file_location("bench_certificate", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    fig = bench.run(2)
    assert fig["certificates"] == 3
    assert all(fig[k] > 0 for k in ("cold_ms", "warm_median_ms", "warm_p95_ms", "reprint_ms", "rare_ms"))
