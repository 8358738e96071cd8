"""The reviewers' inbox filters: search and filters as SQL over the human_task mirror, parsed from a query string."""

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any, TypeVar

from flask_babel import get_locale
from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Select, bindparam, or_, select, union

from app import clock
from app.accounts.models import User
from app.engine.specs import catalog
from app.extensions import db
from app.i18n import translate_data
from app.members.models import Member
from app.workflow.models import HumanTask, ProcessInstance

# a search longer than any name, ID number, mobile or number would be is cut, not refused
MAX_SEARCH = 40
DUE_STATES = ("overdue", "soon")
CLAIM_STATES = ("mine", "unclaimed")
DEFAULT_SOON_DAYS = 3
MAX_SOON_DAYS = 365
MAX_APPLICATION_NUMBER = 2**31 - 1  # an INTEGER id; a longer number is a mobile or ID number, never one
_NUMBER = re.compile(r"^[0-9A-Za-z-]+$")
_S = TypeVar("_S", bound=Select)  # type: ignore[type-arg]  # any row shape
# the task table's columns: the inbox page's statements are plain SQL (no ORM entity), which SQLAlchemy runs with less
# work per execution (issue 13); they mix with the ORM's selects of HumanTask (the export, the API's list)
TASK = HumanTask.__table__.c


@dataclass(frozen=True)
class InboxFilter:
    """What a reviewer narrowed the inbox to; the same keys are the URL's and a saved view's."""

    q: str = ""
    process: str = ""
    step: str = ""
    due: str = ""  # overdue | soon (due within `days`)
    days: int = DEFAULT_SOON_DAYS
    arrived_from: str = ""  # ISO dates, the association's calendar days
    arrived_to: str = ""
    claim: str = ""  # mine | unclaimed

    @classmethod
    def from_args(cls, args: Any) -> "InboxFilter":
        """Read a query string (or a saved view's dict); anything unreadable is ignored, never an error."""
        days = _int(args.get("days"), DEFAULT_SOON_DAYS)
        return cls(
            q=str(args.get("q") or "").strip()[:MAX_SEARCH],
            process=str(args.get("process") or "")[:80],
            step=str(args.get("step") or "")[:200],
            due=_choice(args.get("due"), DUE_STATES),
            days=min(max(days, 1), MAX_SOON_DAYS),
            arrived_from=_iso_date(args.get("arrived_from")),
            arrived_to=_iso_date(args.get("arrived_to")),
            claim=_choice(args.get("claim"), CLAIM_STATES),
        )

    def as_args(self) -> dict[str, Any]:
        """The non-default values, for links and for storing a saved view."""
        defaults = InboxFilter()
        return {
            f.name: v for f, v in ((f, getattr(self, f.name)) for f in fields(self)) if v != getattr(defaults, f.name)
        }

    def without_search(self) -> "InboxFilter":
        return replace(self, q="")


# On PostgreSQL a name part shorter than this is tested on each task while the inbox walks its sort order, and the walk
# stops at the first page: such a part matches most of a scope (two characters are a whole Chinese given name or a
# common surname), and PostgreSQL runs `id IN (names in the scope)` as a semi-join over every match, then sorts them:
# 285 ms for a 2-character part matching all 20,000 tasks of a scope. SQLite probes that list while it walks the sort
# order, which stops at the first page already, and reading every task row for a rare part cost it 4.3 ms (0.65 ms
# with the list) at 20,000 instances: it keeps the list.
SHORT_NAME_SEARCH = 3

# What a filter's SQL looks like apart from its values: process, step, due, arrived from, arrived to, claim, search.
Shape = tuple[bool, bool, str, bool, bool, str, str]


def filter_shape(f: InboxFilter) -> Shape:
    """The statement a filter needs, whatever its values: filters of one shape share one built statement."""
    return (
        bool(f.process),
        bool(f.step),
        f.due,
        bool(f.arrived_from),
        bool(f.arrived_to),
        f.claim,
        _search_kind(f.q),
    )


def _search_kind(q: str) -> str:
    if not q:
        return ""
    if _NUMBER.match(q) and any(c.isdigit() for c in q):
        return "number"
    return "short_name" if len(q) < SHORT_NAME_SEARCH and db.engine.dialect.name == "postgresql" else "name"


