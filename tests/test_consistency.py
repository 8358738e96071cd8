"""`flask memberflow check` (issue 10, item 7): after a restore, an operator learns whether the database agrees
with itself and the files; each kind of breakage is named and makes the exit status 1."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.files.models import Attachment
from app.files.storage import storage
from app.workflow import services
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance


@pytest.fixture
def check(app):
    """Returns a callable running the command; gives (exit code, output)."""

    def run():
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["memberflow", "check"])
        return result.exit_code, result.output

    return run


@pytest.fixture
def walked(world, upload):
    """An application with its notice completed (an audit event by the applicant) and one attachment."""
    instance = services.start_process("join_practicing", world.applicant)
    [notice] = [t for t in instance.tasks if t.status == "open"]
    services.submit_task(notice.id, world.applicant, {"agree_rules": True})
    upload(world.applicant)
    db.session.commit()
    return instance


def open_task(instance) -> HumanTask:
    return db.session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open"))


def test_a_consistent_database_passes(walked, check):
    code, output = check()
    assert code == 0, output
    assert "instances: ok" in output and "attachments: ok" in output


def test_a_missing_task_row_is_reported(walked, check):
    db.session.delete(open_task(walked))
    code, output = check()
    assert code == 1 and f"instance {walked.id}" in output and "ready in the state but no open task row" in output


def test_an_open_task_the_state_does_not_have_is_reported(walked, check):
    open_task(walked).task_uuid = "00000000-0000-0000-0000-000000000000"
    code, output = check()
    assert code == 1 and "ready in the state but no open task row" in output
    assert "open task rows the state does not have ready" in output


def test_a_finished_instance_with_an_open_task_is_reported(walked, check):
    db.session.get(ProcessInstance, walked.id).status = "approved"
    code, output = check()
    assert code == 1 and "open task rows the state does not have ready" in output


def test_a_state_that_does_not_load_is_reported(walked, check):
    db.session.get(ProcessInstance, walked.id).state = '{"truncated": '
    code, output = check()
    assert code == 1 and "stored state does not load" in output


def test_gaps_in_the_audit_trail_are_reported(walked, check):
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.instance_id == walked.id)):
        db.session.delete(event)
    code, output = check()
    assert code == 1 and "no 'started' event" in output
    assert "has no audit event by the person who completed it" in output


def test_a_missing_or_changed_file_is_reported(walked, check):
    attachment_id, sha256 = db.session.execute(select(Attachment.id, Attachment.sha256).order_by(Attachment.id)).first()
    path = storage().local_path(sha256)
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"x")
        code, output = check()
        assert code == 1 and f"attachment {attachment_id}" in output and "does not match its SHA-256" in output
        path.unlink()
        code, output = check()
        assert code == 1 and "is missing from the store" in output
    finally:
        path.write_bytes(original)


def test_a_process_naming_a_missing_decision_table_is_reported(app, walked, check, tmp_path, monkeypatch):
    """Issue 18: the loader refuses it (it used to load and raise KeyError on start); the check says where."""
    import shutil

    from app.config import ROOT
    from app.engine.specs import load_catalog

    for name in ("processes", "rules", "forms"):
        shutil.copytree(ROOT / name, tmp_path / name)
    path = tmp_path / "processes" / "transfer.bpmn"
    path.write_text(path.read_text().replace('value="transfer_eligibility"', 'value="transfer_eligibilty"'))
    loaded = load_catalog(tmp_path / "processes", tmp_path / "rules", tmp_path / "forms")
    monkeypatch.setitem(app.extensions, "memberflow.catalog", loaded)
    code, output = check()
    assert code == 1
    assert (
        "file not used: transfer.bpmn:" in output and "transfer_eligibilty" in output and "files: 1 problem" in output
    )
