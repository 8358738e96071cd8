"""Applicant and reviewer pages: start, my applications, progress, inbox, task."""

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug import Response

from app import clock
from app.admin.export_views import respond as respond_with_export
from app.engine.specs import ProcessVersion, catalog
from app.errors import FaceCheckRequired, Invalid
from app.formkit import parse_form, render_attachment_lists, render_form
from app.i18n import translate_data
from app.organizations.societies import role_label, role_labels, use_society_of_process
from app.routing import calendar_year, page_number
from app.security_headers import csp_nonce
from app.workflow import queries, services
from app.workflow.access import visible_instance, visible_task
from app.workflow.applicant_panel import applicant_panel
from app.workflow.claims import claim_tasks
from app.workflow.drafts import draft_of, upload_store
from app.workflow.inbox import InboxFilter, filter_options, option_tags
from app.workflow.inbox_page import inbox_page_rows
from app.workflow.incidents import count_open
from app.workflow.models import HumanTask
from app.workflow.options import field_options, searched_fields, typed_organizations
from app.workflow.panels import render_panel
from app.workflow.presenters import STATUS_LABELS, applicant_notice, submissions_view, timeline_view
from app.workflow.progress import progress_svgs
from app.workflow.returned import returned_tasks
from app.workflow.saved_views import delete_view, save_view, saved_view_tabs, view_filter
from app.workflow.start_groups import group_processes

bp = Blueprint("workflow", __name__)


@bp.get("/")
@login_required
def home() -> str:
    processes = [
        (pid, name, services.check_eligibility(pid, current_user)[1]) for pid, name in queries.startable_processes()
    ]
    # a process offered to firm or association staff only (start property offeredTo, e.g. R-TRF-10, the ID-number
    # change) is not shown to others
    processes = [p for p in processes if p[2] is None or not catalog().process(p[0]).start_properties.get("offeredTo")]
    incidents = count_open() if current_user.is_admin else 0
    return render_template(
        "workflow/home.html",
        groups=group_processes(processes),
        problems=catalog().problems,
        incidents=incidents,
        returned=returned_tasks(current_user),
    )


@bp.post("/processes/<process_id>/start")
@login_required
def start(process_id: str) -> Response:
    instance = services.start_process(process_id, current_user)
    task = next(iter(queries.open_tasks_for(current_user, instance)), None)
    return redirect(url_for(".task", task_id=task.id) if task else url_for(".application", instance_id=instance.id))


@bp.get("/applications")
@login_required
def my_applications() -> str:
    year = request.args.get("year", type=calendar_year) or clock.today().year
    return render_template(
        "workflow/applications.html",
        year=year,
        this_year=clock.today().year,
        instances=queries.list_applications(current_user, year),
        labels=STATUS_LABELS,
    )


@bp.get("/applications/<int:instance_id>")
@login_required
def application(instance_id: int) -> str:
    instance = visible_instance(current_user, instance_id)
    use_society_of_process(instance.process_id)
    version = services.version_of(instance)
    svgs = progress_svgs(instance, version, role_labels(), csp_nonce())
    return render_template(
        "workflow/application.html",
        instance=instance,
        svgs=svgs,
        labels=STATUS_LABELS,
        timeline=timeline_view(queries.timeline(instance)),
        submissions=submissions_view(instance, version),
        open_tasks=queries.open_tasks_for(current_user, instance),
        is_applicant=instance.applicant_id == current_user.id,
        actions=services.APPLICANT_ACTIONS,
        # the start event's applicationPanel: what the process's own package shows its applicant here (e.g. 去支付)
        panel=render_panel(version.start_properties.get("applicationPanel"), instance)
        if instance.applicant_id == current_user.id
        else None,
    )


@bp.post("/applications/<int:instance_id>/actions/<name>")
@login_required
def applicant_action(instance_id: int, name: str) -> Response:
    instance = services.applicant_action(instance_id, current_user, name)
    flash(gettext("已%(action)s申请", action=gettext(services.APPLICANT_ACTIONS[name])), "success")
    task = next(iter(queries.open_tasks_for(current_user, instance)), None)
    return redirect(url_for(".task", task_id=task.id) if task else url_for(".application", instance_id=instance_id))


