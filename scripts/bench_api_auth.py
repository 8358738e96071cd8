"""API call latency by authentication: a personal token (Bearer) vs HTTP Basic vs no check at all.

    python -m scripts.bench_api_auth [--n 300]

One `GET /api/v1/inbox` of the firm reviewer through the WSGI app in process (no network), temp-file SQLite
with the demo world, passwords hashed as in production (scrypt). Each call is a fresh request, so Basic hashes
the password every time, as it does for a script. "session" (a logged-in browser cookie) is the baseline that
checks no secret: token − session is what a token check adds. Also the check alone (`authenticate_token`).
"""

import argparse
import base64
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient

from app import create_app
from app.accounts.tokens import authenticate_token, create_token
from app.config import Config
from app.demo import DEMO_PASSWORD, load_demo
from app.extensions import db

TARGET_TOKEN_OVERHEAD_MS = 1.0


def _times(call: Callable[[], object], n: int) -> list[float]:
    call()  # warm
    out = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _interleaved(calls: dict[str, Callable[[], object]], n: int) -> dict[str, list[float]]:
    """Call each in turn, n rounds: on a shared machine a load spike hits both sides alike."""
    out: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():
        call()  # warm
    for _ in range(n):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            out[name].append((time.perf_counter() - started) * 1000)
    return out


def _row(name: str, ms: list[float]) -> str:
    p95 = statistics.quantiles(ms, n=20)[18]
    return f"| {name} | {statistics.median(ms):.2f} ms | {p95:.2f} ms |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    n = parser.parse_args(argv).n
    work = Path(tempfile.mkdtemp(prefix="memberflow-auth-"))

    class Cfg(Config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{work / 'bench.db'}"
        MEMBERFLOW_STORAGE_DIR = str(work / "files")
        MEMBERFLOW_RATELIMIT_ENABLED = False
        WTF_CSRF_ENABLED = False  # the baseline session logs in by a plain POST

    try:
        app = create_app(Cfg)
        with app.app_context():
            db.create_all()
            world = load_demo()
            reviewer = world.firm_reviewer
            _token, secret = create_token(reviewer, "bench", f"firm:{world.firm_bj.id}", 0)
            db.session.commit()
            mobile = reviewer.mobile
            db.session.remove()

        def client(header: str | None) -> FlaskClient:
            c = app.test_client()
            if header:
                c.environ_base["HTTP_AUTHORIZATION"] = header
            return c

        basic = client("Basic " + base64.b64encode(f"{mobile}:{DEMO_PASSWORD}".encode()).decode())
        token = client(f"Bearer {secret}")
        session = client(None)
        assert session.post("/login", data={"mobile": mobile, "password": DEMO_PASSWORD}).status_code == 302

        def get(c: FlaskClient) -> Callable[[], object]:
            def call() -> object:
                response = c.get("/api/v1/inbox")
                assert response.status_code == 200, response.get_data(as_text=True)
                return response

            return call

        figures = _interleaved({"session": get(session), "token": get(token)}, n)  # same machine load for both
        figures["basic"] = _times(get(basic), max(20, n // 10))  # ~0.1 s each: fewer calls
        with app.app_context():
            check = _times(lambda: authenticate_token(secret), n)
        overhead = statistics.median(figures["token"]) - statistics.median(figures["session"])
        print(f"GET /api/v1/inbox, {n} calls each (Basic {len(figures['basic'])}), SQLite file, in process")
        print("| authentication | median | p95 |\n|---|---|---|")
        for name, label in (("session", "session cookie (no secret checked)"), ("token", "Bearer token")):
            print(_row(label, figures[name]))
        print(_row("HTTP Basic (scrypt)", figures["basic"]))
        print(_row("authenticate_token alone", check))
        verdict = "PASS" if overhead <= TARGET_TOKEN_OVERHEAD_MS else "FAIL"
        print(f"token − session, medians: {overhead:.2f} ms (target ≤ {TARGET_TOKEN_OVERHEAD_MS} ms) {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
