"""Imports every model module so that metadata knows all tables."""

from app.accounts.models import ApiToken, FaceSession, RoleGrant, SmsCode, User
from app.admin.models import AdminAuditEntry
from app.certificates.models import Certificate, PrintRecord
from app.files.models import Attachment, InstanceAttachment
from app.members.models import CoreFiling, Member, Qualification
from app.notify.models import OutboxMessage
from app.organizations.models import FirmPerson, Organization
from app.scheduler_lease import SchedulerLease
from app.system_state import SystemState
from app.workflow.incidents import Incident
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance, SpecVersion

__all__ = [
    "AdminAuditEntry",
    "ApiToken",
    "Attachment",
    "AuditEvent",
    "Certificate",
    "CoreFiling",
    "FaceSession",
    "FirmPerson",
    "HumanTask",
    "Incident",
    "InstanceAttachment",
    "Member",
    "Organization",
    "OutboxMessage",
    "PrintRecord",
    "ProcessInstance",
    "Qualification",
    "RoleGrant",
    "SchedulerLease",
    "SmsCode",
    "SpecVersion",
    "SystemState",
    "User",
]
