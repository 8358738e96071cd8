"""Issue 15 item 4: the workload dashboard's numbers, who sees which organisations, and its links to the inbox."""

import html as htmllib
import re
from datetime import timedelta

import pytest

from app import clock
from app.errors import NotFound
from app.extensions import db
from app.workflow.workload import oversight, workload
from tests.workflow.inbox_rows import make_inbox_task
from tests.workflow.test_views import login

FIRM_STEP = "机构审核"


def firm_task(world, org, **kw):
    return make_inbox_task(world.applicant, org, role="firm", name=FIRM_STEP, **kw)


@pytest.fixture
def tasks(world):
    """北京中和: two open (one overdue), ten done in 1..10 hours; 北京协会 one open; 上海 one firm, one association."""
    overdue = firm_task(world, world.firm_bj, due_in=-1)
    firm_task(world, world.firm_bj, due_in=3)
    now = clock.now()
    for hours in range(1, 11):
        t = firm_task(world, world.firm_bj, arrived=now - timedelta(days=2, hours=hours))
        t.status, t.completed_at = "completed", t.created_at + timedelta(hours=hours)
    make_inbox_task(world.applicant, world.local_bj, arrived=now - timedelta(weeks=3))
    firm_task(world, world.firm_sh)
    make_inbox_task(world.returning, world.local_sh, due_in=-2)
    db.session.commit()
    return overdue


def rows_of(user, **kw):
    return {(r.org_id, r.role, r.step): r for r in workload(user, **kw).rows}


def test_a_firm_sees_its_own_steps_with_counts_and_handling_times(world, tasks):
    rows = rows_of(world.firm_reviewer)
    assert list(rows) == [(world.firm_bj.id, "firm", FIRM_STEP)]
    r = rows[(world.firm_bj.id, "firm", FIRM_STEP)]
    assert (r.open, r.overdue, r.done) == (2, 1, 10)
    assert r.avg_hours == pytest.approx(5.5, abs=0.01)
    assert r.p90_hours == pytest.approx(9.0, abs=0.01)  # the 9th shortest of ten (nearest rank)
    assert rows_of(world.other_firm_reviewer) == {}


def test_a_province_sees_itself_and_its_firms_only(world, tasks):
    rows = rows_of(world.local_reviewer)
    assert set(rows) == {
        (world.firm_bj.id, "firm", FIRM_STEP),
        (world.local_bj.id, "local_association", "转出地协会审核"),
    }
    assert rows[(world.local_bj.id, "local_association", "转出地协会审核")].open == 1


def test_the_national_association_sees_every_province_with_its_firms_rolled_up(world, tasks):
    rows = rows_of(world.national_reviewer)
    bj_firms = rows[(world.local_bj.id, "firm", FIRM_STEP)]
    assert (bj_firms.open, bj_firms.overdue, bj_firms.done) == (2, 1, 10)
    assert rows[(world.local_sh.id, "firm", FIRM_STEP)].open == 1
    assert rows[(world.local_sh.id, "local_association", "转出地协会审核")].overdue == 1
    # narrowed to one province: its firms one by one
    focused = rows_of(world.national_reviewer, focus=world.local_bj.id)
    assert set(focused) == {
        (world.firm_bj.id, "firm", FIRM_STEP),
        (world.local_bj.id, "local_association", "转出地协会审核"),
    }


def test_a_focus_outside_ones_oversight_is_not_found(world, tasks):
    with pytest.raises(NotFound):
        oversight(world.local_reviewer, world.firm_sh.id)


def test_arrivals_per_week(world, tasks):
    weeks = workload(world.local_reviewer).weeks
    assert len(weeks) == 12
    counts = [n for _, n in weeks]
    assert counts[-1] == 12 and counts[-4] == 1 and sum(counts) == 13


def test_step_times_over_all_organisations(world, tasks):
    steps = workload(world.national_reviewer).steps
    assert [(s.step, s.done) for s in steps] == [(FIRM_STEP, 10)]
    assert steps[0].p90_hours == pytest.approx(9.0, abs=0.01)