def filtered(stmt: _S, f: InboxFilter, user: User, scope: ColumnElement[bool]) -> _S:
    """`stmt` (a select over human_task) narrowed to the filter, its values bound; `scope` (whose tasks:
    access.reviewer_scope) is the caller's to apply, and the name search uses it again inside its subquery."""
    return stmt.where(*shaped_conditions(filter_shape(f), scope)).params(filter_params(f, user))


def shaped_conditions(shape: Shape, scope: ColumnElement[bool], prefix: str = "") -> list[ColumnElement[bool]]:
    """The conditions of a filter of this shape, each value a bound parameter named `prefix` + its name (the values:
    filter_params). A statement of several filters (the tabs' counts) gives each its own prefix."""
    process, step, due, arrived_from, arrived_to, claim, search = shape
    conds: list[ColumnElement[bool]] = []
    if process:
        conds.append(TASK.process_id == bindparam(prefix + "process"))
    if step:
        conds.append(TASK.name == bindparam(prefix + "step"))
    if due == "overdue":
        conds.append(TASK.due_at < bindparam(prefix + "now", type_=TASK.due_at.type))
    elif due == "soon":
        conds.append(TASK.due_at >= bindparam(prefix + "now", type_=TASK.due_at.type))
        conds.append(TASK.due_at < bindparam(prefix + "soon_until", type_=TASK.due_at.type))
    if arrived_from:
        conds.append(TASK.created_at >= bindparam(prefix + "arrived_from", type_=TASK.created_at.type))
    if arrived_to:
        conds.append(TASK.created_at < bindparam(prefix + "arrived_before", type_=TASK.created_at.type))
    if claim == "mine":
        conds.append(TASK.assignee_id == bindparam("user_id"))
    elif claim == "unclaimed":
        conds.append(TASK.assignee_id.is_(None))
    if search:
        conds.append(search_condition(search, scope, prefix))
    return conds


def filter_params(f: InboxFilter, user: User, prefix: str = "") -> dict[str, Any]:
    """The values of shaped_conditions(filter_shape(f), …, prefix)."""
    params: dict[str, Any] = {"user_id": user.id}
    if f.process:
        params[prefix + "process"] = f.process
    if f.step:
        params[prefix + "step"] = f.step
    if f.due:
        now = params[prefix + "now"] = clock.now()
        if f.due == "soon":
            params[prefix + "soon_until"] = now + timedelta(days=f.days)
    if f.arrived_from:
        params[prefix + "arrived_from"] = clock.start_of_day(date.fromisoformat(f.arrived_from))
    if f.arrived_to:
        params[prefix + "arrived_before"] = clock.start_of_day(date.fromisoformat(f.arrived_to) + timedelta(days=1))
    kind = _search_kind(f.q)
    if kind == "number":
        params[prefix + "q"], params[prefix + "q_upper"] = f.q, f.q.upper()
        numbered = f.q.isdigit() and int(f.q) <= MAX_APPLICATION_NUMBER
        params[prefix + "application"] = int(f.q) if numbered else None  # None: no application is numbered so
    elif kind:
        escaped = f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params[prefix + "name"] = f"%{escaped}%"
    return params


def search_condition(kind: str, scope: ColumnElement[bool], prefix: str = "") -> ColumnElement[bool]:
    """Part of the applicant's name; or, for a number (digits, maybe letters): exactly an ID number, mobile, member
    number or application number.

    A number resolves to a few application ids through unique indexes (_applications_of_people, a subquery of the
    same statement); a name part of three or more characters is matched inside the reviewer's scope on a covering
    index (ix_task_scope_name). Either way it is `id IN (subquery)`: the inbox query checks the task id from its
    index entry instead of reading every task row of the scope (12 ms → 0.5 ms at 2,000 visible tasks). On PostgreSQL
    a shorter part is tested on the task rows as the inbox walks its order (SHORT_NAME_SEARCH). LIKE wildcards typed
    by the user are escaped and match themselves."""
    if kind == "number":
        numbered = bindparam(prefix + "application", type_=TASK.instance_id.type)
        applications = or_(TASK.instance_id.in_(_applications_of_people(prefix)), TASK.instance_id == numbered)
        return TASK.id.in_(select(TASK.id).where(applications))
    name = TASK.applicant_name.like(bindparam(prefix + "name"), escape="\\")
    if kind == "short_name":
        return name
    return TASK.id.in_(select(TASK.id).where(TASK.status == "open", scope, name))


