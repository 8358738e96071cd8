"""Decision log cost and what-if replay speed (issue 18), on a temp-file SQLite database (or --database-url).

    scripts/bench                         (or: python -m scripts.bench_decisions --n 2000 --replay 10000)

1. Write cost per evaluation: the trainee→full start rule (rules/status_full_eligibility.dmn) decided for a person
   N times, each committed, without the log and inside `recording(...)` (one decision_record row with every fact);
   the row's INSERT (its flush) is timed on its own: the log's cost when the request commits anyway. Then a
   whole refused start attempt (services.start_process + the commit a 422 makes), with the log's observer and
   without it. And an engine run that decides (issue 18): starting an auctioneer registration, whose service
   operation decides the registration type (R-AUC-1) while the engine runs, flushed then rolled back, with the
   log's observer and without it.
2. What-if: `--replay` recorded evaluations of that rule (bulk-inserted, practice months 0..47) replayed against a
   draft that lowers 24 months to 18: seconds for the whole replay, and how many outcomes change.
"""

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from app import clock, create_app
from app.accounts.models import User
from app.config import Config
from app.decisions.log import recording
from app.decisions.models import DecisionRecord
from app.decisions.replay import replay_decision
from app.demo import load_demo
from app.engine.specs import DECISION_OBSERVERS, catalog
from app.errors import NotEligible
from app.extensions import db
from app.workflow import services
from app.workflow.facts import person_facts

ROOT = Path(__file__).resolve().parent.parent
DECISION = "status_full_eligibility"


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def _p95_ms(samples: list[float]) -> float:
    return round(sorted(samples)[int(0.95 * (len(samples) - 1))] * 1000, 3)


def draft_18_months() -> bytes:
    text = (ROOT / "rules" / f"{DECISION}.dmn").read_text(encoding="utf-8")
    return text.replace("&lt; 24", "&lt; 18").replace("执业满 24 个月", "执业满 18 个月").encode("utf-8")


