"""Work on other instances (the custody and pre-filing watches) runs after the engine run that asks for it.

An engine run never starts another engine run (issue 9, item 7): the custody approval starts the custody
watch, a transfer out of custody messages it, and the pre-filing deadline starts a custody watch, each
only once the run that asked for it has finished and its snapshot is written.
"""

from datetime import timedelta

import pytest

from app import clock
from app.engine import runtime
from app.extensions import db
from app.scheduler import fire_due_timers
from app.workflow import services
from app.workflow.followups import after_run, run_followups
from tests.processes import test_custody, test_prefiling_transfer
from tests.processes.walk import member_of, open_task, person, review


@pytest.fixture
def nesting(monkeypatch):
    """The deepest nesting of engine runs seen while the test runs (1: runs one after the other)."""
    depth = {"now": 0, "max": 0}

    def counting(run):
        def counted(*args, **kw):
            depth["now"] += 1
            depth["max"] = max(depth["max"], depth["now"])
            try:
                return run(*args, **kw)
            finally:
                depth["now"] -= 1

        return counted

    for name in ("start", "complete_task", "send_message", "fire_timers"):
        monkeypatch.setattr(runtime, name, counting(getattr(runtime, name)))
    return depth


def test_the_custody_approval_starts_the_watch_after_its_own_run_r_trf_7(world, upload, nesting):
    zheng = person("13800000021")
    instance = test_custody.approved_custody(world, upload, zheng)
    assert instance.status == "approved"
    assert test_custody.watch_of(zheng).status == "running"
    assert nesting["max"] == 1


def test_leaving_custody_messages_the_watch_after_the_transfer_run_r_trf_7(world, upload, nesting):
    zheng = person("13800000021")
    test_custody.approved_custody(world, upload, zheng)
    transfer = services.start_process("transfer", zheng)
    files = {
        k: [upload(zheng, f"{k}.png")]
        for k in ("leaving_certificate", "new_labour_contract", "archive_certificate", "social_security")
    }
    services.submit_task(open_task(transfer).id, zheng, {"new_firm_id": world.firm_bj2.id, **files})
    review(transfer, world.local_reviewer)
    watch = test_custody.watch_of(zheng)
    assert (transfer.status, watch.status, watch.outcome) == ("approved", "completed", "已离开协会代管")
    assert nesting["max"] == 1


def test_the_prefiling_deadline_starts_the_custody_watch_after_the_timer_run_r_trf_9(app, world, upload, nesting):
    chu = person("13800000023")
    instance = test_prefiling_transfer.apply(upload, chu)
    review(instance, world.local_reviewer)
    db.session.commit()
    clock.advance(timedelta(days=91))
    assert fire_due_timers(app) == 1
    assert member_of(chu).in_custody is True
    assert test_prefiling_transfer.watch_of(chu, "custody_watch").status == "running"
    assert nesting["max"] == 1


def test_recorded_work_is_forgotten_when_the_transaction_rolls_back(world):
    done = []
    member_of(person("13800000021")).in_custody = True  # inside a transaction, as an engine run always is
    after_run(done.append, "started")
    db.session.rollback()
    run_followups()
    assert done == []


def test_a_refusal_in_follow_up_work_is_a_failed_step_not_a_refused_input(app):
    """A follow-up refused with a 422 error would otherwise be committed with the outer run's work (the 422 path
    keeps drafts), leaving the outer change done and the follow-up silently undone."""
    from app.errors import Invalid
    from app.workflow.incidents import StepFailed

    def refuses() -> None:
        raise Invalid("监视流程无法启动")

    after_run(refuses)
    with pytest.raises(StepFailed) as failed:
        run_followups()
    assert "监视流程无法启动" in failed.value.error
