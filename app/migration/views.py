"""The analysts' version pages of a process (issue 17 items 4 and 5): versions, diff, dry run and migrate."""

from typing import Any

from flask import Blueprint, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.engine.specs import catalog
from app.extensions import db
from app.migration.diff import diff_svg, diff_versions
from app.migration.jobs import UNFINISHED, fail_stale_jobs, job_of, recent_jobs, start_migration
from app.migration.models import MigrationJob
from app.migration.plan import dry_run, list_versions, pair, short, titles
from app.migration.words import describe
from app.security_headers import csp_nonce
from app.workbench.access import analysts_only
from app.workbench.catalog import FROM_FILE
from app.workflow.models import ProcessInstance

bp = Blueprint("migration", __name__, url_prefix="/workbench/processes")
analysts_only(bp)


def _name(process_id: str) -> str:
    cat = catalog()
    return _(cat.process(process_id).name) if process_id in cat.current else process_id


def _between(template: str, process_id: str, old_key: str, new_key: str, **context: Any) -> str:
    """A page about two versions of a process (diff, dry run, migration), each named as people name it."""
    named = titles(process_id)
    return render_template(
        template,
        process_id=process_id,
        name=_name(process_id),
        a_title=named.get(old_key, short(old_key)),
        b_title=named.get(new_key, short(new_key)),
        **context,
    )


@bp.get("/<process_id>/versions")
def versions(process_id: str) -> str:
    rows = list_versions(process_id)
    files = sorted({r.published.name for r in rows if r.published is not None})
    return render_template(
        "migration/versions.html",
        process_id=process_id,
        name=_name(process_id),
        rows=rows,
        files=files,
        from_file=FROM_FILE,
        jobs=recent_jobs(process_id),
        titles={r.key: r.title for r in rows},
    )


@bp.get("/<process_id>/versions/<a>/diff/<b>.json")
def diff_json(process_id: str, a: str, b: str) -> Response:
    old, new = pair(process_id, a, b)
    return jsonify({"from": short(old.key), "to": short(new.key), **diff_versions(old, new).as_json()})


@bp.get("/<process_id>/versions/<a>/diff/<b>")
def diff_page(process_id: str, a: str, b: str) -> str:
    old, new = pair(process_id, a, b)
    diff = diff_versions(old, new)
    changes, svg = describe(old, new, diff), diff_svg(new, diff, csp_nonce())
    return _between("migration/diff.html", process_id, old.key, new.key, diff=diff, changes=changes, svg=svg)


@bp.get("/<process_id>/versions/<a>/migrate/<b>")
def dry_run_page(process_id: str, a: str, b: str) -> str:
    verdicts = dry_run(process_id, a, b)
    old, new = pair(process_id, a, b)
    movable = sum(v.movable for v in verdicts)
    return _between(
        "migration/dry_run.html", process_id, old.key, new.key, a=a, b=b, verdicts=verdicts, movable=movable
    )


@bp.post("/<process_id>/versions/<a>/migrate/<b>")
def migrate(process_id: str, a: str, b: str) -> Response:
    """Starts the migration in the background and answers with its progress page at once."""
    chosen = [int(i) for i in request.form.getlist("instance") if i.isdigit()]
    if not chosen:
        flash(_("请至少选择一个申请"), "error")
        return redirect(url_for("migration.dry_run_page", process_id=process_id, a=a, b=b))
    job = start_migration(current_user, process_id, a, b, chosen)
    return redirect(url_for("migration.job_page", process_id=process_id, job_id=job.id))


@bp.get("/<process_id>/migrations/<int:job_id>")
def job_page(process_id: str, job_id: int) -> Response:
    if fail_stale_jobs():
        db.session.commit()
    job = job_of(process_id, job_id)
    page = _between(
        "migration/job.html", process_id, job.from_key, job.to_key, job=job, titles_of=_instance_titles(job)
    )
    response = make_response(page)
    if job.status in UNFINISHED:
        response.headers["Refresh"] = "2"  # the progress indicator: the page polls the job row
    return response


def _instance_titles(job: MigrationJob) -> dict[str, str]:
    ids = [int(i) for i in job.skipped]
    stmt = select(ProcessInstance.id, ProcessInstance.title).where(ProcessInstance.id.in_(ids))
    return {str(i): title for i, title in db.session.execute(stmt)} if ids else {}
