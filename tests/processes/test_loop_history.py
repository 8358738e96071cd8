"""An application sent back again and again (R-JOIN-3: the firm returns it to the applicant) keeps a bounded state.

The finished history is dropped from the live task tree (app/engine/history.py); what it told stays in the
progress column and the audit trail, and the instance still checks, migrates and finishes like any other.
"""

from app.consistency import check_instances
from app.engine import runtime
from app.extensions import db
from app.members.models import Member
from app.workflow import services
from app.workflow.queries import timeline
from app.workflow.versions import version_of
from tests.processes.test_join_practicing import application, open_task, review
from tests.workflow.drafts import typed

RETURN = {"decision": "return", "comment": "请补充社保证明"}


def _returned(world, upload, instance, passes):
    sizes = []
    for _ in range(passes):
        services.submit_task(open_task(instance).id, world.applicant, application(world, upload))
        services.submit_task(open_task(instance).id, world.firm_reviewer, dict(RETURN))
        sizes.append(len(instance.state))
    return sizes


def test_state_stays_the_same_size_however_often_the_application_comes_back(world, upload):
    instance = services.start_process("join_practicing", world.applicant)
    services.submit_task(open_task(instance).id, world.applicant, {"agree_rules": True})
    sizes = _returned(world, upload, instance, 4)
    # SpiffWorkflow alone keeps every pass: about 2.4 KB more state per return
    assert max(sizes) <= sizes[0] * 1.05, sizes
    progress = instance.progress
    assert {"Start_Join", "Task_Notice", "Task_Apply", "Task_FirmConfirm", "Gw_Firm"} <= set(progress["done"])
    assert ["Start_Join", "Task_Notice"] in progress["taken"] and ["Gw_Firm", "Task_Apply"] in progress["taken"]
    assert progress["current"] == ["Task_Apply"]
    assert [e.action for e in timeline(instance)].count("returned") == 4
    assert list(check_instances()) == []


def test_a_returned_application_still_migrates_and_finishes(world, upload):
    instance = services.start_process("join_practicing", world.applicant)
    services.submit_task(open_task(instance).id, world.applicant, {"agree_rules": True})
    _returned(world, upload, instance, 2)
    version = version_of(instance)
    migrated = runtime.migrate(version, version, instance.state, instance.serializer_version)
    assert [r.bpmn_id for r in migrated.ready] == ["Task_Apply"]
    # the prefill of the form comes from the data the pruned passes left on the live task
    assert typed(open_task(instance))["qualification_number"] == "ZC2024001"
    services.submit_task(open_task(instance).id, world.applicant, application(world, upload))
    for reviewer in (world.firm_reviewer, world.local_reviewer, world.national_reviewer):
        review(world, instance, reviewer)
    assert instance.status == "approved"
    assert db.session.query(Member).filter_by(user_id=world.applicant.id).count() == 1
    assert "End_Member" in instance.progress["done"] and "Start_Join" in instance.progress["done"]
