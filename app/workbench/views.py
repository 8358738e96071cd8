"""The workbench's pages: files with their live version (and where the files on disk differ), versions, diffs,
a draft with its problems, rollback, and a zip of any version set so the team can commit it."""

import io
import zipfile

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.rights import require_analyst
from app.engine.spec_files import KINDS
from app.errors import Invalid
from app.extensions import db
from app.workbench import drafts, gate
from app.workbench.catalog import (
    PublishConflict,
    check_file,
    content_hash,
    live_version,
    live_versions,
    version_by_id,
    versions_of,
)
from app.workbench.lint import lint
from app.workbench.live import disk_sources, refresh_catalog
from app.workbench.models import SpecFileVersion

bp = Blueprint("workbench", __name__, url_prefix="/workbench")
ZIP_DIRS = {"bpmn": "processes", "dmn": "rules", "form": "forms"}


@bp.before_request
@login_required
def _analysts_only() -> None:
    require_analyst(current_user)


@bp.get("/")
def home() -> str:
    disk = disk_sources(current_app).files  # type: ignore[arg-type]
    live = {(v.kind, v.name): v for v in live_versions()}
    rows = []
    for kind, name in sorted({(k, n) for k in KINDS for n in disk.get(k, {})} | set(live)):
        version, raw = live.get((kind, name)), disk.get(kind, {}).get(name)
        if raw is None:
            state = "missing"
        elif version is None:
            state = "not_imported"
        else:
            state = "same" if content_hash(raw.decode("utf-8", "replace")) == version.hash else "differs"
        mine = drafts.draft_of(current_user, kind, name)
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


@bp.get("/files/<kind>/<name>/versions")
def versions(kind: str, name: str) -> str:
    check_file(kind, name)
    live = live_version(kind, name)
    return render_template("workbench/versions.html", kind=kind, name=name, versions=versions_of(kind, name), live=live)


@bp.get("/files/<kind>/<name>/diff")
def diff(kind: str, name: str) -> str:
    check_file(kind, name)
    a = version_by_id(kind, name, request.args.get("a", type=int) or 0)
    b = version_by_id(kind, name, request.args.get("b", type=int) or 0)
    text = drafts.text_diff(a.content, b.content, f"v{a.number}", f"v{b.number}")
    changed = drafts.changed_elements(a.content, b.content) if kind != "form" else []
    return render_template("workbench/diff.html", kind=kind, name=name, a=a, b=b, diff=text, changed=changed)


@bp.post("/files/<kind>/<name>/versions/<int:version_id>/rollback")
def rollback(kind: str, name: str, version_id: int) -> ResponseReturnValue:
    check_file(kind, name)
    old = version_by_id(kind, name, version_id)
    version = drafts.rollback(current_user, kind, name, old, request.form.get("comment", "").strip())
    db.session.commit()
    refresh_catalog(current_app)  # type: ignore[arg-type]
    flash(_("已发布版本 %(number)s（内容同版本 %(old)s）", number=version.number, old=old.number))
    return redirect(f"{bp.url_prefix}/files/{kind}/{name}/versions")


@bp.route("/files/<kind>/<name>/draft", methods=["GET", "POST"])
def draft(kind: str, name: str) -> ResponseReturnValue:
    check_file(kind, name)
    live = live_version(kind, name)
    mine = drafts.draft_of(current_user, kind, name)
    action = request.form.get("action", "") if request.method == "POST" else ""
    conflict, status, scenarios = None, 200, None
    if action == "save":
        mine = drafts.save_draft(current_user, kind, name, request.form.get("content", "")).draft
    elif action == "rebase":
        mine = drafts.rebase(current_user, kind, name).draft
    elif action == "discard":
        drafts.drop_draft(current_user, kind, name)
        return redirect(f"{bp.url_prefix}/")
    elif action == "publish" and mine is not None:
        try:
            version, problems = drafts.publish_draft(current_user, kind, name, request.form.get("comment", ""))
        except PublishConflict as err:
            conflict, status = drafts.conflict_of(mine, err), 409
        except gate.ScenariosFailed as failed:
            scenarios, status = failed.lines, 422
        else:
            if not problems:
                db.session.commit()
                drafts.refresh_after_publish()
                flash(_("已发布版本 %(number)s", number=version.number))
                return redirect(f"{bp.url_prefix}/files/{kind}/{name}/versions")
            status = 422
    content = mine.content if mine else (live.content if live else "")
    problems = lint(kind, name, mine.content) if mine else []
    stale = mine is not None and mine.base_version_id != (live.id if live else None)
    context = {"kind": kind, "name": name, "live": live, "draft": mine, "content": content, "stale": stale}
    context["comment"] = request.form.get("comment", "") if action == "publish" else ""  # kept when refused
    what_if = gate.what_if(kind, mine.content) if mine else []
    page = render_template(
        "workbench/draft.html", problems=problems, conflict=conflict, scenarios=scenarios, what_if=what_if, **context
    )
    return page, status
