"""Which association's files an analyst works on: the analyst role is granted for one association's top
organisation (the appraisal society, the auctioneers' association); its holder sees and replays only that
association's decisions, processes, scenarios and rule coverage. Administrators see every association.

A file's association comes from the catalog (`Catalog.file_societies`): a process's `society`, a DMN table's
through the processes naming it or its own `memberflow:society`; a file naming none belongs to the platform's
default association (MEMBERFLOW_DEFAULT_SOCIETY).
"""

from flask import current_app
from flask_babel import gettext as _

from app.accounts.models import User
from app.accounts.rights import ANALYST_ROLE, active_grants, acts_as_admin, require_analyst
from app.engine.specs import catalog
from app.errors import NotFound
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.societies import Society

Scope = frozenset[str] | None  # society keys; None: every association (an administrator)


def analyst_scope(user: User) -> Scope:
    """The associations whose workbench the user may use; refuses a non-analyst (403)."""
    require_analyst(user)
    if acts_as_admin(user):
        return None
    org_ids = [g.organization_id for g in active_grants(user) if g.role == ANALYST_ROLE]
    keys = db.session.scalars(
        db.select(Society.key)
        .join(Organization, Organization.society_id == Society.id)
        .where(Organization.id.in_(org_ids))
    )
    return frozenset(keys)


def file_societies(filename: str) -> set[str]:
    found = catalog().file_societies.get(filename)
    return set(found) if found else {current_app.config["MEMBERFLOW_DEFAULT_SOCIETY"]}


def file_in_scope(filename: str, scope: Scope) -> bool:
    return scope is None or bool(file_societies(filename) & scope)


def decision_in_scope(decision_id: str, scope: Scope) -> bool:
    return file_in_scope(catalog().decision_files.get(decision_id, f"{decision_id}.dmn"), scope)


def process_in_scope(process_id: str, scope: Scope) -> bool:
    if scope is None:
        return True
    cat = catalog()
    if process_id not in cat.current:
        return False  # an unknown or refused process: only administrators see what is not loaded
    society = cat.process(process_id).start_properties.get("society")
    return (society or current_app.config["MEMBERFLOW_DEFAULT_SOCIETY"]) in scope


def require_decision_in_scope(decision_id: str, scope: Scope) -> None:
    """Another association's table is not found rather than forbidden (as for another firm's application)."""
    if decision_id not in catalog().decisions or not decision_in_scope(decision_id, scope):
        raise NotFound(_("没有该决策表"))