# The applications of the people whose mobile, ID number (any case of its X) or member number is exactly the number,
# through unique indexes: a subquery of the list's statement (and of a saved view's count), built with it once per
# shape. As two ORM statements, one of them built per search, finding them cost more than the inbox's own query
# (0.5–0.8 ms of a 5 ms page); as a statement of its own run before the list, still about 0.1 ms of the page's
# Python per search (issue 15).
def _applications_of_people(prefix: str) -> Select[int]:
    return select(ProcessInstance.id).where(
        ProcessInstance.applicant_id.in_(
            union(
                select(User.id).where(User.mobile == bindparam(prefix + "q")),
                select(User.id).where(User.id_number == bindparam(prefix + "q_upper")),
                select(Member.user_id).where(Member.member_number == bindparam(prefix + "q")),
            )
        )
    )


def mask_id_number(id_number: str | None) -> str:
    """An ID number as lists show it: the first 6 and last 4 characters."""
    if not id_number:
        return ""
    return id_number[:6] + "*" * max(len(id_number) - 10, 0) + id_number[-4:] if len(id_number) > 10 else "****"


def id_numbers_of(tasks: list[HumanTask]) -> dict[int, str]:
    """instance id → its applicant's masked ID number, for one page of tasks (one query)."""
    ids = {t.instance_id for t in tasks}
    if not ids:
        return {}
    rows = db.session.execute(
        select(ProcessInstance.id, User.id_number)
        .join(User, User.id == ProcessInstance.applicant_id)
        .where(ProcessInstance.id.in_(ids))
    )
    return {iid: mask_id_number(number) for iid, number in rows}


def review_steps() -> list[str]:
    """The names of the current processes' review steps (every lane but the applicant's), for the step filter."""
    cat = catalog()
    names = {t.name for pid in cat.current for t in cat.process(pid).user_tasks.values() if t.lane != "applicant"}
    return sorted(names)


Options = list[tuple[str, str]]
_OPTIONS: dict[tuple[object, str], tuple[Options, Options]] = {}


def filter_options(processes: Callable[[], list[tuple[str, str]]]) -> tuple[Options, Options]:
    """(value, label in the page's language) of the business and step selects, made once per set of current
    process versions and language: translating each option on every page was half of GET /inbox's time."""
    key = (tuple(sorted(catalog().current.items())), str(get_locale()))
    options = _OPTIONS.get(key)  # once: another thread of the worker may clear the dict between a store and a read
    if options is None:
        if len(_OPTIONS) > 16:  # an old catalog's entries
            _OPTIONS.clear()
        options = _OPTIONS[key] = (
            [(pid, str(translate_data(name))) for pid, name in processes()],
            [(name, str(translate_data(name))) for name in review_steps()],
        )
    return options


# each option list's escaped tags, by the list (filter_options hands out the same list for a catalog and language;
# held here so that its id is not reused): escaping two hundred values and labels per page was a tenth of the inbox
# page's rendering (issue 15)
_ESCAPED: dict[int, tuple[Options, list[tuple[str, str, str]]]] = {}


def option_tags(options: Options, selected: str) -> Markup:
    """The <option>s of a filter select (about a hundred business and step names), made here: as a template loop
    they were a third of the inbox page's rendering time."""
    held = _ESCAPED.get(id(options))
    if held is None or held[0] is not options:
        if len(_ESCAPED) > 16:  # an old catalog's lists
            _ESCAPED.clear()
        tags = [(value, f'<option value="{escape(value)}"', f">{escape(label)}</option>") for value, label in options]
        held = _ESCAPED[id(options)] = (options, tags)
    return Markup(
        "".join(f"{head} selected{tail}" if value == selected else head + tail for value, head, tail in held[1])
    )


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _choice(value: Any, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else ""


def _iso_date(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat() if value else ""
    except ValueError:
        return ""
