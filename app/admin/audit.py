"""Writing and reading the administrative audit log (issue 9 item 13); the services call record_admin_action
in their own transaction, so an action and its entry are committed or rolled back together."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.accounts.models import User
from app.admin.models import AdminAuditEntry
from app.extensions import db
from app.i18n import N_

ACTION_LABELS = {
    "role.grant": N_("授予角色"),
    "role.revoke": N_("撤销角色"),
    "staff.add": N_("添加机构工作人员"),
    "staff.remove": N_("取消机构工作人员"),
    "firm_admin.appoint": N_("任命机构管理员"),
    "member.edit": N_("修改会员信息"),
    "member.photo": N_("更换会员证书照片"),
    "certificate.revoke": N_("作废电子证书"),
    "import.firms": N_("导入资产评估机构"),
    "import.members": N_("导入会员"),
    "import.inspection": N_("导入年检结果"),
    "import.dues": N_("导入会费记录"),
    "member.bind": N_("绑定原会员身份"),
    "member.id_change": N_("变更档案身份证号码"),
    "inspection.open": N_("开启年检"),
    "inspection.mark": N_("登记年检结果"),
    "dues.record": N_("登记会费"),
    "member.suspend": N_("暂停会员资格"),
    "member.expel": N_("除名"),
    "member.lift": N_("恢复会员资格"),
    "export.inbox": N_("导出待办任务"),
    "export.done": N_("导出已办任务"),
    "spec.publish": N_("发布流程、规则或表单"),
    "spec.rollback": N_("回滚流程、规则或表单"),
    "process.migrate": N_("迁移运行中的申请到新版流程"),
    "export.members": N_("导出会员名单"),
    "export.applications": N_("导出申请列表"),
}
PAGE_SIZE = 50

__all__ = ["ACTION_LABELS", "AdminAuditEntry", "AuditPage", "list_admin_actions", "record_admin_action"]


def record_admin_action(actor: User | None, action: str, target: str, details: dict[str, Any]) -> None:
    assert action in ACTION_LABELS, action
    db.session.add(
        AdminAuditEntry(
            actor_id=actor.id if actor else None,
            actor_name=actor.name if actor else "系统",
            action=action,
            target=target,
            details=details,
        )
    )
    db.session.flush()


@dataclass(frozen=True)
class AuditPage:
    items: list[AdminAuditEntry]
    page: int
    has_next: bool
    total: int


def list_admin_actions(page: int = 1, per_page: int = PAGE_SIZE) -> AuditPage:
    """Newest first (by time, then by id for entries of one instant)."""
    page = max(1, page)
    stmt = (
        select(AdminAuditEntry)
        .order_by(AdminAuditEntry.at.desc(), AdminAuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    rows = list(db.session.scalars(stmt))
    total = db.session.scalar(select(func.count()).select_from(AdminAuditEntry)) or 0
    return AuditPage(rows[:per_page], page, len(rows) > per_page, total)
