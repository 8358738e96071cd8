"""Marshmallow schemas of the JSON API: query arguments in, resources out (also the OpenAPI components)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, pre_dump, validate

from app.formkit import FormSpec, Option
from app.organizations.societies import role_labels
from app.routing import MAX_PAGE
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance
from app.workflow.presenters import ACTION_LABELS, STATUS_LABELS
from app.workflow.queries import INBOX_SORTS
from app.workflow.steps import applicant_name


def _label(labels: dict[str, str] | Callable[[], dict[str, str]], attribute: str) -> fields.Function:
    """The Chinese name of a code (status, role, action); the code itself when it has none."""

    def label(obj: Any) -> str | None:
        code = getattr(obj, attribute)
        found = labels() if callable(labels) else labels
        return found.get(code, code) if code else None

    return fields.Function(label, metadata={"type": ["string", "null"], "description": "中文名称"})


class ErrorSchema(Schema):
    error = fields.String(required=True, metadata={"description": "给用户看的中文说明"})
    field_errors = fields.Dict(
        keys=fields.String(), values=fields.String(), data_key="fields", metadata={"description": "字段名 → 中文错误"}
    )


class ProcessSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    eligible = fields.Boolean(required=True)
    reason = fields.String(allow_none=True, metadata={"description": "不能发起时的中文原因"})


class ProcessListSchema(Schema):
    items = fields.List(fields.Nested(ProcessSchema), required=True)


class ProgressSchema(Schema):
    done = fields.List(fields.String(), metadata={"description": "已完成步骤的 BPMN id"})
    current = fields.List(fields.String(), metadata={"description": "当前步骤的 BPMN id"})


class InstanceSchema(Schema):
    id = fields.Integer(required=True)
    process_id = fields.String(required=True)
    title = fields.String(required=True)
    applicant_name = fields.Function(applicant_name, metadata={"type": "string"})
    status = fields.String(required=True, metadata={"description": "running，或流程结束事件给出的结果（如 approved）"})
    status_label = _label(STATUS_LABELS, "status")
    current_step = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True, metadata={"description": "办结结果的中文说明（如会员编号）"})
    progress = fields.Nested(ProgressSchema)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)


class InstanceListSchema(Schema):
    year = fields.Integer(required=True)
    items = fields.List(fields.Nested(InstanceSchema), required=True)


class TaskSchema(Schema):
    id = fields.Integer(required=True)
    instance_id = fields.Integer(required=True)
    process_id = fields.String(required=True)
    bpmn_id = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    role_label = _label(role_labels, "role")
    organization_id = fields.Integer(allow_none=True)
    title = fields.String(required=True, metadata={"description": "所属申请的标题"})
    applicant_name = fields.String()
    form_key = fields.String(allow_none=True)
    status = fields.String(
        required=True, metadata={"enum": ["open", "completed", "withdrawn", "timed_out", "cancelled"]}
    )
    created_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    assignee_id = fields.Integer(allow_none=True)
    claimed_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)


class TaskPageSchema(Schema):
    items = fields.List(fields.Nested(TaskSchema), required=True)
    page = fields.Integer(required=True)
    has_next = fields.Boolean(required=True)


class DraftSchema(Schema):
    id = fields.Integer(required=True)
    draft = fields.Dict(allow_none=True)


class ActionSchema(Schema):
    name = fields.String(required=True, metadata={"description": "POST /instances/{id}/actions/{name}"})
    label = fields.String(required=True)


class EventSchema(Schema):
    at = fields.DateTime(required=True)
    actor_name = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    role_label = _label(role_labels, "role")
    action = fields.String(required=True)
    action_label = _label(ACTION_LABELS, "action")
    step = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)


class SubmissionSchema(EventSchema):
    form_key = fields.String(required=True)
    data = fields.Dict(required=True, metadata={"description": "提交的表单数据"})


@dataclass
class InstanceDocument:
    """An application as the current user may see it."""

    instance: ProcessInstance
    actions: list[dict[str, str]]
    open_tasks: list[HumanTask]
    timeline: list[AuditEvent]


class InstanceDocumentSchema(Schema):
    instance = fields.Nested(InstanceSchema, required=True)
    actions = fields.List(fields.Nested(ActionSchema), metadata={"description": "申请人现在可以进行的操作"})
    open_tasks = fields.List(fields.Nested(TaskSchema), metadata={"description": "当前用户可以办理的待办任务"})
    timeline = fields.List(fields.Nested(EventSchema))


class FieldSchema(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    widget = fields.String(required=True)
    required = fields.Boolean(required=True)
    help = fields.String(allow_none=True)


class FormSchema(Schema):
    key = fields.String(required=True)
    title = fields.String()
    notice = fields.String()
    submit_label = fields.String()
    schema = fields.Dict(required=True, metadata={"description": "表单的 JSON Schema（2020-12）"})
    ui = fields.Dict(required=True, metadata={"description": "表单界面：顺序、中文标签、选项名称"})
    field_list = fields.List(fields.Nested(FieldSchema), data_key="fields", metadata={"description": "按显示顺序"})

    @pre_dump
    def _spread(self, form: FormSpec, **_: Any) -> dict[str, Any]:
        return {
            **form.to_dict(),
            "title": form.title,
            "notice": form.notice,
            "submit_label": form.submit_label,
            "field_list": [
                {
                    "name": n,
                    "label": form.label(n),
                    "widget": form.widget(n),
                    "required": form.is_required(n),
                    "help": form.field_ui(n).get("help"),
                }
                for n in form.order
            ],
        }


class OptionSchema(Schema):
    value = fields.Raw(required=True, metadata={"type": ["string", "integer"]})
    label = fields.String(required=True)
    disabled_reason = fields.String(allow_none=True, metadata={"description": "不可选择时的中文原因"})


@dataclass
class TaskDocument:
    task: HumanTask
    form: FormSpec
    options: dict[str, list[Option]]
    draft: dict[str, Any] | None
    submissions: list[AuditEvent]
    search: dict[str, str]


class TaskDocumentSchema(Schema):
    task = fields.Nested(TaskSchema, required=True)
    form = fields.Nested(FormSchema, required=True)
    options = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(OptionSchema)),
        metadata={
            "description": "字段名 → 可选项（地方协会、按规则限制的选项）；可检索的机构字段只列出草稿中已选的机构；"
            "任务已办结时为空"
        },
    )
    search = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={
            "description": "可检索的机构字段（如已备案的评估机构）→ 检索地址（GET，参数 q：名称或信用代码的片段）"
        },
    )
    draft = fields.Dict(allow_none=True, metadata={"description": "已保存的草稿或预填内容"})
    submissions = fields.List(fields.Nested(SubmissionSchema), metadata={"description": "申请人各表单的最新提交"})


class OrganizationMatchSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "提交表单时作为该字段的值"})
    name = fields.String(required=True)
    credit_code = fields.String(allow_none=True, metadata={"description": "统一社会信用代码"})


class OrganizationMatchesSchema(Schema):
    results = fields.List(fields.Nested(OrganizationMatchSchema), required=True, metadata={"description": "至多 20 个"})
    more = fields.Boolean(required=True, metadata={"description": "是否还有更多匹配（请输入更长的片段）"})


class AttachmentSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    mime = fields.String(required=True, metadata={"enum": ["image/png", "image/jpeg", "application/pdf"]})


class ArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE


class ApplicationsArgsSchema(ArgsSchema):
    year = fields.Integer(validate=validate.Range(min=2000, max=9999), metadata={"description": "默认今年"})


class PageArgsSchema(ArgsSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))


class CompleteArgsSchema(ArgsSchema):
    include = fields.String(
        validate=validate.OneOf(["timeline"]),
        metadata={"description": "include=timeline：答复中附上办理记录（默认不附，省去一次查询）"},
    )


class OrganizationSearchArgsSchema(ArgsSchema):
    q = fields.String(
        load_default="",
        metadata={"description": "名称或统一社会信用代码的片段（不区分大小写）；为空时按名称列出前 20 个"},
    )


class InboxArgsSchema(PageArgsSchema):
    sort = fields.String(load_default="newest", validate=validate.OneOf(list(INBOX_SORTS)))
    process = fields.String(metadata={"description": "只看该业务流程的任务"})
