"""Runs a scenario through the real services (start, submit, due timers) on the current database session.

The caller provides the database: the pytest session's (tests/processes/test_scenarios.py) or a throwaway one
(app/scenarios/sandbox.py). The clock moves with `clock.advance`; inside `clock.own_clock()` only that context's.
"""

import io
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app import clock
from app.accounts.models import FaceSession, User
from app.errors import DomainError
from app.extensions import db
from app.files.services import as_form_value, store_upload
from app.members.models import Member
from app.organizations.models import Organization
from app.scenarios.spec import Scenario, ScenarioError, Step
from app.workflow import services
from app.workflow.models import HumanTask, ProcessInstance
from app.workflow.timers import due_instance_ids, fire_instance_timers


class _Run:
    def __init__(self, scenario: Scenario, world: Any) -> None:
        self.s, self.world = scenario, world
        self.applicant = self.person(scenario.applicant, scenario.line)
        self.instance: ProcessInstance | None = None
        self.uploads = 0

    def fail(self, line: int | None, message: str) -> ScenarioError:
        return ScenarioError(self.s.file, line, f"{self.s.name}: {message}")

    def person(self, ref: str, line: int) -> User:
        if ref == "applicant" and getattr(self, "applicant", None) is not None:
            return self.applicant
        found = getattr(self.world, ref, None)
        if isinstance(found, User):
            return found
        user = db.session.scalar(select(User).where(User.mobile == ref))
        if user is None:
            raise self.fail(line, _("未知的人员 %(r)r（演示数据中的名称如 local_reviewer，或手机号）", r=ref))
        return user

    def value(self, value: Any, actor: User, line: int) -> Any:
        """`$upload` → one uploaded image of the actor; `$name` → a demo organisation's or person's id."""
        if isinstance(value, list):
            return [self.value(v, actor, line) for v in value]
        if not (isinstance(value, str) and value.startswith("$")):
            return value
        name = value[1:]
        if name == "upload":
            self.uploads += 1
            buf = io.BytesIO()
            Image.new("RGB", (8, 8), (self.uploads % 256, 90, 140)).save(buf, "PNG")
            buf.seek(0)
            return [as_form_value(store_upload(FileStorage(buf, filename=f"scan{self.uploads}.png"), actor.id))]
        found = getattr(self.world, name, None)
        if isinstance(found, Organization | User):
            return found.id
        org = db.session.scalar(select(Organization.id).where(Organization.name == name))
        if org is None:
            raise self.fail(line, _("未知的引用 %(v)r", v=value))
        return org

    def member(self) -> Member | None:
        db.session.expire_all()
        rows = list(db.session.scalars(select(Member).where(Member.user_id == self.applicant.id).order_by(Member.id)))
        return next((m for m in rows if m.status == "active"), rows[-1] if rows else None)

    def open_task(self) -> HumanTask | None:
        assert self.instance is not None
        stmt = select(HumanTask).where(HumanTask.instance_id == self.instance.id, HumanTask.status == "open")
        return db.session.scalars(stmt.order_by(HumanTask.id)).first()

    def start(self, step: Step) -> None:
        try:
            self.instance = services.start_process(self.s.process_id, self.applicant)
        except DomainError as err:
            if step.refused and step.refused in err.message:
                return
            raise self.fail(step.line, _("发起被拒绝：%(m)s", m=err.message)) from None
        if step.refused:
            raise self.fail(step.line, _("预期发起被拒绝（%(r)s），实际已发起", r=step.refused))

    def complete(self, step: Step) -> None:
        if self.instance is None:
            raise self.fail(step.line, _("尚未发起就要办理任务"))
        task = self.open_task()
        if task is None or task.bpmn_id != step.task:
            where = task.bpmn_id if task else "no open task"
            raise self.fail(step.line, _("预期待办任务 %(t)s，实际为 %(w)s", t=step.task, w=where))
        actor = self.person(step.by, step.line)
        data = {k: self.value(v, actor, step.line) for k, v in step.data.items()}
        if step.face_check:  # R-ACC-2: the person passes the face check just before submitting
            db.session.add(FaceSession(id=uuid.uuid4().hex, user_id=actor.id, status="passed", decided_at=clock.now()))
        try:
            services.submit_task(task.id, actor, data)
        except DomainError as err:
            if step.refused and step.refused in (err.message + " ".join(err.field_errors.values())):
                return
            raise self.fail(
                step.line,
                _("%(t)s 提交被拒绝：%(m)s %(f)s", t=step.task, m=err.message, f=err.field_errors or "").strip(),
            ) from None
        if step.refused:
            raise self.fail(step.line, _("预期 %(t)s 提交被拒绝（%(r)s）", t=step.task, r=step.refused))

    def timer(self, step: Step) -> None:
        clock.advance(timedelta(days=step.days))
        for instance_id in due_instance_ids():
            fire_instance_timers(instance_id)
        db.session.flush()

    def check(self) -> None:
        expect, line = self.s.expect, self.s.expect.line if self.s.expect else self.s.line
        if not expect:
            return
        if self.instance is None:
            raise self.fail(line, _("写了预期结果，但没有发起申请"))
        db.session.refresh(self.instance)
        done = list((self.instance.progress or {}).get("done", []))
        if "path" in expect:
            remaining = iter(done)
            missing = [e for e in expect["path"] if e not in remaining]  # an ordered subsequence of what was done
            if missing:
                raise self.fail(
                    expect.key_lines["path"], _("未按路径 %(p)s 办理；实际完成：%(d)s", p=expect["path"], d=done)
                )
        for key in ("status", "outcome"):
            if key in expect and getattr(self.instance, key) != expect[key]:
                raise self.fail(
                    expect.key_lines[key],
                    _("%(k)s 为 %(g)r，预期 %(w)r", k=key, g=getattr(self.instance, key), w=expect[key]),
                )
        if "outcome_contains" in expect and str(expect["outcome_contains"]) not in (self.instance.outcome or ""):
            outcome = self.instance.outcome
            raise self.fail(expect.key_lines["outcome_contains"], _("结果为 %(o)r，不含预期文字", o=outcome))
        if "open_task" in expect:
            task = self.open_task()
            if (task.bpmn_id if task else None) != expect["open_task"]:
                raise self.fail(expect.key_lines["open_task"], _("待办任务为 %(t)r", t=task.bpmn_id if task else None))
        if "member" in expect:
            member = self.member()
            if member is None:
                raise self.fail(expect.key_lines["member"], _("申请人没有会员记录"))
            for name, want in expect["member"].items():
                want = self.value(want, self.applicant, expect.line)
                got: Any = getattr(member, name, None)
                got = got.isoformat() if isinstance(got, date) else got
                if got != want:
                    raise self.fail(
                        expect["member"].key_lines.get(name),
                        _("会员 %(n)s 为 %(g)r，预期 %(w)r", n=name, g=got, w=want),
                    )


def run_scenario(scenario: Scenario, world: Any) -> None:
    """Run one scenario; raises ScenarioError (file, line, what differed) when it does not go as written."""
    if scenario.today is not None:  # the scenario's day, 10:00 at the association
        start = datetime.combine(scenario.today, time(10), clock.zone()).astimezone(UTC)
        clock.advance(start - clock.now())
    run = _Run(scenario, world)
    member = run.member()
    if scenario.member:
        if member is None:
            raise run.fail(scenario.line, _("given 写了会员字段，但申请人没有会员记录"))
        for name, value in scenario.member.items():
            if not hasattr(member, name):
                raise run.fail(scenario.line, _("会员记录没有字段 %(n)r", n=name))
            value = run.value(value, run.applicant, scenario.line)
            if isinstance(value, str) and Member.__table__.c[name].type.python_type is date:
                value = date.fromisoformat(value)
            setattr(member, name, value)
        db.session.flush()
    for step in scenario.steps:
        getattr(run, step.kind)(step)
    run.check()
