"""The workbench's scenario page: run a process's scenario file (or a pasted one) against draft files."""

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.decisions.scope import Scope, analyst_scope, file_in_scope, process_in_scope
from app.engine.specs import catalog
from app.errors import NotFound
from app.scenarios.coverage import rule_coverage
from app.scenarios.publish import published_scenarios
from app.scenarios.sandbox import run_scenarios_in_sandbox
from app.scenarios.spec import ScenarioError, process_named

bp = Blueprint("scenarios", __name__, url_prefix="/workbench")
MAX_BYTES = 2 * 1024 * 1024


@bp.route("/scenarios/", methods=["GET", "POST"])
@login_required
def run_page() -> tuple[str, int]:
    scope = analyst_scope(current_user)
    published = published_scenarios()  # the live versions (the workbench's catalog), not the files on disk
    files = sorted(name for name, text in published.items() if process_in_scope(process_named(text) or "", scope))
    context: dict[str, Any] = {"files": files, "chosen": request.values.get("file", ""), "text": "", "run": None}
    status = 200
    if context["chosen"] in files:
        context["text"] = published[context["chosen"]]
    if request.method == "POST":
        text = request.form.get("text") or context["text"]
        context["text"] = text
        drafts = {Path(f.filename).name: f.read(MAX_BYTES) for f in request.files.getlist("drafts") if f and f.filename}
        _require_in_scope(text, drafts, scope)
        try:
            context["run"] = run_scenarios_in_sandbox(context["chosen"] or "pasted.yaml", text, drafts)
        except ScenarioError as err:
            flash(_("场景文件有误：%(e)s", e=str(err)), "error")
            status = 422
    return render_template("scenarios/run.html", **context), status


def _require_in_scope(text: str, drafts: dict[str, bytes], scope: Scope) -> None:
    """Another association's process or files are not found rather than forbidden."""
    process_id = process_named(text)
    if process_id and process_id in catalog().current and not process_in_scope(process_id, scope):
        raise NotFound(_("该业务流程不存在或当前不可用"))
    known = catalog().file_societies
    if any(name in known and not file_in_scope(name, scope) for name in drafts):
        raise NotFound(_("草稿文件不属于您所在协会的流程或决策表"))


@bp.get("/rules")
@login_required
def coverage_page() -> str:
    scope = analyst_scope(current_user)
    config = current_app.config
    tests = Path(config["MEMBERFLOW_PROCESSES_DIR"]).parent / "tests"
    live = catalog().sources.files  # the live versions, as published in the workbench (else the files read at start)
    rows = rule_coverage(
        {**live.get("bpmn", {}), **live.get("dmn", {})},
        published_scenarios(),
        tests,
        file_shown=lambda name: file_in_scope(name, scope),
        process_shown=lambda process_id: process_in_scope(process_id, scope),
    )
    return render_template("scenarios/coverage.html", rows=rows, flagged=sum(r.flagged for r in rows))
