"""Issue 15 item 5: the applicant is told (in-app and SMS) of a return, an approval, a rejection and a timer."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.notify.inapp import set_sms_enabled, set_sms_events, sms_off, unread_count
from app.notify.messages import EVENT_LABELS, TEMPLATES
from app.notify.models import Notification, OutboxMessage
from app.workflow import services
from app.workflow.models import ProcessInstance
from app.workflow.timers import fire_instance_timers
from tests.processes.test_join_non_practicing import apply
from tests.processes.test_status_full import open_task, review
from tests.workflow.drafts import typed
from tests.workflow.test_views import login


def messages(user):
    db.session.expire_all()
    return list(
        db.session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    )


def outbox(user):
    return list(db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == user.mobile)))


def test_a_return_reaches_the_applicant_in_app_and_by_sms(world, upload):
    instance = apply(world, upload, world.applicant, world.local_bj)
    review(instance, world.local_reviewer, "return", "请补充学历证明")
    db.session.commit()
    [note] = messages(world.applicant)
    assert (note.event, note.instance_id, note.title) == ("returned", instance.id, "申请被退回")
    assert "请补充学历证明" in note.body and "地方协会审核" in note.body
    [sms] = [b for b in outbox(world.applicant) if "退回" in b]
    assert sms.startswith("【") and "请补充学历证明" in sms


def test_approval_and_rejection_are_told_once_each(world, upload):
    approved = apply(world, upload, world.applicant, world.local_bj)
    review(approved, world.local_reviewer)
    db.session.commit()
    assert messages(world.applicant) == []  # a step's approval is not the outcome
    review(approved, world.national_reviewer)
    db.session.commit()
    rejected = apply(world, upload, world.returning, world.local_bj)
    review(rejected, world.local_reviewer)
    review(rejected, world.national_reviewer, "reject", "资格信息不符")
    db.session.commit()
    assert [n.event for n in messages(world.applicant)] == ["approved"]
    assert "已成为非执业会员" in messages(world.applicant)[0].body
    assert [n.event for n in messages(world.returning)] == ["rejected"]
    assert any("未予通过" in b for b in outbox(world.returning))


def test_nothing_is_told_when_the_transaction_rolls_back(world, upload):
    instance = apply(world, upload, world.applicant, world.local_bj)
    db.session.commit()
    review(instance, world.local_reviewer, "return", "请补充")
    db.session.rollback()
    db.session.commit()
    assert messages(world.applicant) == [] and not any("退回" in b for b in outbox(world.applicant))


def test_sms_switched_off_keeps_the_in_app_message(world, upload):
    set_sms_enabled(world.applicant, False)
    instance = apply(world, upload, world.applicant, world.local_bj)
    review(instance, world.local_reviewer, "return", "请补充学历证明")
    db.session.commit()
    assert [n.event for n in messages(world.applicant)] == ["returned"]
    assert not any("退回" in b for b in outbox(world.applicant))


def test_a_timer_outcome_is_told(world, upload, monkeypatch):
    """R-TRF-4: the old firm does not act in 7 days; the applicant learns that it counts as approval."""
    from tests.processes.test_transfer import apply as apply_transfer
    from tests.processes.walk import person

    monkeypatch.setattr("app.workflow.services.passed_face_check_recently", lambda user: True)  # R-ACC-2 elsewhere
    instance = apply_transfer(world, upload, person("13800000003"), world.firm_bj2)
    db.session.commit()
    clock.advance(timedelta(days=7, minutes=1))
    assert fire_instance_timers(instance.id)
    db.session.commit()
    notes = [n for n in messages(instance.applicant) if n.event == "timer"]
    assert len(notes) == 1 and "7 天内未处理将视为同意" in notes[0].body


def test_bell_counts_unread_and_opening_reads(world, upload, client):
    instance = apply(world, upload, world.applicant, world.local_bj)
    review(instance, world.local_reviewer, "return", "请补充")
    db.session.commit()
    login(client, world.applicant)
    html = client.get("/").get_data(as_text=True)
    assert 'class="bell"' in html and '<span class="count">1</span>' in html
    note = messages(world.applicant)[0]
    resp = client.get(f"/messages/{note.id}")
    assert resp.headers["Location"].endswith(f"/applications/{instance.id}")
    assert unread_count(world.applicant) == 0


def test_the_bell_counts_a_message_written_in_this_transaction(world):
    """The count runs on the connection, past the ORM's autoflush: a message added and not yet flushed (a page that
    tells its viewer something, then shows the header) is counted all the same."""
    before = unread_count(world.applicant)
    db.session.add(
        Notification(
            user_id=world.applicant.id, event="returned", title="申请被退回", body="请补充", created_at=clock.now()
        )
    )
    assert unread_count(world.applicant) == before + 1


def test_home_page_leads_with_returned_items(world, upload, client):
    instance = apply(world, upload, world.applicant, world.local_bj)
    review(instance, world.local_reviewer, "return", "请补充学历证明")
    db.session.commit()
    login(client, world.applicant)
    html = client.get("/").get_data(as_text=True)
    assert html.index("退回待修改") < html.index("<h1>办理业务</h1>")
    assert "请补充学历证明" in html and f"/tasks/{open_task(instance).id}" in html
    services.submit_task(open_task(instance).id, world.applicant, typed(open_task(instance)))
    db.session.commit()
    assert "退回待修改" not in client.get("/").get_data(as_text=True)


def test_the_sms_switches_on_the_messages_page(world, client):
    from app.notify.inapp import sms_enabled

    login(client, world.applicant)
    page = client.get("/messages").get_data(as_text=True)
    assert page.count('name="sms"') == len(TEMPLATES) and 'value="returned" checked' in page
    client.post("/messages/settings", data={})
    db.session.expire_all()
    assert not sms_enabled(world.applicant)
    client.post("/messages/settings", data={"sms": ["approved", "timer", "no-such-event"]})
    db.session.expire_all()
    assert sms_off(world.applicant) == {"returned", "rejected", "completed", "digest"}
    page = client.get("/messages").get_data(as_text=True)
    assert 'value="approved" checked' in page and 'value="returned" >' in page


def test_every_event_has_a_switch():
    assert list(EVENT_LABELS) == list(TEMPLATES)


def test_sms_switched_off_for_returns_only(world, upload):
    """A return's SMS is off, an approval's stays on; the in-app messages of both are sent."""
    set_sms_events(world.applicant, [e for e in TEMPLATES if e != "returned"])
    instance = apply(world, upload, world.applicant, world.local_bj)
    review(instance, world.local_reviewer, "return", "请补充学历证明")
    db.session.commit()
    services.submit_task(open_task(instance).id, world.applicant, typed(open_task(instance)))
    review(instance, world.local_reviewer)
    review(instance, world.national_reviewer)
    db.session.commit()
    assert [n.event for n in messages(world.applicant)] == ["returned", "approved"]
    assert not any("退回" in b for b in outbox(world.applicant))
    assert any("已通过" in b for b in outbox(world.applicant))


def test_the_approval_reads_the_applicant_with_their_sms_setting(world, upload):
    """Issue 13: telling the applicant of the national approval reads them and their SMS switch in one statement;
    an approval's SMS switched off stays off."""
    from app.notify import hooks
    from app.notify.inapp import PENDING_SMS
    from tests.workflow.test_home_statements import counted

    set_sms_events(world.applicant, [e for e in TEMPLATES if e != "approved"])
    instance_id = apply(world, upload, world.applicant, world.local_bj).id
    db.session.expunge_all()  # a request of its own: neither the applicant nor their setting is read yet
    instance = db.session.get(ProcessInstance, instance_id)
    with counted() as n:
        hooks._tell(db.session, instance, "approved", outcome="已成为会员")
    assert n[0] == 1
    assert db.session.info.get(PENDING_SMS, []) == []  # switched off: no SMS at commit
    db.session.commit()
    assert [m.event for m in messages(world.applicant)] == ["approved"]


def test_an_applicant_who_chose_english_is_told_in_english(world, upload):
    """Issue 15 item 5, "in the user's language": the account's chosen language (its locale, set by the language
    switch) decides the message's; the messages read a `language` attribute that accounts do not have, so everyone
    was told in Chinese."""
    world.applicant.locale = "en"
    db.session.commit()
    instance = apply(world, upload, world.applicant, world.local_bj)
    review(instance, world.local_reviewer, "return", "请补充学历证明")
    db.session.commit()
    [note] = messages(world.applicant)
    assert note.title == "Application returned for revision"
    assert "请补充学历证明" in note.body and "申请被退回" not in note.body
    [sms] = [b for b in outbox(world.applicant) if "请补充学历证明" in b]
    assert "退回" not in sms