@bp.get("/inbox")
@login_required
def inbox() -> str:
    user = current_user._get_current_object()  # the proxy would look the user up again at each of the reads below
    sort = request.args.get("sort", "newest")
    filters = InboxFilter.from_args(request.args)
    page = queries.inbox_rows(
        user, sort=sort, filters=filters, page=max(request.args.get("page", 1, type=page_number), 1)
    )
    processes, steps = filter_options(queries.startable_processes)
    saved = saved_view_tabs(user)
    counts = queries.count_inbox_views(user, [view_filter(v.filters) for v in saved])
    return render_template(
        "workflow/inbox.html",
        page=page,
        sort=sort,
        filters=filters,
        args=filters.as_args(),
        rows=inbox_page_rows(page.items, role_label, clock.now(), user.id),
        task_link=url_for(".task", task_id=1)[:-1],
        processes=processes,
        steps=steps,
        option_tags=option_tags,
        tabs=list(zip(saved, counts, strict=True)),
        view_id=request.args.get("view", type=int),
        known_process=not filters.process or filters.process in catalog().current,
    )


@bp.get("/inbox/export")
@login_required
def export_inbox() -> Response:
    params = {"filters": InboxFilter.from_args(request.args).as_args(), "sort": request.args.get("sort", "newest")}
    return respond_with_export("inbox", params, f"inbox-{clock.today().isoformat()}.xlsx")


@bp.get("/inbox/done/export")
@login_required
def export_done() -> Response:
    return respond_with_export("done", {}, f"done-{clock.today().isoformat()}.xlsx")


@bp.post("/inbox/views")
@login_required
def save_inbox_view() -> Response:
    view = save_view(
        current_user, request.form.get("name", ""), InboxFilter.from_args(request.form), request.form.get("sort", "")
    )
    flash(gettext("已保存视图「%(name)s」", name=view.name), "success")
    return redirect(url_for(".inbox", view=view.id, sort=view.sort, **view.filters))


@bp.post("/inbox/views/<int:view_id>/delete")
@login_required
def delete_inbox_view(view_id: int) -> Response:
    delete_view(current_user, view_id)
    flash(gettext("已删除视图"), "success")
    return redirect(url_for(".inbox"))


@bp.post("/inbox/claim")
@login_required
def bulk_claim() -> Response:
    result = claim_tasks(request.form.getlist("task_id", type=int), current_user)
    flash(gettext("已认领 %(n)d 项任务", n=len(result.claimed)), "success")
    for task_id, message in result.refused:
        flash(gettext("任务 %(id)d 未能认领：%(why)s", id=task_id, why=message), "error")
    return redirect(request.referrer or url_for(".inbox"))


@bp.get("/inbox/done")
@login_required
def done_tasks() -> str:
    page = queries.list_done(current_user, page=max(request.args.get("page", 1, type=page_number), 1))
    return render_template("workflow/done.html", page=page, roles=role_labels())


