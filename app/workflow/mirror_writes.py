"""The mirror's writes as Core statements built once, on the session's connection (issue 13).

A completion changes one instance row, ends one task row and inserts the next: through the unit of work that was
a quarter of its CPU (change tracking, the flush's sort and bookkeeping) for three statements. Here each is one
statement, and the ORM objects are told the values written (`set_committed_value`), so the request reads them
without a query and its flush finds nothing to do. What a flush listener must see still goes through the session:
the caller (app/workflow/mirror.py) writes an instance whose status changes, or one with changes of its own
pending, with the unit of work.
"""

from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, inspect, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.workflow.facts import forget_facts
from app.workflow.models import HumanTask, ProcessInstance
from app.workflow.steps import stale_instance

# what an engine run changes of a running instance (apply_snapshot); the row version is checked and bumped as the
# ORM's version_id_col does, so a stale write is the same 409
INSTANCE_COLUMNS = (
    "state",
    "serializer_version",
    "progress",
    "waiting_messages",
    "next_timer_at",
    "current_step",
    "updated_at",
)
_INSTANCES = cast(Table, ProcessInstance.__table__)
_UPDATE_INSTANCE = (
    update(_INSTANCES)
    .where(_INSTANCES.c.id == bindparam("b_id"), _INSTANCES.c.row_version == bindparam("b_row_version"))
    .values({name: bindparam(name) for name in (*INSTANCE_COLUMNS, "row_version")})
)
_TASKS = cast(Table, HumanTask.__table__)
ENDED_COLUMNS = ("status", "completed_by_id", "completed_at")
_END_TASKS = (
    update(_TASKS).where(_TASKS.c.id == bindparam("b_id")).values({name: bindparam(name) for name in ENDED_COLUMNS})
)
_INSERT_TASK = insert(_TASKS)
_INSERT_TASKS = insert(_TASKS).returning(_TASKS.c.id, sort_by_parameter_order=True)
_PREFILL = HumanTask.prefill.property.columns[0].key  # the attribute keeps its name, the column its baseline one


def written_as_loaded(instance: ProcessInstance) -> bool:
    """The instance row is in the database and this session has changed nothing of it yet."""
    state = inspect(instance)
    return state.persistent and not state.modified


def write_instance(instance: ProcessInstance, values: dict[str, Any]) -> None:
    """UPDATE the instance's row with `values` (INSTANCE_COLUMNS), if its row version is still the one read."""
    version = instance.row_version
    params = {**values, "row_version": version + 1, "b_id": instance.id, "b_row_version": version}
    if db.session.connection().execute(_UPDATE_INSTANCE, params).rowcount != 1:
        raise stale_instance()
    for name, value in values.items():
        set_committed_value(instance, name, value)
    set_committed_value(instance, "row_version", version + 1)
    forget_facts(db.session())  # a Core write: as after a flush (app/workflow/facts.py)


def end_tasks(ended: list[tuple[HumanTask, dict[str, Any]]]) -> None:
    """UPDATE each task's row with its values (ENDED_COLUMNS), in one executemany."""
    if not ended:
        return
    db.session.connection().execute(_END_TASKS, [{**values, "b_id": task.id} for task, values in ended])
    for task, values in ended:
        for name, value in values.items():
            set_committed_value(task, name, value)


def insert_tasks(rows: list[dict[str, Any]]) -> list[HumanTask]:
    """INSERT the rows (every column but the id) in one statement; the tasks, in the session as if read."""
    if not rows:
        return []
    column_rows = [{_PREFILL if k == "prefill" else k: v for k, v in row.items()} for row in rows]
    connection = db.session.connection()
    if len(rows) == 1:  # the usual next step: its key as the driver reports it, half the CPU of RETURNING on SQLite
        ids = list(connection.execute(_INSERT_TASK, column_rows[0]).inserted_primary_key or ())
    else:
        ids = list(connection.execute(_INSERT_TASKS, column_rows).scalars())
    tasks = []
    for task_id, row in zip(ids, rows, strict=True):
        task = HumanTask(id=task_id, **row)
        make_transient_to_detached(task)
        db.session.add(task)
        tasks.append(task)
    return tasks
