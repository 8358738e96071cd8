"""Associations (societies) as data: name, branding, number series and role labels of each one on the platform."""

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base, db
from app.organizations.models import Organization


class Society(Base):
    """One association the platform serves; its organisations point at it (organization.society_id)."""

    __tablename__ = "society"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(20), unique=True)  # what a BPMN's start event names (society=…)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(40))
    platform_title: Mapped[str] = mapped_column(String(100))  # page headers
    sms_signature: Mapped[str] = mapped_column(String(40))  # 【…】 before every SMS sent in its name
    member_number_prefix: Mapped[str] = mapped_column(String(10), default="")
    # role key → label in this association's words (e.g. the top reviewer role is the association's name)
    role_labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    top_kind: Mapped[str] = mapped_column(String(40))  # the organisation kind at the top of its tree
    # review steps' due days by setting name (dueDays="local_review"), over app/workflow/due.py's defaults
    due_days: Mapped[dict[str, int] | None] = mapped_column(JSON)


@dataclass(frozen=True)
class SocietyInfo:
    """A society row's values, read once per request: plain values survive the commits and session ends that a
    scheduler sweep or a long script does within one app context (an ORM row would be expired or detached)."""

    id: int
    key: str
    name: str
    short_name: str
    platform_title: str
    sms_signature: str
    member_number_prefix: str
    role_labels: dict[str, str]
    top_kind: str
    due_days: dict[str, int]  # its own review days (app/workflow/due.py overlays them on the defaults)


# Built once, run on the session's connection (issue 13): plain columns, no ORM rows to build, and no autoflush,
# since a mirror half-way through its changes asks for the review days (app/workflow/due.py).
_ALL = select(
    Society.id,
    Society.key,
    Society.name,
    Society.short_name,
    Society.platform_title,
    Society.sms_signature,
    Society.member_number_prefix,
    Society.role_labels,
    Society.top_kind,
    Society.due_days,
).order_by(Society.id)


def all_societies() -> list[SocietyInfo]:
    """Every association, once per request (page headers, role labels and review days read them)."""
    if has_app_context() and "memberflow_societies" in g:
        return g.memberflow_societies  # type: ignore[no-any-return]
    found = [
        SocietyInfo(*row[:7], dict(row.role_labels or {}), row.top_kind, dict(row.due_days or {}))
        for row in db.session.connection().execute(_ALL)
    ]
    if found and has_app_context():  # none yet (an empty database being filled): look again next time
        g.memberflow_societies = found
    return found


def forget_societies() -> None:
    """Read the associations again at their next use: this request has just changed one."""
    if has_app_context():
        g.pop("memberflow_societies", None)


def society_by_key(key: str | None) -> SocietyInfo | None:
    return next((s for s in all_societies() if s.key == key), None)


def default_society() -> SocietyInfo | None:
    """The association that speaks for the platform where nothing names one (login SMS, the first page)."""
    return society_by_key(current_app.config["MEMBERFLOW_DEFAULT_SOCIETY"]) or next(iter(all_societies()), None)


def society_for_kind(kind: str) -> SocietyInfo | None:
    """The association whose tree has this kind of organisation (its role labels name every kind in it)."""
    return next((s for s in all_societies() if kind in (s.role_labels or {})), None)


def society_of_org(org: Organization | None) -> SocietyInfo | None:
    if org is None or org.society_id is None:
        return None
    return next((s for s in all_societies() if s.id == org.society_id), None)


def society_of_process(process_id: str) -> SocietyInfo | None:
    """The association a process declares on its start event (property society=…)."""
    from app.engine.specs import catalog

    if process_id not in catalog().current:
        return None
    return society_by_key(catalog().process(process_id).start_properties.get("society"))


def top_organization(society: SocietyInfo) -> Organization | None:
    """The association's own organisation (the national body at the top of its tree)."""
    stmt = select(Organization).where(Organization.society_id == society.id, Organization.kind == society.top_kind)
    return db.session.scalar(stmt)


def identity_choices() -> list[tuple[SocietyInfo, list[tuple[str, str, str]]]]:
    """Each association with the processes it offers on the identity page: (process id, name, description)."""
    from app.engine.specs import catalog

    cat = catalog()
    offered = [(pid, cat.process(pid)) for pid in cat.current]
    return [
        (
            society,
            [
                (pid, v.start_properties["identityChoice"], v.start_properties.get("identityText", ""))
                for pid, v in offered
                if v.start_properties.get("society") == society.key and v.start_properties.get("identityChoice")
            ],
        )
        for society in all_societies()
    ]


def page_society() -> SocietyInfo | None:
    """The association a page speaks for: the one a view named (g.society), else the acting role's."""
    from flask_login import current_user

    from app.accounts.identity_choice import current_identity, page_identities

    if "society" in g:
        return g.society  # type: ignore[no-any-return]
    if current_user.is_authenticated:
        identity = current_identity(page_identities(current_user))
        if identity.organization_id is not None:
            return society_of_org(db.session.get(Organization, identity.organization_id))
    return None


def use_society_of_process(process_id: str) -> None:
    """A page about one process speaks in its association's name (header, role labels)."""
    g.society = society_of_process(process_id)


def install_branding(app: Flask) -> None:
    @app.context_processor
    def _brand() -> dict[str, object]:
        return {"brand": branding(page_society())}


def society_member_number(society_id: int | None, year: int, serial: int) -> str:
    """A number in the series of the association `society_id` (none: no prefix): its prefix, the year, a serial."""
    society = next((s for s in all_societies() if s.id == society_id), None) if society_id is not None else None
    return f"{society.member_number_prefix if society else ''}{year}{serial:06d}"


def sms_signature(society: SocietyInfo | None = None) -> str:
    society = society or default_society()
    return f"【{society.sms_signature}】" if society else ""


def role_label(role: str | None, society: SocietyInfo | None = None) -> str:
    """A role's label: the association's own word for it, else the generic one (app/accounts/services.py)."""
    from app.accounts.services import ROLE_LABELS

    if not role:
        return ""
    for s in [society] if society else all_societies():
        if s and role in (s.role_labels or {}):
            return s.role_labels[role]
    return ROLE_LABELS.get(role, role)


def role_labels() -> dict[str, str]:
    from app.accounts.services import ROLE_LABELS

    return {role: role_label(role) for role in ROLE_LABELS}


def branding(society: SocietyInfo | None) -> dict[str, Any]:
    """What page headers, PDFs and the verification page print for an association (or the neutral platform)."""
    if society is None:
        return {"name": "", "short_name": "", "title": current_app.config["MEMBERFLOW_PLATFORM_TITLE"]}
    return {"name": society.name, "short_name": society.short_name, "title": society.platform_title}
