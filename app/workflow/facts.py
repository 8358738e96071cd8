"""Facts about a person that eligibility rules read; domain packages register providers.

A page asks every startable process whether the person may start it (the home page: one rule per process), and
every rule reads the same facts: they are computed once per transaction and shared. The cache lives in the
database session and is dropped whenever the session writes (flush, or an UPDATE/DELETE statement), commits or
rolls back, so a fact never outlives the rows it was read from; it is keyed by the business day as well, since
facts such as "blocked until" or practice months depend on the date.

A provider names the SQL values it reads about the person (`values`: scalar subqueries and EXISTS over indexed
columns, given the person's id and the day as bound parameters); every provider's values are read with one
SELECT, then each provider makes its facts from its own values (issue 13: the facts were about twenty statements
of the apply step, and of every home page).
"""

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Exists, Integer, Select, bindparam, event, exists, select
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.elements import BindParameter

from app import clock
from app.accounts.models import User
from app.dbread import read
from app.extensions import db
from app.workflow.models import ProcessInstance


@dataclass(frozen=True)
class Person:
    """What a provider's SQL values may refer to: bound parameters, given at each reading."""

    id: BindParameter[int]
    today: BindParameter[date]
    year: BindParameter[int]


PERSON = Person(
    bindparam("fact_person", type_=Integer),
    bindparam("fact_today", type_=Date),
    bindparam("fact_year", type_=Integer),
)

FactValues = Callable[[Person], dict[str, ColumnElement[Any]]]
FactMaker = Callable[[User, Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class _Provider:
    values: FactValues | None
    facts: FactMaker


_PROVIDERS: list[_Provider] = []
_CACHE = "memberflow.person_facts"


@dataclass(frozen=True)
class _Reading:
    """The one SELECT of every provider's values, and which of its columns (label, name) belong to each provider."""

    statement: Select[Any] | None
    columns: list[list[tuple[str, str]]]


_READING: dict[int, _Reading] = {}  # by the number of providers it was built for (built once per process)


def fact_provider(values: FactValues | None = None) -> Callable[[FactMaker], FactMaker]:
    """Register `facts(user, values)`: `values` maps the names `values(PERSON)` gave to what the SELECT read."""

    def register(fn: FactMaker) -> FactMaker:
        _PROVIDERS.append(_Provider(values, fn))
        return fn

    return register


def running_application(applicant_id: Any, *criteria: ColumnElement[bool]) -> Exists:
    """EXISTS a running instance the person (an id or a bound parameter) applied for, of the processes `criteria`
    name (ix_instance_applicant_status)."""
    return exists().where(ProcessInstance.applicant_id == applicant_id, ProcessInstance.status == "running", *criteria)


def person_facts(user: User) -> dict[str, Any]:
    """Every registered fact about `user`, JSON-able, as DMN inputs and instance start data (a copy: callers may
    change it)."""
    cache: dict[tuple[int, date], dict[str, Any]] = db.session.info.setdefault(_CACHE, {})
    today = clock.today()
    key = (user.id, today)
    facts = cache.get(key)
    if facts is None:
        reading = _reading()
        row: Mapping[Any, Any] = {}
        if reading.statement is not None:
            params = {"fact_person": user.id, "fact_today": today, "fact_year": today.year}
            # on the session's connection: the ORM's step around this SELECT was a third of its cost (issue 13)
            row = read(reading.statement, params).one()._mapping
        facts = {}
        for provider, columns in zip(_PROVIDERS, reading.columns, strict=True):
            facts.update(provider.facts(user, {name: row[label] for label, name in columns}))
        # the flush above (or a provider's rare second read) may have written pending changes, which dropped the cache
        db.session.info.setdefault(_CACHE, {})[key] = facts
    return copy.deepcopy(facts)


def _reading() -> _Reading:
    reading = _READING.get(len(_PROVIDERS))
    if reading is None:
        labelled: list[ColumnElement[Any]] = []
        columns: list[list[tuple[str, str]]] = []
        for n, provider in enumerate(_PROVIDERS):
            values = provider.values(PERSON) if provider.values is not None else {}
            columns.append([(f"p{n}_{name}", name) for name in values])
            labelled.extend(value.label(f"p{n}_{name}") for name, value in values.items())
        reading = _READING[len(_PROVIDERS)] = _Reading(select(*labelled) if labelled else None, columns)
    return reading


def forget_facts(session: Session, *_args: Any) -> None:
    """Drop the session's facts: for a write the ORM does not see (a Core statement on the session's connection)."""
    session.info.pop(_CACHE, None)


_forget = forget_facts


def _forget_on_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        _forget(state.session)


for _name in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
    event.listen(Session, _name, _forget)
event.listen(Session, "do_orm_execute", _forget_on_write)
