"""A completion that fails after its operation ran leaves nothing of it behind, on SQLite as on PostgreSQL.

On SQLite, Python's sqlite3 module begins a transaction only before a write, so a SAVEPOINT issued after reads
alone began the transaction itself, and its RELEASE committed it: the national approval's admission (the member
row, its filings) stayed written when the completion then failed, e.g. with a stale row's 409.
"""

import pytest
from sqlalchemy import select

from app.errors import Conflict
from app.extensions import db
from app.members.models import Member
from app.workflow import services
from tests.processes.test_join_practicing import submit_application
from tests.processes.walk import open_task, review


def test_a_national_approval_that_fails_after_the_admission_admits_nobody(world, upload, monkeypatch):
    """R-JOIN-3: a member exists only once the approval is recorded."""
    instance = submit_application(world, upload)
    review(instance, world.firm_reviewer)
    review(instance, world.local_reviewer)
    db.session.commit()
    task_id = open_task(instance).id

    def stale(*_a, **_k):
        raise Conflict("该申请已被他人处理，请刷新后重试")

    monkeypatch.setattr(services, "apply_snapshot", stale)  # runs after the operation's savepoint is released
    with pytest.raises(Conflict):
        services.submit_task(task_id, world.national_reviewer, {"decision": "approve", "comment": ""})
    db.session.rollback()
    assert db.session.scalars(select(Member).where(Member.user_id == world.applicant.id)).first() is None
    assert open_task(instance).id == task_id