def run(n: int, replay_n: int, database_url: str | None) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="memberflow-decisions-"))

    class Cfg(Config):
        SQLALCHEMY_DATABASE_URI = database_url or f"sqlite:///{work / 'bench.db'}"
        MEMBERFLOW_STORAGE_DIR = str(work / "files")
        MEMBERFLOW_PASSWORD_METHOD = "pbkdf2:sha256:1000"
        MEMBERFLOW_DEV_CLOCK = False

    try:
        app = create_app(Cfg)
        with app.app_context():
            db.drop_all()
            db.create_all()
            world = load_demo()
            db.session.commit()
            user = world.applicant
            facts = person_facts(user)
            bare, logged, inserts = [], [], []
            for i in range(2 * n):  # interleaved, so both sides see the same database and caches
                started = time.perf_counter()
                if i % 2:
                    with recording("start", user.id, process_id="status_full"):
                        catalog().decide(DECISION, facts)
                    flushing = time.perf_counter()
                    db.session.flush()  # the INSERT of the one decision_record row
                    inserts.append(time.perf_counter() - flushing)
                    db.session.commit()
                    logged.append(time.perf_counter() - started)
                else:
                    catalog().decide(DECISION, facts)
                    db.session.commit()
                    bare.append(time.perf_counter() - started)
            write = {
                "evaluations": n,
                "bare_median_ms": _median_ms(bare),
                "logged_median_ms": _median_ms(logged),
                "bare_p95_ms": _p95_ms(bare),
                "logged_p95_ms": _p95_ms(logged),
                "insert_median_ms": _median_ms(inserts),
                "insert_p95_ms": _p95_ms(inserts),
            }
            write["refused_start"] = _refused_starts(n)
            write["engine_run"] = _engine_runs(max(n // 10, 2), world.auction_users["first"])
            _fill(user.id, facts, replay_n)
            started = time.perf_counter()
            result = replay_decision(DECISION, draft_18_months(), limit=replay_n)
            total = time.perf_counter() - started
        return {
            "write": write,
            "replay": {
                "replayed": result.replayed,
                "changed": result.changed,
                "directions": {f"{a}->{b}": c for (a, b), c in result.directions.items()},
                "seconds_evaluating": round(result.seconds, 3),
                "seconds_total": round(total, 3),
            },
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _refused_starts(n: int) -> dict[str, float]:
    """A refused start attempt as a request makes it (start_process, then the 422's commit), with the log's observer
    and without it, interleaved: what the log adds to a whole request."""
    trainee = db.session.scalars(select(User).where(User.mobile == "13800000031")).one()
    observers = list(DECISION_OBSERVERS)
    bare, logged = [], []
    for i in range(2 * n):
        DECISION_OBSERVERS[:] = observers if i % 2 else []
        started = time.perf_counter()
        try:
            services.start_process("status_full", trainee)
        except NotEligible:
            db.session.commit()
        (logged if i % 2 else bare).append(time.perf_counter() - started)
    DECISION_OBSERVERS[:] = observers
    return {"bare_median_ms": _median_ms(bare), "logged_median_ms": _median_ms(logged)}


def _engine_runs(n: int, user: User) -> dict[str, float]:
    """A start whose engine run decides (one operation evaluating a DMN table, one logged row), interleaved with
    and without the log's observer; each is flushed and rolled back so the next may start again (R-ONE-1)."""
    observers = list(DECISION_OBSERVERS)
    bare, logged = [], []
    for i in range(2 * n):
        DECISION_OBSERVERS[:] = observers if i % 2 else []
        started = time.perf_counter()
        services.start_process("auctioneer_registration", user)
        db.session.flush()
        (logged if i % 2 else bare).append(time.perf_counter() - started)
        db.session.rollback()
    DECISION_OBSERVERS[:] = observers
    return {"bare_median_ms": _median_ms(bare), "logged_median_ms": _median_ms(logged)}


def _fill(user_id: int, facts: dict[str, Any], count: int) -> None:
    """`count` recorded evaluations of trainees with 0..47 practice months, as the log would hold them."""
    rng = random.Random(18)
    rows = []
    now = clock.now()
    for _ in range(count):
        case = {**facts, "member_kind": "trainee", "practice_months": rng.randrange(48), "pending_member_change": None}
        case["has_qualification"], case["in_custody"] = rng.random() < 0.9, rng.random() < 0.05
        decision = catalog().decide(DECISION, case)
        rows.append(
            {
                "decision_id": DECISION,
                "version": catalog().decision_versions[DECISION],
                "purpose": "start",
                "facts": case,
                "rule_id": decision.rule_id,
                "row": decision.row,
                "annotation": decision.annotation,
                "outputs": dict(decision.outputs),
                "person_id": user_id,
                "actor_id": user_id,
                "process_id": "status_full",
                "at": now,
            }
        )
    db.session.execute(insert(DecisionRecord), rows)
    db.session.commit()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000, help="evaluations timed with and without the log")
    parser.add_argument("--replay", type=int, default=10_000, help="recorded evaluations replayed")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    fig = run(args.n, args.replay, args.database_url)
    w, r = fig["write"], fig["replay"]
    print("decision log: write cost per evaluation (decide + commit)")
    print(f"  without log  median {w['bare_median_ms']} ms  p95 {w['bare_p95_ms']} ms")
    print(f"  with log     median {w['logged_median_ms']} ms  p95 {w['logged_p95_ms']} ms")
    print(
        f"  the row's INSERT: median {w['insert_median_ms']} ms, p95 {w['insert_p95_ms']} ms ({w['evaluations']} rows)"
    )
    rs = w["refused_start"]
    print("  a refused start attempt (whole service call + commit), median:")
    print(f"    {rs['bare_median_ms']} ms without the log, {rs['logged_median_ms']} ms with it")
    er = w["engine_run"]
    print("  a start whose engine run decides (auctioneer registration type, R-AUC-1), median:")
    print(f"    {er['bare_median_ms']} ms without the log, {er['logged_median_ms']} ms with it")
    print(
        f"what-if replay: {r['replayed']} evaluations in {r['seconds_total']} s "
        f"({r['seconds_evaluating']} s evaluating)"
    )
    print(f"  {r['changed']} outcomes change: {r['directions']}")
    return fig


if __name__ == "__main__":
    main()
