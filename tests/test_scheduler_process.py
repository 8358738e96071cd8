"""Issue 13, item 6: the real scheduler process (its own loop, no APScheduler) takes the lease, sweeps, and on
SIGTERM stops at once and hands the lease over (a standby need not wait for it to expire)."""

import os
import signal
import subprocess
import sys
import time

from app import system_state
from app.config import ROOT
from app.extensions import db
from app.scheduler_lease import current_holder
from tests.fresh import fresh_app


def wait_for(condition, seconds: float) -> None:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        time.sleep(0.1)


def test_the_process_sweeps_and_sigterm_releases_its_lease_at_once(app, tmp_path):
    with fresh_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path) as fresh:
        db.create_all()
        env = {
            **os.environ,
            "MEMBERFLOW_ENV": "development",
            "DATABASE_URL": fresh.config["SQLALCHEMY_DATABASE_URI"],
            "MEMBERFLOW_STORAGE_DIR": str(tmp_path / "files"),
            "MEMBERFLOW_SCHEDULER_LEASE_SECONDS": "300",
        }
        proc = subprocess.Popen([sys.executable, "-m", "app.scheduler"], env=env, cwd=ROOT)
        try:

            def swept() -> bool:
                db.session.expire_all()
                return system_state.get(system_state.HEARTBEAT) is not None

            wait_for(swept, 120)  # a loaded machine takes a while to import the app
            assert current_holder() is not None
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
        db.session.expire_all()
        assert current_holder() is None  # released, not left to expire in 300 s
