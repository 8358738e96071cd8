"""Migrating running instances (issue 17 item 5): dry run with reasons, migrate, finish on the new version, inbox."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.admin.models import AdminAuditEntry
from app.consistency import check_instances
from app.extensions import db
from app.migration.apply import migrate_instances
from app.migration.plan import dry_run, list_versions, short
from app.workflow import services
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance
from tests.migration.conftest import FIXTURES, start_mig


def open_task(instance_id: int) -> HumanTask:
    db.session.expire_all()
    stmt = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
    return db.session.scalars(stmt).one()


def advance(instance, user, steps: int) -> None:
    for _ in range(steps):
        services.submit_task(open_task(instance.id).id, user, {"agree_rules": True})


@pytest.fixture
def three_on_v1(world, use_version):
    """Instances of v1 at Task_A, Task_B and Task_C; then v2 is loaded (Task_C gone, Task_N added, Task_A renamed
    with a due time)."""
    v1 = use_version("v1")
    at_a, at_b, at_c = (start_mig(world.applicant) for _ in range(3))
    advance(at_b, world.applicant, 1)
    advance(at_c, world.applicant, 2)
    db.session.commit()
    v2 = use_version("v2")
    return v1, v2, (at_a.id, at_b.id, at_c.id)


def test_the_dry_run_says_which_can_move_and_why_not_and_writes_nothing(three_on_v1):
    v1, v2, (at_a, at_b, at_c) = three_on_v1
    assert [(v.label, v.running, v.current) for v in list_versions("mig")] == [
        (short(v2), 0, True),
        (short(v1), 3, False),
    ]
    verdicts = {v.instance_id: v for v in dry_run("mig", short(v1), short(v2))}
    assert verdicts[at_a].movable and verdicts[at_b].movable  # renamed and given a due time: still the same step
    assert verdicts[at_c].reasons == ["当前步骤「旧步骤」在新版本中已不存在（被其他步骤取代）"]
    assert {i.spec_key for i in db.session.scalars(select(ProcessInstance))} == {v1}


def test_a_changed_form_on_the_waiting_step_keeps_the_instance_on_its_version(three_on_v1, use_version, tmp_path):
    v1, _, (at_a, at_b, _) = three_on_v1
    (tmp_path / "p").mkdir()
    text = (FIXTURES / "v2" / "mig.bpmn").read_text()
    block = re.search(r'<bpmn:userTask id="Task_B".*?</bpmn:userTask>', text, re.S).group(0)
    (tmp_path / "p" / "mig.bpmn").write_text(text.replace(block, block.replace("join_notice", "resign_apply")))
    v3 = use_version("v3", tmp_path / "p")
    verdicts = {v.instance_id: v for v in dry_run("mig", short(v1), short(v3))}
    assert verdicts[at_a].movable
    assert verdicts[at_b].reasons == ["当前步骤「确认」的 formKey 在新版本中不同，须在原版本上办完"]


def test_migrated_instances_keep_their_tasks_follow_the_new_version_and_finish_on_it(three_on_v1, world):
    v1, v2, (at_a, at_b, at_c) = three_on_v1
    applicant_id = world.applicant.id
    before = open_task(at_a)
    report = migrate_instances("mig", short(v1), short(v2), world.admin)
    assert sorted(report.moved) == [at_a, at_b] and list(report.skipped) == [at_c]

    after = open_task(at_a)
    assert (after.id, after.task_uuid) == (before.id, before.task_uuid)  # the same inbox row: claims and drafts stay
    assert after.name == "填写（新版）" and after.due_at == after.created_at + timedelta(days=3)  # due time follows
    assert list(check_instances()) == []  # inbox mirror agrees with every state, moved or not
    instances = {i.id: i for i in db.session.scalars(select(ProcessInstance))}
    assert (instances[at_a].spec_key, instances[at_b].spec_key, instances[at_c].spec_key) == (v2, v2, v1)
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.instance_id == at_a, AuditEvent.action == "migrated")
    )
    assert event.comment == f"迁移到版本 {short(v2)}（原版本 {short(v1)}）"
    [entry] = db.session.scalars(select(AdminAuditEntry))
    assert (entry.action, entry.target, entry.details["moved"], entry.details["skipped"]) == (
        "process.migrate",
        "mig",
        2,
        1,
    )

    applicant = db.session.get(User, applicant_id)  # the check let go of every loaded row
    advance(instances[at_a], applicant, 2)  # A, B … then v2's new step, which v1 never had
    assert open_task(at_a).bpmn_id == "Task_N"
    advance(instances[at_a], applicant, 1)
    db.session.expire_all()
    done = db.session.get(ProcessInstance, at_a)
    assert done.status == "completed" and "Task_N" in done.progress["done"] and done.spec_key == v2

    advance(db.session.get(ProcessInstance, at_c), applicant, 1)  # the one left behind finishes on v1
    assert db.session.get(ProcessInstance, at_c).status == "completed"
    assert list(check_instances()) == []


def test_an_instance_that_moved_on_since_the_dry_run_is_checked_again(three_on_v1, world):
    v1, v2, (_, at_b, _) = three_on_v1
    assert {v.instance_id for v in dry_run("mig", short(v1), short(v2)) if v.movable} >= {at_b}
    advance(db.session.get(ProcessInstance, at_b), world.applicant, 1)  # now at Task_C: it cannot move any more
    db.session.commit()
    report = migrate_instances("mig", short(v1), short(v2), world.admin, instance_ids=[at_b])
    assert report.moved == [] and report.skipped[at_b] == ["当前步骤「旧步骤」在新版本中已不存在（被其他步骤取代）"]


def test_the_command_line_dry_runs_and_migrates(app, three_on_v1):
    v1, v2, (at_a, at_b, at_c) = three_on_v1
    runner = app.test_cli_runner()
    args = ["memberflow", "migrate-instances", "mig", "--from", short(v1), "--to", short(v2)]
    dry = runner.invoke(args=[*args, "--dry-run"])
    assert dry.exit_code == 1 and "可迁移 2 个，不可迁移 1 个（试运行，未做任何修改）" in dry.output
    assert f"{at_c}\t不可迁移" in dry.output and "旧步骤" in dry.output
    assert {i.spec_key for i in db.session.scalars(select(ProcessInstance))} == {v1}

    done = runner.invoke(args=[*args, "--id", str(at_a)])
    assert done.exit_code == 0 and "已迁移 1 个，不可迁移 0 个" in done.output
    db.session.expire_all()
    assert db.session.get(ProcessInstance, at_a).spec_key == v2 and db.session.get(ProcessInstance, at_b).spec_key == v1
    wrong = runner.invoke(args=["memberflow", "migrate-instances", "mig", "--from", "nope", "--to", short(v2)])
    assert wrong.exit_code == 2 and "没有版本 nope" in wrong.output
