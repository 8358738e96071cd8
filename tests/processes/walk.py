"""Helpers for walking a process through the services in tests: find people, tasks, decide, set facts."""

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.members.models import Member
from app.workflow import services
from app.workflow.models import HumanTask


def person(mobile):
    return db.session.scalars(select(User).where(User.mobile == mobile)).one()


def member_of(user):
    db.session.expire_all()
    return db.session.scalars(select(Member).where(Member.user_id == user.id, Member.status == "active")).one()


def open_task(instance):
    db.session.expire_all()
    return db.session.scalars(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    ).one()


def review(instance, reviewer, decision="approve", comment=None):
    data = {"decision": decision, **({"comment": comment} if comment else {})}
    services.submit_task(open_task(instance).id, reviewer, data)


def set_member(user, **fields):
    member = member_of(user)
    for k, v in fields.items():
        setattr(member, k, v)
    db.session.flush()
