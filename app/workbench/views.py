"""The workbench's pages: files with their live version (and where the files on disk differ), versions, diffs,
a draft with its problems, rollback, and a zip of any version set so the team can commit it."""

import io
import zipfile

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.decisions import replay
from app.decisions.scope import analyst_scope, require_decision_in_scope
from app.engine.spec_files import SCENARIO
from app.engine.specs import catalog
from app.errors import Invalid, NotFound
from app.extensions import db
from app.scenarios.sandbox import run_scenarios_in_sandbox
from app.scenarios.spec import ScenarioError
from app.workbench import drafts, gate, scenario_files
from app.workbench.access import analysts_only
from app.workbench.catalog import (
    WB_KINDS,
    PublishConflict,
    check_file,
    content_hash,
    live_version,
    live_versions,
    processes_in,
    version_by_id,
    versions_of,
)
from app.workbench.lint import lint
from app.workbench.live import disk_sources, refresh_catalog
from app.workbench.models import SpecFileVersion

bp = Blueprint("workbench", __name__, url_prefix="/workbench")
ZIP_DIRS = {"bpmn": "processes", "dmn": "rules", "form": "forms", SCENARIO: "processes/tests"}


analysts_only(bp)


@bp.get("/")
def home() -> str:
    disk = disk_sources(current_app).files  # type: ignore[arg-type]
    live = {(v.kind, v.name): v for v in live_versions()}
    rows = []
    mine_only = {(d.kind, d.name) for d in scenario_files.my_drafts(current_user, SCENARIO)}
    for kind, name in sorted({(k, n) for k in WB_KINDS for n in disk.get(k, {})} | set(live) | mine_only):
        version, raw = live.get((kind, name)), disk.get(kind, {}).get(name)
        if raw is None:
            state = "missing"
        elif version is None:
            state = "not_imported"
        else:
            state = "same" if content_hash(raw.decode("utf-8", "replace")) == version.hash else "differs"
        mine = drafts.draft_of(current_user, kind, name)
        if kind == SCENARIO:  # only the analyst's association's scenarios (as the rest of replay)
            shown = [t for t in (version.content if version else None, raw and raw.decode("utf-8", "replace")) if t]
            if not all(scenario_files.in_scope(current_user, t) for t in shown):
                continue
        rows.append({"kind": kind, "name": name, "live": version, "disk": state, "draft": mine})
    return render_template("workbench/home.html", rows=rows)


