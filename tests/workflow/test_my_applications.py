"""我的申请 by year (R-REC-1): the year is the association's (Beijing) calendar year, on the page and in the API."""

from app.extensions import db
from app.workflow import services
from app.workflow.queries import list_applications
from tests.workflow.test_views import login


def test_an_application_started_after_beijing_midnight_belongs_to_the_new_year(client, world, clock_at):
    """R-REC-1: started at 00:30 on 1 January 2027 Beijing time (still 2026 in UTC), listed under 2027."""
    clock_at("2026-12-31T16:30")
    instance = services.start_process("join_practicing", world.applicant)
    assert list_applications(world.applicant, 2027) == [instance]
    assert list_applications(world.applicant, 2026) == []
    db.session.commit()
    login(client, world.applicant)
    page = client.get("/applications").get_data(as_text=True)
    assert 'class="current">2027 年' in page and f"/applications/{instance.id}" in page
    assert client.get("/api/v1/instances").json["year"] == 2027


def test_an_application_started_before_beijing_midnight_stays_in_the_old_year(world, clock_at):
    """R-REC-1: started at 23:30 on 31 December Beijing time, listed under 2026."""
    clock_at("2026-12-31T15:30")
    instance = services.start_process("join_practicing", world.applicant)
    assert list_applications(world.applicant, 2026) == [instance]
    assert list_applications(world.applicant, 2027) == []


def test_a_year_at_the_edge_of_the_calendar_lists_nothing(client, world):
    """R-REC-1: any year a person can type answers an empty list, not a server error."""
    login(client, world.applicant)
    for year in (1, 9999, 99999):
        assert client.get(f"/applications?year={year}").status_code == 200
    assert client.get("/api/v1/instances?year=9999").json["items"] == []
