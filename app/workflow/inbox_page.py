"""The inbox page's rows as the reviewer reads them, made in one loop in Python: the template only writes them out.

Per row the template used to translate the title and the step, format the arrival time, work out the time left and
look up the role's label through Jinja calls (about a fifth of the page's rendering at 20 rows); here each distinct
step and role is translated once per page and the page's language and catalog are looked up once."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import clock
from app.i18n import current_locale, translate_data
from app.workflow.inbox import mask_id_number
from app.workflow.queries import remaining


@dataclass(frozen=True, slots=True)
class InboxRow:
    id: int
    instance_id: int
    title: str  # in the page's language
    applicant_name: str
    id_number: str  # masked
    step: str  # in the page's language
    role: str  # the role's label
    arrived: str  # the association's local time
    due: str  # "— " when the task has no due time, else (the timer's note — ) the time left
    assignee_id: int | None


def inbox_page_rows(rows: list[Any], roles: dict[str, str], now: datetime) -> list[InboxRow]:
    """`rows` are queries.inbox_rows' (the shown columns and the applicant's ID number)."""
    locale = current_locale()
    steps: dict[str, str] = {}
    made = []
    for r in rows:
        step = steps.get(r.name)
        if step is None:
            step = steps[r.name] = str(translate_data(r.name))
        if r.due_at is None:
            due = "—"
        else:
            due = f"{r.due_note} — {remaining(r.due_at, now)}" if r.due_note else str(remaining(r.due_at, now))
        made.append(
            InboxRow(
                id=r.id,
                instance_id=r.instance_id,
                title=str(translate_data(r.title)),
                applicant_name=r.applicant_name,
                id_number=mask_id_number(r.id_number),
                step=step,
                role=roles.get(r.role, r.role),
                arrived=clock.format_local(r.created_at, locale),
                due=due,
                assignee_id=r.assignee_id,
            )
        )
    return made
