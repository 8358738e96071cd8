"""What joining leaves behind: the member record dated by the Beijing day and filled from the application."""

from datetime import date

import pytest
from sqlalchemy import select

from app.engine.scripting import OPERATIONS
from app.extensions import db
from app.members.models import CoreFiling
from app.organizations.societies import Society, forget_societies
from app.workflow import services
from tests.api.test_completion_statements import captured
from tests.processes import test_join_non_practicing as non_practicing
from tests.processes.test_join_practicing import application, submit_application
from tests.processes.walk import member_of, open_task, review
from tests.workflow.test_views import login


def filings_of(member):
    rows = db.session.scalars(select(CoreFiling).where(CoreFiling.member_id == member.id))
    return {f.kind: f.attachment_id for f in rows}


def test_an_approval_at_0730_beijing_on_new_years_day_dates_the_member_that_day(world, upload, clock_at):
    """R-JOIN-3: the national approval at 2026-12-31T23:30Z is 07:30 on 1 January 2027 in Beijing."""
    instance = submit_application(world, upload)
    review(instance, world.firm_reviewer)
    review(instance, world.local_reviewer)
    clock_at("2026-12-31T23:30")
    review(instance, world.national_reviewer)
    member = member_of(world.applicant)
    assert (member.joined_on, member.practice_started_on) == (date(2027, 1, 1), date(2027, 1, 1))
    assert member.member_number == f"2027{member.id:06d}"


@pytest.mark.parametrize("kind", ["practicing", "non_practicing"])
def test_the_member_number_follows_the_series_of_the_approving_association(world, upload, kind):
    """R-JOIN-3, R-JOIN-4, issue 13 (the association's series is read with the answers, in one statement): the
    number carries the prefix of the association (society) whose local association admits the member."""
    series = db.session.get(Society, world.local_bj.society_id)
    assert series is not None
    series.member_number_prefix = "ZP"
    db.session.flush()
    forget_societies()
    if kind == "practicing":
        instance = submit_application(world, upload)
        review(instance, world.firm_reviewer)
    else:
        instance = non_practicing.apply(world, upload, world.applicant, world.local_bj)
    review(instance, world.local_reviewer)
    review(instance, world.national_reviewer)
    member = member_of(world.applicant)
    assert member.member_number == f"ZP{member.joined_on.year}{member.id:06d}"


def test_the_practicing_application_fills_the_member_record(client, world, upload):
    """R-JOIN-3, R-JOIN-5, R-INFO-2: photo and signature become the core filings, e-mail and education the basic
    information; after a return the resubmitted answers are the ones kept."""
    instance = submit_application(world, upload, email="zhangsan@example.com")
    review(instance, world.firm_reviewer, "return", "请更正学历")
    answers = application(world, upload, email="zhangsan@example.com", education="master")
    services.submit_task(open_task(instance).id, world.applicant, answers)
    for reviewer in (world.firm_reviewer, world.local_reviewer, world.national_reviewer):
        review(instance, reviewer)
    assert instance.status == "approved"
    member = member_of(world.applicant)
    assert filings_of(member) == {"photo": answers["photo"][0]["id"], "signature": answers["signature"][0]["id"]}
    assert (member.email, member.education) == ("zhangsan@example.com", "master")
    db.session.commit()

    login(client, world.applicant)
    center = client.get("/center").get_data(as_text=True)
    assert 'value="zhangsan@example.com"' in center and '<option value="master" selected>' in center
    assert "尚无备案" not in center and f"/files/{answers['photo'][0]['id']}" in center
    login(client, world.local_reviewer)
    listed = client.get(f"/association/members?q={member.member_number}").get_data(as_text=True)
    assert member.member_number in listed and "缺少头像" not in listed and "完整" in listed
    staff_page = client.get(f"/association/members/{member.id}").get_data(as_text=True)
    assert "当前照片" in staff_page and "zhangsan@example.com" in staff_page and "硕士研究生" in staff_page


def test_the_non_practicing_application_fills_the_member_record(world, upload):
    """R-JOIN-4, R-INFO-2: the same for a non-practicing member, who has no practice months."""
    instance = non_practicing.apply(world, upload, world.applicant, world.local_bj)
    review(instance, world.local_reviewer)
    review(instance, world.national_reviewer)
    member = member_of(world.applicant)
    assert set(filings_of(member)) == {"photo", "signature"}
    assert (member.education, member.practice_started_on) == ("master", None)
    assert member.employer == "北京某大学"


def test_position_and_major_typed_on_the_application_are_kept_and_shown_in_the_personal_center(client, world, upload):
    """Issue 16, R-INFO-2: 职务 and 所学专业, asked on the joining application beside 学历, were dropped at
    approval; they are basic information the member keeps and edits in the personal center."""
    instance = submit_application(world, upload, position="项目经理", major="资产评估")
    for reviewer in (world.firm_reviewer, world.local_reviewer, world.national_reviewer):
        review(instance, reviewer)
    member = member_of(world.applicant)
    assert (member.position, member.major, member.education) == ("项目经理", "资产评估", "bachelor")
    db.session.commit()

    login(client, world.applicant)
    center = client.get("/center").get_data(as_text=True)
    assert 'name="position" value="项目经理"' in center and 'name="major" value="资产评估"' in center
    saved = client.post("/center/basic", data={"education": "master", "position": "部门经理", "major": "会计"})
    assert saved.status_code == 302
    member = member_of(world.applicant)
    assert (member.position, member.major, member.education) == ("部门经理", "会计", "master")
    client.post("/center/basic", data={"position": "长" * 51})
    assert member_of(world.applicant).position == "部门经理"  # refused with the reason, nothing changed


def test_the_national_approval_admits_the_member_in_four_statements(world, upload, monkeypatch):
    """Issue 13, R-JOIN-3, R-INFO-1, R-INFO-2: the application with the firm's local association (the number
    series) in one statement, then the member, its number and its core filings: one statement each, whatever the
    number of filings (the engine run's savepoint, opened at the operation's first statement on PostgreSQL, is not
    the operation's)."""
    admit, spent = OPERATIONS["members/admit_member"], []

    def admit_counted(**params):
        with captured() as statements:
            result = admit(**params)
        spent.append(len([s for s in statements if not s.startswith("SAVEPOINT")]))
        return result

    monkeypatch.setitem(OPERATIONS, "members/admit_member", admit_counted)
    instance = submit_application(world, upload, email="zhangsan@example.com")
    for reviewer in (world.firm_reviewer, world.local_reviewer, world.national_reviewer):
        review(instance, reviewer)
    assert instance.status == "approved"
    member = member_of(world.applicant)
    assert set(filings_of(member)) == {"photo", "signature"} and member.email == "zhangsan@example.com"
    assert spent == [4]
