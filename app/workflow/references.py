"""Files a person may put in a form though someone else stored them (e.g. their exam photo, R-JOIN-5): domain
packages register providers; app/workflow/services.py accepts such references besides the person's own uploads."""

from collections.abc import Callable

from app.accounts.models import User

ReferenceProvider = Callable[[User], set[int]]
_PROVIDERS: list[ReferenceProvider] = []


def shared_attachments(fn: ReferenceProvider) -> ReferenceProvider:
    _PROVIDERS.append(fn)
    return fn


def attachments_shared_with(user: User) -> set[int]:
    found: set[int] = set()
    for provider in _PROVIDERS:
        found |= provider(user)
    return found
