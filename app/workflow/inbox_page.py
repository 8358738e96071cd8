"""The inbox page's rows as the reviewer reads them, made in one loop in Python: the template only writes them out.

Per row the template used to translate the title and the step, format the arrival time, work out the time left and
look up the role's label through Jinja calls (about a fifth of the page's rendering at 20 rows); here each distinct
step and role is translated once per page and the page's language and catalog are looked up once. The claim column's
words are chosen here too: set as template variables in the page's block, they made Jinja copy the whole template
context for every translated text after them (45 copies a page, issue 13)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import clock
from app.i18n import N_, current_locale, page_translations, translate_data
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
    claimable: bool  # unclaimed: the bulk claim's checkbox, labelled `choose`
    choose: str  # 选择 <title>
    claim: str  # 我 / 他人 / 未认领


# the checkbox label's word and the claim column's three, translated once per page from the page's catalog
# (Flask-Babel's gettext looks the request's domain, locale and catalog up again for each)
_ROW_WORDS = (N_("选择"), N_("我"), N_("他人"), N_("未认领"))


def inbox_page_rows(rows: list[Any], role_label: Callable[[str], str], now: datetime, user_id: int) -> list[InboxRow]:
    """`rows` are queries.inbox_rows' (the shown columns and the applicant's ID number); `role_label` names a role
    in the association's word, translated as data like the header's identities (looked up once per distinct role:
    labelling all eleven roles for each page was 4% of it, issue 15);
    `user_id` is the reviewer's."""
    locale = current_locale()
    catalog = page_translations()
    choose, me, others, unclaimed = (catalog.ugettext(word) for word in _ROW_WORDS)
    steps: dict[str, str] = {}
    roles: dict[str, str] = {}
    made = []
    for r in rows:
        step = steps.get(r.name)
        if step is None:
            step = steps[r.name] = str(translate_data(r.name))
        role = roles.get(r.role)
        if role is None:
            role = roles[r.role] = str(translate_data(role_label(r.role)))
        if r.due_at is None:
            due = "—"
        else:
            due = f"{r.due_note} — {remaining(r.due_at, now)}" if r.due_note else str(remaining(r.due_at, now))
        title = str(translate_data(r.title))
        made.append(
            InboxRow(
                id=r.id,
                instance_id=r.instance_id,
                title=title,
                applicant_name=r.applicant_name,
                id_number=mask_id_number(r.id_number),
                step=step,
                role=role,
                arrived=clock.format_local(r.created_at, locale),
                due=due,
                claimable=r.assignee_id is None,
                choose=f"{choose} {title}",
                claim=unclaimed if r.assignee_id is None else me if r.assignee_id == user_id else others,
            )
        )
    return made
