"""Review steps' due times: a user task's dueDays is a number of days or the name of an association setting.

The sources give one limit (R-TRF-4: the old firm's 7 days, a timer in transfer.bpmn). For the other review steps
the association sets its own (society.due_days, key → days); until it does, these assumed defaults hold (README,
"Due dates")."""

from sqlalchemy import select

from app.errors import Invalid, NotFound
from app.extensions import db
from app.organizations.societies import Society, forget_societies, society_of_process

DEFAULT_DUE_DAYS = {
    "firm_review": 5,
    "local_review": 15,
    "national_review": 20,
    "finance_review": 15,
    "auction_firm_review": 5,
    "provincial_review": 15,
    "caa_review": 20,
}


def due_days(process_id: str, value: str | None) -> int | None:
    """Days from arrival to the step's due time; None: the step has none (or names a setting nobody defined)."""
    if not value:
        return None
    if value.isdigit():
        return int(value)
    days = association_due_days(process_id).get(value)
    return int(days) if days else None


def association_due_days(process_id: str) -> dict[str, int]:
    """The defaults overlaid with the settings of the association the process belongs to."""
    society = society_of_process(process_id)  # read with the request's societies: no statement of its own
    own = society.due_days if society else {}
    return {**DEFAULT_DUE_DAYS, **{k: int(v) for k, v in own.items()}}


def set_due_days(society_key: str, changes: dict[str, int]) -> dict[str, int]:
    """The association changes its own days (flask memberflow due-days); returns the settings now in force."""
    society = db.session.scalar(select(Society).where(Society.key == society_key))
    if society is None:
        raise NotFound(f"没有协会 {society_key}")
    bad = {k: v for k, v in changes.items() if not 1 <= v <= 365}
    if bad:
        raise Invalid("期限天数须在 1 至 365 之间", {k: "期限天数须在 1 至 365 之间" for k in bad})
    society.due_days = {**(society.due_days or {}), **changes}
    db.session.flush()
    forget_societies()
    return {**DEFAULT_DUE_DAYS, **society.due_days}
