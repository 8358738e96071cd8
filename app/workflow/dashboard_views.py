"""The workload dashboard page (issue 15 item 4): charts and the same numbers as a table, each number a link —
to the filtered inbox where the row is the viewer's own inbox, else one level down the dashboard."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug import Response

from app import clock
from app.admin.export_views import respond as respond_with_export
from app.engine.specs import catalog
from app.organizations.societies import role_labels
from app.workflow.charts import Bar, bar_chart, column_chart
from app.workflow.workload import DEFAULT_PERIOD, PERIODS, StepRow, Workload, oversight, workload

bp = Blueprint("workload", __name__)


@dataclass
class Cell:
    value: str
    href: str | None


@bp.get("/workload/applications/export")
@login_required
def export_applications() -> Response:
    """The applications list of what the dashboard covers, filtered (business, status, submitted from/to)."""
    params: dict[str, Any] = {k: request.args.get(k, "")[:80] for k in ("process", "status", "from", "to")}
    params = {k: v for k, v in params.items() if v}
    for key in ("from", "to"):
        if key in params:
            try:
                params[key] = date.fromisoformat(params[key]).isoformat()
            except ValueError:
                del params[key]
    if request.args.get("org", type=int):
        params["org"] = request.args.get("org", type=int)
    return respond_with_export("applications", params, f"applications-{clock.today().isoformat()}.xlsx")


@bp.get("/workload")
@login_required
def dashboard() -> str:
    focus = request.args.get("org", type=int)
    days = request.args.get("days", DEFAULT_PERIOD, type=int)
    days = days if days in PERIODS else DEFAULT_PERIOD
    scope = oversight(current_user, focus)
    data = workload(current_user, focus=focus, days=days)
    links = _Links(scope.own, focus, days)
    return render_template(
        "workflow/dashboard.html",
        data=data,
        days=days,
        periods=PERIODS,
        focus=focus,
        focus_name=data.org_names.get(focus or 0) if focus else None,
        process_names=_process_names(data),
        roles=role_labels(),
        table=[(r, links.cells(r)) for r in data.rows],
        org_chart=_org_chart(data, links),
        step_chart=_step_chart(data, links, _process_names(data)),
        week_chart=_week_chart(data),
        weeks=[(clock.local_date(start), n) for start, n in data.weeks],
        hours=_hours,
    )


class _Links:
    def __init__(self, own: frozenset[tuple[str, int]], focus: int | None, days: int) -> None:
        self.own, self.focus, self.days = own, focus, days
        self.own_orgs = {org for _, org in own}
        self.own_roles = {role for role, _ in own}

    def inbox(self, row: StepRow, **extra: Any) -> str | None:
        if (row.role, row.org_id) not in self.own:
            return None
        return url_for("workflow.inbox", process=row.process_id, step=row.step, **extra)

    def drill(self, org_id: int) -> str | None:
        return None if org_id == self.focus else url_for(".dashboard", org=org_id, days=self.days)

    def cells(self, row: StepRow) -> list[Cell]:
        down = self.drill(row.org_id) if (row.role, row.org_id) not in self.own else None
        return [
            Cell(str(row.open), self.inbox(row) or down),
            Cell(str(row.overdue), self.inbox(row, due="overdue") or down),
            Cell(str(row.done), down),
            Cell(_hours(row.avg_hours), down),
            Cell(_hours(row.p90_hours), down),
        ]

    def org(self, org_id: int, **extra: Any) -> str | None:
        if org_id in self.own_orgs:
            return url_for("workflow.inbox", **extra)
        return self.drill(org_id)


def _hours(value: float | None) -> str:
    if value is None:
        return "—"
    return _("%(n).1f 天", n=value / 24) if value >= 48 else _("%(n).1f 小时", n=value)


def _process_names(data: Workload) -> dict[str, str]:
    cat = catalog()
    ids = {r.process_id for r in data.rows}
    return {pid: cat.process(pid).name if pid in cat.current else pid for pid in ids}


def _org_chart(data: Workload, links: _Links):  # type: ignore[no-untyped-def]
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in data.rows:
        totals[r.org_id][0] += r.open
        totals[r.org_id][1] += r.overdue
    bars = [
        Bar(
            data.org_names.get(org, str(org)),
            [float(o), float(late)],
            [str(o), str(late)],
            [links.org(org), links.org(org, due="overdue")],
        )
        for org, (o, late) in sorted(totals.items(), key=lambda kv: -kv[1][0])
        if o
    ]
    return bar_chart(
        _("各机构在办与超期任务"), _("每个机构一组：在办任务数与其中已超期的任务数"), [_("在办"), _("超期")], bars
    )


def _step_chart(data: Workload, links: _Links, names: dict[str, str]):  # type: ignore[no-untyped-def]
    bars = []
    for r in data.steps:
        href = url_for("workflow.inbox", process=r.process_id, step=r.step) if r.role in links.own_roles else None
        bars.append(
            Bar(
                f"{names.get(r.process_id, r.process_id)} · {r.step}",
                [r.avg_hours or 0.0, r.p90_hours or 0.0],
                [_hours(r.avg_hours), _hours(r.p90_hours)],
                [href, href],
            )
        )
    return bar_chart(
        _("各步骤办理时长"),
        _("每个步骤一组：从到达到办结的平均时长与 90%% 分位时长（近 %(n)d 天办结的任务）", n=links.days),
        [_("平均"), _("P90")],
        bars,
    )


def _week_chart(data: Workload):  # type: ignore[no-untyped-def]
    columns: list[tuple[str, int, str | None]] = []
    for start, n in data.weeks:
        first = clock.local_date(start)
        last = first + timedelta(days=6)
        href = url_for("workflow.inbox", arrived_from=first.isoformat(), arrived_to=last.isoformat())
        columns.append((first.strftime("%m-%d"), n, href))
    return column_chart(_("每周到达任务"), _("近 12 周每周到达的审核任务数，按周起始日期"), columns)
