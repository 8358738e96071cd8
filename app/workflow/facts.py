"""Facts about a person that eligibility rules read; domain packages register providers.

A page asks every startable process whether the person may start it (the home page: one rule per process), and
every rule reads the same facts: they are computed once per transaction and shared. The cache lives in the
database session and is dropped whenever the session writes (flush, or an UPDATE/DELETE statement), commits or
rolls back, so a fact never outlives the rows it was read from; it is keyed by the business day as well, since
facts such as "blocked until" or practice months depend on the date.
"""

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from app import clock
from app.accounts.models import User
from app.extensions import db

FactProvider = Callable[[User], dict[str, Any]]
_PROVIDERS: list[FactProvider] = []
_CACHE = "memberflow.person_facts"


def fact_provider(fn: FactProvider) -> FactProvider:
    _PROVIDERS.append(fn)
    return fn


def person_facts(user: User) -> dict[str, Any]:
    """Every registered fact about `user`, JSON-able, as DMN inputs and instance start data (a copy: callers may
    change it)."""
    cache: dict[tuple[int, date], dict[str, Any]] = db.session.info.setdefault(_CACHE, {})
    key = (user.id, clock.today())
    facts = cache.get(key)
    if facts is None:
        facts = {}
        for provider in _PROVIDERS:
            facts.update(provider(user))
        # a provider's query may have flushed pending changes, which dropped the cache: store into the current one
        db.session.info.setdefault(_CACHE, {})[key] = facts
    return copy.deepcopy(facts)


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
