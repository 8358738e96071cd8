"""The OpenAPI 3.1 document of /api/v1; its components are generated from the marshmallow schemas."""

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app
from flask.typing import ResponseReturnValue
from marshmallow import Schema
from werkzeug.routing import Rule

from app.api import schemas as s
from app.api.views import bp
from app.routing import MAX_ID

INFO = (
    "资产评估协会会员业务平台的 JSON 接口。"
    "认证：个人 API 令牌（Authorization: Bearer 令牌，在「API 令牌」页面创建，以创建时选择的一个身份办理），"
    "浏览器会话 Cookie，或 HTTP Basic（手机号:密码，与网页登录同样计入连续错误锁定）。"
    "防跨站请求伪造：POST/PUT 请求须带 Authorization 头、X-Requested-With: XMLHttpRequest 头或 JSON 请求体之一。"
    '出错时返回 {"error": 中文说明, "fields": {字段名: 中文错误}}。'
)
ERRORS = {
    400: "请求格式不正确",
    401: "未登录；令牌无效、已过期或已撤销；或 Basic 认证的手机号/密码错误",
    403: "无权进行此操作（含缺少防跨站请求头）",
    404: "不存在或无权查看（其他机构的任务也是 404）",
    409: "冲突：任务已被他人处理或认领，请刷新",
    413: "上传的文件或请求体过大（JSON 请求体不超过 256 KB）",
    422: "输入不符合要求：error 为中文说明，fields 为逐字段的中文错误",
}
FORM_DATA = {
    "description": "表单数据：字段名 → 值，结构见任务的 form.schema；附件字段为 POST /files 返回对象的数组。"
    "JSON 不超过 256 KB、嵌套不超过 8 层",
    "required": True,
    "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
}
UPLOAD = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        }
    },
}
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def _op(
    tag: str,
    summary: str,
    ok: type[Schema],
    *,
    status: int = 200,
    errors: tuple[int, ...] = (),
    query: type[Schema] | None = None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    responses: dict[str, Any] = {str(status): _json(ok, "成功")}
    responses.update({str(code): _json(s.ErrorSchema, ERRORS[code]) for code in (401, *errors)})
    op: dict[str, Any] = {"tags": [tag], "summary": summary, "responses": responses}
    if query is not None:
        op["parameters"] = [{"in": "query", "schema": query}]
    if body is not None:
        op["requestBody"] = body
    return op


def _json(schema: type[Schema], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


OPERATIONS: dict[str, dict[str, Any]] = {
    "api.list_processes": _op("processes", "可发起的业务流程，及当前用户能否发起、不能时的原因", s.ProcessListSchema),
    "api.start_instance": _op(
        "processes",
        "发起申请；不符合条件时 422 并给出中文原因",
        s.InstanceDocumentSchema,
        status=201,
        errors=(403, 404, 422),
    ),
    "api.list_instances": _op(
        "instances", "我的申请（按年份）", s.InstanceListSchema, errors=(422,), query=s.ApplicationsArgsSchema
    ),
    "api.get_instance": _op(
        "instances", "申请详情：状态、进度、可进行的操作、待办、办理记录", s.InstanceDocumentSchema, errors=(404,)
    ),
    "api.instance_action": _op(
        "instances", "申请人撤回或放弃申请（仅在流程允许的步骤）", s.InstanceDocumentSchema, errors=(403, 404, 409)
    ),
    "api.inbox": _op("tasks", "待办任务", s.TaskPageSchema, errors=(422,), query=s.InboxArgsSchema),
    "api.done_tasks": _op("tasks", "我已办理的任务", s.TaskPageSchema, errors=(422,), query=s.PageArgsSchema),
    "api.get_task": _op(
        "tasks",
        "任务：表单、选项、草稿、申请人提交的材料；可检索的机构字段给出检索地址（search），不列出全部机构",
        s.TaskDocumentSchema,
        errors=(404,),
    ),
    "api.organization_search": _op(
        "tasks",
        "检索机构字段可选的机构（名称或统一社会信用代码的片段，至多 20 个），与提交时的校验同一范围",
        s.OrganizationMatchesSchema,
        errors=(404, 422),
        query=s.OrganizationSearchArgsSchema,
    ),
    "api.claim_task": _op("tasks", "认领任务", s.TaskSchema, errors=(403, 404, 409)),
    "api.unclaim_task": _op("tasks", "取消认领", s.TaskSchema, errors=(403, 404, 409)),
    "api.save_draft": _op(
        "tasks",
        "保存本人的草稿（不校验内容，长度受表单限制；每人一份，不与他人或其他窗口冲突）",
        s.DraftSchema,
        errors=(400, 403, 404, 409, 413, 422),
        body=FORM_DATA,
    ),
    "api.complete_task": _op(
        "tasks",
        "提交表单，完成任务；答复不含办理记录（timeline），除非 include=timeline",
        s.InstanceDocumentSchema,
        errors=(400, 403, 404, 409, 413, 422),
        body=FORM_DATA,
        query=s.CompleteArgsSchema,
    ),
    "api.upload_file": _op(
        "files",
        "上传附件（PNG/JPEG/PDF，按内容识别）",
        s.AttachmentSchema,
        status=201,
        errors=(403, 413, 422),
        body=UPLOAD,
    ),
    "api.openapi_document": {
        "tags": ["meta"],
        "summary": "本文档",
        "security": [],
        "responses": {"200": {"description": "OpenAPI 3.1 文档", "content": {"application/json": {"schema": {}}}}},
    },
}


def build_document() -> dict[str, Any]:
    spec = APISpec(
        title="memberflow API",
        version="1",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": INFO},
        security=[{"bearerAuth": []}, {"basicAuth": []}, {"sessionCookie": []}],
    )
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "description": "个人 API 令牌"})
    spec.components.security_scheme("basicAuth", {"type": "http", "scheme": "basic", "description": "手机号:密码"})
    cookie = current_app.config.get("SESSION_COOKIE_NAME", "session")
    spec.components.security_scheme("sessionCookie", {"type": "apiKey", "in": "cookie", "name": cookie})
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in OPERATIONS:
            path, parameters = _path(rule)
            methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
            operations = {m.lower(): OPERATIONS[rule.endpoint] for m in methods}
            spec.path(path=path, operations=operations, parameters=parameters)
    return spec.to_dict()


def _path(rule: Rule) -> tuple[str, list[dict[str, Any]]]:
    """`/tasks/<int:task_id>` as `/tasks/{task_id}`, with its path parameters typed from the converters."""
    parameters = []
    for converter, args, name in _ARGUMENT.findall(rule.rule):
        schema: dict[str, Any] = {"type": "string"}
        if converter == "int":
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        elif converter == "any":
            schema["enum"] = [a.strip() for a in args.split(",")]
        parameters.append({"in": "path", "name": name, "required": True, "schema": schema})
    return _ARGUMENT.sub(r"{\3}", rule.rule), parameters


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    return build_document()
