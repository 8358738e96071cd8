"""The production command serves pages (scripts/serve: gunicorn), and /healthz tells the load balancer the truth."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import text

from app import clock, system_state
from app.extensions import db
from tests.fresh import fresh_app

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_scripts_serve_starts_gunicorn_and_serves_the_login_page(app, tmp_path):
    with fresh_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path) as served:
        flask_migrate.upgrade()  # the documented order: upgrade, then serve
        url = served.config["SQLALCHEMY_DATABASE_URI"]
        db.engine.dispose()
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "MEMBERFLOW_ENV": "development",  # the dev SMS/identity backends; production settings are not tested here
            "MEMBERFLOW_STORAGE_DIR": str(tmp_path / "files"),
            "MEMBERFLOW_HOST": "127.0.0.1",
            "MEMBERFLOW_PORT": str(port),
            "MEMBERFLOW_WORKERS": "1",
        }
        proc = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            body, deadline = None, time.monotonic() + 30
            while body is None and time.monotonic() < deadline and proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as resp:
                        body = (resp.status, resp.read().decode())
                except OSError:
                    time.sleep(0.2)  # a real server starting up, not the app's clock
            assert body is not None, "gunicorn served nothing within 30 s"
            assert body[0] == 200 and "登录" in body[1]
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                out, _ = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, _ = proc.communicate()
        assert "Booting worker" in out and "GET /login" in out  # gunicorn's own log and access log


def test_healthz_is_503_until_the_scheduler_has_swept(client):
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.json["checks"] == {"database": "ok", "scheduler": "no heartbeat"}


def test_healthz_is_200_after_a_sweep_and_503_when_the_heartbeat_is_stale(app, client):
    from app.scheduler import fire_due_timers

    fire_due_timers(app)  # one real sweep writes the heartbeat
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json["status"] == "ok"
    assert resp.json["checks"] == {"database": "ok", "scheduler": "ok"}
    clock.advance(timedelta(seconds=app.config["MEMBERFLOW_HEARTBEAT_MAX_AGE_SECONDS"] + 1))
    stale = client.get("/healthz")
    assert stale.status_code == 503 and stale.json["checks"]["scheduler"] == "stale"


def test_healthz_is_503_when_the_database_is_unreachable(app, client, monkeypatch):
    system_state.record_heartbeat()

    def broken(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(db.session, "execute", broken)
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.json["checks"]["database"] == "unreachable"


def test_healthz_needs_no_login_and_reads_the_database(client):
    system_state.record_heartbeat()
    assert client.get("/healthz").status_code == 200
    db.session.execute(text("DELETE FROM system_state"))
    db.session.commit()
    assert client.get("/healthz").status_code == 503


@pytest.mark.parametrize("count", [0, 1])
def test_proxy_count_decides_whether_forwarded_headers_count(app, tmp_path, count):
    from app.urls import external_url

    with fresh_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, MEMBERFLOW_PROXY_COUNT=count) as other:
        seen = {}

        @other.get("/_test_url")
        def _url():  # type: ignore[no-untyped-def]
            seen["url"] = external_url("accounts.login")
            return "ok"

        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "member.example.org"}
        other.test_client().get("/_test_url", headers=headers)
    assert seen["url"] == ("https://member.example.org/login" if count else "http://localhost/login")
