"""Imports every model module so that metadata knows all tables."""

from app.accounts.models import RoleGrant, User
from app.files.models import Attachment, InstanceAttachment
from app.members.models import Member, Qualification
from app.organizations.models import Organization
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance, SpecVersion

__all__ = [
    "Attachment",
    "AuditEvent",
    "HumanTask",
    "InstanceAttachment",
    "Member",
    "Organization",
    "ProcessInstance",
    "Qualification",
    "RoleGrant",
    "SpecVersion",
    "User",
]
