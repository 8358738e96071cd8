"""Account look-ups shared by the pages and the API; login rules live in login.py."""

from urllib.parse import urlsplit

from flask import has_request_context, request
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import contains_eager

from app import clock
from app.accounts.models import RoleGrant, User
from app.accounts.rights import lapsed_column, remember_standing
from app.extensions import db, login_manager
from app.i18n import N_
from app.members.models import Member
from app.workflow.models import ProcessInstance

# generic labels; each association names its own roles (Society.role_labels, app/organizations/societies.py)
ROLE_LABELS = {
    "applicant": N_("申请人"),
    "firm": N_("资产评估机构"),
    "local_association": N_("地方协会"),
    "national_association": N_("全国协会"),
    "finance_department": N_("地方财政部门"),
    "auction_firm": N_("拍卖企业"),
    "provincial_auction_association": N_("省级拍卖行业协会"),
    "caa": N_("全国拍卖行业协会"),
    "system": N_("系统"),
}


# Built once (issue 13, like the API token's query in tokens.py): the session's user with what every page's envelope
# reads of them — their standing (R-ACC-5, the rights check), their role grants and the grants' organisations (the
# header's identities name them) — in one statement instead of four.
_SESSION_USER = (
    select(User, lapsed_column(User.id, bindparam("today")))
    .outerjoin(User.grants)
    .outerjoin(RoleGrant.organization)
    .options(contains_eager(User.grants).contains_eager(RoleGrant.organization))
    .where(User.id == bindparam("user_id"))
    .order_by(RoleGrant.id)
)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session's user, unless the session was revoked since it began (app/accounts/sessions.py).

    An API call that names its credentials (Authorization: Bearer or Basic) is judged by them, not by a
    session cookie the browser also sends (Swagger UI's "Try it out" on /api/docs does both)."""
    if has_request_context() and request.blueprint == "api" and request.authorization is not None:
        return None
    user_id, _, generation = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and generation.isascii() and generation.isdigit()):
        return None
    row = db.session.execute(_SESSION_USER, {"user_id": int(user_id), "today": clock.today()}).unique().first()
    if row is None or row[0].session_generation != int(generation):
        return None
    user, lapsed = row
    remember_standing(user.id, lapsed)
    return user


def needs_identity_choice(user: User) -> bool:
    """R-ACC-6: a plain registered account (no role, membership or application yet) chooses an identity."""
    if user.grants or user.is_admin:
        return False
    has_member = db.session.scalar(select(exists().where(Member.user_id == user.id)))
    has_application = db.session.scalar(select(exists().where(ProcessInstance.applicant_id == user.id)))
    return not has_member and not has_application


def same_site_path(target: str) -> str | None:
    """A path on this site only: no scheme or host, no control characters browsers would strip."""
    parts = urlsplit(target)
    ok = target.startswith("/") and target.isprintable() and not parts.scheme and not parts.netloc
    return target if ok and not target.startswith(("//", "/\\")) else None
