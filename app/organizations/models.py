"""Organisations: the national association, local (provincial) associations, firms and their branches."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base

ORG_KINDS = (
    "national_association",
    "local_association",
    "firm",
    "finance_department",
    "caa",
    "provincial_auction_association",
    "auction_firm",
)
# 组织形式 of a firm (R-FIL-1): the filing forms differ between them
FIRM_FORMS = {"company": "公司制", "partnership": "合伙制"}


class Organization(Base):
    __tablename__ = "organization"
    # an organisation field's search (organizations/choices.py: a name or credit-code fragment among 5,000 filed
    # firms) reads this index alone, not the rows with their JSON: 2.0–2.8 ms instead of 2.6–3.8 on SQLite
    __table_args__ = (Index("ix_organization_choice", "kind", "filed", "name", "credit_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    province: Mapped[str | None] = mapped_column(String(40))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    # firms belong to the local association of their province
    local_association_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    # a branch (分所) points at its head office (总所)
    head_office_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)  # branches
    filed: Mapped[bool] = mapped_column(default=False)
    # firm filing (R-FIL-1): company | partnership, and the data the finance department confirmed
    firm_form: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # each confirmed filing or change: {"on": date, "what": 新机构备案 | 备案变更, "detail": …}, oldest first
    filing_history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # a change to a filed firm (firm_change.bpmn) may rename it or move it: applied when the finance department
    # confirms, cleared when it refuses or the admin abandons; until then name and address stay as filed
    pending_name: Mapped[str | None] = mapped_column(String(200))
    pending_address: Mapped[str | None] = mapped_column(String(200))
    # a branch's filing names its head office here; head_office_id is set only when the finance department
    # confirms, so head office <-> branch transfers (R-TRF-8) never see an unfiled branch
    pending_head_office_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    # the applicant whose filing is working on this (still unfiled) row; a second filer is refused
    filing_applicant_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # the association whose tree this organisation is in (app/organizations/societies.py)
    society_id: Mapped[int | None] = mapped_column(ForeignKey("society.id"), index=True)
    # R-AUC-4: an auction firm still in preparation (筹建) until its 去筹 is recorded
    in_preparation: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    local_association: Mapped["Organization | None"] = relationship(
        remote_side=[id], foreign_keys=[local_association_id]
    )
    head_office: Mapped["Organization | None"] = relationship(remote_side=[id], foreign_keys=[head_office_id])
    pending_head_office: Mapped["Organization | None"] = relationship(
        remote_side=[id], foreign_keys=[pending_head_office_id]
    )


class FirmPerson(Base):
    """A person in a firm's filing (R-FIL-2..6): one row per person, one flag per role.

    Deleting the row deletes all the person's roles (R-FIL-6). A natural person is keyed by ID number, a
    legal-person shareholder by its credit code; the unique constraints refuse the same person twice.
    """

    __tablename__ = "firm_person"
    __table_args__ = (
        UniqueConstraint("firm_id", "id_number", name="uq_firm_person_id_number"),
        UniqueConstraint("firm_id", "credit_code", name="uq_firm_person_credit_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    # natural | legal
    person_kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(18))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    is_shareholder: Mapped[bool] = mapped_column(default=False)
    is_appraiser: Mapped[bool] = mapped_column(default=False)
    is_other_field_appraiser: Mapped[bool] = mapped_column(default=False)
    is_executive: Mapped[bool] = mapped_column(default=False)
    other_field_type: Mapped[str | None] = mapped_column(String(40))
    certificate_number: Mapped[str | None] = mapped_column(String(40))
    # contact, subscribed capital and date of a legal-person shareholder; the uploads per role
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # filed once the finance department confirmed the filing that listed the person; a change to a filed
    # firm (firm_change.bpmn) adds unfiled rows and marks filed rows for removal until it is confirmed
    filed: Mapped[bool] = mapped_column(default=False)
    removal_pending: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
