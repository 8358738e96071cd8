"""Imports every model module so that metadata knows all tables."""

from app.accounts.models import ApiToken, FaceSession, MemberBinding, RoleGrant, SmsCode, User
from app.admin.models import AdminAuditEntry, ImportJob
from app.auctioneers.models import Auctioneer, AuctioneerYear, CeRecord, PracticeRecord
from app.certificates.models import Certificate, PrintRecord
from app.decisions.models import DecisionRecord
from app.files.models import Attachment, InstanceAttachment
from app.members.models import CoreFiling, Member, Qualification
from app.members.record_models import CreditRecord, DuesRecord, InspectionResult, InspectionRound, MembershipSanction
from app.migration.models import MigrationJob
from app.notify.models import Notification, NotifySetting, OutboxMessage
from app.organizations.models import FirmPerson, Organization
from app.organizations.societies import Society
from app.payments.models import DevProviderPayment, Payment, PaymentOrder
from app.scheduler_lease import SchedulerLease
from app.system_state import SystemState
from app.workbench.models import SpecDraft, SpecFileVersion, SpecLive
from app.workflow.incidents import Incident
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance, SpecVersion
from app.workflow.saved_views import SavedInboxView

__all__ = [
    "MigrationJob",
    "SpecDraft",
    "SpecFileVersion",
    "SpecLive",
    "MembershipSanction",
    "InspectionRound",
    "InspectionResult",
    "DuesRecord",
    "CreditRecord",
    "MemberBinding",
    "ImportJob",
    "AdminAuditEntry",
    "ApiToken",
    "Attachment",
    "Auctioneer",
    "AuctioneerYear",
    "CeRecord",
    "AuditEvent",
    "Certificate",
    "CoreFiling",
    "DecisionRecord",
    "DevProviderPayment",
    "FaceSession",
    "FirmPerson",
    "HumanTask",
    "Incident",
    "InstanceAttachment",
    "Member",
    "Notification",
    "NotifySetting",
    "Organization",
    "OutboxMessage",
    "Payment",
    "PaymentOrder",
    "PracticeRecord",
    "PrintRecord",
    "ProcessInstance",
    "Qualification",
    "RoleGrant",
    "SavedInboxView",
    "SchedulerLease",
    "SmsCode",
    "Society",
    "SpecVersion",
    "SystemState",
    "User",
]
