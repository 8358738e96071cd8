"""Resource: the processes the current user may start, and starting one."""

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.api.instances import instance_document
from app.api.schemas import ProcessListSchema
from app.api.views import bp
from app.workflow import queries, services

_PROCESS_LIST = ProcessListSchema()  # built once, like the other resources' schemas (issue 13)


@bp.get("/processes")
def list_processes() -> ResponseReturnValue:
    items = []
    for process_id, name in queries.startable_processes():
        reason = services.check_eligibility(process_id, current_user)[1]
        items.append({"id": process_id, "name": name, "eligible": reason is None, "reason": reason})
    return _PROCESS_LIST.dump({"items": items})


@bp.post("/processes/<process_id>/instances")
def start_instance(process_id: str) -> ResponseReturnValue:
    instance = services.start_process(process_id, current_user)
    return instance_document(instance), 201, {"Location": url_for(".get_instance", instance_id=instance.id)}