def _render_task(task_id: int, data: dict | None = None, errors: dict | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    task = visible_task(current_user, task_id)
    instance = task.instance
    use_society_of_process(instance.process_id)
    version = services.version_of(instance)
    form = version.forms[task.form_key or ""]
    shown = data if data is not None else draft_of(task, current_user.id) or {}
    options = field_options(task, version, shown=shown) if task.status == "open" else {}
    searched = searched_fields(task, version) if task.status == "open" else []
    urls = {name: url_for("choices.search", task_id=task.id, field=name) for name in searched}
    typed = {name: request.form.get(f"{name}__label", "") for name in searched} if data is not None else {}
    html = render_form(form, shown, errors or {}, options=options, search_urls=urls, typed=typed)
    timeline = timeline_view(queries.timeline(instance))
    return render_template(
        "workflow/task.html",
        task=task,
        instance=instance,
        form=form,
        form_html=html,
        roles=role_labels(),
        submissions=submissions_view(instance, version),
        timeline=timeline,
        notice=applicant_notice(timeline) if task.user_id is not None else None,
        panel=render_panel(form.ui.get("panel"), instance) if task.status == "open" else None,
        is_applicant_task=task.user_id is not None,
        actions=services.APPLICANT_ACTIONS,
        applicant=applicant_panel(instance) if task.user_id is None else None,
        labels=STATUS_LABELS,
    ), status


@bp.get("/tasks/<int:task_id>")
@login_required
def task(task_id: int):  # type: ignore[no-untyped-def]
    return _render_task(task_id)


@bp.post("/tasks/<int:task_id>")
@login_required
def submit(task_id: int):  # type: ignore[no-untyped-def]
    task = visible_task(current_user, task_id)
    version = services.version_of(task.instance)
    form = version.forms[task.form_key or ""]
    data, upload_errors = parse_form(
        form,
        request.form,
        request.files,
        draft_of(task, current_user.id) or {},
        upload_store(task, current_user.id),
    )
    data |= _typed_organizations(task, version, data)
    try:
        if request.form.get("action") == "draft" or upload_errors:
            services.save_draft(task_id, current_user, data)
            if upload_errors:  # the accepted uploads and typed fields are kept as a draft (422 commits)
                raise Invalid(gettext("部分附件未能上传，请按提示处理"), upload_errors)
            flash(gettext("草稿已保存，下次登录后可继续填写"), "success")
            return redirect(url_for(".task", task_id=task_id))
        if form.ui.get("navField"):  # R-FIL-7: the 上一步 button
            data[form.ui["navField"]] = "back" if request.form.get("action") == "back" else "next"
        instance = services.submit_task(task_id, current_user, data)
    except Invalid as err:
        flash(err.message, "error")
        return _render_task(task_id, data, err.field_errors, 422)
    except FaceCheckRequired as err:  # the draft is saved; back here after the face check
        flash(err.message, "error")
        return redirect(url_for("identity.verify", next=url_for(".task", task_id=task_id)))
    nxt = next(iter(queries.open_tasks_for(current_user, instance)), None)
    if nxt is not None and nxt.user_id == current_user.id:  # a notice agreed to, a page of several: not sent yet
        flash(gettext("请继续：%(step)s", step=translate_data(nxt.name)), "info")
        return redirect(url_for(".task", task_id=nxt.id))
    flash(gettext("已提交"), "success")
    return redirect(
        url_for(".application", instance_id=instance.id)
        if instance.applicant_id == current_user.id
        else url_for(".inbox")
    )


def _typed_organizations(task: HumanTask, version: ProcessVersion, data: dict[str, Any]) -> dict[str, int]:
    """A searched organisation field sent with a name typed in full but none chosen (or without the page script):
    the organisation it names exactly."""
    labels = {name: request.form.get(f"{name}__label", "") for name in searched_fields(task, version)}
    return typed_organizations(task, version, {n: t for n, t in labels.items() if t.strip() and data.get(n) is None})


@bp.post("/tasks/<int:task_id>/autosave")
@login_required
def autosave(task_id: int) -> Response:
    """The page's script saves the fields typed so far a few seconds after typing stops and when the page is left,
    and the files chosen in it at once, so that leaving and coming back keeps them; counted by no rate limit, and
    it takes no instance lock (keep_draft shares the task's row), so other tabs never see a conflict. The answer gives
    the kept files' lists to show."""
    task = visible_task(current_user, task_id)
    form = services.version_of(task.instance).forms[task.form_key or ""]
    previous = draft_of(task, current_user.id) or {}
    data, upload_errors = parse_form(form, request.form, request.files, previous, upload_store(task, current_user.id))
    saved = services.save_draft(task_id, current_user, data)
    return jsonify(
        saved_at=clock.format_local(saved.saved_at)[-5:],  # hh:mm of the association's clock
        files=render_attachment_lists(form, saved.draft) if request.files else {},
        errors=upload_errors,
    )


@bp.post("/tasks/<int:task_id>/<any(claim, unclaim):action>")
@login_required
def claim(task_id: int, action: str) -> Response:
    (services.claim_task if action == "claim" else services.unclaim_task)(task_id, current_user)
    flash(gettext("已认领") if action == "claim" else "已取消认领", "success")
    return redirect(request.referrer or url_for(".task", task_id=task_id))
