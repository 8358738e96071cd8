"""What an account may do: R-ACC-5 (resigned/expelled hold no rights) and the grants of the identity it acts in now."""

from typing import Any

from flask import Flask, g, has_app_context, has_request_context, request, session
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import ColumnElement, bindparam, case, event, exists, inspect, or_, select
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.attributes import set_committed_value

from app import clock
from app.accounts.models import RoleGrant, User
from app.errors import NotAllowed
from app.extensions import db
from app.members.models import Member
from app.members.record_models import MembershipSanction
from app.members.records import in_force, suspension_reason
from app.roles import REVIEWER_ROLES

LAPSED_STATUSES = ("resigned", "expelled")
# What a resigned or expelled member may still do: their account, and applying again (manual ch.1 §八.4).
# Everything else (inbox, claiming, firm and admin pages, new endpoints by default) answers 403.
LAPSED_ALLOWED = frozenset(
    {
        "static",
        "workflow.home",
        "workflow.start",
        "workflow.my_applications",
        "workflow.application",
        "workflow.applicant_action",
        "workflow.task",
        "workflow.submit",
        "decisions.mine",  # why a rejoining application was refused
        "files.download",
        # the public authenticity check (R-CER-5) is open to anyone, logged in or not
        "certificates.verify",
        "certificates.verify_photo",
        "firm_admin.power_of_attorney",
        "api.upload_file",
        "api.list_instances",
        "api.get_instance",
        "api.instance_action",
        "api.openapi_document",
        "api.list_processes",
        "api.start_instance",
        "api.get_task",
        "api.save_draft",
        "api.complete_task",
    }
)
LAPSED_ALLOWED_BLUEPRINTS = frozenset({"accounts", "identity", "tokens", "api_docs", "i18n", "notify"})
_LAPSED = "memberflow.lapsed"  # session.info: user id -> holds_no_rights, for the transaction
LAPSED_MESSAGE = lazy_gettext("您已退会或被除名，账号仍可登录，但不能办理此项业务；符合条件的可重新申请入会")


def holds_no_rights(user: User) -> bool:
    """R-ACC-5: a former member (resigned or expelled, no active membership) logs in but holds no rights; nor does
    a member whose membership is suspended (暂停会员资格, issue 14) while the suspension is in force.

    Asked several times a request (the rights check, each access check, the answer's task list): read once per
    transaction, like the person's role grants (`user.grants`); read again after a commit, a rollback or a write
    to a membership or a sanction.
    """
    known: dict[int, bool] = db.session.info.setdefault(_LAPSED, {})
    if user.id not in known:
        lapsed = bool(db.session.scalar(_STANDING, {"user_id": user.id, "today": clock.today()}))
        remember_standing(user.id, lapsed)
    return db.session.info[_LAPSED][user.id]


def lapsed_column(user_id: Any, today: Any) -> ColumnElement[bool]:
    """R-ACC-5 as one SQL expression (a membership: a suspension in force on it; else resigned or expelled), for
    `holds_no_rights` and for the API token's query, which reads it with the user (app/accounts/tokens.py)."""
    active = exists().where(Member.user_id == user_id, Member.status == "active")
    suspended = exists().where(*in_force(user_id, today))
    lapsed = exists().where(Member.user_id == user_id, or_(*(Member.status == status for status in LAPSED_STATUSES)))
    return case((active, suspended), else_=lapsed)


# built once: a request's envelope reads it (issue 13), and building the statement cost more than running it
_STANDING = select(lapsed_column(bindparam("user_id"), bindparam("today")))


# a person's standing and role grants in one statement (a row per grant, one with no grant when there is none), for
# a caller whose user came without them (a service called outside a request's user loader: the scheduler, scripts)
_RIGHTS = (
    select(lapsed_column(User.id, bindparam("today")), RoleGrant)
    .select_from(User)
    .outerjoin(RoleGrant, RoleGrant.user_id == User.id)
    .where(User.id == bindparam("user_id"))
    .order_by(RoleGrant.id)
)


def _read_rights(user: User) -> None:
    """Standing and grants at once when neither is known yet: one statement, not two (issue 13)."""
    if "grants" in user.__dict__ or user.id in db.session.info.get(_LAPSED, {}) or not inspect(user).persistent:
        return
    rows = db.session.execute(_RIGHTS, {"user_id": user.id, "today": clock.today()}).all()
    if not rows:
        return
    set_committed_value(user, "grants", [grant for _lapsed, grant in rows if grant is not None])
    remember_standing(user.id, rows[0][0])


def remember_standing(user_id: int, lapsed: object) -> None:
    """The standing read for this transaction by a query that had it at hand (the token's)."""
    db.session.info.setdefault(_LAPSED, {})[user_id] = bool(lapsed)


