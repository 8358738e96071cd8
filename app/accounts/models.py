"""User accounts and the roles they hold in organisations."""

from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base
from app.organizations.models import Organization


class User(UserMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    mobile: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    # 证件类型 (app/accounts/id_documents.py): the mainland ID card, a Hong Kong/Macau or Taiwan permit, a passport
    id_type: Mapped[str] = mapped_column(String(20), default="id_card", server_default="id_card")
    password_hash: Mapped[str] = mapped_column(String(256))
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # R-ACC-2: set when the third-party face verification passed; business needs it
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # R-ACC-3: consecutive wrong passwords (or SMS codes) and the end of the lock they caused
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # server-side revocation: sessions carry the generation they began in (get_id); bumping it ends them all
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # the language chosen with the header switch (app/i18n.py); None: the cookie or the browser decides
    locale: Mapped[str | None] = mapped_column(String(8))
    # issue 14: an account made by importing an old-platform member has no password (imported_at set) until the
    # person takes it over (claimed_at): by logging in with the mobile on record, or by binding a new mobile
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the old platform's login name, which logs in like the mobile once imported
    legacy_login: Mapped[str | None] = mapped_column(String(60), unique=True)

    # in the order granted (pages list them so); statements that load them with the user order by id too
    grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="RoleGrant.id"
    )

    def get_id(self) -> str:
        """What Flask-Login stores in the session: the id and the generation (app/accounts/sessions.py)."""
        return f"{self.id}:{self.session_generation}"

    def set_password(self, password: str) -> None:
        method = current_app.config.get("MEMBERFLOW_PASSWORD_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return self.has_password and check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        """False for an imported account (no password is ever imported) until the person sets one."""
        return bool(self.password_hash)


class RoleGrant(Base):
    """A reviewer right: this user acts in `role` for `organization`.

    Role `firm_admin` marks the one account that manages a firm (R-ADM-1): at most one per firm and one
    firm per person, which two partial unique indexes guarantee.
    """

    __tablename__ = "role_grant"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "organization_id"),
        Index(
            "uq_firm_admin_per_firm",
            "organization_id",
            unique=True,
            sqlite_where=text("role = 'firm_admin'"),
            postgresql_where=text("role = 'firm_admin'"),
        ),
        Index(
            "uq_firm_admin_per_person",
            "user_id",
            unique=True,
            sqlite_where=text("role = 'firm_admin'"),
            postgresql_where=text("role = 'firm_admin'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))

    user: Mapped[User] = relationship(back_populates="grants")
    organization: Mapped[Organization] = relationship()


class SmsCode(Base):
    """A one-time code sent by SMS (login, password reset); R-ACC-4 counts these per number and day."""

    __tablename__ = "sms_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    mobile: Mapped[str] = mapped_column(String(20), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_tries: Mapped[int] = mapped_column(default=0)


class FaceSession(Base):
    """One face verification (R-ACC-2) as the identity backend reports it: pending, passed or failed."""

    __tablename__ = "face_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MemberBinding(Base):
    """A registration with a new mobile that claims an imported member's account (issue 14 item 2).

    Pending until the face check against the ID on record passes; then the account takes the new mobile and
    the password chosen at registration. Nothing changes on the account while it is pending or refused.
    """

    __tablename__ = "member_binding"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    new_mobile: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(256))
    face_session_id: Mapped[str | None] = mapped_column(ForeignKey("face_session.id"))
    # pending | bound | refused
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A personal access token for the API: one identity of its user, stored as the SHA-256 of its secret.

    Valid while not revoked, not expired and issued under the user's current `session_generation`: the
    events that end every session (app/accounts/sessions.py) end tokens too, without a list of their own.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # hex SHA-256 of the whole secret; the one lookup a request makes (a unique index)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # the first characters of the secret, shown in the list so a person can tell their tokens apart
    prefix: Mapped[str] = mapped_column(String(16))
    # Identity.key at creation: "personal", "admin" or "<role>:<organization id>" (app/accounts/identity_choice.py)
    identity: Mapped[str] = mapped_column(String(60))
    session_generation: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
