"""Organisations: the national association, local (provincial) associations, firms and their branches."""

from sqlalchemy import ForeignKey, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    province: Mapped[str | None] = mapped_column(String(40))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    # firms belong to the local association of their province
    local_association_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    # a branch (分所) points at its head office (总所)
    head_office_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    filed: Mapped[bool] = mapped_column(default=False)
    # the association whose tree this organisation is in (app/organizations/societies.py)
    society_id: Mapped[int | None] = mapped_column(ForeignKey("society.id"), index=True)
    # R-AUC-4: an auction firm still in preparation (筹建) until its 去筹 is recorded
    in_preparation: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    local_association: Mapped["Organization | None"] = relationship(
        remote_side=[id], foreign_keys=[local_association_id]
    )
    head_office: Mapped["Organization | None"] = relationship(remote_side=[id], foreign_keys=[head_office_id])
