"""Tasks and applications come in a stated order on PostgreSQL too, where rows without an ORDER BY (or tied on their
sort key) come back in heap order, which is not insertion order once rows have been deleted or updated."""

import uuid
from datetime import UTC, datetime

from app.extensions import db
from app.workflow import queries, services
from app.workflow.applicant_panel import applicant_panel
from app.workflow.export import done_export
from app.workflow.models import HumanTask, ProcessInstance
from tests.heap import copy_row, in_either_heap_order, put_last_in_heap
from tests.processes.test_status_full import open_task

AT = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


def test_an_applications_open_tasks_come_by_id_so_the_page_after_a_step_is_always_the_first(world):
    instance = services.start_process("join_practicing", world.applicant)
    db.session.commit()
    first = open_task(instance).id
    second = copy_row(HumanTask, first, task_uuid=str(uuid.uuid4()))
    put_last_in_heap(HumanTask, first)

    assert [t.id for t in queries.open_tasks_for(world.applicant, db.session.get(ProcessInstance, instance.id))] == [
        first,
        second,
    ]


def test_tasks_done_at_the_same_instant_page_newest_first_without_repeating_one(world):
    instance = services.start_process("join_practicing", world.applicant)
    db.session.commit()
    done = {"status": "completed", "completed_by_id": world.local_reviewer.id, "completed_at": AT}
    first = copy_row(HumanTask, open_task(instance).id, task_uuid=str(uuid.uuid4()), name="第一步", **done)
    second = copy_row(HumanTask, first, task_uuid=str(uuid.uuid4()), name="第二步")

    def check():
        assert [t.id for t in queries.list_done(world.local_reviewer).items] == [second, first]
        pages = [queries.list_done(world.local_reviewer, page=p, per_page=1).items[0].id for p in (1, 2)]
        assert pages == [second, first]
        assert [row[4] for row in done_export(world.local_reviewer).rows(10)] == ["第二步", "第一步"]  # the 步骤 column

    in_either_heap_order(HumanTask, first, check)


def test_applications_started_at_the_same_instant_are_listed_newest_first(world):
    current = services.start_process("join_practicing", world.applicant)
    db.session.commit()
    earlier = {"status": "approved", "created_at": AT, "exclusive_key": None}
    first = copy_row(ProcessInstance, current.id, **earlier)
    second = copy_row(ProcessInstance, current.id, **earlier)

    def check():
        assert [i.id for i in queries.list_applications(world.applicant, 2026)][-2:] == [second, first]
        shown = applicant_panel(db.session.get(ProcessInstance, current.id)).earlier
        assert [i.id for i in shown] == [second, first]

    in_either_heap_order(ProcessInstance, first, check)
