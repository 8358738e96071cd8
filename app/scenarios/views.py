"""The workbench's scenario page: run a process's scenario file (or a pasted one) against draft files."""

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.rights import require_analyst
from app.scenarios.coverage import rule_coverage
from app.scenarios.sandbox import run_scenarios_in_sandbox
from app.scenarios.spec import ScenarioError

bp = Blueprint("scenarios", __name__, url_prefix="/workbench")
MAX_BYTES = 2 * 1024 * 1024


def scenario_dir() -> Path:
    return Path(current_app.config["MEMBERFLOW_PROCESSES_DIR"]) / "tests"


@bp.route("/scenarios/", methods=["GET", "POST"])
@login_required
def run_page() -> tuple[str, int]:
    require_analyst(current_user)
    files = sorted(p.name for p in scenario_dir().glob("*.yaml"))
    context: dict[str, Any] = {"files": files, "chosen": request.values.get("file", ""), "text": "", "run": None}
    status = 200
    if context["chosen"] in files:
        context["text"] = (scenario_dir() / context["chosen"]).read_text(encoding="utf-8")
    if request.method == "POST":
        text = request.form.get("text") or context["text"]
        context["text"] = text
        drafts = {Path(f.filename).name: f.read(MAX_BYTES) for f in request.files.getlist("drafts") if f and f.filename}
        try:
            context["run"] = run_scenarios_in_sandbox(context["chosen"] or "pasted.yaml", text, drafts)
        except ScenarioError as err:
            flash(_("场景文件有误：%(e)s", e=str(err)), "error")
            status = 422
    return render_template("scenarios/run.html", **context), status


@bp.get("/rules")
@login_required
def coverage_page() -> str:
    require_analyst(current_user)
    config = current_app.config
    tests = Path(config["MEMBERFLOW_PROCESSES_DIR"]).parent / "tests"
    rows = rule_coverage(Path(config["MEMBERFLOW_PROCESSES_DIR"]), Path(config["MEMBERFLOW_RULES_DIR"]), tests)
    return render_template("scenarios/coverage.html", rows=rows, flagged=sum(r.flagged for r in rows))
