"""The identities a person switches between in the header (R-ACC-6) and the one chosen in this session."""

from dataclasses import dataclass

from flask import Flask, g, has_request_context, request, session
from flask_babel import gettext
from flask_login import current_user

from app.accounts.models import User
from app.accounts.rights import ALL_KEY, PERSONAL_KEY, holds_no_rights, is_analyst
from app.errors import NotAllowed
from app.i18n import N_
from app.organizations.societies import role_label
from app.roles import REVIEWER_ROLES


@dataclass(frozen=True)
class Identity:
    key: str
    label: str
    role: str | None = None
    organization_id: int | None = None
    firm_admin: bool = False  # acting for the firm as its admin: may manage staff


PERSONAL = Identity(PERSONAL_KEY, N_("个人用户"))


def identities(user: User) -> list[Identity]:
    """The identities a person switches between: personal, each reviewer grant, system administrator."""
    if holds_no_rights(user):
        return [PERSONAL]
    grants = list(user.grants)
    admin_of = {g.organization_id for g in grants if g.role == "firm_admin"}
    found = [PERSONAL]
    for grant in grants:
        if grant.role in REVIEWER_ROLES:
            is_admin = grant.role == "firm" and grant.organization_id in admin_of
            label = (
                f"{gettext('机构管理员') if is_admin else gettext(role_label(grant.role))} · {grant.organization.name}"
            )
            key = f"{grant.role}:{grant.organization_id}"
            found.append(Identity(key, label, grant.role, grant.organization_id, is_admin))
    if len(found) > 2:
        found.append(Identity(ALL_KEY, gettext("全部审核身份"), ALL_KEY))
    if user.is_admin:
        found.append(Identity("admin", gettext("系统管理员"), "admin"))
    return found


_PAGE_IDENTITIES = "_memberflow_identities"  # flask.g: (the request, the user's id, their identities)


def page_identities(user: User) -> list[Identity]:
    """identities(user), made once per request: the header, the branding and the page read them (each made them
    again). Kept on flask.g, which is this request's (and so this thread's) alone in a worker; a test's or a script's
    app context outlives its requests, so the entry names its request and user and serves no other."""
    if not has_request_context():
        return identities(user)
    page = request._get_current_object()  # type: ignore[attr-defined]  # the request itself, not its proxy
    held = g.get(_PAGE_IDENTITIES)
    if held is None or held[0] is not page or held[1] != user.id:
        held = (page, user.id, identities(user))
        setattr(g, _PAGE_IDENTITIES, held)
    return held[2]


def current_identity(options: list[Identity]) -> Identity:
    """The one chosen in this session; by default all reviewer identities for a person holding several, else their
    reviewer identity (else admin, else personal) — the identity `active_grants` acts in."""
    chosen = session.get("identity")
    for option in options:
        if option.key == chosen:
            return option
    return next((o for o in options if o.key == ALL_KEY), options[1] if len(options) > 1 else PERSONAL)


def choose_identity(user: User, key: str) -> Identity:
    for option in identities(user):
        if option.key == key:
            session["identity"] = key
            return option
    raise NotAllowed(gettext("您没有该身份"))


def install_identity_context(app: Flask) -> None:
    """Templates see the identity the person acts in, so menus show only what it may do."""

    @app.context_processor
    def _identity() -> dict[str, object]:
        if not current_user.is_authenticated:
            return {}
        options = page_identities(current_user)
        return {"current_identity": current_identity(options), "identities": options, "is_analyst": is_analyst}
