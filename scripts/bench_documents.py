"""Generation time of the PDFs besides the certificate: the firm templates, the power of attorney, the practice record.

    python -m scripts.bench_documents --n 20

Per document, in this order: the first render in the process (the first document of all parses the Noto Sans CJK
face; with the shared path every later document reuses it), then the median and p95 of --n further renders with the
document caches bypassed (each a full layout + font embedding), as CPU time of this process and wall time, with the
load average before and after. The certificate has its own benchmark (scripts/bench_certificate.py). Temp-file
SQLite, demo world.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from scripts.bench_world import demo_world


def _uncached(function: Callable[..., bytes]) -> Callable[..., bytes]:
    return getattr(function, "__wrapped__", function)  # functools.cache keeps the original here


def _documents(world: Any) -> dict[str, Callable[[], bytes]]:
    from app.auctioneers.records import practice_record_pdf
    from app.organizations import templates_pdf

    try:
        from app.organizations.templates_pdf import power_of_attorney_pdf
    except ImportError:  # before the firm documents moved to one module
        from app.accounts.firm_admin import power_of_attorney_pdf  # type: ignore[attr-defined,no-redef]
    template = _uncached(templates_pdf.template_pdf)
    documents: dict[str, Callable[[], bytes]] = {
        name: (lambda name=name: template(name)) for name in templates_pdf.TEMPLATES
    }
    documents["power_of_attorney"] = _uncached(power_of_attorney_pdf)
    if hasattr(templates_pdf, "_power_of_attorney"):  # made once per association name: bypass that too
        from app.organizations.societies import society_of_process

        society = society_of_process("firm_admin")
        assert society is not None
        poa = _uncached(templates_pdf._power_of_attorney)
        documents["power_of_attorney"] = lambda: poa(society.name)
    documents["practice_record"] = lambda: practice_record_pdf(world.auction_users["practicing"])
    return documents


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def run(n: int) -> dict[str, Any]:
    with demo_world("memberflow-docs-") as world:
        load_before = os.getloadavg()[0]
        result: dict[str, Any] = {}
        for name, render in _documents(world).items():
            cpu, wall = [], []
            size = 0
            for _ in range(n + 1):
                started_cpu, started = time.process_time(), time.perf_counter()
                size = len(render())
                cpu.append(time.process_time() - started_cpu)
                wall.append(time.perf_counter() - started)
            warm_cpu, warm_wall = sorted(cpu[1:]), sorted(wall[1:])
            result[name] = {
                "first_cpu_ms": _ms(cpu[0]),
                "cpu_median_ms": _ms(statistics.median(warm_cpu)),
                "cpu_p95_ms": _ms(warm_cpu[int(0.95 * (len(warm_cpu) - 1))]),
                "wall_median_ms": _ms(statistics.median(warm_wall)),
                "bytes": size,
            }
        result["load"] = (round(load_before, 1), round(os.getloadavg()[0], 1))
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="scripts/bench_documents", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="renders per document after the first")
    args = parser.parse_args(argv)
    result = run(args.n)
    load = result.pop("load")
    print(f"\nPDF documents, {args.n} renders each after the first (load average {load[0]} -> {load[1]})")
    print(f"  {'document':<20} {'first CPU':>10} {'CPU p50':>9} {'CPU p95':>9} {'wall p50':>9} {'bytes':>8}")
    for name, row in result.items():
        print(
            f"  {name:<20} {row['first_cpu_ms']:>8} ms {row['cpu_median_ms']:>6} ms {row['cpu_p95_ms']:>6} ms "
            f"{row['wall_median_ms']:>6} ms {row['bytes']:>8}"
        )
    result["load"] = load
    return result


if __name__ == "__main__":
    main()
