"""Facts about a person that eligibility rules read; domain packages register providers."""

from collections.abc import Callable
from typing import Any

from app.accounts.models import User

FactProvider = Callable[[User], dict[str, Any]]
_PROVIDERS: list[FactProvider] = []


def fact_provider(fn: FactProvider) -> FactProvider:
    _PROVIDERS.append(fn)
    return fn


def person_facts(user: User) -> dict[str, Any]:
    """Every registered fact about `user`, JSON-able, as DMN inputs and instance start data."""
    facts: dict[str, Any] = {}
    for provider in _PROVIDERS:
        facts.update(provider(user))
    return facts
