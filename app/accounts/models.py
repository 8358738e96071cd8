"""User accounts and the roles they hold in organisations."""

from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base
from app.organizations.models import Organization

# Lane names in the BPMN files are these role keys (DESIGN.md "Assignment").
REVIEWER_ROLES = ("firm", "local_association", "national_association", "finance_department")


class User(UserMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    mobile: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    grants: Mapped[list["RoleGrant"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def set_password(self, password: str) -> None:
        method = current_app.config.get("MEMBERFLOW_PASSWORD_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class RoleGrant(Base):
    """A reviewer right: this user acts in `role` for `organization`."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))

    user: Mapped[User] = relationship(back_populates="grants")
    organization: Mapped[Organization] = relationship()
