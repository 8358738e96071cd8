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


def test_documents_benchmark_renders_each_document_afresh():
    """scripts/bench_documents.py: every document, and the cached ones really rendered (not served from the cache)."""
    from scripts import bench_documents

    fig = bench_documents.run(2)
    load = fig.pop("load")
    assert len(load) == 2
    assert set(fig) == {"filing_form", "legal_shareholder", "resume", "transfer_form"} | {
        "power_of_attorney",
        "practice_record",
    }
    assert all(row["cpu_median_ms"] > 0.5 and row["bytes"] > 5000 for row in fig.values()), fig