def test_the_page_links_numbers_to_the_filtered_inbox(world, tasks, client):
    overdue = tasks
    login(client, world.firm_reviewer)
    page = client.get("/workload")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<svg" in text and "<title" in text and 'role="img"' in text
    links = [htmllib.unescape(h) for h in re.findall(r'href="(/inbox\?[^"]*due=overdue[^"]*)"', text)]
    assert links, "the overdue number links to the inbox"
    inbox = client.get(links[0]).get_data(as_text=True)
    assert re.findall(r'href="/tasks/(\d+)"', inbox) == [str(overdue.id)]  # the one overdue task, nothing else


def test_the_national_page_drills_down_to_a_province(world, tasks, client):
    login(client, world.national_reviewer)
    text = client.get("/workload").get_data(as_text=True)
    assert f"/workload?org={world.local_bj.id}" in text
    assert client.get(f"/workload?org={world.local_bj.id}").status_code == 200
    login(client, world.local_reviewer)
    assert client.get(f"/workload?org={world.firm_sh.id}").status_code == 404


def test_the_application_list_export_covers_what_the_dashboard_covers(world, tasks, client):
    import io

    from openpyxl import load_workbook
    from sqlalchemy import select

    from app.admin.models import AdminAuditEntry

    def exported(**args):
        resp = client.get("/workload/applications/export", query_string=args)
        assert resp.status_code == 200, resp.status_code
        return [
            list(r) for r in load_workbook(io.BytesIO(resp.data), read_only=True).active.iter_rows(values_only=True)
        ]

    login(client, world.local_reviewer)
    rows = exported()
    assert rows[0][:5] == ["申请编号", "申请", "申请人", "身份证号", "状态"]
    assert len(rows) == 1 + 13  # 北京: the firm's twelve and the association's one; 上海's two are not there
    assert rows[1][3] == "110105********1239"
    assert len(exported(org=world.firm_bj.id)) == 1 + 12
    assert len(exported(**{"from": "2000-01-01", "to": "2000-01-31"})) == 1
    entry = db.session.scalars(select(AdminAuditEntry).where(AdminAuditEntry.action == "export.applications")).first()
    assert entry.details["rows"] == 13
    assert client.get(f"/workload/applications/export?org={world.firm_sh.id}").status_code == 404


def test_p90_and_average_are_the_nearest_rank_over_many_tasks_per_province_and_step(world):
    """The database's p90 (percentile_disc on PostgreSQL, the `p90` aggregate on SQLite) is the ⌈0.9·n⌉-th shortest
    of each group, as computed here over 301 done tasks of random length in three firms of two provinces."""
    import math
    import random

    rng, now = random.Random(15), clock.now()
    took: dict[int, list[float]] = {world.local_bj.id: [], world.local_sh.id: []}
    for k in range(301):
        firm = (world.firm_bj, world.firm_bj2, world.firm_sh)[k % 3]
        hours = rng.uniform(0.5, 300)
        t = firm_task(world, firm, arrived=now - timedelta(days=20, hours=hours))
        t.status, t.completed_at = "completed", t.created_at + timedelta(hours=hours)
        took[firm.local_association_id].append(hours)
    db.session.commit()

    def nearest_rank(values):
        return sorted(values)[math.ceil(0.9 * len(values)) - 1]

    data = workload(world.national_reviewer)
    by_province = {r.org_id: r for r in data.rows}
    for province, values in took.items():
        r = by_province[province]
        assert r.done == len(values)
        assert r.p90_hours == pytest.approx(nearest_rank(values), abs=1e-3)
        assert r.avg_hours == pytest.approx(sum(values) / len(values), abs=1e-3)
    (step,) = data.steps
    everything = took[world.local_bj.id] + took[world.local_sh.id]
    assert step.done == 301 and step.p90_hours == pytest.approx(nearest_rank(everything), abs=1e-3)
