"""GET /healthz for the load balancer: 200 when the database answers and the scheduler swept recently, else 503."""

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from app import clock, system_state
from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    checks: dict[str, str] = {}
    age = None
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
        beat = system_state.get(system_state.HEARTBEAT)
    except Exception:  # any failure to reach the database is the answer itself
        db.session.rollback()
        checks["database"] = "unreachable"
        beat = None
    if beat is None:
        checks["scheduler"] = "no heartbeat"
    else:
        age = round((clock.now() - beat.updated_at).total_seconds(), 1)
        stale = age > current_app.config["MEMBERFLOW_HEARTBEAT_MAX_AGE_SECONDS"]
        checks["scheduler"] = "stale" if stale else "ok"
    healthy = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if healthy else "unhealthy", "checks": checks, "scheduler_heartbeat_age_seconds": age}
    return jsonify(body), 200 if healthy else 503
