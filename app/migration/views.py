"""The analysts' version pages of a process (issue 17 items 4 and 5): versions, diff, dry run and migrate."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts.rights import require_analyst
from app.engine.specs import catalog
from app.migration.apply import migrate_instances
from app.migration.diff import diff_svg, diff_versions
from app.migration.plan import dry_run, list_versions, pair, short, titles
from app.migration.words import describe
from app.security_headers import csp_nonce
from app.workbench.catalog import FROM_FILE

bp = Blueprint("migration", __name__, url_prefix="/workbench/processes")


def _name(process_id: str) -> str:
    cat = catalog()
    return _(cat.process(process_id).name) if process_id in cat.current else process_id


@bp.get("/<process_id>/versions")
@login_required
def versions(process_id: str) -> str:
    require_analyst(current_user)
    rows = list_versions(process_id)
    files = sorted({r.published.name for r in rows if r.published is not None})
    return render_template(
        "migration/versions.html",
        process_id=process_id,
        name=_name(process_id),
        rows=rows,
        files=files,
        from_file=FROM_FILE,
    )


@bp.get("/<process_id>/versions/<a>/diff/<b>.json")
@login_required
def diff_json(process_id: str, a: str, b: str) -> Response:
    require_analyst(current_user)
    old, new = pair(process_id, a, b)
    return jsonify({"from": short(old.key), "to": short(new.key), **diff_versions(old, new).as_json()})


@bp.get("/<process_id>/versions/<a>/diff/<b>")
@login_required
def diff_page(process_id: str, a: str, b: str) -> str:
    require_analyst(current_user)
    old, new = pair(process_id, a, b)
    diff = diff_versions(old, new)
    named = titles(process_id)
    return render_template(
        "migration/diff.html",
        process_id=process_id,
        name=_name(process_id),
        a_title=named.get(old.key, short(old.key)),
        b_title=named.get(new.key, short(new.key)),
        diff=diff,
        changes=describe(old, new, diff),
        svg=diff_svg(new, diff, csp_nonce()),
    )


@bp.get("/<process_id>/versions/<a>/migrate/<b>")
@login_required
def dry_run_page(process_id: str, a: str, b: str) -> str:
    require_analyst(current_user)
    verdicts = dry_run(process_id, a, b)
    return render_template(
        "migration/dry_run.html",
        process_id=process_id,
        name=_name(process_id),
        a=a,
        b=b,
        verdicts=verdicts,
        movable=sum(v.movable for v in verdicts),
    )


@bp.post("/<process_id>/versions/<a>/migrate/<b>")
@login_required
def migrate(process_id: str, a: str, b: str) -> Response:
    require_analyst(current_user)
    chosen = [int(i) for i in request.form.getlist("instance") if i.isdigit()]
    if not chosen:
        flash(_("请至少选择一个申请"), "error")
    else:
        report = migrate_instances(process_id, a, b, current_user, chosen)
        flash(_("已迁移 %(n)d 个申请，%(m)d 个不能迁移", n=len(report.moved), m=len(report.skipped)), "success")
    return redirect(url_for("migration.dry_run_page", process_id=process_id, a=a, b=b))