@bp.get("/download.zip")
def download() -> ResponseReturnValue:
    """The live set, or the versions named by ?v=<id> (one per file), as processes/, rules/, forms/ files."""
    ids = request.args.getlist("v", type=int)
    chosen = [db.session.get(SpecFileVersion, i) for i in ids] if ids else live_versions()
    if any(v is None for v in chosen):
        raise Invalid(_("没有这个版本"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for version in chosen:
            assert version is not None
            zf.writestr(f"{ZIP_DIRS[version.kind]}/{version.name}", version.content)
    buf.seek(0)
    return send_file(buf, mimetype="application/zip", as_attachment=True, download_name="memberflow-specs.zip")


@bp.get("/scenarios/new")
def new_scenario() -> ResponseReturnValue:
    """A new scenario file: its draft page, prefilled with an example to change (nothing saved before 保存)."""
    name = request.args.get("name", "").strip()
    name = name if name.endswith((".yaml", ".yml")) else f"{name}.yaml"
    check_file(SCENARIO, name)
    return redirect(f"{bp.url_prefix}/files/{SCENARIO}/{name}/draft")


@bp.get("/files/dmn/<name>/replay/<decision_id>")
def replay_draft(name: str, decision_id: str) -> tuple[str, int]:
    """The full what-if of the analyst's draft of this table (rows now matching, named people), at once."""
    check_file("dmn", name)
    require_decision_in_scope(decision_id, analyst_scope(current_user))
    mine = drafts.draft_of(current_user, "dmn", name)
    if mine is None:
        raise NotFound(_("没有这个草稿"))
    recorded, result = replay.count_records(decision_id), None
    if recorded:
        result = replay.replay_decision(decision_id, mine.content.encode("utf-8"), name)
    page = render_template(
        "decisions/workbench_decision.html",
        decision_id=decision_id,
        version=catalog().decision_versions.get(decision_id, ""),
        recorded=recorded,
        result=result,
        draft_text=mine.content,
        limit=replay.DEFAULT_REPLAY,
        draft_page=f"{bp.url_prefix}/files/dmn/{name}/draft",
    )
    return page, 200


@bp.get("/files/<kind>/<name>/versions")
def versions(kind: str, name: str) -> str:
    live, found = live_version(kind, name), versions_of(kind, name)
    # a BPMN file's processes: their versions page shows which of these versions applications run on, and migrates
    cat = catalog()
    processes = (
        [(p, cat.process(p).name) for p in processes_in(found[0].content) if p in cat.current]
        if (kind == "bpmn" and found)
        else []
    )
    return render_template(
        "workbench/versions.html", kind=kind, name=name, versions=found, live=live, processes=processes
    )


@bp.get("/files/<kind>/<name>/diff")
def diff(kind: str, name: str) -> str:
    a = version_by_id(kind, name, request.args.get("a", type=int) or 0)
    b = version_by_id(kind, name, request.args.get("b", type=int) or 0)
    text = drafts.text_diff(a.content, b.content, f"v{a.number}", f"v{b.number}")
    changed = drafts.changed_elements(a.content, b.content) if kind in ("bpmn", "dmn") else []
    return render_template("workbench/diff.html", kind=kind, name=name, a=a, b=b, diff=text, changed=changed)


@bp.post("/files/<kind>/<name>/versions/<int:version_id>/rollback")
def rollback(kind: str, name: str, version_id: int) -> ResponseReturnValue:
    old = version_by_id(kind, name, version_id)
    version = drafts.rollback(current_user, kind, name, old, request.form.get("comment", "").strip())
    db.session.commit()
    refresh_catalog(current_app)  # type: ignore[arg-type]
    flash(_("已发布版本 %(number)s（内容同版本 %(old)s）", number=version.number, old=old.number))
    return redirect(f"{bp.url_prefix}/files/{kind}/{name}/versions")


@bp.route("/files/<kind>/<name>/draft", methods=["GET", "POST"])
def draft(kind: str, name: str) -> ResponseReturnValue:
    live = live_version(kind, name)
    mine = drafts.draft_of(current_user, kind, name)
    action = request.form.get("action", "") if request.method == "POST" else ""
    conflict, status, scenarios, run, failed_files = None, 200, None, None, []
    with_it = drafts.together(current_user, kind, name, mine.content) if mine else []
    if action == "save":
        mine = drafts.save_draft(current_user, kind, name, request.form.get("content", "")).draft
    elif action == "rebase":
        mine = drafts.rebase(current_user, kind, name).draft
    elif action == "discard":
        drafts.drop_draft(current_user, kind, name)
        return redirect(f"{bp.url_prefix}/")
    elif action == "run" and mine is not None:
        try:
            run = run_scenarios_in_sandbox(name, mine.content, scenario_files.draft_files(current_user))
        except ScenarioError as err:
            flash(_("场景文件有误：%(e)s", e=str(err)), "error")
            status = 422
    elif action == "publish" and mine is not None:
        try:
            version, problems = drafts.publish_draft(current_user, kind, name, request.form.get("comment", ""))
        except PublishConflict as err:
            conflict, status = drafts.conflict_of(mine, err), 409
        except gate.ScenariosFailed as failed:
            scenarios, status, failed_files = failed.lines, 422, failed.files
        else:
            if not problems:
                db.session.commit()
                drafts.refresh_after_publish()
                flash(_("已发布版本 %(number)s", number=version.number))
                if with_it:
                    names = "、".join(c.name for c in with_it)
                    flash(_("场景草稿 %(names)s 已一并发布", names=names))
                return redirect(f"{bp.url_prefix}/files/{kind}/{name}/versions")
            status = 422
    content = mine.content if mine else (live.content if live else "")
    problems = lint(kind, name, mine.content, current_user) if mine else []
    if mine is not None and action in ("save", "rebase"):
        with_it = drafts.together(current_user, kind, name, mine.content)
    if mine is None and live is None and kind == SCENARIO:
        content = scenario_files.NEW_SCENARIO
    stale = mine is not None and mine.base_version_id != (live.id if live else None)
    context = {"kind": kind, "name": name, "live": live, "draft": mine, "content": content, "stale": stale}
    context["comment"] = request.form.get("comment", "") if action == "publish" else ""  # kept when refused
    what_if = gate.what_if(kind, mine.content, name) if mine else []
    page = render_template(
        "workbench/draft.html",
        problems=problems,
        conflict=conflict,
        scenarios=scenarios,
        what_if=what_if,
        together=with_it,
        partners=drafts.partners(current_user, mine) if mine is not None and kind == SCENARIO else [],
        failed_files=failed_files,
        drafted=sorted(scenario_files.draft_files(current_user)) if run else [],
        run=run,
        **context,
    )
    return page, status
