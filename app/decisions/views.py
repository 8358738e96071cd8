"""Decision pages: a person's own decisions ("why was I refused"), and the analysts' what-if replay."""

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, flash, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.decisions import replay
from app.decisions.explain import OUTCOME_LABELS, explain
from app.decisions.log import instance_records, outcome_of, person_records
from app.decisions.scope import analyst_scope, decision_in_scope, require_decision_in_scope
from app.engine.specs import catalog
from app.errors import Invalid

bp = Blueprint("decisions", __name__)
PURPOSE_LABELS = {
    "start": _l("发起申请"),
    "warning": _l("发起时提示"),
    "option": _l("提交选项"),
    "print": _l("打印证书"),
    "engine": _l("流程中判定"),
}
MAX_DRAFT_BYTES = 1024 * 1024


@bp.get("/decisions/mine")
@login_required
def mine() -> str:
    return render_template("decisions/mine.html", records=person_records(current_user.id))


@bp.get("/workbench/decisions/")
@login_required
def workbench_index() -> str:
    scope = analyst_scope(current_user)  # an analyst sees their association's tables only
    cat = catalog()
    rows = [
        (d, cat.decision_versions.get(d, ""), replay.count_records(d))
        for d in sorted(cat.decisions)
        if decision_in_scope(d, scope)
    ]
    return render_template("decisions/workbench_index.html", rows=rows)


def _published_text(decision_id: str) -> str:
    """The live version (the workbench's catalog, else the file)."""
    raw = catalog().sources.files.get("dmn", {}).get(f"{decision_id}.dmn")
    return raw.decode("utf-8") if raw is not None else ""


def _draft_from_request() -> tuple[bytes, str]:
    upload = request.files.get("draft_file")
    if upload is not None and upload.filename:
        raw = upload.read(MAX_DRAFT_BYTES + 1)
        name = Path(upload.filename).name
    else:
        raw, name = request.form.get("draft_text", "").encode("utf-8"), "draft.dmn"
    if not raw.strip():
        raise Invalid(_("请上传或粘贴决策表草稿"))
    if len(raw) > MAX_DRAFT_BYTES:
        raise Invalid(_("决策表草稿过大"))
    return raw, name


@bp.route("/workbench/decisions/<decision_id>", methods=["GET", "POST"])
@login_required
def workbench_decision(decision_id: str) -> tuple[str, int]:
    require_decision_in_scope(decision_id, analyst_scope(current_user))
    recorded = replay.count_records(decision_id)
    context: dict[str, Any] = {"draft_text": _published_text(decision_id), "limit": replay.DEFAULT_REPLAY}
    status, result = 200, None
    if request.method == "POST":
        limit = min(max(request.form.get("limit", replay.DEFAULT_REPLAY, type=int) or 1, 1), 100_000)
        context["limit"] = limit
        try:
            raw, name = _draft_from_request()
            context["draft_text"] = raw.decode("utf-8", errors="replace")
            result = replay.replay_decision(decision_id, raw, name, limit)  # parsed and checked even with no log
        except Invalid as err:
            flash(err.message, "error")
            status = 422
    return render_template(
        "decisions/workbench_decision.html",
        decision_id=decision_id,
        version=catalog().decision_versions.get(decision_id, ""),
        recorded=recorded,
        result=result,
        **context,
    ), status


def install_decision_pages(app: Flask) -> None:
    """Templates see the refusal recorded in this request (the error page names the row) and per-instance lists."""

    @app.context_processor
    def _decisions() -> dict[str, Any]:
        return {
            "decision_refusal": g.get("decision_refusal"),
            "decision_records": instance_records,
            "decision_outcome": outcome_of,
            "decision_purposes": PURPOSE_LABELS,
            "decision_outcomes": OUTCOME_LABELS,
            "decision_sentence": explain,
            "decision_name": lambda decision_id: catalog().decision_name(decision_id),
            "decision_process_name": _process_name,
        }


def _process_name(process_id: str) -> str:
    """The business a record was decided for, by its name; its id when the process is no longer served."""
    cat = catalog()
    return cat.process(process_id).name if process_id in cat.current else process_id