def forget_standing(session: Session) -> None:
    """Read standings again: for a membership written by a Core statement, which the flush listener below misses."""
    session.info.pop(_LAPSED, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_lapsed_at_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the transaction's end; a savepoint's only when rolled back (below)
        forget_standing(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_lapsed_on_rollback(session: Session, _previous: SessionTransaction) -> None:
    forget_standing(session)


@event.listens_for(Session, "after_flush")
def _forget_lapsed_on_member_change(session: Session, _context: object) -> None:
    """A membership or a sanction written in this transaction (resigned, expelled, suspended, rejoined) is read
    again."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, Member | MembershipSanction) for row in changed):
        forget_standing(session)


# the identity keys `active_grants` reads besides "admin" and "<role>:<organisation id>"; the header's labelled
# options are app/accounts/identity_choice.py
PERSONAL_KEY = "personal"
ALL_KEY = "all"  # every reviewer identity at once: offered to a person holding several


def acting_identity(user: User) -> str | None:
    """The identity key an API token limits this request to (app/api/auth.py); None: all the person's rights."""
    acting = g.get("api_token_identity") if has_app_context() else None
    return acting[1] if acting is not None and acting[0] == user.id else None


def active_grants(user: User) -> list[RoleGrant]:
    """The grants the user may use now: none when lapsed (R-ACC-5); only the token's one under an API token; in the
    browser, the reviewer grants of the identity chosen in the header (issue 15): inbox, tab counts, task pages,
    claims, completions and the workload dashboard all follow it, as a token's calls do."""
    _read_rights(user)
    if holds_no_rights(user):
        return []
    key = acting_identity(user)
    if key is not None:
        return [grant for grant in user.grants if key == ALL_KEY or _grant_matches(grant, key)]
    key = _browser_identity(user)
    if key is None or key == ALL_KEY:
        return list(user.grants)
    # other grants (the analyst's) are not an identity of the header: they stay whichever one is chosen
    return [grant for grant in user.grants if not _is_identity_grant(grant) or _grant_matches(grant, key)]


def _browser_identity(user: User) -> str | None:
    """The header's identity of the person logged in by this request's session cookie; None for anyone else (a
    service acting for another person, the scheduler, an API call judged by its credentials)."""
    if not has_request_context() or request.authorization is not None:
        return None
    if str(session.get("_user_id", "")).split(":", 1)[0] != str(user.id):
        return None
    return chosen_identity_key(user, session.get("identity"))


def chosen_identity_key(user: User, chosen: object) -> str:
    """`chosen` if it is one of the person's identities now, else the default: all reviewer identities for a person
    holding several (nothing hidden until they choose), their one reviewer identity, else admin, else personal."""
    keys = _reviewer_keys(user)
    valid = {PERSONAL_KEY, *keys, *((ALL_KEY,) if len(keys) > 1 else ()), *(("admin",) if user.is_admin else ())}
    if chosen in valid:
        return str(chosen)
    if len(keys) > 1:
        return ALL_KEY
    return keys[0] if keys else "admin" if user.is_admin else PERSONAL_KEY


def _reviewer_keys(user: User) -> list[str]:
    return list(dict.fromkeys(f"{g.role}:{g.organization_id}" for g in user.grants if g.role in REVIEWER_ROLES))


def _is_identity_grant(grant: RoleGrant) -> bool:
    return grant.role in REVIEWER_ROLES or grant.role == "firm_admin"


def _grant_matches(grant: RoleGrant, key: str) -> bool:
    """A firm admin acts through the identity of the firm's reviewer (`firm:<id>`, or `auction_firm:<id>` at an
    auction firm), which marks it admin."""
    if grant.role == "firm_admin":
        role, _, org = key.partition(":")
        return role in ("firm", "auction_firm") and org == str(grant.organization_id)
    return f"{grant.role}:{grant.organization_id}" == key


def acts_as_admin(user: User) -> bool:
    """A system administrator, not lapsed, and not limited by an API token to another identity."""
    return user.is_admin and not holds_no_rights(user) and acting_identity(user) in (None, "admin")


def install_rights_check(app: Flask) -> None:
    @app.before_request
    def _refuse_lapsed() -> None:
        if not current_user.is_authenticated or not holds_no_rights(current_user):
            return
        if request.endpoint in LAPSED_ALLOWED or request.blueprint in LAPSED_ALLOWED_BLUEPRINTS:
            return
        raise NotAllowed(suspension_reason(current_user.id) or str(LAPSED_MESSAGE))


def is_firm_admin_of(user: User, firm_id: int | None) -> bool:
    return any(g.role == "firm_admin" and g.organization_id == firm_id for g in active_grants(user))


def require_admin(user: User) -> None:
    if not acts_as_admin(user):
        raise NotAllowed(gettext("仅系统管理员可以进行此操作"))


# Business analysts edit, check and replay processes and rules (the workbench). Administrators grant the role
# for their association's top organisation (a role grant like the reviewers'); administrators hold it as well.
ANALYST_ROLE = "analyst"
ANALYST_LABEL = lazy_gettext("业务分析员")
ANALYST_ORG_KINDS = ("national_association", "caa")


def is_analyst(user: User) -> bool:
    if not user.is_admin and all(grant.role != ANALYST_ROLE for grant in user.grants):
        return False  # most people: decided without a query (every page's menu asks)
    return acts_as_admin(user) or any(grant.role == ANALYST_ROLE for grant in active_grants(user))


def require_analyst(user: User) -> None:
    if not is_analyst(user):
        raise NotAllowed(gettext("仅业务分析员可以进行此操作"))
